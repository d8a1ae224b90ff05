# What the inputs' validation blocks (variables.tf) check against: the patterns of the field
# descriptions (modules/config/fields/, the same the stacks' schema uses), the grammar of a
# schedule expression, and which payload fields each task takes. Constants only, so any
# validation may read them.

locals {
  patterns = {
    schedule_name       = "^[0-9A-Za-z_.-]{1,64}$"
    environment_name    = "^[a-z][a-z0-9-]*$"
    project_name        = "^[a-z][a-z0-9-]*[a-z0-9]$"
    account             = "^[0-9]{12}$"
    region              = "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"
    email               = "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"
    e164                = "^\\+[1-9][0-9]{1,14}$"
    https_url           = "^https://[^/\\s]+"
    sns_topic_arn       = "^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$"
    kms_key_arn         = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$"
    s3_bucket_name      = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
    resource_address    = "^(module\\.[A-Za-z0-9_-]+(\\[[^\\]]+\\])?\\.)*[a-z0-9_]+\\.[A-Za-z_][A-Za-z0-9_-]*(\\[[^\\]]+\\])?$"
    principal_arn       = "^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]{1,512}|user/[A-Za-z0-9+=,.@_/-]{1,512})$"
    organization_id     = "^o-[a-z0-9]{10,32}$"
    access_name         = "^[a-z][a-z0-9-]{0,31}$"
    producer_prefix     = "^([A-Za-z0-9_!*'()-][A-Za-z0-9_.!*'()-]*/)+$"
    rfc3339             = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
    excluded_date       = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$"
    lambda_function_arn = "^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$"
    sqs_queue_arn       = "^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}(\\.fifo)?$"
    state_machine_arn   = "^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$"
    event_bus_arn       = "^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$"
    message_group_id    = "^[!-~]{1,128}$"
    tag_characters      = "^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$"
  }

  rate_pattern = "^rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)$"
  cron_pattern = "^cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)$"
  at_pattern   = "^at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)$"
  # Each cron field's grammar and range, rendered from the stacks' parser's field rules.
  cron_fields = {
    minutes      = "^(?:(?:(?:\\*|(?:0*(?:[0-9]|[1-5][0-9]))(?:-(?:0*(?:[0-9]|[1-5][0-9])))?)(?:/0*(?:[1-9]|[1-5][0-9]))?)(?:,(?:(?:\\*|(?:0*(?:[0-9]|[1-5][0-9]))(?:-(?:0*(?:[0-9]|[1-5][0-9])))?)(?:/0*(?:[1-9]|[1-5][0-9]))?))*)$"
    hours        = "^(?:(?:(?:\\*|(?:0*(?:[0-9]|1[0-9]|2[0-3]))(?:-(?:0*(?:[0-9]|1[0-9]|2[0-3])))?)(?:/0*(?:[1-9]|1[0-9]|2[0-3]))?)(?:,(?:(?:\\*|(?:0*(?:[0-9]|1[0-9]|2[0-3]))(?:-(?:0*(?:[0-9]|1[0-9]|2[0-3])))?)(?:/0*(?:[1-9]|1[0-9]|2[0-3]))?))*)$"
    day_of_month = "^(?:\\?|(?i:L|LW)|(?:0*(?:[1-9]|[1-2][0-9]|3[0-1]))(?i:W)|(?:(?:\\*|(?:0*(?:[1-9]|[1-2][0-9]|3[0-1]))(?:-(?:0*(?:[1-9]|[1-2][0-9]|3[0-1])))?)(?:/0*(?:[1-9]|[1-2][0-9]|30))?)(?:,(?:(?:\\*|(?:0*(?:[1-9]|[1-2][0-9]|3[0-1]))(?:-(?:0*(?:[1-9]|[1-2][0-9]|3[0-1])))?)(?:/0*(?:[1-9]|[1-2][0-9]|30))?))*)$"
    month        = "^(?:(?:(?:\\*|(?:0*(?:[1-9]|1[0-2])|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))(?:-(?:0*(?:[1-9]|1[0-2])|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)))?)(?:/0*(?:[1-9]|1[0-1]))?)(?:,(?:(?:\\*|(?:0*(?:[1-9]|1[0-2])|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))(?:-(?:0*(?:[1-9]|1[0-2])|(?i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)))?)(?:/0*(?:[1-9]|1[0-1]))?))*)$"
    day_of_week  = "^(?:\\?|(?i:L)|(?:0*(?:[1-7])|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))(?i:L)|(?:0*(?:[1-7])|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))#[1-5]|(?:(?:\\*|(?:0*(?:[1-7])|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))(?:-(?:0*(?:[1-7])|(?i:SUN|MON|TUE|WED|THU|FRI|SAT)))?)(?:/0*(?:[1-6]))?)(?:,(?:(?:\\*|(?:0*(?:[1-7])|(?i:SUN|MON|TUE|WED|THU|FRI|SAT))(?:-(?:0*(?:[1-7])|(?i:SUN|MON|TUE|WED|THU|FRI|SAT)))?)(?:/0*(?:[1-6]))?))*)$"
    year         = "^(?:(?:(?:\\*|(?:0*(?:19[7-9][0-9]|2[0-1][0-9]{2}))(?:-(?:0*(?:19[7-9][0-9]|2[0-1][0-9]{2})))?)(?:/0*(?:[1-9]|[1-9][0-9]|1[0-9]{2}|2[0-2][0-9]))?)(?:,(?:(?:\\*|(?:0*(?:19[7-9][0-9]|2[0-1][0-9]{2}))(?:-(?:0*(?:19[7-9][0-9]|2[0-1][0-9]{2})))?)(?:/0*(?:[1-9]|[1-9][0-9]|1[0-9]{2}|2[0-2][0-9]))?))*)$"
  }

  # The words a field may be, where they are too many to write into its condition.
  one_of = {
    tasks_log_retention_days     = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
    processor_log_retention_days = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
    waivers_rule                 = ["S3-01", "S3-02", "S3-03", "S3-04", "S3-05", "S3-06", "S3-07", "S3-08", "S3-09", "SNS-01", "SNS-02", "SNS-03", "SQS-01", "SQS-02", "SQS-03", "SQS-04", "SQS-05", "LMB-01", "LMB-02", "LMB-03", "LMB-04", "LMB-05", "LMB-06", "KMS-01", "IAM-01", "IAM-02", "IAM-03", "IAM-04", "IAM-05", "IAM-06", "SCH-01", "SCH-02", "SCH-03"]
  }

  # Words refused with a reason of their own (a deprecated Lambda runtime), by field.
  refused = {
    processor_runtime = {
      "nodejs20.x" = "nodejs20.x is deprecated: Lambda deprecated it on 2026-04-30 and blocks creating functions on it from 2026-08-31 and updating them from 2026-09-30; use nodejs22.x or nodejs24.x"
      "nodejs18.x" = "nodejs18.x is deprecated: Lambda deprecated it on 2025-09-01 and blocks creating and updating functions on it; use nodejs22.x or nodejs24.x"
      "nodejs16.x" = "nodejs16.x is deprecated: Lambda deprecated it on 2024-06-12 and blocks creating and updating functions on it; use nodejs22.x or nodejs24.x"
      "nodejs14.x" = "nodejs14.x is deprecated: Lambda no longer creates or updates functions on it; use nodejs22.x or nodejs24.x"
      "nodejs12.x" = "nodejs12.x is deprecated: Lambda no longer creates or updates functions on it; use nodejs22.x or nodejs24.x"
      "nodejs10.x" = "nodejs10.x is deprecated: Lambda no longer creates or updates functions on it; use nodejs22.x or nodejs24.x"
      "nodejs8.10" = "nodejs8.10 is deprecated: Lambda no longer creates or updates functions on it; use nodejs22.x or nodejs24.x"
    }
  }

  # The payload fields each task takes (modules/config/fields/schedules.ts).
  payload_tasks = {
    prefix            = ["data_processing"]
    required_fields   = ["data_processing"]
    notify_on_success = ["data_processing", "report"]
    period_hours      = ["report", "notification"]
  }

  # The areas of the bucket the product keeps for itself: an own task's prefixes stay out of them.
  product_areas = ["incoming/", "processed/", "quarantine/", "archive/", "claims/", "runs/", "reports/", "failed/"]

  # What the rules over several fields read (modules/config/rules/).
  task_required               = "schedules[%d].task is required: a schedule runs a task or invokes a target (schedule %q)"
  task_and_target             = "schedules[%d].target cannot be given with task: a schedule runs a task or invokes a target, not both (schedule %q)"
  built_in_tasks              = ["report", "data_processing", "notification"]
  unknown_task                = "schedules[%d].task must name a built-in task (report, data_processing, notification) or one of tasks (%s), got %s (schedule %q)."
  input_with_task             = "schedules[%d].input is a target's; a task takes payload (schedule %q)"
  task_only                   = { payload = "is a task's options; a target takes input", exclude = "needs a task: the processor keeps excluded dates, and a target's runs do not pass through it", missed_run_alarm = "needs a task: it watches the processor's runs, and a target's schedule has none", payload_json = "is an own task's options; a target takes input" }
  task_only_message           = "schedules[%d].%s %s (schedule %q)"
  task_writes_its_reads       = "tasks[%q].writes[%d] must not overlap reads[%d] (%q): the task's outputs would come back as its sources, got %q."
  tasks_read_twice            = "tasks[%q].reads[%d] must not overlap another task's reads: two tasks would take the same sources (tasks[%q].reads[%d], %q), got %q."
  task_function_name_too_long = "tasks[%q] makes the function name %q (%d characters), over Lambda's 64: shorten the task's, the project's or the environment's name."
  payload_json_of_built_in    = "schedules[%d].payload_json is an own task's options; a built-in task takes payload (schedule %q)"
  payload_json_object         = "schedules[%d].payload_json must be a JSON object such as jsonencode({ currency = \"EUR\" }), got %s (schedule %q)."
  target_kinds                = ["lambda", "sqs", "sns", "step_functions", "event_bus"]
  target_parameters           = { message_group_id = ["sqs"], detail_type = ["event_bus"], source = ["event_bus"], kms_key_arn = ["sqs", "sns"] }
  target_required             = { event_bus = ["detail_type", "source"] }
  fifo_needs_group            = "schedules[%d].target.message_group_id is required for a FIFO queue (.fifo) (schedule %q)"
  standard_takes_no_group     = "schedules[%d].target.message_group_id is only for a FIFO queue (a name ending in .fifo), not a standard queue (schedule %q)"
  json_input_kinds            = ["lambda", "step_functions", "event_bus"]
  context_attribute           = "/<aws\\.scheduler\\.[a-z-]+>/"
  input_not_json              = "schedules[%d].input must be JSON for a target of lambda, step_functions or event_bus (Scheduler's context attributes count as values) (schedule %q)"
  input_not_object            = "schedules[%d].input must be a JSON object for an event_bus target: it is the event's detail (schedule %q)"
}
