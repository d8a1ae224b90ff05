import { Token } from "cdktf";
import { namesFromPrefix } from "../../../core/naming";
import type { ProcessingSpec } from "../../constructs/processing-spec";

const text = (expression: string) => `\${${expression}}`;
const number = (expression: string) => Token.asNumber(`\${${expression}}`);

/**
 * The spec of the module's resources: every value a variable, or a local of the module's
 * templates (templates/*.tf derive names, the account, each schedule's spec and event, its
 * missed-run window, the subscriptions, the grants and the per-invocation limits in HCL, as
 * processing-spec.ts does in TypeScript for the stacks).
 */
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
      runtime: text("var.processor.runtime"),
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
    tasks: text("local.task_specs"),
    targetStatements: "local.schedule_target_statements",
    missedRuns: text("local.missed_runs"),
    unwatchedSchedules: [],
  };
}
