import {
  describeRange,
  describeReservedScheduleName,
  type IntegerRange,
  LOG_LEVELS,
  LOG_RETENTION_DAYS,
  MAX_LENGTHS,
  MIN_REASON_LENGTH,
  PATTERNS,
  type PatternRule,
  RANGES,
  READER_PREFIXES,
  TAGS,
} from "../../../core/config-rules";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../../core/naming";
import { CRON_FIELD_PATTERNS } from "../../../core/schedule-expression/cron-field-patterns";
import { IANA_TIME_ZONES } from "../../../core/schedule-expression/iana-time-zones";
import { TASK_TYPES } from "../../../core/task-types";
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
const ACCESS_NAMES = "[for p in var.access.producers : p.name], [for r in var.access.readers : r.name]";
const ACCESS_PRINCIPALS = "flatten(concat([for p in var.access.producers : p.principals], [for r in var.access.readers : r.principals]))";
const RATE = String.raw`^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$`;
const CRON = String.raw`^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$`;
const AT = String.raw`^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$`;
const hclString = (text: string) => JSON.stringify(text);

/** `rate(N unit)`: N ≥ 1, singular unit only with 1. */
const validRate =
  `can(regex(${hclString(RATE)}, s.expression)) && try(tonumber(regex(${hclString(RATE)}, s.expression)[0]) >= 1 && ` +
  `((tonumber(regex(${hclString(RATE)}, s.expression)[0]) == 1) == !endswith(regex(${hclString(RATE)}, s.expression)[1], "s")), ` +
  `false)`;
/** `cron(...)`: six fields, exactly one of day-of-month and day-of-week is `?`. */
const validCron =
  `can(regex(${hclString(CRON)}, s.expression)) && try((regex(${hclString(CRON)}, s.expression)[2] == "?") != ` +
  `(regex(${hclString(CRON)}, s.expression)[4] == "?"), false)`;
const validAt = `can(regex(${hclString(AT)}, s.expression))`;
const integerIn = (value: string, { min, max }: IntegerRange) =>
  `(floor(${value}) == ${value} && ${value} >= ${min} && ${value} <= ${max})`;
const matches = (rule: PatternRule, value: string) => `can(regex(${hclString(rule.pattern)}, ${value}))`;
/** An optional string: null, or of the rule's shape. */
const nullOrMatches = (rule: PatternRule, value: string) => `${value} == null || ${matches(rule, `coalesce(${value}, "x")`)}`;
/** A validation of one number in a range, its message naming the field, the range and the value. */
const rangeCheck = (field: string, range: IntegerRange) => ({
  condition: integerIn(`var.${field}`, range),
  message: `${field} must be ${describeRange(range)}, got \${var.${field}}.`,
});
/** The same for an input that may be null. */
const optionalRangeCheck = (field: string, range: IntegerRange) => ({
  condition: `var.${field} == null || ${integerIn(`coalesce(var.${field}, ${range.min})`, range)}`,
  // No "got": Terraform renders the message even when the value is null, and warns.
  message: `${field} must be ${describeRange(range)}.`,
});
const span = ({ min, max }: IntegerRange) => `${min}-${max}`;
/** Every item of an HCL list holds `holds`; the message lists those that do not (by `shown`). */
const listCheck = (list: string, item: string, holds: string, rule: string, shown = item) => ({
  condition: `alltrue([for ${item} in ${list} : ${holds}])`,
  message: `${rule}; these are not: \${join(", ", [for ${item} in ${list} : ${shown} if !(${holds})])}.`,
});
const ALARM_EVENT_THRESHOLDS = [
  "processor_errors",
  "processor_throttles",
  "dead_letter_messages",
  "scheduler_target_errors",
  "scheduler_dropped_invocations",
  "scheduler_throttled_invocations",
];
const targets = `object({
    email = optional(list(string), [])
    sms   = optional(list(string), [])
    https = optional(list(string), [])
  })`;

function targetChecks(variable: string): ModuleVariable["validations"] {
  const list = (field: string) => `${variable} == null ? [] : ${variable}.${field}`;
  return [
    eachHolds(list("email"), "e", matches(PATTERNS.email, "e"), "e", `each email ${PATTERNS.email.rule}; these are not`),
    eachHolds(list("sms"), "e", matches(PATTERNS.e164, "e"), "e", `each sms ${PATTERNS.e164.rule}; these are not`),
    eachHolds(list("https"), "e", matches(PATTERNS.httpsUrl, "e"), "e", `each https ${PATTERNS.httpsUrl.rule}; these are not`),
  ];
}

