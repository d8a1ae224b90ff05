# The missed-run alarm of each recurring, enabled schedule. HCL cannot replay a year of a cron
# expression in its time zone as the stacks do (modules/config/missed-run-window.ts), so the
# module bounds the longest gap between runs from the expression's shape: rate(N unit) exactly;
# a daily cron that runs every hour 2 h (a spring-forward day skips one), every n hours n + 1 h,
# on given hours 25 h (a fall-back day); other crons get no alarm unless missed_run_alarm is given.

locals {
  rate_parts = { for s in var.schedules : s.name => try(regex("^rate\\((\\d+) (minute|hour|day)s?\\)$", s.expression), null) }
  rate_gaps = {
    for name, parts in local.rate_parts : name => parts == null ? null : tonumber(parts[0]) * lookup({ minute = 60, hour = 3600, day = 86400 }, parts[1])
  }
  # The hours field of a cron that runs every day: cron(m h * * ? *) or cron(m h ? * * *).
  daily_cron_hours = { for s in var.schedules : s.name => try(regex("^cron\\(\\S+ (\\S+) [*?] \\* [*?] \\*\\)$", s.expression)[0], null) }
  daily_cron_steps = { for name, hours in local.daily_cron_hours : name => try(tonumber(regex("^\\*/(\\d+)$", hours)[0]), null) }
  daily_cron_gaps = { for name, hours in local.daily_cron_hours : name => (
    hours == null ? null : hours == "*" ? 7200 : local.daily_cron_steps[name] != null ? (local.daily_cron_steps[name] + 1) * 3600 : 90000
  ) }
  run_gaps = { for s in var.schedules : s.name => coalesce(local.rate_gaps[s.name], local.daily_cron_gaps[s.name], -1) }

  # The longest silence of the metric: a gap, then a run as late as its window, its timeout (its own task's, if it
  # has one) and the metric's delay allow.
  run_timeouts = { for s in var.schedules : s.name => try(coalesce(var.tasks[s.task].timeout_seconds, var.processor.timeout_seconds), var.processor.timeout_seconds) }
  run_silences = {
    for s in var.schedules : s.name => local.run_gaps[s.name] < 0 ? null : local.run_gaps[s.name] + s.flexible_window_minutes * 60 + local.run_timeouts[s.name] + 300
  }
  # The smallest period whose window covers the silence, within CloudWatch's limits (1 day below hourly periods, 7 days otherwise).
  missed_run_candidates = { for name, silence in local.run_silences : name => silence == null ? [] : [
    for period in [300, 3600, 86400] : { period = period, evaluations = floor(silence / period) + 1 }
    if(floor(silence / period) + 1) * period <= (period < 3600 ? 86400 : 604800)
  ] }
  missed_run_windows = { for s in var.schedules : s.name => (
    s.missed_run_alarm != null ? { period = s.missed_run_alarm.period_seconds, evaluations = s.missed_run_alarm.evaluation_periods }
    : length(local.missed_run_candidates[s.name]) > 0 ? local.missed_run_candidates[s.name][0] : null
  ) }
  # A target's schedule has no run record to watch: Scheduler's group metrics watch its delivery.
  missed_run_schedules = [
    for s in var.schedules : s if s.task != null && s.enabled && !startswith(s.expression, "at(") && local.missed_run_windows[s.name] != null
  ]
  missed_run_descriptions = { for s in local.missed_run_schedules : s.name => format(
    "%s: no successful %s run of %s (%s %s) in %v hours", var.environment, s.task, s.name, s.expression, s.timezone,
    local.missed_run_windows[s.name].period * local.missed_run_windows[s.name].evaluations / 3600
  ) }
  # The Powertools service of the run's metric line: the function that runs it (an own task's, or the processor).
  missed_run_services = { for s in local.missed_run_schedules : s.name => "${local.name_prefix}-${contains(keys(var.tasks), s.task) ? "task-${s.task}" : "processor"}" }
  missed_runs = { for s in local.missed_run_schedules : s.name => {
    schedule          = s.name
    task              = s.task
    service           = local.missed_run_services[s.name]
    description       = local.missed_run_descriptions[s.name]
    periodSeconds     = local.missed_run_windows[s.name].period
    evaluationPeriods = local.missed_run_windows[s.name].evaluations
  } }
}

