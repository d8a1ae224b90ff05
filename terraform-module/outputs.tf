# What the module returns: the same outputs, under the same names, as each stack of the repository.

output "alarm_names" {
  description = "Names of the environment's CloudWatch alarms"
  value       = concat(local.operational_alarm_names, [for alarm in aws_cloudwatch_metric_alarm.missed_run : alarm.alarm_name], [for alarm in aws_cloudwatch_metric_alarm.task_errors : alarm.alarm_name])
}

output "bucket_arn" {
  description = "Task bucket ARN"
  value       = "arn:${local.partition}:s3:::${local.bucket_name}"
}

output "bucket_name" {
  description = "Task bucket name"
  value       = local.bucket_name
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment"
  value       = local.name_prefix
}

output "failure_handler_function_arn" {
  description = "Function that archives and announces failed events"
  value       = aws_lambda_function.failure_handler.arn
}

output "notification_topic_arn" {
  description = "SNS topic for task success and failure notices"
  value       = var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn
}

output "operations_topic_arn" {
  description = "SNS topic the alarms notify"
  value       = aws_sns_topic.operations.arn
}

output "processor_failure_queue_arn" {
  description = "ARN of the processor failure queue"
  value       = aws_sqs_queue.processor_failures.arn
}

output "processor_failure_queue_url" {
  description = "Queue of events the processor failed after its retries"
  value       = aws_sqs_queue.processor_failures.url
}

output "processor_function_arn" {
  description = "Processor Lambda function ARN"
  value       = aws_lambda_function.processor.arn
}

output "processor_function_name" {
  description = "Processor Lambda function name"
  value       = aws_lambda_function.processor.function_name
}

output "processor_role_arn" {
  description = "Processor execution role ARN"
  value       = aws_iam_role.processor.arn
}

output "producer_policy_arns" {
  description = "Map of producer name to the managed policy to attach to its principals in this account"
  value       = { for name, policy in aws_iam_policy.producer : name => policy.arn }
}

output "reader_policy_arns" {
  description = "Map of reader name to the managed policy to attach to its principals in this account"
  value       = { for name, policy in aws_iam_policy.reader : name => policy.arn }
}

output "schedule_api_function_arn" {
  description = "Function behind the scheduling API (callers need lambda:InvokeFunctionUrl on it)"
  value       = aws_lambda_function.schedule_api.arn
}

output "schedule_api_url" {
  description = "IAM-authorised URL of the one-time scheduling API"
  value       = aws_lambda_function_url.schedule_api.function_url
}

output "schedule_arns" {
  description = "Map of schedule name to schedule ARN"
  value       = { for name, schedule in aws_scheduler_schedule.tasks : name => schedule.arn }
}

output "schedule_group_arn" {
  description = "EventBridge Scheduler schedule group ARN"
  value       = aws_scheduler_schedule_group.tasks.arn
}

output "schedule_group_name" {
  description = "EventBridge Scheduler schedule group name"
  value       = aws_scheduler_schedule_group.tasks.name
}

output "scheduler_dead_letter_queue_arn" {
  description = "ARN of the scheduler dead-letter queue"
  value       = aws_sqs_queue.scheduler_dlq.arn
}

output "scheduler_dead_letter_queue_url" {
  description = "Queue of invocations Scheduler could not deliver"
  value       = aws_sqs_queue.scheduler_dlq.url
}

output "scheduler_role_arn" {
  description = "Role EventBridge Scheduler assumes to invoke the processor"
  value       = aws_iam_role.scheduler.arn
}

output "task_function_arns" {
  description = "Map of own task name to its function's ARN"
  value       = { for name, f in aws_lambda_function.task : name => f.arn }
}

output "task_role_arns" {
  description = "Map of own task name to its function's execution role ARN"
  value       = { for name, r in aws_iam_role.task : name => r.arn }
}

output "work_dead_letter_queue_arn" {
  description = "ARN of the work dead-letter queue"
  value       = aws_sqs_queue.work_dlq.arn
}

output "work_dead_letter_queue_url" {
  description = "Batches of fanned-out runs that failed every delivery"
  value       = aws_sqs_queue.work_dlq.url
}

output "work_queue_arn" {
  description = "ARN of the work queue"
  value       = aws_sqs_queue.work.arn
}

output "work_queue_url" {
  description = "Queue large data_processing runs are spread over"
  value       = aws_sqs_queue.work.url
}
