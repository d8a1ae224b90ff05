# The module's inputs, rendered from the field descriptions (modules/config/fields/): each with its
# description, full type and defaults, and one validation block a rule whose message names the
# field (and, in a list, the item). docs/configuration.md and README.md describe every field.

variable "environment" {
  description = "The environment's name (`dev`, `qa`, `prod-eu`): part of every resource name, so several environments can share an account."
  type        = string

  validation {
    condition     = can(regex(local.patterns.environment_name, var.environment))
    error_message = format("environment must start with a lower-case letter and hold only a-z 0-9 -, got %s.", jsonencode(var.environment))
  }

  validation {
    condition     = length(var.environment) <= 16
    error_message = format("environment must be at most 16 characters, got %s.", jsonencode(var.environment))
  }
}

variable "project_name" {
  description = "Prefix of every resource name: `<project>-<environment>-<role>`."
  type        = string

  validation {
    condition     = can(regex(local.patterns.project_name, var.project_name))
    error_message = format("project_name must start with a lower-case letter, end with a letter or digit and hold only a-z 0-9 -, got %s.", jsonencode(var.project_name))
  }

  validation {
    condition     = length(var.project_name) <= 24
    error_message = format("project_name must be at most 24 characters, got %s.", jsonencode(var.project_name))
  }
}

variable "account_id" {
  description = "The AWS account the resources are in, for names and trust policies."
  type        = string
  default     = null

  validation {
    condition     = var.account_id == null ? true : can(regex(local.patterns.account, var.account_id))
    error_message = format("account_id must be a 12-digit AWS account id, got %s.", jsonencode(var.account_id))
  }
}

variable "tags" {
  description = "Tags for every resource that takes tags: AWS allows 50 a resource, counting those the product adds (here the stacks' default tags, in the module the schedule group's Name; your provider's default_tags count too)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= 128 && !startswith(key, "aws:")])
    error_message = join(" ", [for key, value in var.tags : format("tags[%q] tag keys must be 1-128 characters and must not start with aws:.", key) if !(length(key) >= 1 && length(key) <= 128 && !startswith(key, "aws:"))])
  }

  validation {
    condition     = alltrue([for key, value in var.tags : can(regex(local.patterns.tag_characters, key))])
    error_message = join(" ", [for key, value in var.tags : format("tags[%q] tag keys may hold only letters, digits, spaces and _ . : / = + - @, got %s.", key, jsonencode(key)) if !(can(regex(local.patterns.tag_characters, key)))])
  }

  validation {
    condition     = alltrue([for key, value in var.tags : length(value) <= 256])
    error_message = join(" ", [for key, value in var.tags : format("tags[%q] tag values must be at most 256 characters.", key) if !(length(value) <= 256)])
  }

  validation {
    condition     = alltrue([for key, value in var.tags : can(regex(local.patterns.tag_characters, value))])
    error_message = join(" ", [for key, value in var.tags : format("tags[%q] tag values may hold only letters, digits, spaces and _ . : / = + - @, got %s.", key, jsonencode(value)) if !(can(regex(local.patterns.tag_characters, value)))])
  }

  validation {
    condition = length(merge(var.tags, { Name = "" })) <= 50
    error_message = format(
      "tags: at most %d tags fit on a resource and the module adds 1 (Name): %d of your own at most, got %d.",
      50, 49, length(var.tags)
    )
  }
}