locals {
  operations_key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersAndUsesKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action = [
          "kms:CancelKeyDeletion",
          "kms:CreateAlias",
          "kms:CreateGrant",
          "kms:Decrypt",
          "kms:DeleteAlias",
          "kms:DescribeKey",
          "kms:DisableKey",
          "kms:DisableKeyRotation",
          "kms:EnableKey",
          "kms:EnableKeyRotation",
          "kms:Encrypt",
          "kms:GenerateDataKey",
          "kms:GetKeyPolicy",
          "kms:GetKeyRotationStatus",
          "kms:ListGrants",
          "kms:ListResourceTags",
          "kms:PutKeyPolicy",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:RetireGrant",
          "kms:RevokeGrant",
          "kms:ScheduleKeyDeletion",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:UpdateAlias",
          "kms:UpdateKeyDescription",
        ]
        Resource = ["*"]
      },
      {
        Sid       = "StackAlarmsEncryptNotices"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = ["*"]
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike = {
            "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.name_prefix}-*"
          }
        }
      },
    ]
  }
  operations_topic_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowStackAlarms"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["sns:Publish"]
        Resource  = [aws_sns_topic.operations.arn]
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike = {
            "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.name_prefix}-*"
          }
        }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sns:*"]
        Resource  = [aws_sns_topic.operations.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
  operational_alarm_names = [
    "${local.name_prefix}-processor-errors",
    "${local.name_prefix}-processor-throttles",
    "${local.name_prefix}-processor-duration",
    "${local.name_prefix}-messages-in-scheduler-dlq",
    "${local.name_prefix}-messages-in-processor-failures",
    "${local.name_prefix}-messages-in-work-dlq",
    "${local.name_prefix}-work-queue-age",
    "${local.name_prefix}-scheduler-target-errors",
    "${local.name_prefix}-scheduler-dropped",
    "${local.name_prefix}-scheduler-throttled",
  ]
}

resource "aws_kms_key" "operations" {
  count = var.adopt.existing_operations_key_arn == null ? 1 : 0

  deletion_window_in_days = 30
  description             = "Encrypts the operations topic that ${local.name_prefix}-* alarms publish to"
  enable_key_rotation     = true
  policy                  = jsonencode(local.operations_key_policy)
  tags                    = var.tags

  lifecycle {
    prevent_destroy = false
  }
}

resource "aws_kms_alias" "operations" {
  count = var.adopt.existing_operations_key_arn == null ? 1 : 0

  name          = "alias/${local.name_prefix}-operations"
  target_key_id = one(aws_kms_key.operations[*].key_id)
}

