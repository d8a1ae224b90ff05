# The failure handler: reads the three failure queues (events the processor failed after its
# retries, invocations Scheduler could not deliver, batches of a fanned-out run that failed every
# delivery), keeps each event under failed/ in the bucket and announces it.

locals {
  failure_handler_trust_policy = {
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
  failure_handler_role_policy_statements = [
    {
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.failure_handler.arn}:log-stream:*"]
    },
    {
      Sid      = "ConsumeFailureQueues"
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      Resource = [aws_sqs_queue.processor_failures.arn, aws_sqs_queue.scheduler_dlq.arn, aws_sqs_queue.work_dlq.arn]
    },
    {
      Sid      = "WriteTaskObjects"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = ["arn:${local.partition}:s3:::${local.bucket_name}/failed/*"]
    },
    {
      Sid    = "PublishNotices"
      Effect = "Allow"
      Action = ["sns:Publish"]
      Resource = [
        var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn,
      ]
    },
  ]
  failure_handler_role_policy_use_bucket_key = var.storage.kms_key_arn != null ? [{
    Sid      = "UseBucketKey"
    Effect   = "Allow"
    Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
    Resource = [var.storage.kms_key_arn]
  }] : []
  failure_handler_role_policy_write_traces = var.processor.tracing ? [{
    Sid      = "WriteTraces"
    Effect   = "Allow"
    Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    Resource = ["*"]
  }] : []
  failure_handler_role_policy = {
    Version   = "2012-10-17"
    Statement = concat(local.failure_handler_role_policy_statements, local.failure_handler_role_policy_use_bucket_key, local.failure_handler_role_policy_write_traces)
  }
}

resource "aws_cloudwatch_log_group" "failure_handler" {
  name              = "/aws/lambda/${local.name_prefix}-failure-handler"
  retention_in_days = var.processor.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "failure_handler" {
  assume_role_policy = jsonencode(local.failure_handler_trust_policy)
  description        = "Execution role of ${local.name_prefix}-failure-handler"
  name               = "${local.name_prefix}-failure-handler"
  tags               = var.tags
}

resource "aws_iam_role_policy" "failure_handler" {
  name   = "${local.name_prefix}-failure-handler-least-privilege"
  policy = jsonencode(local.failure_handler_role_policy)
  role   = aws_iam_role.failure_handler.id
}

resource "aws_lambda_function" "failure_handler" {
  architectures    = ["arm64"]
  description      = "Archives and announces the failed events of ${var.environment}"
  filename         = "${path.module}/functions/failure-handler.zip"
  function_name    = "${local.name_prefix}-failure-handler"
  handler          = "index.handler"
  memory_size      = 256
  role             = aws_iam_role.failure_handler.arn
  runtime          = "nodejs22.x"
  source_code_hash = "Xh6ddv26PInh4enVMzpa50Lfo6/E71gYKkFBTnCVQ80="
  tags             = var.tags
  timeout          = 60

  environment {
    variables = {
      BUCKET_NAME                     = local.bucket_name
      ENVIRONMENT                     = var.environment
      POWERTOOLS_LOG_LEVEL            = var.processor.log_level
      POWERTOOLS_METRICS_NAMESPACE    = "ScheduledTasks"
      POWERTOOLS_SERVICE_NAME         = "${local.name_prefix}-failure-handler"
      POWERTOOLS_TRACE_ENABLED        = var.processor.tracing ? "true" : "false"
      PROCESSOR_FAILURE_QUEUE_ARN     = aws_sqs_queue.processor_failures.arn
      SCHEDULER_DEAD_LETTER_QUEUE_ARN = aws_sqs_queue.scheduler_dlq.arn
      TOPIC_ARN                       = var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn
      WORK_DEAD_LETTER_QUEUE_ARN      = aws_sqs_queue.work_dlq.arn
    }
  }
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.failure_handler.name
  }
  tracing_config {
    mode = var.processor.tracing ? "Active" : "PassThrough"
  }

  depends_on = [aws_cloudwatch_log_group.failure_handler, aws_iam_role_policy.failure_handler]
}

resource "aws_lambda_event_source_mapping" "failure_handler_processor_failures" {
  batch_size              = 10
  event_source_arn        = aws_sqs_queue.processor_failures.arn
  function_name           = aws_lambda_function.failure_handler.arn
  function_response_types = ["ReportBatchItemFailures"]
  tags                    = var.tags

  scaling_config {
    maximum_concurrency = 2
  }

  depends_on = [aws_iam_role_policy.failure_handler]
}

resource "aws_lambda_event_source_mapping" "failure_handler_scheduler_dlq" {
  batch_size              = 10
  event_source_arn        = aws_sqs_queue.scheduler_dlq.arn
  function_name           = aws_lambda_function.failure_handler.arn
  function_response_types = ["ReportBatchItemFailures"]
  tags                    = var.tags

  scaling_config {
    maximum_concurrency = 2
  }

  depends_on = [aws_iam_role_policy.failure_handler]
}

resource "aws_lambda_event_source_mapping" "failure_handler_work_dlq" {
  batch_size              = 10
  event_source_arn        = aws_sqs_queue.work_dlq.arn
  function_name           = aws_lambda_function.failure_handler.arn
  function_response_types = ["ReportBatchItemFailures"]
  tags                    = var.tags

  scaling_config {
    maximum_concurrency = 2
  }

  depends_on = [aws_iam_role_policy.failure_handler]
}
