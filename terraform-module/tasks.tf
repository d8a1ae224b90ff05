# The environment's own tasks: each a function of its own, from the zip the package's bundle command
# built before `terraform plan` (npx scheduled-task-processing bundle <entry> --out <zip>), granted the
# run protocol's areas named for the task and exactly the prefixes it declares (core/own-task-access.ts),
# in the statements the stacks write (modules/constructs/storage.ts, GRANT_KINDS).

locals {
  task_bucket_arn = "arn:${local.partition}:s3:::${local.bucket_name}"
  # Each kind of access: the protocol's areas that get it (<task>: the task's name), and whether its reads or its writes do.
  task_grant_kinds = [
    { sid = "ReadTaskObjects", actions = ["s3:GetObject"], listing = false, areas = ["runs/<task>/", "claims/<task>/"], reads = true, writes = false },
    { sid = "ReadVersionTaskObjects", actions = ["s3:GetObjectVersion"], listing = false, areas = [], reads = true, writes = false },
    { sid = "WriteTaskObjects", actions = ["s3:PutObject"], listing = false, areas = ["runs/<task>/", "claims/<task>/", "archive/<task>/", "quarantine/<task>/", "failed/"], reads = false, writes = true },
    { sid = "AbortUploadTaskObjects", actions = ["s3:AbortMultipartUpload"], listing = false, areas = [], reads = false, writes = true },
    { sid = "DeleteTaskObjects", actions = ["s3:DeleteObject"], listing = false, areas = [], reads = true, writes = false },
    { sid = "DeleteVersionTaskObjects", actions = ["s3:DeleteObjectVersion"], listing = false, areas = [], reads = true, writes = false },
    { sid = "ListTaskPrefixes", actions = ["s3:ListBucket"], listing = true, areas = ["runs/<task>/", "claims/<task>/", "archive/<task>/"], reads = true, writes = false },
    { sid = "ListVersionsOfTaskPrefixes", actions = ["s3:ListBucketVersions"], listing = true, areas = [], reads = true, writes = false },
  ]
  task_grants = { for name, t in var.tasks : name => [for k in local.task_grant_kinds : {
    sid      = k.sid, actions = k.actions, listing = k.listing
    prefixes = concat([for area in k.areas : replace(area, "<task>", name)], k.reads ? t.reads : [], k.writes ? t.writes : [])
  }] }
  task_object_statements = { for name, grants in local.task_grants : name => [for g in grants : {
    Sid = g.sid, Effect = "Allow", Action = g.actions, Resource = [for p in g.prefixes : "${local.task_bucket_arn}/${p}*"]
  } if !g.listing && length(g.prefixes) > 0] }
  task_list_statements = { for name, grants in local.task_grants : name => [for g in grants : {
    Sid       = g.sid, Effect = "Allow", Action = g.actions, Resource = [local.task_bucket_arn]
    Condition = { StringLike = { "s3:prefix" = [for p in g.prefixes : "${p}*"] } }
  } if g.listing && length(g.prefixes) > 0] }
  # The processor's settings where a task leaves its own out.
  task_settings = { for name, t in var.tasks : name => {
    memoryMb         = coalesce(t.memory_mb, var.processor.memory_mb)
    timeoutSeconds   = coalesce(t.timeout_seconds, var.processor.timeout_seconds)
    logRetentionDays = coalesce(t.log_retention_days, var.processor.log_retention_days)
  } }
  # Each task's own log group, for its role's policy (apart from task_specs, which the log groups are made from).
  task_log_statements = { for name, group in aws_cloudwatch_log_group.task : name => [{
    Sid = "WriteOwnLogs", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = ["${group.arn}:log-stream:*"]
  }] }
  task_specs = { for name, t in var.tasks : name => merge(local.task_settings[name], {
    functionName     = "${local.name_prefix}-task-${name}"
    description      = "Runs the own task ${name} of ${var.environment}"
    filename         = t.zip
    sourceCodeHash   = filebase64sha256(t.zip)
    bucketStatements = concat(local.task_object_statements[name], local.task_list_statements[name])
  }) }
}

locals {
  task_trust_policy = {
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
  task_role_policy_statements = [
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
  ]
  task_role_policy_use_bucket_key = var.storage.kms_key_arn != null ? [{
    Sid      = "UseBucketKey"
    Effect   = "Allow"
    Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
    Resource = [var.storage.kms_key_arn]
  }] : []
  task_role_policy_write_traces = var.processor.tracing ? [{
    Sid      = "WriteTraces"
    Effect   = "Allow"
    Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    Resource = ["*"]
  }] : []
}

resource "aws_cloudwatch_log_group" "task" {
  for_each = local.task_specs

  name              = "/aws/lambda/${each.value.functionName}"
  retention_in_days = each.value.logRetentionDays
  tags              = var.tags
}

resource "aws_iam_role" "task" {
  for_each = local.task_specs

  assume_role_policy = jsonencode(local.task_trust_policy)
  description        = "Execution role of ${each.value.functionName}"
  name               = each.value.functionName
  tags               = var.tags
}

resource "aws_iam_role_policy" "task" {
  for_each = local.task_specs

  name = "${each.value.functionName}-least-privilege"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.task_role_policy_statements, concat(local.task_log_statements[each.key], each.value.bucketStatements), local.task_role_policy_use_bucket_key, local.task_role_policy_write_traces)
  })
  role = aws_iam_role.task[each.key].id
}

resource "aws_lambda_function" "task" {
  for_each = local.task_specs

  architectures    = ["arm64"]
  description      = each.value.description
  filename         = each.value.filename
  function_name    = each.value.functionName
  handler          = "index.handler"
  memory_size      = each.value.memoryMb
  role             = aws_iam_role.task[each.key].arn
  runtime          = var.processor.runtime
  source_code_hash = each.value.sourceCodeHash
  tags             = var.tags
  timeout          = each.value.timeoutSeconds

  environment {
    variables = {
      BUCKET_NAME                  = local.bucket_name
      ENVIRONMENT                  = var.environment
      FAILURE_QUEUE_URL            = aws_sqs_queue.processor_failures.url
      FUNCTION_TIMEOUT_SECONDS     = each.value.timeoutSeconds
      POWERTOOLS_LOG_LEVEL         = var.processor.log_level
      POWERTOOLS_METRICS_NAMESPACE = "ScheduledTasks"
      POWERTOOLS_SERVICE_NAME      = each.value.functionName
      POWERTOOLS_TRACE_ENABLED     = var.processor.tracing ? "true" : "false"
      SOURCE_CONCURRENCY           = var.processor.concurrency
      TOPIC_ARN                    = var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn
    }
  }
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.task[each.key].name
  }
  tracing_config {
    mode = var.processor.tracing ? "Active" : "PassThrough"
  }

  depends_on = [aws_cloudwatch_log_group.task, aws_iam_role_policy.task]
}

resource "aws_lambda_function_event_invoke_config" "task" {
  for_each = local.task_specs

  function_name                = aws_lambda_function.task[each.key].function_name
  maximum_event_age_in_seconds = 21600
  maximum_retry_attempts       = var.processor.async_retries

  destination_config {
    on_failure {
      destination = aws_sqs_queue.processor_failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.task]
}

resource "aws_cloudwatch_metric_alarm" "task_errors" {
  for_each = local.task_specs

  alarm_actions       = [aws_sns_topic.operations.arn]
  alarm_description   = "${var.environment}: the own task ${each.key} failed"
  alarm_name          = "${local.name_prefix}-task-${each.key}-errors"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  dimensions          = { FunctionName = each.value.functionName }
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
