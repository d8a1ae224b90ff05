import { Token } from "cdktf";
import { FAN_OUT_SIZING as SIZING } from "../../../core/fan-out-sizing";
import { namesFromPrefix } from "../../../core/naming";
import { schedulerContextMembers } from "../../../core/schedule-input";
import type { ProcessingSpec } from "../../constructs/processing-spec";

/**
 * What the module derives from its inputs, as HCL: names, the account, each schedule's resource
 * spec and the event it sends, its missed-run window, the subscriptions, and the per-invocation
 * limits. The same derivations the stacks make in TypeScript (processing-spec.ts), except the
 * missed-run windows: HCL cannot replay a year of a cron expression in its time zone, so the
 * module bounds the gap between runs from the expression's shape instead (see docs/terraform-module.md).
 */
export const MODULE_LOCALS: Readonly<Record<string, string>> = {
  name_prefix: `\${var.project_name}-\${var.environment}`,
  account_id: `\${var.account_id != null ? var.account_id : one(data.aws_caller_identity.current[*].account_id)}`,
  // `id` is the region's name in every provider major; `name` is deprecated in 6.x (for `region`, which 5.x lacks).
  region: "${data.aws_region.current.id}",
  partition: "${data.aws_partition.current.partition}",
  bucket_name: `\${coalesce(var.adopt.existing_bucket_name, var.storage.bucket_name, "\${local.name_prefix}-data-\${local.account_id}")}`,
  operations_targets: "${var.operations != null ? var.operations : var.notifications}",
  // What `access` grants, as modules/constructs/support/access-grants.ts computes it for the stacks.
  access_producers: `\${[for p in var.access.producers : {
    name       = p.name
    sid        = "Producer\${replace(title(replace(p.name, "-", " ")), " ", "")}"
    principals = p.principals
    others     = [for a in p.principals : a if split(":", a)[4] != local.account_id]
    own        = [for a in p.principals : a if split(":", a)[4] == local.account_id]
    resources  = ["arn:\${local.partition}:s3:::\${local.bucket_name}/incoming/\${p.prefix}*"]
    guarded    = p.require_kms && var.storage.kms_key_arn != null
  }]}`,
  access_readers: `\${[for r in var.access.readers : {
    name      = r.name
    sid       = "Reader\${replace(title(replace(r.name, "-", " ")), " ", "")}"
    others    = [for a in r.principals : a if split(":", a)[4] != local.account_id]
    own       = [for a in r.principals : a if split(":", a)[4] == local.account_id]
    resources = [for x in r.prefixes : "arn:\${local.partition}:s3:::\${local.bucket_name}/\${x}*"]
    listed    = [for x in r.prefixes : "\${x}*"]
  }]}`,
  // aws:PrincipalOrgID on cross-account statements, when an organization is given (0 or 1 entries).
  access_org_condition: `\${{
    for k, v in { StringEquals = { "aws:PrincipalOrgID" = var.access.organization_id } } : k => v if var.access.organization_id != null
  }}`,
  access_org_guard: `\${{ for k, v in { Condition = local.access_org_condition } : k => v if length(local.access_org_condition) > 0 }}`,
  access_bucket_statements: `\${concat(
    [for p in local.access_producers : merge({
      Sid = "\${p.sid}Upload", Effect = "Allow", Principal = { AWS = p.others },
      Action = ["s3:PutObject", "s3:AbortMultipartUpload"], Resource = p.resources
    }, local.access_org_guard) if length(p.others) > 0],
    [for p in local.access_producers : {
      Sid = "\${p.sid}RequireBucketKey", Effect = "Deny", Principal = { AWS = p.principals }, Action = ["s3:PutObject"],
      Resource = p.resources,
      Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = var.storage.kms_key_arn } }
    } if p.guarded],
    [for r in local.access_readers : merge({
      Sid = "\${r.sid}Read", Effect = "Allow", Principal = { AWS = r.others }, Action = ["s3:GetObject"], Resource = r.resources
    }, local.access_org_guard) if length(r.others) > 0],
    [for r in local.access_readers : {
      Sid = "\${r.sid}List", Effect = "Allow", Principal = { AWS = r.others }, Action = ["s3:ListBucket"],
      Resource = ["arn:\${local.partition}:s3:::\${local.bucket_name}"],
      Condition = merge({ StringLike = { "s3:prefix" = r.listed } }, local.access_org_condition)
    } if length(r.others) > 0],
  )}`,
  access_producer_policies: `\${{ for p in local.access_producers : p.name => { policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{ Sid = "\${p.sid}Upload", Effect = "Allow", Action = ["s3:PutObject", "s3:AbortMultipartUpload"], Resource = p.resources }],
      [for key in compact([var.storage.kms_key_arn]) : {
        Sid = "\${p.sid}UseBucketKey", Effect = "Allow", Action = ["kms:GenerateDataKey"], Resource = [key]
      }],
    )
  }) } if length(p.own) > 0 }}`,
  access_reader_policies: `\${{ for r in local.access_readers : r.name => { policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{ Sid = "\${r.sid}Read", Effect = "Allow", Action = ["s3:GetObject"], Resource = r.resources }],
      [{
        Sid = "\${r.sid}List", Effect = "Allow", Action = ["s3:ListBucket"],
        Resource = ["arn:\${local.partition}:s3:::\${local.bucket_name}"], Condition = { StringLike = { "s3:prefix" = r.listed } }
      }],
      [for key in compact([var.storage.kms_key_arn]) : {
        Sid = "\${r.sid}UseBucketKey", Effect = "Allow", Action = ["kms:Decrypt"], Resource = [key]
      }],
    )
  }) } if length(r.own) > 0 }}`,
  notification_subscriptions: subscriptions("var.notifications"),
  operations_subscriptions: subscriptions("local.operations_targets"),
  // The event each schedule sends: the task, its payload (keys the processor knows, nulls left out) and Scheduler's context.
  // jsonencode writes < and > as \u003c and \u003e (hashicorp/terraform#38733) and Scheduler substitutes only the literal
  // placeholders, so the context attributes join the encoded rest as literal JSON text. A payload stays in jsonencode:
  // its own <, backslashes or "\u003c" text are escaped there as JSON, and decode to what was configured.
  schedule_specs: `\${{ for s in var.schedules : s.name => {
    description          = s.description
    expression           = s.expression
    timezone             = s.timezone
    state                = s.enabled ? "ENABLED" : "DISABLED"
    startDate            = s.start_date
    endDate              = s.end_date
    flexibleMode         = s.flexible_window_minutes == 0 ? "OFF" : "FLEXIBLE"
    maximumWindowMinutes = s.flexible_window_minutes == 0 ? null : s.flexible_window_minutes
    retryAttempts        = s.retry.max_attempts
    maxEventAgeSeconds   = s.retry.max_event_age_seconds
    input = format("%s,%s}", trimsuffix(jsonencode({
      task_type = s.task
      payload = merge(
        { for k, v in { prefix = s.payload.prefix } : k => v if v != null },
        { for k, v in { requiredFields = s.payload.required_fields } : k => v if v != null },
        { for k, v in { notifyOnSuccess = s.payload.notify_on_success } : k => v if v != null },
        { for k, v in { periodHours = s.payload.period_hours } : k => v if v != null },
      )
      schedule    = s.name
      environment = var.environment
    }), "}"), ${JSON.stringify(schedulerContextMembers())})
  } }}`,
  // Longest gap between two runs, bounded from the expression's shape: rate(N unit) exactly;
  // a cron that runs every hour (hours "*") 2 h (a spring-forward day skips one), every n hours
  // n + 1 h, on given hours of every day 25 h (a fall-back day); other crons are not bounded here.
  run_gaps: `\${{ for s in var.schedules : s.name => (
    can(regex("^rate\\\\((\\\\d+) (minute|hour|day)s?\\\\)$", s.expression))
    ? tonumber(regex("^rate\\\\((\\\\d+) (minute|hour|day)s?\\\\)$", s.expression)[0]) * lookup(
        { minute = 60, hour = 3600, day = 86400 }, regex("^rate\\\\((\\\\d+) (minute|hour|day)s?\\\\)$", s.expression)[1]
      )
    : can(regex("^cron\\\\(\\\\S+ (\\\\S+) [*?] \\\\* [*?] \\\\*\\\\)$", s.expression))
    ? (regex("^cron\\\\(\\\\S+ (\\\\S+) [*?] \\\\* [*?] \\\\*\\\\)$", s.expression)[0] == "*" ? 7200
      : can(regex("^\\\\*/(\\\\d+)$", regex("^cron\\\\(\\\\S+ (\\\\S+) [*?] \\\\* [*?] \\\\*\\\\)$", s.expression)[0]))
      ? (tonumber(regex("^\\\\*/(\\\\d+)$", regex("^cron\\\\(\\\\S+ (\\\\S+) [*?] \\\\* [*?] \\\\*\\\\)$", s.expression)[0])[0]) + 1) * 3600
      : 90000)
    : null
  ) }}`,
  // A run's metric may land as late as its flexible window, its longest run and the metric's delay.
  run_lateness: `\${{ for s in var.schedules : s.name => s.flexible_window_minutes * 60 + var.processor.timeout_seconds + 300 }}`,
  // The smallest period whose window covers the longest silence, within CloudWatch's limits (1 day below hourly periods, 7 days otherwise).
  missed_run_windows: `\${{ for s in var.schedules : s.name => (
    s.missed_run_alarm != null ? { period = s.missed_run_alarm.period_seconds, evaluations = s.missed_run_alarm.evaluation_periods }
    : local.run_gaps[s.name] == null ? null
    : (floor((local.run_gaps[s.name] + local.run_lateness[s.name]) / 300) + 1) * 300 <= 86400
    ? { period = 300, evaluations = floor((local.run_gaps[s.name] + local.run_lateness[s.name]) / 300) + 1 }
    : (floor((local.run_gaps[s.name] + local.run_lateness[s.name]) / 3600) + 1) * 3600 <= 604800
    ? { period = 3600, evaluations = floor((local.run_gaps[s.name] + local.run_lateness[s.name]) / 3600) + 1 }
    : (floor((local.run_gaps[s.name] + local.run_lateness[s.name]) / 86400) + 1) * 86400 <= 604800
    ? { period = 86400, evaluations = floor((local.run_gaps[s.name] + local.run_lateness[s.name]) / 86400) + 1 }
    : null
  ) }}`,
  missed_runs: `\${{ for s in var.schedules : s.name => {
    schedule          = s.name
    task              = s.task
    description = format(
      "%s: no successful %s run of %s (%s %s) in %v hours", var.environment, s.task, s.name, s.expression, s.timezone,
      local.missed_run_windows[s.name].period * local.missed_run_windows[s.name].evaluations / 3600
    )
    periodSeconds     = local.missed_run_windows[s.name].period
    evaluationPeriods = local.missed_run_windows[s.name].evaluations
  } if s.enabled && !startswith(s.expression, "at(") && local.missed_run_windows[s.name] != null }}`,
  // The stacks' fan-out sizing (core/fan-out-sizing.ts), in HCL.
  working_seconds: `\${max(1, (var.processor.timeout_seconds - min(${SIZING.reserveSeconds}, var.processor.timeout_seconds / 2)) / 2)}`,
  sources_per_invocation:
    `\${coalesce(var.fan_out.sources_per_invocation, min(${SIZING.sources.max}, max(${SIZING.sources.min}, ` +
    `floor(local.working_seconds * var.processor.concurrency / ${SIZING.secondsPerSmallSource}))))}`,
  bytes_per_invocation:
    `\${coalesce(var.fan_out.bytes_per_invocation, max(${SIZING.minBytes}, ` +
    `floor(local.working_seconds * ${SIZING.bytesPerSecondPerVcpu} * min(1, var.processor.memory_mb / ${SIZING.vcpuMemoryMb}))))}`,
};

