# The remote state is replaced by outputs shaped like the prod stack's (their names are checked
# against the stacks by the repository's tests), and the AWS provider is mocked.

mock_provider "aws" {}

override_data {
  target = data.terraform_remote_state.tasks_prod
  values = {
    outputs = {
      bucket_name                     = "scheduler-prod-data-333333333333"
      schedule_arns                   = { "daily-report" = "arn:aws:scheduler:us-east-1:333333333333:schedule/scheduler-prod/daily-report" }
      notification_topic_arn          = "arn:aws:sns:us-east-1:333333333333:scheduler-prod-notifications"
      processor_failure_queue_url     = "https://sqs.us-east-1.amazonaws.com/333333333333/scheduler-prod-processor-failures"
      scheduler_dead_letter_queue_url = "https://sqs.us-east-1.amazonaws.com/333333333333/scheduler-prod-scheduler-dlq"
      work_dead_letter_queue_url      = "https://sqs.us-east-1.amazonaws.com/333333333333/scheduler-prod-work-dlq"
    }
  }
}

run "reads_the_stack_outputs" {
  command = apply

  assert {
    condition     = aws_s3_object.partner_drop.bucket == "scheduler-prod-data-333333333333" && startswith(aws_s3_object.partner_drop.key, "incoming/")
    error_message = "the drop goes to the task bucket's incoming/ prefix"
  }
  assert {
    condition     = output.daily_report_schedule == "arn:aws:scheduler:us-east-1:333333333333:schedule/scheduler-prod/daily-report"
    error_message = "schedule_arns is a map by schedule name"
  }
}
