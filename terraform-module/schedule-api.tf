# The one-time scheduling API: an IAM-authorised function URL that creates `once-` schedules in the
# environment's group, with the scheduler role and dead-letter queue the recurring ones use.

locals {
  schedule_api_trust_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "TrustedService"
        Effect    = "Allow"
        Principal = { Service = "lambda.amazonaws.com" }
        Action    = ["sts:AssumeRole"]
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ]
  }
  schedule_api_role_policy_statements = [
    {
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.schedule_api.arn}:log-stream:*"]
    },
    {
      Sid    = "ManageOneTimeSchedules"
      Effect = "Allow"
      Action = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"]
      Resource = [
        "arn:${local.partition}:scheduler:${local.region}:${local.account_id}:schedule/${local.name_prefix}/once-*",
      ]
    },
    {
      Sid    = "ReadSchedules"
      Effect = "Allow"
      Action = ["scheduler:GetSchedule"]
      Resource = [
        "arn:${local.partition}:scheduler:${local.region}:${local.account_id}:schedule/${local.name_prefix}/*",
      ]
    },
    { Sid = "ListSchedules", Effect = "Allow", Action = ["scheduler:ListSchedules"], Resource = ["*"] },
    {
      Sid       = "PassSchedulerRoleToScheduler"
      Effect    = "Allow"
      Action    = ["iam:PassRole"]
      Resource  = [aws_iam_role.scheduler.arn]
      Condition = { StringEquals = { "iam:PassedToService" = "scheduler.amazonaws.com" } }
    },
    {
      Sid      = "RunSchedulesNow"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [aws_lambda_function.processor.arn]
    },
  ]
  schedule_api_role_policy_write_traces = var.processor.tracing ? [{
    Sid      = "WriteTraces"
    Effect   = "Allow"
    Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    Resource = ["*"]
  }] : []
  schedule_api_role_policy = {
    Version   = "2012-10-17"
    Statement = concat(local.schedule_api_role_policy_statements, local.schedule_api_role_policy_write_traces)
  }
}

resource "aws_cloudwatch_log_group" "schedule_api" {
  name              = "/aws/lambda/${local.name_prefix}-schedule-api"
  retention_in_days = var.processor.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "schedule_api" {
  assume_role_policy = jsonencode(local.schedule_api_trust_policy)
  description        = "Execution role of ${local.name_prefix}-schedule-api"
  name               = "${local.name_prefix}-schedule-api"
  tags               = var.tags
}

resource "aws_iam_role_policy" "schedule_api" {
  name   = "${local.name_prefix}-schedule-api-least-privilege"
  policy = jsonencode(local.schedule_api_role_policy)
  role   = aws_iam_role.schedule_api.id
}

resource "aws_lambda_function" "schedule_api" {
  architectures    = ["arm64"]
  description      = "Creates, lists and deletes one-time schedules in ${local.name_prefix}, and runs its schedules now"
  filename         = "${path.module}/${local.function_code.folder}/schedule-api.zip"
  function_name    = "${local.name_prefix}-schedule-api"
  handler          = "index.handler"
  memory_size      = 256
  role             = aws_iam_role.schedule_api.arn
  runtime          = var.processor.runtime
  source_code_hash = local.function_code.schedule_api
  tags             = var.tags
  timeout          = 15

  environment {
    variables = {
      DEAD_LETTER_QUEUE_ARN        = aws_sqs_queue.scheduler_dlq.arn
      ENVIRONMENT                  = var.environment
      POWERTOOLS_LOG_LEVEL         = var.processor.log_level
      POWERTOOLS_METRICS_NAMESPACE = "ScheduledTasks"
      POWERTOOLS_SERVICE_NAME      = "${local.name_prefix}-schedule-api"
      POWERTOOLS_TRACE_ENABLED     = var.processor.tracing ? "true" : "false"
      RETRY_MAX_ATTEMPTS           = var.schedule_api.retry.max_attempts
      RETRY_MAX_EVENT_AGE_SECONDS  = var.schedule_api.retry.max_event_age_seconds
      SCHEDULER_ROLE_ARN           = aws_iam_role.scheduler.arn
      SCHEDULE_GROUP               = local.name_prefix
      TARGET_ARN                   = aws_lambda_function.processor.arn
    }
  }
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.schedule_api.name
  }
  tracing_config {
    mode = var.processor.tracing ? "Active" : "PassThrough"
  }

  depends_on = [aws_cloudwatch_log_group.schedule_api, aws_iam_role_policy.schedule_api]
}

resource "aws_lambda_function_url" "schedule_api" {
  authorization_type = "AWS_IAM"
  function_name      = aws_lambda_function.schedule_api.function_name
}
