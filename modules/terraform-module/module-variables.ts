import { CRON_FIELD_PATTERNS } from "../../core/schedule-expression/cron-field-patterns";
import { IANA_TIME_ZONES } from "../../core/schedule-expression/iana-time-zones";
import { TASK_TYPES } from "../../core/task-types";
import { LOG_RETENTION_DAYS } from "../config/schema";
import { MODULE_DEFAULTS } from "./module-defaults";

const { processor, storage, alarms, fanOut, scheduleApiRetry, schedule } = MODULE_DEFAULTS;

/** One input variable of the Terraform module: its HCL type, default, description and checks. */
export interface ModuleVariable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** JSON default; omitted when the input is required. */
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly validations: ReadonlyArray<{ readonly condition: string; readonly message: string }>;
}

/**
 * An HCL check over every element of a list: `condition` holds for each, and the message lists
 * the elements it fails for, by `label` (a schedule's name, say).
 */
function eachHolds(list: string, item: string, condition: string, label: string, message: string) {
  return {
    condition: `alltrue([for ${item} in ${list} : ${condition}])`,
    message: `${message}: \${join(", ", [for ${item} in ${list} : ${label} if !(${condition})])}.`,
  };
}

const SCHEDULES = "var.schedules";
const RATE = String.raw`^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$`;
const CRON = String.raw`^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$`;
const AT = String.raw`^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$`;
const hclString = (text: string) => JSON.stringify(text);

/** `rate(N unit)`: N ≥ 1, singular unit only with 1. */
const validRate = `can(regex(${hclString(RATE)}, s.expression)) && try(tonumber(regex(${hclString(RATE)}, s.expression)[0]) >= 1 && ((tonumber(regex(${hclString(RATE)}, s.expression)[0]) == 1) == !endswith(regex(${hclString(RATE)}, s.expression)[1], "s")), false)`;
/** `cron(...)`: six fields, exactly one of day-of-month and day-of-week is `?`. */
const validCron = `can(regex(${hclString(CRON)}, s.expression)) && try((regex(${hclString(CRON)}, s.expression)[2] == "?") != (regex(${hclString(CRON)}, s.expression)[4] == "?"), false)`;
const validAt = `can(regex(${hclString(AT)}, s.expression))`;
const integerIn = (value: string, min: number, max: number) => `(floor(${value}) == ${value} && ${value} >= ${min} && ${value} <= ${max})`;
const targets = `object({
    email = optional(list(string), [])
    sms   = optional(list(string), [])
    https = optional(list(string), [])
  })`;

function targetChecks(variable: string): ModuleVariable["validations"] {
  const list = (field: string) => `${variable} == null ? [] : ${variable}.${field}`;
  return [
    eachHolds(list("email"), "e", `can(regex("^[^\\\\s@]+@[^\\\\s@]+\\\\.[^\\\\s@]+$", e))`, "e", "these are not email addresses"),
    eachHolds(list("sms"), "e", `can(regex("^\\\\+[1-9][0-9]{1,14}$", e))`, "e", "these are not E.164 phone numbers such as +15555550100"),
    eachHolds(list("https"), "e", `can(regex("^https://[^/\\\\s]+", e))`, "e", "these are not https:// URLs"),
  ];
}