/** The resource's own tags (the schedule group's Name) merged over var.tags, as the module tags it. */
const MOST_TAGGED = `merge(var.tags, {${TAGS.resourceKeys.map((key) => `${JSON.stringify(key)} = ""`).join(", ")}})`;
/** Tag keys for which `holds` fails, listed by the message (with `k` and `v` as each key and value). */
const tagCheck = (holds: string, rule: string) => ({
  condition: `alltrue([for k, v in var.tags : ${holds}])`,
  message: `${rule}; these are not: \${join(", ", [for k, v in var.tags : k if !(${holds})])}.`,
});
const TAG_CHECKS: ModuleVariable["validations"] = [
  {
    condition: `length(${MOST_TAGGED}) <= ${TAGS.maxPerResource}`,
    message:
      `tags: at most ${TAGS.maxPerResource} tags fit on a resource and the product adds ${TAGS.resourceKeys.length} ` +
      `(${TAGS.resourceKeys.join(", ")}): ${TAGS.maxPerResource - TAGS.resourceKeys.length} of your own at most, ` +
      "got ${length(var.tags)}.",
  },
  tagCheck(
    `length(k) >= 1 && length(k) <= ${MAX_LENGTHS.tagKey} && !startswith(k, ${hclString(TAGS.reservedKeyPrefix)})`,
    `tag keys must be 1-${MAX_LENGTHS.tagKey} characters and must not start with ${TAGS.reservedKeyPrefix}`,
  ),
  tagCheck(`length(v) <= ${MAX_LENGTHS.tagValue}`, `tag values must be at most ${MAX_LENGTHS.tagValue} characters (listed by key)`),
  tagCheck(
    `can(regex(${hclString(TAGS.characters.pattern)}, k)) && can(regex(${hclString(TAGS.characters.pattern)}, v))`,
    `tag keys and values ${TAGS.characters.rule} (listed by key)`,
  ),
];