resource "aws_sns_topic" "operations" {
  kms_master_key_id = var.adopt.existing_operations_key_arn == null ? one(aws_kms_key.operations[*].arn) : var.adopt.existing_operations_key_arn
  name              = "${local.name_prefix}-operations"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "operations" {
  for_each = local.operations_subscriptions

  endpoint  = each.value.endpoint
  protocol  = each.value.protocol
  topic_arn = aws_sns_topic.operations.arn
}

resource "aws_sns_topic_policy" "operations" {
  arn    = aws_sns_topic.operations.arn
  policy = jsonencode(local.operations_topic_policy)
}

resource "aws_cloudwatch_metric_alarm" "processor_errors" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: The processor failed"
  alarm_name          = "${local.name_prefix}-processor-errors"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { FunctionName = "${local.name_prefix}-processor" }
  evaluation_periods  = 1
  metric_name         = "Errors"
  namespace           = "AWS/Lambda"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Sum"
  tags                = var.tags
  threshold           = var.alarms.processor_errors
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "processor_throttles" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: Processor invocations were throttled"
  alarm_name          = "${local.name_prefix}-processor-throttles"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { FunctionName = "${local.name_prefix}-processor" }
  evaluation_periods  = 1
  metric_name         = "Throttles"
  namespace           = "AWS/Lambda"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Sum"
  tags                = var.tags
  threshold           = var.alarms.processor_throttles
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "processor_duration" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: A processor run took over ${var.alarms.duration_percent_of_timeout}% of its ${var.processor.timeout_seconds} s timeout"
  alarm_name          = "${local.name_prefix}-processor-duration"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { FunctionName = "${local.name_prefix}-processor" }
  evaluation_periods  = 1
  metric_name         = "Duration"
  namespace           = "AWS/Lambda"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Maximum"
  tags                = var.tags
  threshold           = floor(var.processor.timeout_seconds * 10 * var.alarms.duration_percent_of_timeout + 0.5)
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "messages_in_scheduler_dlq" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: Failed events are waiting in ${local.name_prefix}-scheduler-dlq"
  alarm_name          = "${local.name_prefix}-messages-in-scheduler-dlq"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { QueueName = "${local.name_prefix}-scheduler-dlq" }
  evaluation_periods  = 1
  metric_name         = "ApproximateNumberOfMessagesVisible"
  namespace           = "AWS/SQS"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Maximum"
  tags                = var.tags
  threshold           = var.alarms.dead_letter_messages
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "messages_in_processor_failures" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: Failed events are waiting in ${local.name_prefix}-processor-failures"
  alarm_name          = "${local.name_prefix}-messages-in-processor-failures"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { QueueName = "${local.name_prefix}-processor-failures" }
  evaluation_periods  = 1
  metric_name         = "ApproximateNumberOfMessagesVisible"
  namespace           = "AWS/SQS"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Maximum"
  tags                = var.tags
  threshold           = var.alarms.dead_letter_messages
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "messages_in_work_dlq" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: Failed events are waiting in ${local.name_prefix}-work-dlq"
  alarm_name          = "${local.name_prefix}-messages-in-work-dlq"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { QueueName = "${local.name_prefix}-work-dlq" }
  evaluation_periods  = 1
  metric_name         = "ApproximateNumberOfMessagesVisible"
  namespace           = "AWS/SQS"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Maximum"
  tags                = var.tags
  threshold           = var.alarms.dead_letter_messages
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "work_queue_age" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: A batch of a fanned-out run has waited too long on ${local.name_prefix}-work"
  alarm_name          = "${local.name_prefix}-work-queue-age"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { QueueName = "${local.name_prefix}-work" }
  evaluation_periods  = 1
  metric_name         = "ApproximateAgeOfOldestMessage"
  namespace           = "AWS/SQS"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Maximum"
  tags                = var.tags
  threshold           = var.alarms.work_queue_age_seconds
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "scheduler_target_errors" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: EventBridge Scheduler got errors invoking the processor"
  alarm_name          = "${local.name_prefix}-scheduler-target-errors"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { ScheduleGroup = local.name_prefix }
  evaluation_periods  = 1
  metric_name         = "TargetErrorCount"
  namespace           = "AWS/Scheduler"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Sum"
  tags                = var.tags
  threshold           = var.alarms.scheduler_target_errors
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "scheduler_dropped" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: EventBridge Scheduler dropped invocations after its retries"
  alarm_name          = "${local.name_prefix}-scheduler-dropped"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { ScheduleGroup = local.name_prefix }
  evaluation_periods  = 1
  metric_name         = "InvocationDroppedCount"
  namespace           = "AWS/Scheduler"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Sum"
  tags                = var.tags
  threshold           = var.alarms.scheduler_dropped_invocations
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "scheduler_throttled" {
  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: EventBridge Scheduler invocations were throttled"
  alarm_name          = "${local.name_prefix}-scheduler-throttled"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { ScheduleGroup = local.name_prefix }
  evaluation_periods  = 1
  metric_name         = "InvocationThrottleCount"
  namespace           = "AWS/Scheduler"
  ok_actions          = [aws_sns_topic.operations.arn]
  period              = 300
  statistic           = "Sum"
  tags                = var.tags
  threshold           = var.alarms.scheduler_throttled_invocations
  treat_missing_data  = "notBreaching"
}

resource "aws_cloudwatch_metric_alarm" "missed_run" {
  for_each = local.missed_runs

  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = each.value.description
  alarm_name          = "${local.name_prefix}-missed-run-${each.key}"
  comparison_operator = "LessThanThreshold"
  datapoints_to_alarm = each.value.evaluationPeriods
  dimensions = {
    environment = var.environment
    schedule    = each.value.schedule
    service     = each.value.service
    task        = each.value.task
  }
  evaluation_periods = each.value.evaluationPeriods
  metric_name        = "TaskExecution"
  namespace          = "ScheduledTasks"
  ok_actions         = [aws_sns_topic.operations.arn]
  period             = each.value.periodSeconds
  statistic          = "Sum"
  tags               = var.tags
  threshold          = 1
  treat_missing_data = "breaching"
}
