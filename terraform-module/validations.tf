# What the inputs' validation blocks (variables.tf) check against: the patterns of the field
# descriptions (modules/config/fields/, the same the stacks' schema uses), the grammar of a
# schedule expression, and which payload fields each task takes. Constants only, so any
# validation may read them.

locals {
  patterns = {
    schedule_name    = "^[0-9A-Za-z_.-]{1,64}$"
    environment_name = "^[a-z][a-z0-9-]*$"
    project_name     = "^[a-z][a-z0-9-]*[a-z0-9]$"
    account          = "^[0-9]{12}$"
    region           = "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"
    email            = "^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"
    e164             = "^\\+[1-9][0-9]{1,14}$"
    https_url        = "^https://[^/\\s]+"
    sns_topic_arn    = "^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$"
    kms_key_arn      = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$"
    s3_bucket_name   = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
    resource_address = "^(module\\.[A-Za-z0-9_-]+(\\[[^\\]]+\\])?\\.)*[a-z0-9_]+\\.[A-Za-z_][A-Za-z0-9_-]*(\\[[^\\]]+\\])?$"
    principal_arn    = "^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]{1,512}|user/[A-Za-z0-9+=,.@_/-]{1,512})$"
    organization_id  = "^o-[a-z0-9]{10,32}$"
    access_name      = "^[a-z][a-z0-9-]{0,31}$"
    producer_prefix  = "^([A-Za-z0-9_!*'()-][A-Za-z0-9_.!*'()-]*/)+$"
    rfc3339          = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
    tag_characters   = "^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$"
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
    waivers_rule = ["S3-01", "S3-02", "S3-03", "S3-04", "S3-05", "S3-06", "S3-07", "S3-08", "S3-09", "SNS-01", "SNS-02", "SNS-03", "SQS-01", "SQS-02", "SQS-03", "SQS-04", "SQS-05", "LMB-01", "LMB-02", "LMB-03", "LMB-04", "LMB-05", "LMB-06", "KMS-01", "IAM-01", "IAM-02", "IAM-03", "IAM-04", "IAM-05", "IAM-06", "SCH-01", "SCH-02", "SCH-03"]
  }

  # The payload fields each task takes (modules/config/fields/schedules.ts).
  payload_tasks = {
    prefix            = ["data_processing"]
    required_fields   = ["data_processing"]
    notify_on_success = ["data_processing", "report"]
    period_hours      = ["report", "notification"]
  }
}