variable "schedules" {
  description = "The environment's schedules: each runs a task on its expression, in its time zone."
  type = list(object({
    name        = string
    description = optional(string)
    expression  = string
    timezone    = optional(string, "UTC")
    task        = optional(string)
    payload = optional(object({
      prefix            = optional(string)
      required_fields   = optional(list(string))
      notify_on_success = optional(bool)
      period_hours      = optional(number)
    }), {})
    payload_json = optional(string)
    target = optional(object({
      lambda           = optional(string)
      sqs              = optional(string)
      message_group_id = optional(string)
      sns              = optional(string)
      step_functions   = optional(string)
      event_bus        = optional(string)
      detail_type      = optional(string)
      source           = optional(string)
      kms_key_arn      = optional(string)
    }))
    input                   = optional(string)
    enabled                 = optional(bool, true)
    flexible_window_minutes = optional(number, 0)
    retry = optional(object({
      max_attempts          = optional(number, 3)
      max_event_age_seconds = optional(number, 3600)
    }), {})
    start_date = optional(string)
    end_date   = optional(string)
    exclude    = optional(list(string), [])
    missed_run_alarm = optional(object({
      period_seconds     = number
      evaluation_periods = number
    }))
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for v in var.schedules[*].name : can(regex(local.patterns.schedule_name, v))])
    error_message = join(" ", [for i, v in var.schedules[*].name : format("schedules[%d].name must be 1-64 characters of 0-9 A-Z a-z _ . -, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(can(regex(local.patterns.schedule_name, v)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].name : !startswith(v, "once-")])
    error_message = join(" ", [for i, v in var.schedules[*].name : format("schedules[%d].name must not start with \"once-\", the scheduling API's prefix for the one-time schedules it creates and deletes, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!startswith(v, "once-"))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].description : v == null ? true : length(v) <= 512])
    error_message = join(" ", [for i, v in var.schedules[*].description : format("schedules[%d].description must be at most 512 characters, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(v == null ? true : length(v) <= 512)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : can(regex(local.rate_pattern, v)) || can(regex(local.cron_pattern, v)) || can(regex(local.at_pattern, v))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression must be rate(N unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss), got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(can(regex(local.rate_pattern, v)) || can(regex(local.cron_pattern, v)) || can(regex(local.at_pattern, v)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.rate_pattern, v)) || try(tonumber(regex(local.rate_pattern, v)[0]) >= 1, false)])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression must be rate(N unit) with N >= 1, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.rate_pattern, v)) || try(tonumber(regex(local.rate_pattern, v)[0]) >= 1, false))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.rate_pattern, v)) || try((tonumber(regex(local.rate_pattern, v)[0]) == 1) == !endswith(regex(local.rate_pattern, v)[1], "s"), false)])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression must use the singular unit for 1 only (rate(1 hour), rate(2 hours)), got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.rate_pattern, v)) || try((tonumber(regex(local.rate_pattern, v)[0]) == 1) == !endswith(regex(local.rate_pattern, v)[1], "s"), false))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || try((regex(local.cron_pattern, v)[2] == "?") != (regex(local.cron_pattern, v)[4] == "?"), false)])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression must have ? in exactly one of day-of-month and day-of-week, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || try((regex(local.cron_pattern, v)[2] == "?") != (regex(local.cron_pattern, v)[4] == "?"), false))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.minutes, regex(local.cron_pattern, v)[0]))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression cron minutes must be 0-59 with , - * /, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.minutes, regex(local.cron_pattern, v)[0])))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.hours, regex(local.cron_pattern, v)[1]))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression cron hours must be 0-23 with , - * /, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.hours, regex(local.cron_pattern, v)[1])))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.day_of_month, regex(local.cron_pattern, v)[2]))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression cron day-of-month must be 1-31 with , - * / ? L W, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.day_of_month, regex(local.cron_pattern, v)[2])))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.month, regex(local.cron_pattern, v)[3]))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression cron month must be 1-12 or JAN-DEC with , - * /, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.month, regex(local.cron_pattern, v)[3])))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.day_of_week, regex(local.cron_pattern, v)[4]))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression cron day-of-week must be 1-7 or SUN-SAT with , - * / ? L #, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.day_of_week, regex(local.cron_pattern, v)[4])))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].expression : !can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.year, regex(local.cron_pattern, v)[5]))])
    error_message = join(" ", [for i, v in var.schedules[*].expression : format("schedules[%d].expression cron year must be 1970-2199 with , - * /, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(!can(regex(local.cron_pattern, v)) || can(regex(local.cron_fields.year, regex(local.cron_pattern, v)[5])))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].timezone : contains(local.iana_time_zones, v)])
    error_message = join(" ", [for i, v in var.schedules[*].timezone : format("schedules[%d].timezone must be an IANA time zone name such as America/New_York (case-sensitive), got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(contains(local.iana_time_zones, v))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].payload.prefix : v == null ? true : v != "" && !startswith(v, "/") && !contains(split("/", v), "..")])
    error_message = join(" ", [for i, v in var.schedules[*].payload.prefix : format("schedules[%d].payload.prefix must be a relative prefix under incoming/ without \"..\", got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(v == null ? true : v != "" && !startswith(v, "/") && !contains(split("/", v), ".."))])
  }

  validation {
    condition     = alltrue(flatten([for s in var.schedules : [for f in(s.payload.required_fields == null ? [] : s.payload.required_fields) : length(f) > 0]]))
    error_message = join(" ", flatten([for i, s in var.schedules : [for j, f in(s.payload.required_fields == null ? [] : s.payload.required_fields) : format("schedules[%d].payload.required_fields[%d] field names must not be empty (schedule %q).", i, j, s.name) if !(length(f) > 0)]]))
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].payload.period_hours : v == null ? true : floor(v) == v && v >= 1 && v <= 8784])
    error_message = join(" ", [for i, v in var.schedules[*].payload.period_hours : format("schedules[%d].payload.period_hours must be an integer from 1 to 8784 (a leap year), got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(v == null ? true : floor(v) == v && v >= 1 && v <= 8784)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.lambda == null ? true : can(regex(local.patterns.lambda_function_arn, v.lambda))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.lambda must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>, optionally :<alias or version>), got %s (schedule %q).", i, jsonencode(v.lambda), var.schedules[i].name) if !(v == null ? true : v.lambda == null ? true : can(regex(local.patterns.lambda_function_arn, v.lambda)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.sqs == null ? true : can(regex(local.patterns.sqs_queue_arn, v.sqs))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.sqs must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>), got %s (schedule %q).", i, jsonencode(v.sqs), var.schedules[i].name) if !(v == null ? true : v.sqs == null ? true : can(regex(local.patterns.sqs_queue_arn, v.sqs)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.message_group_id == null ? true : can(regex(local.patterns.message_group_id, v.message_group_id))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.message_group_id must be 1-128 printable ASCII characters without spaces, got %s (schedule %q).", i, jsonencode(v.message_group_id), var.schedules[i].name) if !(v == null ? true : v.message_group_id == null ? true : can(regex(local.patterns.message_group_id, v.message_group_id)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.sns == null ? true : can(regex(local.patterns.sns_topic_arn, v.sns))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.sns must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got %s (schedule %q).", i, jsonencode(v.sns), var.schedules[i].name) if !(v == null ? true : v.sns == null ? true : can(regex(local.patterns.sns_topic_arn, v.sns)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.step_functions == null ? true : can(regex(local.patterns.state_machine_arn, v.step_functions))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.step_functions must be a Step Functions state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>), got %s (schedule %q).", i, jsonencode(v.step_functions), var.schedules[i].name) if !(v == null ? true : v.step_functions == null ? true : can(regex(local.patterns.state_machine_arn, v.step_functions)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.event_bus == null ? true : can(regex(local.patterns.event_bus_arn, v.event_bus))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.event_bus must be an EventBridge event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>), got %s (schedule %q).", i, jsonencode(v.event_bus), var.schedules[i].name) if !(v == null ? true : v.event_bus == null ? true : can(regex(local.patterns.event_bus_arn, v.event_bus)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.detail_type == null ? true : length(v.detail_type) > 0])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.detail_type must not be empty (schedule %q).", i, var.schedules[i].name) if !(v == null ? true : v.detail_type == null ? true : length(v.detail_type) > 0)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.detail_type == null ? true : length(v.detail_type) <= 128])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.detail_type must be at most 128 characters, got %s (schedule %q).", i, jsonencode(v.detail_type), var.schedules[i].name) if !(v == null ? true : v.detail_type == null ? true : length(v.detail_type) <= 128)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.source == null ? true : length(v.source) > 0])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.source must not be empty (schedule %q).", i, var.schedules[i].name) if !(v == null ? true : v.source == null ? true : length(v.source) > 0)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.source == null ? true : length(v.source) <= 256])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.source must be at most 256 characters, got %s (schedule %q).", i, jsonencode(v.source), var.schedules[i].name) if !(v == null ? true : v.source == null ? true : length(v.source) <= 256)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.source == null ? true : !startswith(v.source, "aws.")])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.source must not start with \"aws.\" (the sources of AWS services' own events), got %s (schedule %q).", i, jsonencode(v.source), var.schedules[i].name) if !(v == null ? true : v.source == null ? true : !startswith(v.source, "aws."))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].target : v == null ? true : v.kms_key_arn == null ? true : can(regex(local.patterns.kms_key_arn, v.kms_key_arn))])
    error_message = join(" ", [for i, v in var.schedules[*].target : format("schedules[%d].target.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got %s (schedule %q).", i, jsonencode(v.kms_key_arn), var.schedules[i].name) if !(v == null ? true : v.kms_key_arn == null ? true : can(regex(local.patterns.kms_key_arn, v.kms_key_arn)))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].input : v == null ? true : length(v) > 0])
    error_message = join(" ", [for i, v in var.schedules[*].input : format("schedules[%d].input must not be empty (schedule %q).", i, var.schedules[i].name) if !(v == null ? true : length(v) > 0)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].flexible_window_minutes : v == 0 || (floor(v) == v && v >= 1 && v <= 1440)])
    error_message = join(" ", [for i, v in var.schedules[*].flexible_window_minutes : format("schedules[%d].flexible_window_minutes must be 0 (off) or an integer from 1 to 1440, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(v == 0 || (floor(v) == v && v >= 1 && v <= 1440))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].retry.max_attempts : floor(v) == v && v >= 0 && v <= 185])
    error_message = join(" ", [for i, v in var.schedules[*].retry.max_attempts : format("schedules[%d].retry.max_attempts must be an integer from 0 to 185, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(floor(v) == v && v >= 0 && v <= 185)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].retry.max_event_age_seconds : floor(v) == v && v >= 60 && v <= 86400])
    error_message = join(" ", [for i, v in var.schedules[*].retry.max_event_age_seconds : format("schedules[%d].retry.max_event_age_seconds must be an integer from 60 to 86400, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(floor(v) == v && v >= 60 && v <= 86400)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].start_date : v == null ? true : can(regex(local.patterns.rfc3339, v)) && can(timeadd(v, "0s"))])
    error_message = join(" ", [for i, v in var.schedules[*].start_date : format("schedules[%d].start_date must be an RFC 3339 instant such as 2027-01-01T00:00:00Z, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(v == null ? true : can(regex(local.patterns.rfc3339, v)) && can(timeadd(v, "0s")))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].end_date : v == null ? true : can(regex(local.patterns.rfc3339, v)) && can(timeadd(v, "0s"))])
    error_message = join(" ", [for i, v in var.schedules[*].end_date : format("schedules[%d].end_date must be an RFC 3339 instant such as 2027-01-01T00:00:00Z, got %s (schedule %q).", i, jsonencode(v), var.schedules[i].name) if !(v == null ? true : can(regex(local.patterns.rfc3339, v)) && can(timeadd(v, "0s")))])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].exclude : length(v) <= 366])
    error_message = join(" ", [for i, v in var.schedules[*].exclude : format("schedules[%d].exclude must hold at most 366 entries, got %s (schedule %q).", i, length(v), var.schedules[i].name) if !(length(v) <= 366)])
  }

  validation {
    condition     = alltrue(flatten([for s in var.schedules : [for e in s.exclude : can(regex(local.patterns.excluded_date, e))]]))
    error_message = join(" ", flatten([for i, s in var.schedules : [for j, e in s.exclude : format("schedules[%d].exclude[%d] must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got %s (schedule %q).", i, j, jsonencode(e), s.name) if !(can(regex(local.patterns.excluded_date, e)))]]))
  }

  validation {
    condition     = alltrue(flatten([for s in var.schedules : [for e in s.exclude : !can(regex(local.patterns.excluded_date, e)) || alltrue([for day in split("/", e) : can(timeadd("${day}T00:00:00Z", "0s"))])]]))
    error_message = join(" ", flatten([for i, s in var.schedules : [for j, e in s.exclude : format("schedules[%d].exclude[%d] must name real calendar dates, got %s (schedule %q).", i, j, jsonencode(e), s.name) if !(!can(regex(local.patterns.excluded_date, e)) || alltrue([for day in split("/", e) : can(timeadd("${day}T00:00:00Z", "0s"))]))]]))
  }

  validation {
    condition     = alltrue(flatten([for s in var.schedules : [for e in s.exclude : try(timecmp("${split("/", e)[0]}T00:00:00Z", "${split("/", e)[1]}T00:00:00Z") <= 0, true)]]))
    error_message = join(" ", flatten([for i, s in var.schedules : [for j, e in s.exclude : format("schedules[%d].exclude[%d] must be a range that runs forwards, its first day then its last, got %s (schedule %q).", i, j, jsonencode(e), s.name) if !(try(timecmp("${split("/", e)[0]}T00:00:00Z", "${split("/", e)[1]}T00:00:00Z") <= 0, true))]]))
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].missed_run_alarm : v == null ? true : floor(v.period_seconds) == v.period_seconds && v.period_seconds >= 60 && v.period_seconds <= 86400])
    error_message = join(" ", [for i, v in var.schedules[*].missed_run_alarm : format("schedules[%d].missed_run_alarm.period_seconds must be an integer from 60 to 86400, got %s (schedule %q).", i, jsonencode(v.period_seconds), var.schedules[i].name) if !(v == null ? true : floor(v.period_seconds) == v.period_seconds && v.period_seconds >= 60 && v.period_seconds <= 86400)])
  }

  validation {
    condition     = alltrue([for v in var.schedules[*].missed_run_alarm : v == null ? true : floor(v.evaluation_periods) == v.evaluation_periods && v.evaluation_periods >= 1 && v.evaluation_periods <= 10080])
    error_message = join(" ", [for i, v in var.schedules[*].missed_run_alarm : format("schedules[%d].missed_run_alarm.evaluation_periods must be an integer from 1 to 10080, got %s (schedule %q).", i, jsonencode(v.evaluation_periods), var.schedules[i].name) if !(v == null ? true : floor(v.evaluation_periods) == v.evaluation_periods && v.evaluation_periods >= 1 && v.evaluation_periods <= 10080)])
  }

  validation {
    condition = length(distinct(var.schedules[*].name)) == length(var.schedules)
    error_message = join("; ", [
      for i, schedule in var.schedules : format(
        "schedules[%d].name duplicates schedules[%d].name %q; names must be unique in the schedule group",
        i, index(var.schedules[*].name, schedule.name), schedule.name
      ) if index(var.schedules[*].name, schedule.name) != i
    ])
  }

  validation {
    condition = alltrue([for s in var.schedules : (s.task == null) != (s.target == null)])
    error_message = join("; ", [
      for i, s in var.schedules : format(s.task == null ? local.task_required : local.task_and_target, i, s.name)
      if(s.task == null) == (s.target == null)
    ])
  }

  validation {
    condition = alltrue([for s in var.schedules : s.task == null || try(contains(concat(local.built_in_tasks, keys(var.tasks)), s.task), true)])
    error_message = join(" ", [
      for i, s in var.schedules : format(local.unknown_task, i, coalesce(join(", ", keys(var.tasks)), "none"), jsonencode(s.task), s.name)
      if s.task != null && !try(contains(concat(local.built_in_tasks, keys(var.tasks)), s.task), true)
    ])
  }

  validation {
    condition = alltrue([for s in var.schedules : s.input == null || s.task == null || s.target != null])
    error_message = join("; ", [
      for i, s in var.schedules : format(local.input_with_task, i, s.name) if s.input != null && s.task != null && s.target == null
    ])
  }

  validation {
    condition = alltrue([
      for s in var.schedules : s.target == null ? true : (
        length(s.exclude) == 0 && s.missed_run_alarm == null && s.payload_json == null &&
        alltrue([for v in values(s.payload) : v == null])
      )
    ])
    error_message = join("; ", flatten([for i, s in var.schedules : [
      for f, given in {
        payload          = anytrue([for v in values(s.payload) : v != null]), exclude = length(s.exclude) > 0
        missed_run_alarm = s.missed_run_alarm != null, payload_json = s.payload_json != null
      } : format(local.task_only_message, i, f, local.task_only[f], s.name) if given
    ] if s.target != null]))
  }

  validation {
    condition = alltrue(flatten([
      for s in var.schedules : [
        for field, tasks in local.payload_tasks : s.task == null ? true : s.payload[field] == null || contains(tasks, s.task)
      ]
    ]))
    error_message = join("; ", flatten([
      for i, s in var.schedules : [
        for field, tasks in local.payload_tasks : format(
          "schedules[%d].payload.%s is not a field of task %s (schedule %q); it belongs to %s", i, field, s.task, s.name, join(", ", tasks)
        ) if s.task == null ? false : s.payload[field] != null && !contains(tasks, s.task)
      ]
    ]))
  }

  validation {
    condition = alltrue([for s in var.schedules : s.payload_json == null || !contains(local.built_in_tasks, s.task == null ? "" : s.task)])
    error_message = join("; ", [
      for i, s in var.schedules : format(local.payload_json_of_built_in, i, s.name)
      if s.payload_json != null && contains(local.built_in_tasks, s.task == null ? "" : s.task)
    ])
  }

  validation {
    condition = alltrue([for s in var.schedules : s.payload_json == null || can(keys(jsondecode(s.payload_json)))])
    error_message = join(" ", [
      for i, s in var.schedules : format(local.payload_json_object, i, jsonencode(s.payload_json), s.name)
      if s.payload_json != null && !can(keys(jsondecode(s.payload_json)))
    ])
  }

  validation {
    condition = alltrue([
      for s in var.schedules : s.target == null ? true : length([for k in local.target_kinds : k if s.target[k] != null]) == 1
    ])
    error_message = join("; ", [
      for i, s in var.schedules : format(
        "schedules[%d].target must name one of %s, got %s (schedule %q)", i, join(", ", local.target_kinds),
        coalesce(join(" and ", [for k in local.target_kinds : k if s.target[k] != null]), "none"), s.name
      ) if s.target == null ? false : length([for k in local.target_kinds : k if s.target[k] != null]) != 1
    ])
  }

  validation {
    condition = alltrue(flatten([
      for s in var.schedules : [
        for p, kinds in local.target_parameters : s.target[p] == null || anytrue([for k in kinds : s.target[k] != null])
      ] if s.target != null
    ]))
    error_message = join("; ", flatten([
      for i, s in var.schedules : [
        for p, kinds in local.target_parameters : format(
          "schedules[%d].target.%s is only for a target of %s (schedule %q)", i, p, join(" or ", kinds), s.name
        ) if s.target[p] != null && !anytrue([for k in kinds : s.target[k] != null])
      ] if s.target != null
    ]))
  }

  validation {
    condition = alltrue(flatten([
      for s in var.schedules : [for k, ps in local.target_required : [for p in ps : s.target[k] == null || s.target[p] != null]]
      if s.target != null
    ]))
    error_message = join("; ", flatten([
      for i, s in var.schedules : [for k, ps in local.target_required : [
        for p in ps : format("schedules[%d].target.%s is required with %s (schedule %q)", i, p, k, s.name)
        if s.target[k] != null && s.target[p] == null
      ]] if s.target != null
    ]))
  }

  validation {
    condition = alltrue([
      for s in var.schedules : try(s.target.sqs, null) == null ? true
      : endswith(s.target.sqs, ".fifo") == (s.target.message_group_id != null)
    ])
    error_message = join("; ", [
      for i, s in var.schedules : format(
        endswith(s.target.sqs, ".fifo") ? local.fifo_needs_group : local.standard_takes_no_group, i, s.name
      ) if try(s.target.sqs, null) == null ? false : endswith(s.target.sqs, ".fifo") != (s.target.message_group_id != null)
    ])
  }

  validation {
    condition = alltrue([
      for s in var.schedules : can(jsondecode(replace(s.input, local.context_attribute, "0")))
      if s.target == null || s.input == null ? false : anytrue([for k in local.json_input_kinds : s.target[k] != null])
    ])
    error_message = join("; ", [
      for i, s in var.schedules : format(local.input_not_json, i, s.name)
      if s.target == null || s.input == null ? false : anytrue([for k in local.json_input_kinds : s.target[k] != null])
      && !can(jsondecode(replace(s.input, local.context_attribute, "0")))
    ])
  }

  validation {
    condition = alltrue([
      for s in var.schedules : !can(jsondecode(replace(s.input, local.context_attribute, "0")))
      || can(keys(jsondecode(replace(s.input, local.context_attribute, "0")))) if try(s.target.event_bus, null) != null && s.input != null
    ])
    error_message = join("; ", [
      for i, s in var.schedules : format(local.input_not_object, i, s.name) if try(s.target.event_bus, null) != null && s.input != null
      ? can(jsondecode(replace(s.input, local.context_attribute, "0")))
      && !can(keys(jsondecode(replace(s.input, local.context_attribute, "0"))))
      : false
    ])
  }

  validation {
    condition = alltrue([
      for s in var.schedules : !can(timecmp(s.end_date, s.start_date)) ? true : timecmp(s.end_date, s.start_date) > 0
    ])
    error_message = join("; ", [
      for i, s in var.schedules : format(
        "schedules[%d].end_date must be after start_date (%s), got %s (schedule %q)", i, s.start_date, s.end_date, s.name
      ) if can(timecmp(s.end_date, s.start_date)) ? timecmp(s.end_date, s.start_date) <= 0 : false
    ])
  }
}

variable "tasks" {
  description = "The environment's own tasks, by name (what schedules name in `task`): each runs in a Lambda function of its own with the run protocol's guarantees (docs/own-tasks.md), granted the protocol's areas and exactly the prefixes it declares."
  type = map(object({
    zip                = string
    reads              = optional(list(string), [])
    writes             = optional(list(string), [])
    memory_mb          = optional(number)
    timeout_seconds    = optional(number)
    log_retention_days = optional(number)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for key, value in var.tasks : can(regex("^[a-z][a-z0-9_-]{0,31}$", key))])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q] must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got %s.", key, jsonencode(key)) if !(can(regex("^[a-z][a-z0-9_-]{0,31}$", key)))])
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : !contains(["report", "data_processing", "notification"], key)])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q] must not be a built-in task's name (report, data_processing, notification), got %s.", key, jsonencode(key)) if !(!contains(["report", "data_processing", "notification"], key))])
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : length(value.zip) > 0])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].zip must not be empty.", key) if !(length(value.zip) > 0)])
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : fileexists(value.zip)])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].zip must name a file that exists (build it first: npx scheduled-task-processing bundle <entry> --out <zip>), got %s.", key, jsonencode(value.zip)) if !(fileexists(value.zip))])
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : length(distinct(value.reads)) == length(value.reads)])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].reads must not repeat an item, got %s.", key, jsonencode(value.reads)) if !(length(distinct(value.reads)) == length(value.reads))])
  }

  validation {
    condition     = alltrue(flatten([for key, value in var.tasks : [for p in value.reads : can(regex("^[^/].*/$", p)) && !contains(split("/", trimsuffix(p, "/")), "") && !contains(split("/", p), "..")]]))
    error_message = join(" ", flatten([for key, value in var.tasks : [for i, p in value.reads : format("tasks[%q].reads[%d] must be a key prefix ending in / (no leading /, no empty or .. segment), got %s.", key, i, jsonencode(p)) if !(can(regex("^[^/].*/$", p)) && !contains(split("/", trimsuffix(p, "/")), "") && !contains(split("/", p), ".."))]]))
  }

  validation {
    condition     = alltrue(flatten([for key, value in var.tasks : [for p in value.reads : !anytrue([for area in local.product_areas : startswith(p, area) || startswith(area, p)])]]))
    error_message = join(" ", flatten([for key, value in var.tasks : [for i, p in value.reads : format("tasks[%q].reads[%d] must not overlap the areas the product keeps for itself (incoming/, processed/, quarantine/, archive/, claims/, runs/, reports/, failed/), got %s.", key, i, jsonencode(p)) if !(!anytrue([for area in local.product_areas : startswith(p, area) || startswith(area, p)]))]]))
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : length(distinct(value.writes)) == length(value.writes)])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].writes must not repeat an item, got %s.", key, jsonencode(value.writes)) if !(length(distinct(value.writes)) == length(value.writes))])
  }

  validation {
    condition     = alltrue(flatten([for key, value in var.tasks : [for p in value.writes : can(regex("^[^/].*/$", p)) && !contains(split("/", trimsuffix(p, "/")), "") && !contains(split("/", p), "..")]]))
    error_message = join(" ", flatten([for key, value in var.tasks : [for i, p in value.writes : format("tasks[%q].writes[%d] must be a key prefix ending in / (no leading /, no empty or .. segment), got %s.", key, i, jsonencode(p)) if !(can(regex("^[^/].*/$", p)) && !contains(split("/", trimsuffix(p, "/")), "") && !contains(split("/", p), ".."))]]))
  }

  validation {
    condition     = alltrue(flatten([for key, value in var.tasks : [for p in value.writes : !anytrue([for area in local.product_areas : startswith(p, area) || startswith(area, p)])]]))
    error_message = join(" ", flatten([for key, value in var.tasks : [for i, p in value.writes : format("tasks[%q].writes[%d] must not overlap the areas the product keeps for itself (incoming/, processed/, quarantine/, archive/, claims/, runs/, reports/, failed/), got %s.", key, i, jsonencode(p)) if !(!anytrue([for area in local.product_areas : startswith(p, area) || startswith(area, p)]))]]))
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : value.memory_mb == null ? true : floor(value.memory_mb) == value.memory_mb && value.memory_mb >= 128 && value.memory_mb <= 10240])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].memory_mb must be an integer from 128 to 10240, got %s.", key, jsonencode(value.memory_mb)) if !(value.memory_mb == null ? true : floor(value.memory_mb) == value.memory_mb && value.memory_mb >= 128 && value.memory_mb <= 10240)])
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : value.timeout_seconds == null ? true : floor(value.timeout_seconds) == value.timeout_seconds && value.timeout_seconds >= 1 && value.timeout_seconds <= 900])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].timeout_seconds must be an integer from 1 to 900, got %s.", key, jsonencode(value.timeout_seconds)) if !(value.timeout_seconds == null ? true : floor(value.timeout_seconds) == value.timeout_seconds && value.timeout_seconds >= 1 && value.timeout_seconds <= 900)])
  }

  validation {
    condition     = alltrue([for key, value in var.tasks : value.log_retention_days == null ? true : contains(local.one_of.tasks_log_retention_days, value.log_retention_days)])
    error_message = join(" ", [for key, value in var.tasks : format("tasks[%q].log_retention_days must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got %s.", key, jsonencode(value.log_retention_days)) if !(value.log_retention_days == null ? true : contains(local.one_of.tasks_log_retention_days, value.log_retention_days))])
  }

  validation {
    condition = alltrue(flatten([for name, t in var.tasks : [for r in t.reads : [for w in t.writes : !startswith(r, w) && !startswith(w, r)]]]))
    error_message = join(" ", flatten([for name, t in var.tasks : [for r, read in t.reads : [
      for w, write in t.writes : format(local.task_writes_its_reads, name, w, r, read, write)
      if startswith(read, write) || startswith(write, read)
    ]]]))
  }

  validation {
    condition = alltrue(flatten([
      for x, a in keys(var.tasks) : [for y, b in keys(var.tasks) : [
        for ra in var.tasks[a].reads : [for rb in var.tasks[b].reads : y <= x || !(startswith(ra, rb) || startswith(rb, ra))]
      ]]
    ]))
    error_message = join(" ", flatten([for x, a in keys(var.tasks) : [for y, b in keys(var.tasks) : [for i, ra in var.tasks[a].reads : [
      for j, rb in var.tasks[b].reads : format(local.tasks_read_twice, b, j, a, i, ra, rb)
      if x < y && (startswith(ra, rb) || startswith(rb, ra))
    ]]]]))
  }

  validation {
    condition = alltrue([
      for name in keys(var.tasks) : length("${var.project_name}-${var.environment}-task-${name}") <= 64
    ])
    error_message = join(" ", [for f in [for name in keys(var.tasks) : [name, "${var.project_name}-${var.environment}-task-${name}"]] :
      format(local.task_function_name_too_long, f[0], f[1], length(f[1])) if length(f[1]) > 64
    ])
  }
}

