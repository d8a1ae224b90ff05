# Two environments of the module in one root, one state, one account: every name carries the
# environment, so nothing clashes. Run with your own AWS provider settings and backend; `terraform test`
# applies it with the mock provider settings the module ships (mocks/).

terraform {
  required_version = ">= 1.11.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100.0, < 7.0.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# A minimal environment: one schedule, one recipient, every other input at its default.
module "tasks_qa" {
  source       = "../.."
  project_name = "acme"
  environment  = "qa"
  schedules = [
    { name = "hourly-ingest", expression = "rate(1 hour)", task = "data_processing", payload = { required_fields = ["id"] } },
  ]
  notifications = { email = ["data-qa@example.com"] }
}

# A complete environment: every input set.
module "tasks_prod" {
  source       = "../.."
  project_name = "acme"
  environment  = "prod-eu"
  account_id   = "123456789012"
  tags         = { team = "data", cost-center = "analytics" }
  schedules = [
    {
      name                    = "hourly-ingest"
      description             = "Ingest incoming/ every hour"
      expression              = "rate(1 hour)"
      task                    = "data_processing"
      payload                 = { required_fields = ["id", "amount"], notify_on_success = false }
      flexible_window_minutes = 5
      retry                   = { max_attempts = 20, max_event_age_seconds = 21600 }
    },
    {
      name       = "daily-report"
      expression = "cron(0 9 * * ? *)"
      timezone   = "Europe/Berlin"
      task       = "report"
      payload    = { period_hours = 24 }
      exclude    = ["2026-12-24/2026-12-26", "2027-01-01"] # local dates it does not run on: the run is recorded as skipped
    },
    {
      name             = "weekly-digest"
      expression       = "cron(0 10 ? * MON *)"
      timezone         = "Europe/Berlin"
      task             = "notification"
      payload          = { period_hours = 168 }
      missed_run_alarm = { period_seconds = 86400, evaluation_periods = 7 }
    },
    {
      name       = "year-end-backfill"
      expression = "at(2027-01-04T08:00:00)"
      timezone   = "Europe/London"
      task       = "data_processing"
      payload    = { prefix = "backfill/" }
    },
    {
      # The team's own task (tasks below): its own function, with a run record, exactly-once sources and a missed-run alarm.
      name         = "ledger-hourly"
      expression   = "rate(1 hour)"
      task         = "ledger"
      payload_json = jsonencode({ currency = "EUR" })
    },
    {
      # Not a task: Scheduler sends this text to the orders queue every night (the role may sqs:SendMessage on it alone;
      # delivery and retries as for a task, but no run record and no missed-run alarm).
      name       = "nightly-close"
      expression = "cron(30 23 * * ? *)"
      timezone   = "Europe/Berlin"
      target     = { sqs = aws_sqs_queue.orders.arn }
      input      = "{\"command\":\"close-day\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}"
    },
  ]
  notifications = { email = ["data@example.com"], sms = ["+15555550100"], https = ["https://hooks.example.com/tasks"] }
  operations    = { email = ["oncall@example.com"] }
  # An own task (examples/own-task/ledger.ts), bundled first by the package's command:
  #   npx scheduled-task-processing bundle ../own-task/ledger.ts --out ledger.zip
  # Its function may read and remove what waits under ledger/in/ and write under ledger/out/, and no other prefix.
  tasks = {
    ledger = { zip = "${path.module}/ledger.zip", reads = ["ledger/in/"], writes = ["ledger/out/"], memory_mb = 256, timeout_seconds = 120 }
  }
  processor = {
    runtime            = "nodejs22.x" # nodejs24.x needs hashicorp/aws >= 6.19 in this root (docs/runtimes.md)
    memory_mb          = 1024
    timeout_seconds    = 900
    log_retention_days = 365
    async_retries      = 2
    concurrency        = 16
    log_level          = "INFO"
    tracing            = true # X-Ray: tracing mode Active and the Powertools Tracer
  }
  storage      = { noncurrent_version_expiration_days = 90, abort_incomplete_multipart_upload_days = 7 }
  alarms       = { processor_errors = 1, duration_percent_of_timeout = 80, work_queue_age_seconds = 1800 }
  schedule_api = { retry = { max_attempts = 20, max_event_age_seconds = 21600 } }
  fan_out      = { max_concurrency = 10, max_receive_count = 5 }
  # A partner in another account uploads under incoming/partner-a/ (through the bucket policy);
  # the analytics role of this account reads the results (through the managed policy it is given).
  access = {
    producers = [
      { name = "partner-a", principals = ["arn:aws:iam::210987654321:role/uploader"], prefix = "partner-a/" },
    ]
    readers = [
      { name = "analytics", principals = ["arn:aws:iam::123456789012:role/analytics"], prefixes = ["processed/", "reports/"] },
    ]
  }
}

# Another part of the root: the queue the orders service reads, which one schedule of prod sends to.
resource "aws_sqs_queue" "orders" {
  name                    = "acme-prod-eu-orders"
  sqs_managed_sse_enabled = true
}

output "qa_bucket" {
  value = module.tasks_qa.bucket_name
}

output "analytics_policy_arn" {
  description = "Attach this to the analytics role"
  value       = module.tasks_prod.reader_policy_arns["analytics"]
}

output "prod_schedules" {
  value = module.tasks_prod.schedule_arns
}

output "prod_ledger_function" {
  value = module.tasks_prod.task_function_arns["ledger"]
}