/** Every input of the module, in the order the README lists them. */
export const MODULE_VARIABLES: readonly ModuleVariable[] = [
  {
    name: "project_name",
    type: "string",
    description:
      "Prefix of every resource name: `<project_name>-<environment>-<role>`. a-z 0-9 -, starts with a letter, at most 24 characters.",
    validations: [
      {
        condition: `can(regex("^[a-z][a-z0-9-]*[a-z0-9]$", var.project_name)) && length(var.project_name) <= 24`,
        message:
          'project_name must start with a lower-case letter, end with a letter or digit, hold only a-z 0-9 - and be at most 24 characters, got "${var.project_name}".',
      },
    ],
  },
  {
    name: "environment",
    type: "string",
    description: "The environment's name (any, e.g. qa or prod-eu): part of every resource name, so two environments can share an account.",
    validations: [
      {
        condition: `can(regex("^[a-z][a-z0-9-]*$", var.environment)) && length(var.environment) <= 16`,
        message:
          'environment must start with a lower-case letter, hold only a-z 0-9 - and be at most 16 characters, got "${var.environment}".',
      },
    ],
  },
  {
    name: "account_id",
    type: "string",
    default: null,
    nullable: true,
    description: "The AWS account the resources are in, for names and trust policies. Default: looked up with aws_caller_identity.",
    validations: [
      {
        condition: `var.account_id == null || can(regex("^[0-9]{12}$", var.account_id))`,
        message: "account_id must be a 12-digit AWS account id.",
      },
    ],
  },
  { name: "tags", type: "map(string)", default: {}, description: "Tags for every resource that takes tags.", validations: [] },
  {
    name: "schedules",
    type: `list(object({
    name                    = string
    description             = optional(string)
    expression              = string
    timezone                = optional(string, "${schedule.timezone}")
    task                    = string
    payload = optional(object({
      prefix            = optional(string)
      required_fields   = optional(list(string))
      notify_on_success = optional(bool)
      period_hours      = optional(number)
    }), {})
    enabled                 = optional(bool, ${schedule.enabled})
    flexible_window_minutes = optional(number, ${schedule.flexibleWindowMinutes})
    retry = optional(object({
      max_attempts          = optional(number, ${schedule.retry.maxAttempts})
      max_event_age_seconds = optional(number, ${schedule.retry.maxEventAgeSeconds})
    }), {})
    start_date = optional(string)
    end_date   = optional(string)
    missed_run_alarm = optional(object({
      period_seconds     = number
      evaluation_periods = number
    }))
  }))`,
    default: [],
    description:
      "The environment's schedules: `expression` is cron(...), rate(...) or at(...), read in `timezone` (IANA); `task` is report, data_processing or notification, with its `payload`. `missed_run_alarm` overrides the window the module derives (`npm run schedules -- list --tfvars <file>` prints the exact one).",
    validations: [
      eachHolds(
        SCHEDULES,
        "s",
        `can(regex("^[0-9A-Za-z_.-]{1,64}$", s.name))`,
        "s.name",
        "schedule names must be 1-64 characters of 0-9 A-Z a-z _ . -; these are not",
      ),
      {
        condition: `length(distinct([for s in var.schedules : s.name])) == length(var.schedules)`,
        message: `schedule names must be unique in the group; repeated: \${join(", ", distinct([for s in var.schedules : s.name if length([for t in var.schedules : t if t.name == s.name]) > 1]))}.`,
      },
      eachHolds(
        SCHEDULES,
        "s",
        `contains(${JSON.stringify(TASK_TYPES)}, s.task)`,
        `"\${s.name} (\${s.task})"`,
        `task must be one of ${TASK_TYPES.join(", ")}; these schedules are not`,
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `(${validRate}) || (${validCron}) || (${validAt})`,
        `"\${s.name} (\${s.expression})"`,
        "expression must be rate(N unit) with N >= 1 and a singular unit only for 1, cron(six fields with exactly one of day-of-month and day-of-week ?), or at(yyyy-mm-ddThh:mm:ss); these schedules are not",
      ),
      // Each cron field against its grammar and range, rendered from the stacks' field rules.
      ...CRON_FIELD_PATTERNS.map(({ field, index, pattern, allowed }) =>
        eachHolds(
          SCHEDULES,
          "s",
          `!can(regex(${hclString(CRON)}, s.expression)) || can(regex(${hclString(pattern)}, regex(${hclString(CRON)}, s.expression)[${index}]))`,
          `"\${s.name} (\${s.expression})"`,
          `cron ${field} must be ${allowed}; these schedules are not`,
        ),
      ),
      // The IANA database's names (zones and links), as a set: a misspelt zone fails at plan, not at apply.
      eachHolds(
        SCHEDULES,
        "s",
        `contains(${JSON.stringify(IANA_TIME_ZONES)}, s.timezone)`,
        `"\${s.name} (\${s.timezone})"`,
        "timezone must be an IANA time zone name such as America/New_York; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.flexible_window_minutes == 0 || ${integerIn("s.flexible_window_minutes", 1, 1440)}`,
        `"\${s.name} (\${s.flexible_window_minutes})"`,
        "flexible_window_minutes must be 0 (off) or an integer from 1 to 1440; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        integerIn("s.retry.max_attempts", 0, 185),
        `"\${s.name} (\${s.retry.max_attempts})"`,
        "retry.max_attempts must be an integer from 0 to 185; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        integerIn("s.retry.max_event_age_seconds", 60, 86400),
        `"\${s.name} (\${s.retry.max_event_age_seconds})"`,
        "retry.max_event_age_seconds must be an integer from 60 to 86400; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `(s.task == "data_processing" || (s.payload.prefix == null && s.payload.required_fields == null)) && (s.task != "data_processing" || s.payload.period_hours == null) && (s.task != "notification" || s.payload.notify_on_success == null)`,
        "s.name",
        "payload fields must fit the task (prefix and required_fields: data_processing; period_hours: report and notification; notify_on_success: data_processing and report); these schedules do not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.payload.period_hours == null || ${integerIn("coalesce(s.payload.period_hours, 0)", 1, 8784)}`,
        "s.name",
        "payload.period_hours must be an integer from 1 to 8784; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.payload.prefix == null || (coalesce(s.payload.prefix, "x") != "" && !startswith(coalesce(s.payload.prefix, "x"), "/") && !contains(split("/", coalesce(s.payload.prefix, "x")), ".."))`,
        "s.name",
        "payload.prefix must be a relative prefix under incoming/ without ..; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.missed_run_alarm == null || try(${integerIn("s.missed_run_alarm.period_seconds", 60, 86400)} && ${integerIn("s.missed_run_alarm.evaluation_periods", 1, 10080)} && s.missed_run_alarm.period_seconds * s.missed_run_alarm.evaluation_periods <= (s.missed_run_alarm.period_seconds < 3600 ? 86400 : 604800), false)`,
        "s.name",
        "missed_run_alarm must fit CloudWatch: period_seconds times evaluation_periods at most 1 day below hourly periods, 7 days otherwise; these schedules do not",
      ),
    ],
  },
  {
    name: "notifications",
    type: targets,
    default: {},
    description: "Who receives task notices: email addresses, E.164 phone numbers and https:// endpoints.",
    validations: targetChecks("var.notifications"),
  },
  {
    name: "operations",
    type: targets,
    default: null,
    nullable: true,
    description: "Who receives alarms (on-call). Default: the notification targets.",
    validations: targetChecks("var.operations"),
  },
  {
    name: "processor",
    type: `object({
    memory_mb          = optional(number, ${processor.memoryMb})
    timeout_seconds    = optional(number, ${processor.timeoutSeconds})
    log_retention_days = optional(number, ${processor.logRetentionDays})
    async_retries      = optional(number, ${processor.asyncRetries})
    concurrency        = optional(number, ${processor.concurrency})
  })`,
    default: {},
    description:
      "The processor Lambda: memory (128-10240 MB), timeout (1-900 s), log retention (a CloudWatch Logs value), Lambda's async retries (0-2), sources handled at once (1-64).",
    validations: [
      {
        condition: integerIn("var.processor.memory_mb", 128, 10240),
        message: "processor.memory_mb must be an integer from 128 to 10240, got ${var.processor.memory_mb}.",
      },
      {
        condition: integerIn("var.processor.timeout_seconds", 1, 900),
        message: "processor.timeout_seconds must be an integer from 1 to 900, got ${var.processor.timeout_seconds}.",
      },
      {
        condition: `contains(${JSON.stringify(LOG_RETENTION_DAYS)}, var.processor.log_retention_days)`,
        message: `processor.log_retention_days must be one of ${LOG_RETENTION_DAYS.join(", ")}, got \${var.processor.log_retention_days}.`,
      },
      {
        condition: integerIn("var.processor.async_retries", 0, 2),
        message: "processor.async_retries must be an integer from 0 to 2, got ${var.processor.async_retries}.",
      },
      {
        condition: integerIn("var.processor.concurrency", 1, 64),
        message: "processor.concurrency must be an integer from 1 to 64, got ${var.processor.concurrency}.",
      },
    ],
  },
  {
    name: "storage",
    type: `object({
    bucket_name                            = optional(string)
    kms_key_arn                            = optional(string)
    noncurrent_version_expiration_days     = optional(number, ${storage.noncurrentVersionExpirationDays})
    abort_incomplete_multipart_upload_days = optional(number, ${storage.abortIncompleteMultipartUploadDays})
  })`,
    default: {},
    description:
      "The task bucket: its name (default `<project_name>-<environment>-data-<account>`), SSE-KMS with `kms_key_arn` (SSE-S3 without), days before noncurrent versions expire and incomplete uploads are aborted.",
    validations: [
      {
        condition: `var.storage.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.storage.bucket_name, "x")))`,
        message: "storage.bucket_name must be an S3 bucket name.",
      },
      {
        condition: `var.storage.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", coalesce(var.storage.kms_key_arn, "x")))`,
        message: "storage.kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>).",
      },
      {
        condition: integerIn("var.storage.noncurrent_version_expiration_days", 1, 3650),
        message: "storage.noncurrent_version_expiration_days must be an integer from 1 to 3650.",
      },
      {
        condition: integerIn("var.storage.abort_incomplete_multipart_upload_days", 1, 365),
        message: "storage.abort_incomplete_multipart_upload_days must be an integer from 1 to 365.",
      },
    ],
  },
  {
    name: "alarms",
    type: `object({
    processor_errors                = optional(number, ${alarms.processorErrors})
    processor_throttles             = optional(number, ${alarms.processorThrottles})
    duration_percent_of_timeout     = optional(number, ${alarms.durationPercentOfTimeout})
    dead_letter_messages            = optional(number, ${alarms.deadLetterMessages})
    scheduler_target_errors         = optional(number, ${alarms.schedulerTargetErrors})
    scheduler_dropped_invocations   = optional(number, ${alarms.schedulerDroppedInvocations})
    scheduler_throttled_invocations = optional(number, ${alarms.schedulerThrottledInvocations})
    work_queue_age_seconds          = optional(number, ${alarms.workQueueAgeSeconds})
  })`,
    default: {},
    description:
      "Alarm thresholds: events in 5 minutes (1-1000) for errors, throttles, failed messages and Scheduler problems; the share of the timeout (10-100) a run may take; the work queue's oldest batch (60-1209600 s).",
    validations: [
      {
        condition: `alltrue([for name in ["processor_errors", "processor_throttles", "dead_letter_messages", "scheduler_target_errors", "scheduler_dropped_invocations", "scheduler_throttled_invocations"] : ${integerIn("var.alarms[name]", 1, 1000)}])`,
        message: "alarms thresholds must be integers from 1 to 1000.",
      },
      {
        condition: integerIn("var.alarms.duration_percent_of_timeout", 10, 100),
        message: "alarms.duration_percent_of_timeout must be an integer from 10 to 100.",
      },
      {
        condition: integerIn("var.alarms.work_queue_age_seconds", 60, 1209600),
        message: "alarms.work_queue_age_seconds must be an integer from 60 to 1209600.",
      },
    ],
  },
  {
    name: "schedule_api",
    type: `object({
    retry = optional(object({
      max_attempts          = optional(number, ${scheduleApiRetry.maxAttempts})
      max_event_age_seconds = optional(number, ${scheduleApiRetry.maxEventAgeSeconds})
    }), {})
  })`,
    default: {},
    description: "Retry policy of one-time schedules the scheduling API creates.",
    validations: [
      {
        condition: integerIn("var.schedule_api.retry.max_attempts", 0, 185),
        message: "schedule_api.retry.max_attempts must be an integer from 0 to 185.",
      },
      {
        condition: integerIn("var.schedule_api.retry.max_event_age_seconds", 60, 86400),
        message: "schedule_api.retry.max_event_age_seconds must be an integer from 60 to 86400.",
      },
    ],
  },
  {
    name: "fan_out",
    type: `object({
    max_concurrency        = optional(number, ${fanOut.maxConcurrency})
    max_receive_count      = optional(number, ${fanOut.maxReceiveCount})
    sources_per_invocation = optional(number)
    bytes_per_invocation   = optional(number)
  })`,
    default: {},
    description:
      "Spreading large runs over the work queue: invocations at once (2-1000), deliveries of a batch before its dead-letter queue (1-1000), and what one invocation takes on (default from the processor's memory and timeout).",
    validations: [
      {
        condition: integerIn("var.fan_out.max_concurrency", 2, 1000),
        message: "fan_out.max_concurrency must be an integer from 2 to 1000.",
      },
      {
        condition: integerIn("var.fan_out.max_receive_count", 1, 1000),
        message: "fan_out.max_receive_count must be an integer from 1 to 1000.",
      },
      {
        condition: `var.fan_out.sources_per_invocation == null || ${integerIn("coalesce(var.fan_out.sources_per_invocation, 1)", 1, 1000000)}`,
        message: "fan_out.sources_per_invocation must be an integer from 1 to 1000000.",
      },
      {
        condition: `var.fan_out.bytes_per_invocation == null || ${integerIn("coalesce(var.fan_out.bytes_per_invocation, 1048576)", 1048576, 1099511627776)}`,
        message: "fan_out.bytes_per_invocation must be an integer from 1048576 to 1099511627776.",
      },
    ],
  },
  {
    name: "adopt",
    type: `object({
    existing_bucket_name             = optional(string)
    existing_notification_topic_arn  = optional(string)
    existing_operations_key_arn      = optional(string)
  })`,
    default: {},
    description:
      "Existing resources to use as they are instead of creating them (their owners keep their settings and policies). To bring one under this module instead, leave it out here, give the module its name, and add an `import` block in your root module.",
    validations: [
      {
        condition: `var.adopt.existing_notification_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", coalesce(var.adopt.existing_notification_topic_arn, "x")))`,
        message: "adopt.existing_notification_topic_arn must be an SNS topic ARN.",
      },
      {
        condition: `var.adopt.existing_operations_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", coalesce(var.adopt.existing_operations_key_arn, "x")))`,
        message: "adopt.existing_operations_key_arn must be a KMS key ARN.",
      },
    ],
  },
  {
    name: "waivers",
    type: `list(object({
    rule     = string
    resource = optional(string)
    reason   = string
  }))`,
    default: [],
    description: "Accepted exceptions to the security rules, each with its reason; read by `npm run review`, not by Terraform.",
    validations: [
      eachHolds(
        "var.waivers",
        "w",
        "length(trimspace(w.reason)) >= 10",
        "w.rule",
        "each waiver needs a reason of 10 characters or more; these do not",
      ),
    ],
  },
];
