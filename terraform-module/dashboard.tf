# The environment's CloudWatch dashboard: invocations, errors and durations of the three functions,
# the failure and work queues, and the records the runs processed and quarantined.

locals {
  operations_dashboard = {
    widgets = [
      {
        type   = "metric"
        x      = 0
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Invocations, errors and throttles"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", "${local.name_prefix}-processor"],
            ["AWS/Lambda", "Errors", "FunctionName", "${local.name_prefix}-processor"],
            ["AWS/Lambda", "Throttles", "FunctionName", "${local.name_prefix}-processor"],
            ["AWS/Lambda", "Invocations", "FunctionName", "${local.name_prefix}-failure-handler"],
            ["AWS/Lambda", "Errors", "FunctionName", "${local.name_prefix}-failure-handler"],
            ["AWS/Lambda", "Throttles", "FunctionName", "${local.name_prefix}-failure-handler"],
            ["AWS/Lambda", "Invocations", "FunctionName", "${local.name_prefix}-schedule-api"],
            ["AWS/Lambda", "Errors", "FunctionName", "${local.name_prefix}-schedule-api"],
            ["AWS/Lambda", "Throttles", "FunctionName", "${local.name_prefix}-schedule-api"],
          ]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Processor duration (ms)"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            ["AWS/Lambda", "Duration", "FunctionName", "${local.name_prefix}-processor", { stat = "Average" }],
            ["AWS/Lambda", "Duration", "FunctionName", "${local.name_prefix}-processor", { stat = "Maximum" }],
          ]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Messages waiting in the failure queues"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              "${local.name_prefix}-scheduler-dlq",
              { stat = "Maximum" },
            ],
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              "${local.name_prefix}-processor-failures",
              { stat = "Maximum" },
            ],
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              "${local.name_prefix}-work-dlq",
              { stat = "Maximum" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Work queue: batches waiting and oldest age (s)"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              "${local.name_prefix}-work",
              { stat = "Maximum", label = "waiting" },
            ],
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesNotVisible",
              "QueueName",
              "${local.name_prefix}-work",
              { stat = "Maximum", label = "in progress" },
            ],
            [
              "AWS/SQS",
              "ApproximateAgeOfOldestMessage",
              "QueueName",
              "${local.name_prefix}-work",
              { stat = "Maximum", label = "oldest (s)" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 12
        width  = 12
        height = 6
        properties = {
          title  = "Records processed and quarantined"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            [
              "ScheduledTasks",
              "RecordsProcessed",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "report",
              "environment",
              var.environment,
              { label = "report RecordsProcessed" },
            ],
            [
              "ScheduledTasks",
              "RecordsProcessed",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "data_processing",
              "environment",
              var.environment,
              { label = "data_processing RecordsProcessed" },
            ],
            [
              "ScheduledTasks",
              "RecordsProcessed",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "notification",
              "environment",
              var.environment,
              { label = "notification RecordsProcessed" },
            ],
            [
              "ScheduledTasks",
              "RecordsQuarantined",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "report",
              "environment",
              var.environment,
              { label = "report RecordsQuarantined" },
            ],
            [
              "ScheduledTasks",
              "RecordsQuarantined",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "data_processing",
              "environment",
              var.environment,
              { label = "data_processing RecordsQuarantined" },
            ],
            [
              "ScheduledTasks",
              "RecordsQuarantined",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "notification",
              "environment",
              var.environment,
              { label = "notification RecordsQuarantined" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 12
        width  = 12
        height = 6
        properties = {
          title  = "Task runs and failures"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            [
              "ScheduledTasks",
              "TaskExecution",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "report",
              "environment",
              var.environment,
              { label = "report TaskExecution" },
            ],
            [
              "ScheduledTasks",
              "TaskExecution",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "data_processing",
              "environment",
              var.environment,
              { label = "data_processing TaskExecution" },
            ],
            [
              "ScheduledTasks",
              "TaskExecution",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "notification",
              "environment",
              var.environment,
              { label = "notification TaskExecution" },
            ],
            [
              "ScheduledTasks",
              "TaskFailure",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "report",
              "environment",
              var.environment,
              { label = "report TaskFailure" },
            ],
            [
              "ScheduledTasks",
              "TaskFailure",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "data_processing",
              "environment",
              var.environment,
              { label = "data_processing TaskFailure" },
            ],
            [
              "ScheduledTasks",
              "TaskFailure",
              "service",
              "${local.name_prefix}-processor",
              "task",
              "notification",
              "environment",
              var.environment,
              { label = "notification TaskFailure" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 18
        width  = 12
        height = 6
        properties = {
          title  = "Scheduler invocations"
          region = local.region
          stat   = "Sum"
          period = 300
          view   = "timeSeries"
          metrics = [
            ["AWS/Scheduler", "InvocationAttemptCount", "ScheduleGroup", local.name_prefix],
            ["AWS/Scheduler", "TargetErrorCount", "ScheduleGroup", local.name_prefix],
            ["AWS/Scheduler", "InvocationDroppedCount", "ScheduleGroup", local.name_prefix],
            ["AWS/Scheduler", "InvocationThrottleCount", "ScheduleGroup", local.name_prefix],
          ]
        }
      },
    ]
  }
}

resource "aws_cloudwatch_dashboard" "operations" {
  dashboard_body = jsonencode(local.operations_dashboard)
  dashboard_name = local.name_prefix
}