/** Every input of the module, in the order the README lists them. */
export const MODULE_VARIABLES: readonly ModuleVariable[] = [
  {
    name: "project_name",
    type: "string",
    description:
      "Prefix of every resource name: `<project_name>-<environment>-<role>`. " +
      `It ${PATTERNS.projectName.rule}, at most ${MAX_LENGTHS.projectName} characters.`,
    validations: [
      {
        condition: `${matches(PATTERNS.projectName, "var.project_name")} && length(var.project_name) <= ${MAX_LENGTHS.projectName}`,
        message: `project_name ${PATTERNS.projectName.rule}, at most ${MAX_LENGTHS.projectName} characters, got "\${var.project_name}".`,
      },
    ],
  },
  {
    name: "environment",
    type: "string",
    description: "The environment's name (any, e.g. qa or prod-eu): part of every resource name, so two environments can share an account.",
    validations: [
      {
        condition: `${matches(PATTERNS.environmentName, "var.environment")} && length(var.environment) <= ${MAX_LENGTHS.environmentName}`,
        message:
          `environment ${PATTERNS.environmentName.rule}, at most ${MAX_LENGTHS.environmentName} characters, got ` +
          `"\${var.environment}".`,
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
        condition: nullOrMatches(PATTERNS.account, "var.account_id"),
        message: `account_id ${PATTERNS.account.rule}.`,
      },
    ],
  },
  {
    name: "tags",
    type: "map(string)",
    default: {},
    description:
      `Tags for every resource that takes tags: at most ${TAGS.maxPerResource - TAGS.resourceKeys.length} (AWS allows ` +
      `${TAGS.maxPerResource} a resource, and the schedule group adds ${TAGS.resourceKeys.join(", ")}; your provider's ` +
      `default_tags count too), keys of 1-${MAX_LENGTHS.tagKey} characters not starting with ${TAGS.reservedKeyPrefix}, ` +
      `values of at most ${MAX_LENGTHS.tagValue}; both ${TAGS.characters.rule}.`,
    validations: TAG_CHECKS,
  },
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
      "The environment's schedules: `expression` is cron(...), rate(...) or at(...), read in `timezone` (IANA); `task` is report, " +
      "data_processing or notification, with its `payload`. `missed_run_alarm` overrides the window the module derives (`npm run " +
      "schedules -- list --tfvars <file>` prints the exact one).",
    validations: [
      eachHolds(
        SCHEDULES,
        "s",
        matches(PATTERNS.scheduleName, "s.name"),
        "s.name",
        `schedule names ${PATTERNS.scheduleName.rule}; these are not`,
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `!startswith(s.name, ${hclString(ONE_TIME_SCHEDULE_PREFIX)})`,
        "s.name",
        `schedule names ${describeReservedScheduleName(ONE_TIME_SCHEDULE_PREFIX)}; these are not`,
      ),
      {
        condition: `length(distinct([for s in var.schedules : s.name])) == length(var.schedules)`,
        message: `schedule names must be unique in the group; repeated: \${join(", ", distinct([
          for s in var.schedules : s.name if length([for t in var.schedules : t if t.name == s.name]) > 1
        ]))}.`,
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
        "expression must be rate(N unit) with N >= 1 and a singular unit only for 1, " +
          "cron(six fields with exactly one of day-of-month and day-of-week ?), or at(yyyy-mm-ddThh:mm:ss); these schedules are not",
      ),
      // Each cron field against its grammar and range, rendered from the stacks' field rules.
      ...CRON_FIELD_PATTERNS.map(({ field, index, pattern, allowed }) =>
        eachHolds(
          SCHEDULES,
          "s",
          `!can(regex(${hclString(CRON)}, s.expression)) || ` +
            `can(regex(${hclString(pattern)}, regex(${hclString(CRON)}, s.expression)[${index}]))`,
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
        `s.flexible_window_minutes == 0 || ${integerIn("s.flexible_window_minutes", RANGES.flexibleWindowMinutes)}`,
        `"\${s.name} (\${s.flexible_window_minutes})"`,
        `flexible_window_minutes must be 0 (off) or ${describeRange(RANGES.flexibleWindowMinutes)}; these schedules are not`,
      ),
      eachHolds(
        SCHEDULES,
        "s",
        integerIn("s.retry.max_attempts", RANGES.retryMaxAttempts),
        `"\${s.name} (\${s.retry.max_attempts})"`,
        `retry.max_attempts must be ${describeRange(RANGES.retryMaxAttempts)}; these schedules are not`,
      ),
      eachHolds(
        SCHEDULES,
        "s",
        integerIn("s.retry.max_event_age_seconds", RANGES.retryMaxEventAgeSeconds),
        `"\${s.name} (\${s.retry.max_event_age_seconds})"`,
        `retry.max_event_age_seconds must be ${describeRange(RANGES.retryMaxEventAgeSeconds)}; these schedules are not`,
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `(s.task == "data_processing" || (s.payload.prefix == null && s.payload.required_fields == null)) && ` +
          `(s.task != "data_processing" || s.payload.period_hours == null) && (s.task != "notification" || s.payload.notify_on_success ` +
          `== null)`,
        "s.name",
        "payload fields must fit the task (prefix and required_fields: data_processing; period_hours: report and notification; " +
          "notify_on_success: data_processing and report); these schedules do not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.payload.period_hours == null || ${integerIn("coalesce(s.payload.period_hours, 0)", RANGES.periodHours)}`,
        "s.name",
        `payload.period_hours must be ${describeRange(RANGES.periodHours)}; these schedules are not`,
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.payload.prefix == null || (coalesce(s.payload.prefix, "x") != "" && !startswith(coalesce(s.payload.prefix, "x"), "/") && ` +
          `!contains(split("/", coalesce(s.payload.prefix, "x")), ".."))`,
        "s.name",
        "payload.prefix must be a relative prefix under incoming/ without ..; these schedules are not",
      ),
      ...(["start_date", "end_date"] as const).map((field) =>
        eachHolds(
          SCHEDULES,
          "s",
          `s.${field} == null || ${matches(PATTERNS.rfc3339, `coalesce(s.${field}, "x")`)}`,
          `"\${s.name} (\${s.${field}})"`,
          `${field} ${PATTERNS.rfc3339.rule}; these schedules are not`,
        ),
      ),
      // Null or malformed dates are the checks above's to report (try() turns their errors into true).
      eachHolds(
        SCHEDULES,
        "s",
        "try(timecmp(s.end_date, s.start_date) > 0, true)",
        `"\${s.name} (\${s.start_date} to \${s.end_date})"`,
        "end_date must be after start_date; these schedules are not",
      ),
      eachHolds(
        SCHEDULES,
        "s",
        `s.missed_run_alarm == null || try(${integerIn("s.missed_run_alarm.period_seconds", { min: 60, max: 86400 })} && ` +
          `${integerIn("s.missed_run_alarm.evaluation_periods", { min: 1, max: 10080 })} && ` +
          "s.missed_run_alarm.period_seconds * s.missed_run_alarm.evaluation_periods <= (s.missed_run_alarm.period_seconds < 3600 ? " +
          "86400 : 604800), false)",
        "s.name",
        "missed_run_alarm must fit CloudWatch: period_seconds times evaluation_periods at most 1 day below hourly periods, " +
          "7 days otherwise; these schedules do not",
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
    log_level          = optional(string, "${processor.logLevel}")
    tracing            = optional(bool, ${processor.tracing})
  })`,
    default: {},
    description:
      `The processor Lambda: memory (${span(RANGES.memoryMb)} MB), timeout (${span(RANGES.timeoutSeconds)} s), ` +
      `log retention (a CloudWatch Logs value), Lambda's async retries (${span(RANGES.asyncRetries)}), ` +
      `sources handled at once (${span(RANGES.concurrency)}); the three functions' log level (${LOG_LEVELS.join(", ")}) ` +
      "and X-Ray tracing (mode Active and the Powertools Tracer).",
    validations: [
      rangeCheck("processor.memory_mb", RANGES.memoryMb),
      rangeCheck("processor.timeout_seconds", RANGES.timeoutSeconds),
      {
        condition: `contains(${JSON.stringify(LOG_RETENTION_DAYS)}, var.processor.log_retention_days)`,
        message: `processor.log_retention_days must be one of ${LOG_RETENTION_DAYS.join(", ")}, got \${var.processor.log_retention_days}.`,
      },
      rangeCheck("processor.async_retries", RANGES.asyncRetries),
      rangeCheck("processor.concurrency", RANGES.concurrency),
      {
        condition: `contains(${JSON.stringify(LOG_LEVELS)}, var.processor.log_level)`,
        message: `processor.log_level must be one of ${LOG_LEVELS.join(", ")}, got \${var.processor.log_level}.`,
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
      "The task bucket: its name (default `<project_name>-<environment>-data-<account>`), SSE-KMS with `kms_key_arn` " +
      `(SSE-S3 without), days before noncurrent versions expire (${span(RANGES.noncurrentVersionExpirationDays)}) ` +
      `and incomplete uploads are aborted (${span(RANGES.abortIncompleteMultipartUploadDays)}).`,
    validations: [
      {
        condition: nullOrMatches(PATTERNS.s3BucketName, "var.storage.bucket_name"),
        message: `storage.bucket_name ${PATTERNS.s3BucketName.rule}.`,
      },
      {
        condition: nullOrMatches(PATTERNS.kmsKeyArn, "var.storage.kms_key_arn"),
        message: `storage.kms_key_arn ${PATTERNS.kmsKeyArn.rule}.`,
      },
      rangeCheck("storage.noncurrent_version_expiration_days", RANGES.noncurrentVersionExpirationDays),
      rangeCheck("storage.abort_incomplete_multipart_upload_days", RANGES.abortIncompleteMultipartUploadDays),
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
      `Alarm thresholds: events in 5 minutes (${span(RANGES.alarmEvents)}) for errors, throttles, failed messages and Scheduler ` +
      `problems; ` +
      `the share of the timeout (${span(RANGES.durationPercentOfTimeout)}) a run may take; ` +
      `the work queue's oldest batch (${span(RANGES.workQueueAgeSeconds)} s).`,
    validations: [
      ...ALARM_EVENT_THRESHOLDS.map((name) => rangeCheck(`alarms.${name}`, RANGES.alarmEvents)),
      rangeCheck("alarms.duration_percent_of_timeout", RANGES.durationPercentOfTimeout),
      rangeCheck("alarms.work_queue_age_seconds", RANGES.workQueueAgeSeconds),
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
      rangeCheck("schedule_api.retry.max_attempts", RANGES.retryMaxAttempts),
      rangeCheck("schedule_api.retry.max_event_age_seconds", RANGES.retryMaxEventAgeSeconds),
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
      `Spreading large runs over the work queue: invocations at once (${span(RANGES.fanOutMaxConcurrency)}), ` +
      `deliveries of a batch before its dead-letter queue (${span(RANGES.maxReceiveCount)}), ` +
      "and what one invocation takes on (default from the processor's memory and timeout).",
    validations: [
      rangeCheck("fan_out.max_concurrency", RANGES.fanOutMaxConcurrency),
      rangeCheck("fan_out.max_receive_count", RANGES.maxReceiveCount),
      optionalRangeCheck("fan_out.sources_per_invocation", RANGES.sourcesPerInvocation),
      optionalRangeCheck("fan_out.bytes_per_invocation", RANGES.bytesPerInvocation),
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
      "Existing resources to use as they are instead of creating them (their owners keep their settings and policies). " +
      "To bring one under this module instead, leave it out here, give the module its name, and add an `import` block in your root module.",
    validations: [
      {
        condition: nullOrMatches(PATTERNS.s3BucketName, "var.adopt.existing_bucket_name"),
        message: `adopt.existing_bucket_name ${PATTERNS.s3BucketName.rule}.`,
      },
      {
        condition: nullOrMatches(PATTERNS.snsTopicArn, "var.adopt.existing_notification_topic_arn"),
        message: `adopt.existing_notification_topic_arn ${PATTERNS.snsTopicArn.rule}.`,
      },
      {
        condition: nullOrMatches(PATTERNS.kmsKeyArn, "var.adopt.existing_operations_key_arn"),
        message: `adopt.existing_operations_key_arn ${PATTERNS.kmsKeyArn.rule}.`,
      },
    ],
  },
  {
    name: "access",
    type: `object({
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
  })`,
    default: {},
    description:
      "Who else writes data in and reads results. Each producer may put objects under incoming/<prefix> only; each reader may get " +
      `and list objects under its prefixes (${READER_PREFIXES.join(", ")}) only. Principals (IAM role, user or account-root ARNs) in ` +
      "other accounts are allowed in the bucket policy (with aws:PrincipalOrgID when organization_id is set); those in this account " +
      "get a managed policy each (outputs producer_policy_arns, reader_policy_arns) to attach. require_kms refuses uploads not " +
      "encrypted with storage.kms_key_arn.",
    validations: [
      listCheck(`concat(${ACCESS_NAMES})`, "n", matches(PATTERNS.accessName, "n"), `access names ${PATTERNS.accessName.rule}`),
      {
        condition: `length(distinct(concat(${ACCESS_NAMES}))) == length(concat(${ACCESS_NAMES}))`,
        message:
          "access names must be unique among producers and readers; repeated: " +
          `\${join(", ", distinct([for n in concat(${ACCESS_NAMES}) : n ` +
          `if length([for m in concat(${ACCESS_NAMES}) : m if m == n]) > 1]))}.`,
      },
      listCheck(ACCESS_PRINCIPALS, "a", matches(PATTERNS.principalArn, "a"), `access principals ${PATTERNS.principalArn.rule}`),
      listCheck(
        "concat([for p in var.access.producers : { name = p.name, principals = p.principals }], " +
          "[for r in var.access.readers : { name = r.name, principals = r.principals }])",
        "x",
        "length(x.principals) > 0",
        "every access producer and reader must name at least one principal",
        "x.name",
      ),
      listCheck(
        "var.access.producers",
        "p",
        matches(PATTERNS.producerPrefix, "p.prefix"),
        `access.producers[].prefix ${PATTERNS.producerPrefix.rule}`,
        '"${p.name} (${p.prefix})"',
      ),
      listCheck(
        "var.access.producers",
        "a",
        "alltrue([for b in var.access.producers : a.name == b.name || " +
          "!(startswith(a.prefix, b.prefix) || startswith(b.prefix, a.prefix))])",
        "access producers never share or nest prefixes",
        "a.name",
      ),
      listCheck(
        "var.access.readers",
        "r",
        `length(r.prefixes) > 0 && length(distinct(r.prefixes)) == length(r.prefixes) && ` +
          `alltrue([for x in r.prefixes : contains(${JSON.stringify(READER_PREFIXES)}, x)])`,
        `access.readers[].prefixes must be one or more of ${READER_PREFIXES.join(", ")}, each once`,
        "r.name",
      ),
      {
        condition: nullOrMatches(PATTERNS.organizationId, "var.access.organization_id"),
        message: `access.organization_id ${PATTERNS.organizationId.rule}.`,
      },
      {
        condition: `var.storage.kms_key_arn != null || alltrue([for p in var.access.producers : !p.require_kms])`,
        message:
          "access.producers[].require_kms needs storage.kms_key_arn: uploads can only be required to use the bucket's key if it has one.",
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
        `length(trimspace(w.reason)) >= ${MIN_REASON_LENGTH}`,
        "w.rule",
        `each waiver needs a reason of ${MIN_REASON_LENGTH} characters or more; these do not`,
      ),
    ],
  },
];
