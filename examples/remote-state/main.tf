# Another team's Terraform reads what the prod stack wrote to its state, and drops a file
# where the processor will pick it up.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100.0, < 7.0.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "terraform_remote_state" "tasks_prod" {
  backend = "s3"
  config = {
    bucket = "scheduler-terraform-state-333333333333"
    key    = "scheduled-task-processing/prod.tfstate"
    region = "us-east-1"
  }
}

locals {
  tasks = data.terraform_remote_state.tasks_prod.outputs
}

resource "aws_s3_object" "partner_drop" {
  bucket = local.tasks.bucket_name
  key    = "incoming/partners/orders.jsonl"
  source = "${path.module}/orders.jsonl"
}

output "daily_report_schedule" {
  value = local.tasks.schedule_arns["daily-report"]
}

output "notices_topic" {
  value = local.tasks.notification_topic_arn
}

output "failures_to_watch" {
  value = [local.tasks.processor_failure_queue_url, local.tasks.scheduler_dead_letter_queue_url, local.tasks.work_dead_letter_queue_url]
}