variable "notifications" {
  description = "Who receives task notices (successes and failures)."
  type = object({
    email = optional(list(string), [])
    sms   = optional(list(string), [])
    https = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for a in var.notifications.email : can(regex(local.patterns.email, a))])
    error_message = join(" ", [for i, a in var.notifications.email : format("notifications.email[%d] must be an email address, got %s.", i, jsonencode(a)) if !(can(regex(local.patterns.email, a)))])
  }

  validation {
    condition     = alltrue([for n in var.notifications.sms : can(regex(local.patterns.e164, n))])
    error_message = join(" ", [for i, n in var.notifications.sms : format("notifications.sms[%d] must be an E.164 phone number such as +15555550100, got %s.", i, jsonencode(n)) if !(can(regex(local.patterns.e164, n)))])
  }

  validation {
    condition     = alltrue([for u in var.notifications.https : can(regex(local.patterns.https_url, u))])
    error_message = join(" ", [for i, u in var.notifications.https : format("notifications.https[%d] must be an https:// URL, got %s.", i, jsonencode(u)) if !(can(regex(local.patterns.https_url, u)))])
  }
}

variable "operations" {
  description = "Who receives alarms (on-call)."
  type = object({
    email = optional(list(string), [])
    sms   = optional(list(string), [])
    https = optional(list(string), [])
  })
  default = null

  validation {
    condition     = alltrue([for a in(var.operations == null ? [] : var.operations.email) : can(regex(local.patterns.email, a))])
    error_message = join(" ", [for i, a in(var.operations == null ? [] : var.operations.email) : format("operations.email[%d] must be an email address, got %s.", i, jsonencode(a)) if !(can(regex(local.patterns.email, a)))])
  }

  validation {
    condition     = alltrue([for n in(var.operations == null ? [] : var.operations.sms) : can(regex(local.patterns.e164, n))])
    error_message = join(" ", [for i, n in(var.operations == null ? [] : var.operations.sms) : format("operations.sms[%d] must be an E.164 phone number such as +15555550100, got %s.", i, jsonencode(n)) if !(can(regex(local.patterns.e164, n)))])
  }

  validation {
    condition     = alltrue([for u in(var.operations == null ? [] : var.operations.https) : can(regex(local.patterns.https_url, u))])
    error_message = join(" ", [for i, u in(var.operations == null ? [] : var.operations.https) : format("operations.https[%d] must be an https:// URL, got %s.", i, jsonencode(u)) if !(can(regex(local.patterns.https_url, u)))])
  }
}

