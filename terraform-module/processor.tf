# The processor: the function that runs the tasks, its role, log group and retries, the queue of
# events it failed, and the work queue a large run spreads over.

# What one processor invocation takes on before a run spreads over the work queue: the stacks'
# sizing (core/fan-out-sizing.ts) in HCL, unless fan_out sets it.

locals {
  # Half the time left after the reserve (30 s, at most half the timeout).
  working_seconds = max(1, (var.processor.timeout_seconds - min(30, var.processor.timeout_seconds / 2)) / 2)
  # Small sources, 0.3 s each, `concurrency` at a time.
  sources_per_invocation = coalesce(
    var.fan_out.sources_per_invocation,
    min(10000, max(100, floor(local.working_seconds * var.processor.concurrency / 0.3)))
  )
  # 10485760 bytes a second for a full vCPU (1769 MB of memory).
  bytes_per_invocation = coalesce(
    var.fan_out.bytes_per_invocation,
    max(16777216, floor(local.working_seconds * 10485760 * min(1, var.processor.memory_mb / 1769)))
  )
}

locals {
  processor_failures_queue_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sqs:*"]
        Resource  = [aws_sqs_queue.processor_failures.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
  work_dlq_queue_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sqs:*"]
        Resource  = [aws_sqs_queue.work_dlq.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
  work_queue_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sqs:*"]
        Resource  = [aws_sqs_queue.work.arn]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
  processor_trust_policy = {
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
  processor_role_policy_statements = [
    {
      Sid      = "WriteOwnLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.processor.arn}:log-stream:*"]
    },
    {
      Sid    = "ReadTaskObjects"
      Effect = "Allow"
      Action = ["s3:GetObject"]
      Resource = [
        "arn:${local.partition}:s3:::${local.bucket_name}/incoming/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/claims/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/runs/*",
      ]
    },
    {
      Sid      = "ReadVersionTaskObjects"
      Effect   = "Allow"
      Action   = ["s3:GetObjectVersion"]
      Resource = ["arn:${local.partition}:s3:::${local.bucket_name}/incoming/*"]
    },
    {
      Sid    = "WriteTaskObjects"
      Effect = "Allow"
      Action = ["s3:PutObject"]
      Resource = [
        "arn:${local.partition}:s3:::${local.bucket_name}/processed/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/quarantine/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/archive/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/claims/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/runs/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/reports/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/failed/*",
      ]
    },
    {
      Sid    = "AbortUploadTaskObjects"
      Effect = "Allow"
      Action = ["s3:AbortMultipartUpload"]
      Resource = [
        "arn:${local.partition}:s3:::${local.bucket_name}/processed/*",
        "arn:${local.partition}:s3:::${local.bucket_name}/quarantine/*",
      ]
    },
    {
      Sid      = "DeleteTaskObjects"
      Effect   = "Allow"
      Action   = ["s3:DeleteObject"]
      Resource = ["arn:${local.partition}:s3:::${local.bucket_name}/incoming/*"]
    },
    {
      Sid      = "DeleteVersionTaskObjects"
      Effect   = "Allow"
      Action   = ["s3:DeleteObjectVersion"]
      Resource = ["arn:${local.partition}:s3:::${local.bucket_name}/incoming/*"]
    },
    {
      Sid       = "ListTaskPrefixes"
      Effect    = "Allow"
      Action    = ["s3:ListBucket"]
      Resource  = ["arn:${local.partition}:s3:::${local.bucket_name}"]
      Condition = { StringLike = { "s3:prefix" = ["incoming/*", "archive/*", "claims/*", "runs/*"] } }
    },
    {
      Sid       = "ListVersionsOfTaskPrefixes"
      Effect    = "Allow"
      Action    = ["s3:ListBucketVersions"]
      Resource  = ["arn:${local.partition}:s3:::${local.bucket_name}"]
      Condition = { StringLike = { "s3:prefix" = ["incoming/*"] } }
    },
    {
      Sid    = "PublishNotices"
      Effect = "Allow"
      Action = ["sns:Publish"]
      Resource = [
        var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn,
      ]
    },
    {
      Sid      = "KeepFailedEvents"
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = [aws_sqs_queue.processor_failures.arn]
    },
    {
      Sid      = "SpreadWorkOverQueue"
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = [aws_sqs_queue.work.arn]
    },
    {
      Sid      = "ConsumeWorkQueue"
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      Resource = [aws_sqs_queue.work.arn]
    },
  ]
  processor_role_policy_use_bucket_key = var.storage.kms_key_arn != null ? [{
    Sid      = "UseBucketKey"
    Effect   = "Allow"
    Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
    Resource = [var.storage.kms_key_arn]
  }] : []
  processor_role_policy_write_traces = var.processor.tracing ? [{
    Sid      = "WriteTraces"
    Effect   = "Allow"
    Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    Resource = ["*"]
  }] : []
  processor_role_policy = {
    Version   = "2012-10-17"
    Statement = concat(local.processor_role_policy_statements, local.processor_role_policy_use_bucket_key, local.processor_role_policy_write_traces)
  }
}

resource "aws_sqs_queue" "processor_failures" {
  message_retention_seconds  = 1209600
  name                       = "${local.name_prefix}-processor-failures"
  sqs_managed_sse_enabled    = true
  tags                       = var.tags
  visibility_timeout_seconds = 360
}

resource "aws_sqs_queue_policy" "processor_failures" {
  policy    = jsonencode(local.processor_failures_queue_policy)
  queue_url = aws_sqs_queue.processor_failures.url
}

resource "aws_sqs_queue" "work_dlq" {
  message_retention_seconds  = 1209600
  name                       = "${local.name_prefix}-work-dlq"
  sqs_managed_sse_enabled    = true
  tags                       = var.tags
  visibility_timeout_seconds = 6 * var.processor.timeout_seconds
}

resource "aws_sqs_queue_policy" "work_dlq" {
  policy    = jsonencode(local.work_dlq_queue_policy)
  queue_url = aws_sqs_queue.work_dlq.url
}

resource "aws_sqs_queue" "work" {
  message_retention_seconds  = 345600
  name                       = "${local.name_prefix}-work"
  redrive_policy             = jsonencode({ "deadLetterTargetArn" = aws_sqs_queue.work_dlq.arn, "maxReceiveCount" = tonumber("${var.fan_out.max_receive_count}") })
  sqs_managed_sse_enabled    = true
  tags                       = var.tags
  visibility_timeout_seconds = 6 * var.processor.timeout_seconds
}

resource "aws_sqs_queue_policy" "work" {
  policy    = jsonencode(local.work_queue_policy)
  queue_url = aws_sqs_queue.work.url
}

resource "aws_cloudwatch_log_group" "processor" {
  name              = "/aws/lambda/${local.name_prefix}-processor"
  retention_in_days = var.processor.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "processor" {
  assume_role_policy = jsonencode(local.processor_trust_policy)
  description        = "Execution role of ${local.name_prefix}-processor"
  name               = "${local.name_prefix}-processor"
  tags               = var.tags
}

resource "aws_iam_role_policy" "processor" {
  name   = "${local.name_prefix}-processor-least-privilege"
  policy = jsonencode(local.processor_role_policy)
  role   = aws_iam_role.processor.id
}

resource "aws_lambda_function" "processor" {
  architectures    = ["arm64"]
  description      = "Runs the scheduled business tasks of ${var.environment}"
  filename         = "${path.module}/functions/processor.zip"
  function_name    = "${local.name_prefix}-processor"
  handler          = "index.handler"
  memory_size      = var.processor.memory_mb
  role             = aws_iam_role.processor.arn
  runtime          = "nodejs22.x"
  source_code_hash = "S/OzX04OUmgPqFG9D/xfQgn06BgGT++Qe28kSiUwy6k="
  tags             = var.tags
  timeout          = var.processor.timeout_seconds

  environment {
    variables = {
      BUCKET_NAME                  = local.bucket_name
      ENVIRONMENT                  = var.environment
      FAILURE_QUEUE_URL            = aws_sqs_queue.processor_failures.url
      FAN_OUT_MAX_BYTES            = local.bytes_per_invocation
      FAN_OUT_MAX_SOURCES          = local.sources_per_invocation
      FUNCTION_TIMEOUT_SECONDS     = var.processor.timeout_seconds
      POWERTOOLS_LOG_LEVEL         = var.processor.log_level
      POWERTOOLS_METRICS_NAMESPACE = "ScheduledTasks"
      POWERTOOLS_SERVICE_NAME      = "${local.name_prefix}-processor"
      POWERTOOLS_TRACE_ENABLED     = var.processor.tracing ? "true" : "false"
      SOURCE_CONCURRENCY           = var.processor.concurrency
      TOPIC_ARN                    = var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn
      WORK_QUEUE_URL               = aws_sqs_queue.work.url
    }
  }
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.processor.name
  }
  tracing_config {
    mode = var.processor.tracing ? "Active" : "PassThrough"
  }

  depends_on = [aws_cloudwatch_log_group.processor, aws_iam_role_policy.processor]
}

resource "aws_lambda_function_event_invoke_config" "processor" {
  function_name                = aws_lambda_function.processor.function_name
  maximum_event_age_in_seconds = 21600
  maximum_retry_attempts       = var.processor.async_retries

  destination_config {
    on_failure {
      destination = aws_sqs_queue.processor_failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.processor]
}

resource "aws_lambda_event_source_mapping" "processor_work_queue" {
  batch_size              = 1
  event_source_arn        = aws_sqs_queue.work.arn
  function_name           = aws_lambda_function.processor.arn
  function_response_types = ["ReportBatchItemFailures"]
  tags                    = var.tags

  scaling_config {
    maximum_concurrency = var.fan_out.max_concurrency
  }

  depends_on = [aws_iam_role_policy.processor]
}
