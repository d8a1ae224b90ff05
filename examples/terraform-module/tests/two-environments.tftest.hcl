# Applies both environments with a mock AWS provider (offline, no account) and checks what
# callers read from the module.

# The mock defaults the module ships (well-formed ARNs and URLs for account 123456789012 in
# us-east-1). A root that calls the module from git reads them from .terraform/modules/<name>/.
mock_provider "aws" {
  source = "../../terraform-module/mocks"
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
    condition     = join(",", sort(keys(module.tasks_prod.schedule_arns))) == "daily-report,hourly-ingest,ledger-hourly,nightly-close,weekly-digest,year-end-backfill"
    error_message = "schedule_arns maps every schedule name to its ARN, the schedule on the orders queue too"
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
    condition     = keys(module.tasks_prod.task_function_arns) == ["ledger"] && length(module.tasks_qa.task_function_arns) == 0
    error_message = "an own task gets a function of its own, in the environment that declares it"
  }
  assert {
    condition     = contains(module.tasks_prod.alarm_names, "acme-prod-eu-missed-run-ledger-hourly")
    error_message = "a schedule of an own task gets a missed-run alarm, as a built-in task's does"
  }
  assert {
    condition     = !contains(module.tasks_prod.alarm_names, "acme-prod-eu-missed-run-nightly-close")
    error_message = "a schedule on a target outside the module gets no missed-run alarm: it has no run record"
  }
  assert {
    condition     = module.tasks_qa.work_queue_url != null && module.tasks_qa.processor_function_arn != null && module.tasks_qa.scheduler_role_arn != null
    error_message = "the outputs callers read are set"
  }
  assert {
    condition     = keys(module.tasks_prod.reader_policy_arns) == ["analytics"] && length(module.tasks_prod.producer_policy_arns) == 0
    error_message = "a reader in the module's account gets a managed policy; a producer only in another account gets none (the bucket policy lets it in)"
  }
  assert {
    condition     = length(module.tasks_qa.reader_policy_arns) == 0 && length(module.tasks_qa.producer_policy_arns) == 0
    error_message = "an environment without access has no managed policies"
  }
}