variable "processor" {
  description = "The processor Lambda function, and the runtime, log level and tracing of all three functions."
  type = object({
    memory_mb          = optional(number, 512)
    timeout_seconds    = optional(number, 300)
    log_retention_days = optional(number, 30)
    async_retries      = optional(number, 2)
    concurrency        = optional(number, 16)
    runtime            = optional(string, "nodejs22.x")
    log_level          = optional(string, "INFO")
    tracing            = optional(bool, false)
  })
  default  = {}
  nullable = false

  validation {
    condition     = floor(var.processor.memory_mb) == var.processor.memory_mb && var.processor.memory_mb >= 128 && var.processor.memory_mb <= 10240
    error_message = format("processor.memory_mb must be an integer from 128 to 10240, got %s.", jsonencode(var.processor.memory_mb))
  }

  validation {
    condition     = floor(var.processor.timeout_seconds) == var.processor.timeout_seconds && var.processor.timeout_seconds >= 1 && var.processor.timeout_seconds <= 900
    error_message = format("processor.timeout_seconds must be an integer from 1 to 900, got %s.", jsonencode(var.processor.timeout_seconds))
  }

  validation {
    condition     = contains(local.one_of.processor_log_retention_days, var.processor.log_retention_days)
    error_message = format("processor.log_retention_days must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got %s.", jsonencode(var.processor.log_retention_days))
  }

  validation {
    condition     = floor(var.processor.async_retries) == var.processor.async_retries && var.processor.async_retries >= 0 && var.processor.async_retries <= 2
    error_message = format("processor.async_retries must be an integer from 0 to 2, got %s.", jsonencode(var.processor.async_retries))
  }

  validation {
    condition     = floor(var.processor.concurrency) == var.processor.concurrency && var.processor.concurrency >= 1 && var.processor.concurrency <= 64
    error_message = format("processor.concurrency must be an integer from 1 to 64, got %s.", jsonencode(var.processor.concurrency))
  }

  validation {
    condition     = contains(concat(["nodejs22.x", "nodejs24.x"], keys(local.refused.processor_runtime)), var.processor.runtime)
    error_message = format("processor.runtime must be one of nodejs22.x, nodejs24.x, got %s.", jsonencode(var.processor.runtime))
  }

  validation {
    condition     = !contains(keys(local.refused.processor_runtime), var.processor.runtime)
    error_message = format("processor.runtime %s.", lookup(local.refused.processor_runtime, var.processor.runtime, ""))
  }

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.processor.log_level)
    error_message = format("processor.log_level must be one of DEBUG, INFO, WARN, ERROR, got %s.", jsonencode(var.processor.log_level))
  }
}

