# Applies both environments with a mock AWS provider (offline, no account) and checks what
# callers read from the module. Mock ARNs are given where the provider validates them.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:mock-topic" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:123456789012:mock-queue", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/mock-queue" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock-role" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn                 = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
      invoke_arn          = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock/invocations"
      qualified_arn       = "arn:aws:lambda:eu-west-1:123456789012:function:mock:1"
      qualified_invoke_arn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:mock:1/invocations"
    }
  }
  mock_resource "aws_lambda_function_url" {
    defaults = { function_url = "https://mock.lambda-url.eu-west-1.on.aws/" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", key_id = "1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
  mock_resource "aws_kms_alias" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:alias/mock" }
  }
  mock_resource "aws_scheduler_schedule_group" {
    defaults = { arn = "arn:aws:scheduler:eu-west-1:123456789012:schedule-group/mock" }
  }
  mock_resource "aws_scheduler_schedule" {
    defaults = { arn = "arn:aws:scheduler:eu-west-1:123456789012:schedule/mock/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mock" }
  }
  mock_resource "aws_sns_topic_subscription" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:mock-topic:00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_lambda_event_source_mapping" {
    defaults = { function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock" }
  }
  mock_resource "aws_cloudwatch_dashboard" {
    defaults = { dashboard_arn = "arn:aws:cloudwatch::123456789012:dashboard/mock" }
  }
}

run "two_environments_in_one_state" {
  command = apply

  assert {
    condition     = module.tasks_qa.bucket_name == "acme-qa-data-123456789012" && module.tasks_prod.bucket_name == "acme-prod-eu-data-123456789012"
    error_message = "each environment names its own bucket, with the account from aws_caller_identity or account_id"
  }
  assert {
    condition     = module.tasks_qa.schedule_group_name == "acme-qa" && module.tasks_prod.schedule_group_name == "acme-prod-eu"
    error_message = "each environment has its own schedule group"
  }
  assert {
    condition     = join(",", sort(keys(module.tasks_prod.schedule_arns))) == "daily-report,hourly-ingest,weekly-digest,year-end-backfill"
    error_message = "schedule_arns maps every schedule name to its ARN"
  }
  assert {
    condition     = length(setintersection(toset(module.tasks_qa.alarm_names), toset(module.tasks_prod.alarm_names))) == 0
    error_message = "alarm names never clash between environments"
  }
  assert {
    condition     = contains(module.tasks_prod.alarm_names, "acme-prod-eu-missed-run-weekly-digest") && !contains(module.tasks_prod.alarm_names, "acme-prod-eu-missed-run-year-end-backfill")
    error_message = "recurring schedules get a missed-run alarm (with the window given), one-time schedules do not"
  }
  assert {
    condition     = module.tasks_qa.work_queue_url != null && module.tasks_qa.processor_function_arn != null && module.tasks_qa.scheduler_role_arn != null
    error_message = "the outputs callers read are set"
  }
}
