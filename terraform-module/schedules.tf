# Each schedule as its resource needs it: the event it sends (a task's: the task, the payload under
# the keys the processor reads, Scheduler's context attributes; a target's: its input as given),
# what it invokes (the processor, an own task's function, or a target), its state, window and
# retries; and what Scheduler's role may do on the own tasks' functions and the targets.

locals {
  # The payload as the processor reads it: camelCase keys, the fields left out absent.
  schedule_payloads = { for s in var.schedules : s.name => merge(
    { for k, v in { prefix = s.payload.prefix } : k => v if v != null },
    { for k, v in { requiredFields = s.payload.required_fields } : k => v if v != null },
    { for k, v in { notifyOnSuccess = s.payload.notify_on_success } : k => v if v != null },
    { for k, v in { periodHours = s.payload.period_hours } : k => v if v != null },
  ) }

  # A task's event; a schedule with excluded dates also sends its zone and entries (the processor
  # skips a run on one). Without them the event is what it was before exclusions.
  schedule_events = { for s in var.schedules : s.name => merge(
    { task_type = s.task, payload = local.schedule_payloads[s.name], schedule = s.name, environment = var.environment },
    { for k, v in { timezone = s.timezone } : k => v if length(s.exclude) > 0 },
    { for k, v in { exclude = s.exclude } : k => v if length(s.exclude) > 0 },
  ) if contains(local.built_in_tasks, s.task == null ? "" : s.task) }

  # jsonencode writes < and > as \u003c and \u003e (hashicorp/terraform#38733) and Scheduler
  # substitutes only the literal placeholders, so its context attributes join the encoded rest
  # as literal JSON text. A payload stays in jsonencode: its own text is escaped there as JSON.
  scheduler_context = "\"scheduled_time\":\"<aws.scheduler.scheduled-time>\",\"execution_id\":\"<aws.scheduler.execution-id>\",\"attempt_number\":\"<aws.scheduler.attempt-number>\""
  # An own task's event: its name as task_type and its payload_json decoded, with exclusions as a built-in task's.
  own_task_schedules = [for s in var.schedules : s if s.task != null && !contains(local.built_in_tasks, s.task == null ? "" : s.task)]
  own_task_events = { for s in local.own_task_schedules : s.name => merge(
    { task_type = s.task, payload = jsondecode(coalesce(s.payload_json, "{}")), schedule = s.name, environment = var.environment },
    { for k, v in { timezone = s.timezone } : k => v if length(s.exclude) > 0 },
    { for k, v in { exclude = s.exclude } : k => v if length(s.exclude) > 0 },
  ) }
  task_inputs = { for name, event in merge(local.schedule_events, local.own_task_events) : name => format(
    "%s,%s}", trimsuffix(jsonencode(event), "}"), local.scheduler_context
  ) }
  # A target's input is its own text, or (when left out) its schedule and environment with the context attributes.
  schedule_inputs = merge(
    local.task_inputs,
    { for s in var.schedules : s.name => s.input != null ? s.input : format(
      "%s,%s}", trimsuffix(jsonencode({ environment = var.environment, schedule = s.name }), "}"), local.scheduler_context
    ) if s.target != null },
  )

  schedule_timing = { for s in var.schedules : s.name => {
    description = s.description
    expression  = s.expression
    timezone    = s.timezone
    state       = s.enabled ? "ENABLED" : "DISABLED"
    startDate   = s.start_date
    endDate     = s.end_date
  } }
  # What a schedule invokes: the processor, an own task's function, or its target's ARN with that service's
  # parameters. No argument reads targetKeyArn (an encrypted queue's or topic's key): the IAM audit and the security rules do.
  task_function_arns   = { for name, f in aws_lambda_function.task : name => f.arn }
  schedule_task_arns   = { for s in var.schedules : s.name => lookup(local.task_function_arns, s.task, aws_lambda_function.processor.arn) if s.task != null }
  schedule_target_arns = { for s in var.schedules : s.name => try(coalesce([for k in local.target_kinds : s.target[k]]...), null) }
  schedule_event_buses = { for s in var.schedules : s.name => try(s.target.event_bus, null) == null ? [] : [
    { detailType = s.target.detail_type, source = s.target.source }
  ] }
  schedule_invokes = { for s in var.schedules : s.name => {
    targetArn             = s.target == null ? local.schedule_task_arns[s.name] : local.schedule_target_arns[s.name]
    targetKeyArn          = try(s.target.kms_key_arn, null)
    sqsMessageGroupIds    = s.target == null ? [] : compact([s.target.message_group_id])
    eventBridgeParameters = local.schedule_event_buses[s.name]
  } }
  schedule_delivery = { for s in var.schedules : s.name => {
    flexibleMode         = s.flexible_window_minutes == 0 ? "OFF" : "FLEXIBLE"
    maximumWindowMinutes = s.flexible_window_minutes == 0 ? null : s.flexible_window_minutes
    retryAttempts        = s.retry.max_attempts
    maxEventAgeSeconds   = s.retry.max_event_age_seconds
    input                = local.schedule_inputs[s.name]
  } }
  schedule_specs = { for s in var.schedules : s.name => merge(
    local.schedule_timing[s.name], local.schedule_delivery[s.name], local.schedule_invokes[s.name]
  ) }

  # Scheduler's one action on each external target (a statement a service, in the order below, the
  # ARNs in the schedules' order), and the key of an encrypted queue or topic: support/target-grants.ts.
  schedule_targets = [for s in var.schedules : s.target if s.target != null]
  schedule_target_grants = [
    { kind = "lambda", sid = "InvokeTargetFunctions", action = "lambda:InvokeFunction" },
    { kind = "sqs", sid = "SendToTargetQueues", action = "sqs:SendMessage" },
    { kind = "sns", sid = "PublishToTargetTopics", action = "sns:Publish" },
    { kind = "step_functions", sid = "StartTargetStateMachines", action = "states:StartExecution" },
    { kind = "event_bus", sid = "PutEventsOnTargetBuses", action = "events:PutEvents" },
  ]
  schedule_target_keys = distinct(compact(local.schedule_targets[*].kms_key_arn))
  schedule_target_service_statements = [for g in local.schedule_target_grants : {
    Sid = g.sid, Effect = "Allow", Action = [g.action], Resource = distinct([for t in local.schedule_targets : t[g.kind] if t[g.kind] != null])
  } if anytrue([for t in local.schedule_targets : t[g.kind] != null])]
  # The functions of the own tasks the schedules run (and no other's).
  schedule_own_task_arns = [for name, arn in local.task_function_arns : arn if contains(var.schedules[*].task, name)]
  schedule_own_task_statements = [
    for arns in [local.schedule_own_task_arns] : { Sid = "InvokeOwnTasks", Effect = "Allow", Action = ["lambda:InvokeFunction"], Resource = arns } if length(arns) > 0
  ]
  schedule_target_statements = concat(local.schedule_own_task_statements, local.schedule_target_service_statements, [
    for keys in [local.schedule_target_keys] : { Sid = "UseTargetKeys", Effect = "Allow", Action = ["kms:GenerateDataKey", "kms:Decrypt"], Resource = keys } if length(keys) > 0
  ])
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
  scheduler_role_policy_statements = [
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
  scheduler_role_policy = {
    Version   = "2012-10-17"
    Statement = concat(local.scheduler_role_policy_statements, local.schedule_target_statements)
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
    arn      = each.value.targetArn
    input    = each.value.input
    role_arn = aws_iam_role.scheduler.arn

    dead_letter_config {
      arn = aws_sqs_queue.scheduler_dlq.arn
    }
    dynamic "eventbridge_parameters" {
      for_each = each.value.eventBridgeParameters

      content {
        detail_type = eventbridge_parameters.value.detailType
        source      = eventbridge_parameters.value.source
      }
    }
    dynamic "sqs_parameters" {
      for_each = each.value.sqsMessageGroupIds

      content {
        message_group_id = sqs_parameters.value
      }
    }
    retry_policy {
      maximum_event_age_in_seconds = each.value.maxEventAgeSeconds
      maximum_retry_attempts       = each.value.retryAttempts
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}
