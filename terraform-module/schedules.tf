# Each schedule as its resource needs it: the event it sends (the task, the payload under the
# keys the processor reads, Scheduler's context attributes), its state, window and retries.

locals {
  # The payload as the processor reads it: camelCase keys, the fields left out absent.
  schedule_payloads = { for s in var.schedules : s.name => merge(
    { for k, v in { prefix = s.payload.prefix } : k => v if v != null },
    { for k, v in { requiredFields = s.payload.required_fields } : k => v if v != null },
    { for k, v in { notifyOnSuccess = s.payload.notify_on_success } : k => v if v != null },
    { for k, v in { periodHours = s.payload.period_hours } : k => v if v != null },
  ) }

  # jsonencode writes < and > as \u003c and \u003e (hashicorp/terraform#38733) and Scheduler
  # substitutes only the literal placeholders, so its context attributes join the encoded rest
  # as literal JSON text. A payload stays in jsonencode: its own text is escaped there as JSON.
  schedule_inputs = { for s in var.schedules : s.name => format("%s,%s}", trimsuffix(jsonencode({
    task_type   = s.task
    payload     = local.schedule_payloads[s.name]
    schedule    = s.name
    environment = var.environment
  }), "}"), "\"scheduled_time\":\"<aws.scheduler.scheduled-time>\",\"execution_id\":\"<aws.scheduler.execution-id>\",\"attempt_number\":\"<aws.scheduler.attempt-number>\"") }

  schedule_timing = { for s in var.schedules : s.name => {
    description = s.description
    expression  = s.expression
    timezone    = s.timezone
    state       = s.enabled ? "ENABLED" : "DISABLED"
    startDate   = s.start_date
    endDate     = s.end_date
  } }
  schedule_delivery = { for s in var.schedules : s.name => {
    flexibleMode         = s.flexible_window_minutes == 0 ? "OFF" : "FLEXIBLE"
    maximumWindowMinutes = s.flexible_window_minutes == 0 ? null : s.flexible_window_minutes
    retryAttempts        = s.retry.max_attempts
    maxEventAgeSeconds   = s.retry.max_event_age_seconds
    input                = local.schedule_inputs[s.name]
  } }
  schedule_specs = { for s in var.schedules : s.name => merge(local.schedule_timing[s.name], local.schedule_delivery[s.name]) }
}

locals {
  scheduler_dlq_queue_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sqs:*"]
        Resource  = [aws_sqs_queue.scheduler_dlq.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
  scheduler_trust_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "TrustedService"
        Effect    = "Allow"
        Principal = { Service = "scheduler.amazonaws.com" }
        Action    = ["sts:AssumeRole"]
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnEquals    = { "aws:SourceArn" = aws_scheduler_schedule_group.tasks.arn }
        }
      },
    ]
  }
  scheduler_role_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeProcessor"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = [aws_lambda_function.processor.arn]
      },
      {
        Sid      = "SendUndeliveredToDeadLetterQueue"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.scheduler_dlq.arn]
      },
    ]
  }
}

resource "aws_scheduler_schedule_group" "tasks" {
  name = local.name_prefix
  tags = merge(var.tags, { "Name" = local.name_prefix })
}

resource "aws_sqs_queue" "scheduler_dlq" {
  message_retention_seconds  = 1209600
  name                       = "${local.name_prefix}-scheduler-dlq"
  sqs_managed_sse_enabled    = true
  tags                       = var.tags
  visibility_timeout_seconds = 360
}

resource "aws_sqs_queue_policy" "scheduler_dlq" {
  policy    = jsonencode(local.scheduler_dlq_queue_policy)
  queue_url = aws_sqs_queue.scheduler_dlq.url
}

resource "aws_iam_role" "scheduler" {
  assume_role_policy = jsonencode(local.scheduler_trust_policy)
  description        = "Assumed by EventBridge Scheduler for the schedules of group ${local.name_prefix}"
  name               = "${local.name_prefix}-scheduler"
  tags               = var.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "scheduler-invoke-target"
  policy = jsonencode(local.scheduler_role_policy)
  role   = aws_iam_role.scheduler.id
}

resource "aws_scheduler_schedule" "tasks" {
  for_each = local.schedule_specs

  description                  = each.value.description
  end_date                     = each.value.endDate
  group_name                   = aws_scheduler_schedule_group.tasks.name
  name                         = each.key
  schedule_expression          = each.value.expression
  schedule_expression_timezone = each.value.timezone
  start_date                   = each.value.startDate
  state                        = each.value.state

  flexible_time_window {
    maximum_window_in_minutes = each.value.maximumWindowMinutes
    mode                      = each.value.flexibleMode
  }
  target {
    arn      = aws_lambda_function.processor.arn
    input    = each.value.input
    role_arn = aws_iam_role.scheduler.arn

    dead_letter_config {
      arn = aws_sqs_queue.scheduler_dlq.arn
    }
    retry_policy {
      maximum_event_age_in_seconds = each.value.maxEventAgeSeconds
      maximum_retry_attempts       = each.value.retryAttempts
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}
