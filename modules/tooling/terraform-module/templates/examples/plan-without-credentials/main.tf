# A plan without AWS credentials, as a CI job or a reviewer runs it: the provider is told not to
# check the keys, ask for the account or reach the instance metadata service, and the module is
# given account_id so it never looks the account up. Nothing is created: `terraform plan` only.
#
#   terraform init && terraform plan

terraform {
  required_version = ">= 1.11.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100.0, < 7.0.0" }
  }
}

provider "aws" {
  region = "eu-west-1"

  # Dummy keys: the provider needs some, and never uses them for a plan with these settings.
  access_key                  = "plan-only"
  secret_key                  = "plan-only"
  skip_credentials_validation = true # no sts:GetCallerIdentity for the keys
  skip_requesting_account_id  = true # no call to learn the account: account_id says it
  skip_metadata_api_check     = true # no instance metadata service
}

module "tasks" {
  source       = "../.."
  project_name = "acme"
  environment  = "ci"
  # Without it the module reads data.aws_caller_identity, which needs real credentials.
  account_id = "123456789012"

  schedules = [
    { name = "hourly-ingest", expression = "rate(1 hour)", task = "data_processing" },
    { name = "daily-report", expression = "cron(0 9 * * ? *)", timezone = "Europe/Berlin", task = "report" },
  ]
  notifications = { email = ["data@example.com"] }
}

output "bucket_name" {
  description = "The task bucket the plan would create"
  value       = module.tasks.bucket_name
}