function subscriptions(targets: string): string {
  return `\${merge(
    { for e in ${targets}.email : "email:\${e}" => { protocol = "email", endpoint = e } },
    { for e in ${targets}.sms : "sms:\${e}" => { protocol = "sms", endpoint = e } },
    { for e in ${targets}.https : "https:\${e}" => { protocol = "https", endpoint = e } },
  )}`;
}

const text = (expression: string) => `\${${expression}}`;
const number = (expression: string) => Token.asNumber(`\${${expression}}`);

/** The spec of the module's resources: every value a variable, a local or a data source. */
export function moduleSpec(): ProcessingSpec {
  const prefix = "${local.name_prefix}";
  return {
    environment: text("var.environment"),
    account: text("local.account_id"),
    region: text("local.region"),
    partition: text("local.partition"),
    names: namesFromPrefix(prefix, text("local.bucket_name")),
    tags: text("var.tags"),
    storage: {
      bucket: { name: text("local.bucket_name"), create: { when: "var.adopt.existing_bucket_name == null" } },
      kmsKey: { presence: { when: "var.storage.kms_key_arn != null" }, arn: text("var.storage.kms_key_arn") },
      noncurrentVersionExpirationDays: number("var.storage.noncurrent_version_expiration_days"),
      abortIncompleteMultipartUploadDays: number("var.storage.abort_incomplete_multipart_upload_days"),
    },
    // Terraform allows only a literal here, and a module must let its caller tear it down.
    preventDestroy: false,
    notifications: {
      topic: {
        create: { when: "var.adopt.existing_notification_topic_arn == null" },
        existingArn: text("var.adopt.existing_notification_topic_arn"),
      },
      subscriptions: text("local.notification_subscriptions"),
    },
    operations: {
      key: {
        create: { when: "var.adopt.existing_operations_key_arn == null" },
        existingArn: text("var.adopt.existing_operations_key_arn"),
      },
      subscriptions: text("local.operations_subscriptions"),
    },
    access: {
      bucketStatements: "local.access_bucket_statements",
      producerPolicies: text("local.access_producer_policies"),
      readerPolicies: text("local.access_reader_policies"),
    },
    processor: {
      memoryMb: number("var.processor.memory_mb"),
      timeoutSeconds: number("var.processor.timeout_seconds"),
      logRetentionDays: number("var.processor.log_retention_days"),
      asyncRetries: number("var.processor.async_retries"),
      concurrency: number("var.processor.concurrency"),
      logLevel: text("var.processor.log_level"),
      tracing: { when: "var.processor.tracing" },
      workQueueVisibilitySeconds: number("6 * var.processor.timeout_seconds"),
    },
    fanOut: {
      maxConcurrency: number("var.fan_out.max_concurrency"),
      maxReceiveCount: number("var.fan_out.max_receive_count"),
      sourcesPerInvocation: number("local.sources_per_invocation"),
      bytesPerInvocation: number("local.bytes_per_invocation"),
    },
    alarms: {
      processorErrors: number("var.alarms.processor_errors"),
      processorThrottles: number("var.alarms.processor_throttles"),
      durationThresholdMs: number("floor(var.processor.timeout_seconds * 10 * var.alarms.duration_percent_of_timeout + 0.5)"),
      durationDescription:
        "A processor run took over ${var.alarms.duration_percent_of_timeout}% of its ${var.processor.timeout_seconds} s timeout",
      deadLetterMessages: number("var.alarms.dead_letter_messages"),
      schedulerTargetErrors: number("var.alarms.scheduler_target_errors"),
      schedulerDroppedInvocations: number("var.alarms.scheduler_dropped_invocations"),
      schedulerThrottledInvocations: number("var.alarms.scheduler_throttled_invocations"),
      workQueueAgeSeconds: number("var.alarms.work_queue_age_seconds"),
    },
    scheduleApi: {
      maxAttempts: number("var.schedule_api.retry.max_attempts"),
      maxEventAgeSeconds: number("var.schedule_api.retry.max_event_age_seconds"),
    },
    schedules: text("local.schedule_specs"),
    missedRuns: text("local.missed_runs"),
    unwatchedSchedules: [],
  };
}