variable "storage" {
  description = "The task bucket: its encryption and how long it keeps old versions and incomplete uploads."
  type = object({
    bucket_name                            = optional(string)
    kms_key_arn                            = optional(string)
    noncurrent_version_expiration_days     = optional(number, 30)
    abort_incomplete_multipart_upload_days = optional(number, 7)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.storage.bucket_name == null ? true : can(regex(local.patterns.s3_bucket_name, var.storage.bucket_name))
    error_message = format("storage.bucket_name must be an S3 bucket name, got %s.", jsonencode(var.storage.bucket_name))
  }

  validation {
    condition     = var.storage.kms_key_arn == null ? true : can(regex(local.patterns.kms_key_arn, var.storage.kms_key_arn))
    error_message = format("storage.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got %s.", jsonencode(var.storage.kms_key_arn))
  }

  validation {
    condition     = floor(var.storage.noncurrent_version_expiration_days) == var.storage.noncurrent_version_expiration_days && var.storage.noncurrent_version_expiration_days >= 1 && var.storage.noncurrent_version_expiration_days <= 3650
    error_message = format("storage.noncurrent_version_expiration_days must be an integer from 1 to 3650, got %s.", jsonencode(var.storage.noncurrent_version_expiration_days))
  }

  validation {
    condition     = floor(var.storage.abort_incomplete_multipart_upload_days) == var.storage.abort_incomplete_multipart_upload_days && var.storage.abort_incomplete_multipart_upload_days >= 1 && var.storage.abort_incomplete_multipart_upload_days <= 365
    error_message = format("storage.abort_incomplete_multipart_upload_days must be an integer from 1 to 365, got %s.", jsonencode(var.storage.abort_incomplete_multipart_upload_days))
  }
}

variable "alarms" {
  description = "When the alarms go off. Strict by default: one error, throttle, failed event or Scheduler problem is worth a look."
  type = object({
    processor_errors                = optional(number, 1)
    processor_throttles             = optional(number, 1)
    duration_percent_of_timeout     = optional(number, 80)
    dead_letter_messages            = optional(number, 1)
    scheduler_target_errors         = optional(number, 1)
    scheduler_dropped_invocations   = optional(number, 1)
    scheduler_throttled_invocations = optional(number, 1)
    work_queue_age_seconds          = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = floor(var.alarms.processor_errors) == var.alarms.processor_errors && var.alarms.processor_errors >= 1 && var.alarms.processor_errors <= 1000
    error_message = format("alarms.processor_errors must be an integer from 1 to 1000, got %s.", jsonencode(var.alarms.processor_errors))
  }

  validation {
    condition     = floor(var.alarms.processor_throttles) == var.alarms.processor_throttles && var.alarms.processor_throttles >= 1 && var.alarms.processor_throttles <= 1000
    error_message = format("alarms.processor_throttles must be an integer from 1 to 1000, got %s.", jsonencode(var.alarms.processor_throttles))
  }

  validation {
    condition     = floor(var.alarms.duration_percent_of_timeout) == var.alarms.duration_percent_of_timeout && var.alarms.duration_percent_of_timeout >= 10 && var.alarms.duration_percent_of_timeout <= 100
    error_message = format("alarms.duration_percent_of_timeout must be an integer from 10 to 100, got %s.", jsonencode(var.alarms.duration_percent_of_timeout))
  }

  validation {
    condition     = floor(var.alarms.dead_letter_messages) == var.alarms.dead_letter_messages && var.alarms.dead_letter_messages >= 1 && var.alarms.dead_letter_messages <= 1000
    error_message = format("alarms.dead_letter_messages must be an integer from 1 to 1000, got %s.", jsonencode(var.alarms.dead_letter_messages))
  }

  validation {
    condition     = floor(var.alarms.scheduler_target_errors) == var.alarms.scheduler_target_errors && var.alarms.scheduler_target_errors >= 1 && var.alarms.scheduler_target_errors <= 1000
    error_message = format("alarms.scheduler_target_errors must be an integer from 1 to 1000, got %s.", jsonencode(var.alarms.scheduler_target_errors))
  }

  validation {
    condition     = floor(var.alarms.scheduler_dropped_invocations) == var.alarms.scheduler_dropped_invocations && var.alarms.scheduler_dropped_invocations >= 1 && var.alarms.scheduler_dropped_invocations <= 1000
    error_message = format("alarms.scheduler_dropped_invocations must be an integer from 1 to 1000, got %s.", jsonencode(var.alarms.scheduler_dropped_invocations))
  }

  validation {
    condition     = floor(var.alarms.scheduler_throttled_invocations) == var.alarms.scheduler_throttled_invocations && var.alarms.scheduler_throttled_invocations >= 1 && var.alarms.scheduler_throttled_invocations <= 1000
    error_message = format("alarms.scheduler_throttled_invocations must be an integer from 1 to 1000, got %s.", jsonencode(var.alarms.scheduler_throttled_invocations))
  }

  validation {
    condition     = floor(var.alarms.work_queue_age_seconds) == var.alarms.work_queue_age_seconds && var.alarms.work_queue_age_seconds >= 60 && var.alarms.work_queue_age_seconds <= 1209600
    error_message = format("alarms.work_queue_age_seconds must be an integer from 60 to 1209600, got %s.", jsonencode(var.alarms.work_queue_age_seconds))
  }
}

variable "schedule_api" {
  description = "The one-time scheduling API: how Scheduler retries the schedules it creates."
  type = object({
    retry = optional(object({
      max_attempts          = optional(number, 3)
      max_event_age_seconds = optional(number, 3600)
    }), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = floor(var.schedule_api.retry.max_attempts) == var.schedule_api.retry.max_attempts && var.schedule_api.retry.max_attempts >= 0 && var.schedule_api.retry.max_attempts <= 185
    error_message = format("schedule_api.retry.max_attempts must be an integer from 0 to 185, got %s.", jsonencode(var.schedule_api.retry.max_attempts))
  }

  validation {
    condition     = floor(var.schedule_api.retry.max_event_age_seconds) == var.schedule_api.retry.max_event_age_seconds && var.schedule_api.retry.max_event_age_seconds >= 60 && var.schedule_api.retry.max_event_age_seconds <= 86400
    error_message = format("schedule_api.retry.max_event_age_seconds must be an integer from 60 to 86400, got %s.", jsonencode(var.schedule_api.retry.max_event_age_seconds))
  }
}

variable "fan_out" {
  description = "Spreading a large run over the work queue, worked by several processor invocations at once."
  type = object({
    max_concurrency        = optional(number, 5)
    max_receive_count      = optional(number, 5)
    sources_per_invocation = optional(number)
    bytes_per_invocation   = optional(number)
  })
  default  = {}
  nullable = false

  validation {
    condition     = floor(var.fan_out.max_concurrency) == var.fan_out.max_concurrency && var.fan_out.max_concurrency >= 2 && var.fan_out.max_concurrency <= 1000
    error_message = format("fan_out.max_concurrency must be an integer from 2 to 1000, got %s.", jsonencode(var.fan_out.max_concurrency))
  }

  validation {
    condition     = floor(var.fan_out.max_receive_count) == var.fan_out.max_receive_count && var.fan_out.max_receive_count >= 1 && var.fan_out.max_receive_count <= 1000
    error_message = format("fan_out.max_receive_count must be an integer from 1 to 1000, got %s.", jsonencode(var.fan_out.max_receive_count))
  }

  validation {
    condition     = var.fan_out.sources_per_invocation == null ? true : floor(var.fan_out.sources_per_invocation) == var.fan_out.sources_per_invocation && var.fan_out.sources_per_invocation >= 1 && var.fan_out.sources_per_invocation <= 1000000
    error_message = format("fan_out.sources_per_invocation must be an integer from 1 to 1000000, got %s.", jsonencode(var.fan_out.sources_per_invocation))
  }

  validation {
    condition     = var.fan_out.bytes_per_invocation == null ? true : floor(var.fan_out.bytes_per_invocation) == var.fan_out.bytes_per_invocation && var.fan_out.bytes_per_invocation >= 1048576 && var.fan_out.bytes_per_invocation <= 1099511627776
    error_message = format("fan_out.bytes_per_invocation must be an integer from 1048576 to 1099511627776, got %s.", jsonencode(var.fan_out.bytes_per_invocation))
  }
}

variable "adopt" {
  description = "Existing resources to use as they are instead of creating them (their owners keep their settings and policies). To bring one under the module instead, leave it out here and add an `import` block in your root."
  type = object({
    existing_bucket_name            = optional(string)
    existing_notification_topic_arn = optional(string)
    existing_operations_key_arn     = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.adopt.existing_bucket_name == null ? true : can(regex(local.patterns.s3_bucket_name, var.adopt.existing_bucket_name))
    error_message = format("adopt.existing_bucket_name must be an S3 bucket name, got %s.", jsonencode(var.adopt.existing_bucket_name))
  }

  validation {
    condition     = var.adopt.existing_notification_topic_arn == null ? true : can(regex(local.patterns.sns_topic_arn, var.adopt.existing_notification_topic_arn))
    error_message = format("adopt.existing_notification_topic_arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got %s.", jsonencode(var.adopt.existing_notification_topic_arn))
  }

  validation {
    condition     = var.adopt.existing_operations_key_arn == null ? true : can(regex(local.patterns.kms_key_arn, var.adopt.existing_operations_key_arn))
    error_message = format("adopt.existing_operations_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got %s.", jsonencode(var.adopt.existing_operations_key_arn))
  }
}

variable "access" {
  description = "Who else writes data in and reads results. Principals in other accounts are let in by the bucket policy; those in this account get a managed policy each to attach."
  type = object({
    organization_id = optional(string)
    producers = optional(list(object({
      name        = string
      principals  = list(string)
      prefix      = string
      require_kms = optional(bool, false)
    })), [])
    readers = optional(list(object({
      name       = string
      principals = list(string)
      prefixes   = list(string)
    })), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.access.organization_id == null ? true : can(regex(local.patterns.organization_id, var.access.organization_id))
    error_message = format("access.organization_id must be an AWS Organizations id such as o-a1b2c3d4e5, got %s.", jsonencode(var.access.organization_id))
  }

  validation {
    condition     = alltrue([for v in var.access.producers[*].name : can(regex(local.patterns.access_name, v))])
    error_message = join(" ", [for i, v in var.access.producers[*].name : format("access.producers[%d].name must start with a lower-case letter and hold only a-z 0-9 -, at most 32, got %s (producer %q).", i, jsonencode(v), var.access.producers[i].name) if !(can(regex(local.patterns.access_name, v)))])
  }

  validation {
    condition     = alltrue([for v in var.access.producers[*].principals : length(v) >= 1])
    error_message = join(" ", [for i, v in var.access.producers[*].principals : format("access.producers[%d].principals must name at least one principal (producer %q).", i, var.access.producers[i].name) if !(length(v) >= 1)])
  }

  validation {
    condition     = alltrue(flatten([for p in var.access.producers : [for pr in p.principals : can(regex(local.patterns.principal_arn, pr))]]))
    error_message = join(" ", flatten([for i, p in var.access.producers : [for j, pr in p.principals : format("access.producers[%d].principals[%d] must be an IAM role, user or account-root ARN (arn:aws:iam::<account>:role/<name>, :user/<name> or :root), got %s (producer %q).", i, j, jsonencode(pr), p.name) if !(can(regex(local.patterns.principal_arn, pr)))]]))
  }

  validation {
    condition     = alltrue([for v in var.access.producers[*].prefix : can(regex(local.patterns.producer_prefix, v))])
    error_message = join(" ", [for i, v in var.access.producers[*].prefix : format("access.producers[%d].prefix must be a relative folder such as \"partner-a/\" (segments of A-Z a-z 0-9 _ . ! * ' ( ) -, none starting with \".\"), ending in \"/\", got %s (producer %q).", i, jsonencode(v), var.access.producers[i].name) if !(can(regex(local.patterns.producer_prefix, v)))])
  }

  validation {
    condition     = alltrue([for v in var.access.readers[*].name : can(regex(local.patterns.access_name, v))])
    error_message = join(" ", [for i, v in var.access.readers[*].name : format("access.readers[%d].name must start with a lower-case letter and hold only a-z 0-9 -, at most 32, got %s (reader %q).", i, jsonencode(v), var.access.readers[i].name) if !(can(regex(local.patterns.access_name, v)))])
  }

  validation {
    condition     = alltrue([for v in var.access.readers[*].principals : length(v) >= 1])
    error_message = join(" ", [for i, v in var.access.readers[*].principals : format("access.readers[%d].principals must name at least one principal (reader %q).", i, var.access.readers[i].name) if !(length(v) >= 1)])
  }

  validation {
    condition     = alltrue(flatten([for r in var.access.readers : [for p in r.principals : can(regex(local.patterns.principal_arn, p))]]))
    error_message = join(" ", flatten([for i, r in var.access.readers : [for j, p in r.principals : format("access.readers[%d].principals[%d] must be an IAM role, user or account-root ARN (arn:aws:iam::<account>:role/<name>, :user/<name> or :root), got %s (reader %q).", i, j, jsonencode(p), r.name) if !(can(regex(local.patterns.principal_arn, p)))]]))
  }

  validation {
    condition     = alltrue([for v in var.access.readers[*].prefixes : length(v) >= 1])
    error_message = join(" ", [for i, v in var.access.readers[*].prefixes : format("access.readers[%d].prefixes must name at least one prefix (reader %q).", i, var.access.readers[i].name) if !(length(v) >= 1)])
  }

  validation {
    condition     = alltrue([for v in var.access.readers[*].prefixes : length(distinct(v)) == length(v)])
    error_message = join(" ", [for i, v in var.access.readers[*].prefixes : format("access.readers[%d].prefixes must not repeat an item, got %s (reader %q).", i, jsonencode(v), var.access.readers[i].name) if !(length(distinct(v)) == length(v))])
  }

  validation {
    condition     = alltrue(flatten([for r in var.access.readers : [for p in r.prefixes : contains(["processed/", "quarantine/", "reports/", "archive/"], p)]]))
    error_message = join(" ", flatten([for i, r in var.access.readers : [for j, p in r.prefixes : format("access.readers[%d].prefixes[%d] must be one of processed/, quarantine/, reports/, archive/, got %s (reader %q).", i, j, jsonencode(p), r.name) if !(contains(["processed/", "quarantine/", "reports/", "archive/"], p))]]))
  }

  validation {
    condition = length(distinct(concat(var.access.producers[*].name, var.access.readers[*].name))) == (
      length(var.access.producers) + length(var.access.readers)
    )
    error_message = format(
      "access names must be unique among producers and readers; repeated: %s.",
      join(", ", distinct([
        for name in concat(var.access.producers[*].name, var.access.readers[*].name) : name
        if length([for other in concat(var.access.producers[*].name, var.access.readers[*].name) : other if other == name]) > 1
      ]))
    )
  }

  validation {
    condition = var.adopt.existing_bucket_name == null || alltrue([
      for a in flatten(concat(var.access.producers[*].principals, var.access.readers[*].principals)) :
      var.account_id == null ? false : try(split(":", a)[4] == var.account_id, false)
    ])
    error_message = format(
      "access principals in another account need the bucket policy, which the module does not manage for %s (%s); %s",
      "adopt.existing_bucket_name", jsonencode(var.adopt.existing_bucket_name),
      "set account_id, and grant those principals through the bucket's own policy instead"
    )
  }

  validation {
    condition = var.storage.kms_key_arn != null || alltrue([for p in var.access.producers : !p.require_kms])
    error_message = join("; ", [
      for i, p in var.access.producers : format(
        "access.producers[%d].require_kms needs storage.kms_key_arn: uploads can only be required to use the bucket's key if it has one", i
      ) if p.require_kms && var.storage.kms_key_arn == null
    ])
  }

  validation {
    condition = alltrue(flatten([
      for i, a in var.access.producers : [
        for j, b in var.access.producers : j >= i || !(startswith(a.prefix, b.prefix) || startswith(b.prefix, a.prefix))
      ]
    ]))
    error_message = join("; ", flatten([
      for i, a in var.access.producers : [
        for j, b in var.access.producers : format(
          "access.producers[%d].prefix %q and access.producers[%d].prefix %q share or nest; producers' prefixes never do",
          i, a.prefix, j, b.prefix
        ) if j < i && (startswith(a.prefix, b.prefix) || startswith(b.prefix, a.prefix))
      ]
    ]))
  }
}

variable "waivers" {
  description = "Accepted exceptions to the security rules, each with its reason; read by `npm run review`, not by Terraform."
  type = list(object({
    rule     = string
    resource = optional(string)
    reason   = string
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for v in var.waivers[*].rule : contains(local.one_of.waivers_rule, v)])
    error_message = join(" ", [for i, v in var.waivers[*].rule : format("waivers[%d].rule must be a security rule id such as S3-01 (validations.tf lists them), got %s (waiver %q).", i, jsonencode(v), var.waivers[i].rule) if !(contains(local.one_of.waivers_rule, v))])
  }

  validation {
    condition     = alltrue([for v in var.waivers[*].resource : v == null ? true : length(v) > 0])
    error_message = join(" ", [for i, v in var.waivers[*].resource : format("waivers[%d].resource must not be empty (waiver %q).", i, var.waivers[i].rule) if !(v == null ? true : length(v) > 0)])
  }

  validation {
    condition     = alltrue([for v in var.waivers[*].reason : length(trimspace(v)) >= 10])
    error_message = join(" ", [for i, v in var.waivers[*].reason : format("waivers[%d].reason must explain the exception (10 characters or more) (waiver %q).", i, var.waivers[i].rule) if !(length(trimspace(v)) >= 10)])
  }
}
