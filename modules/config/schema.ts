// zod/mini: classic zod costs ~45 ms more to load, a tenth of a whole synth.
import * as z from "zod/mini";
import { isIanaTimeZone, validateScheduleExpression } from "../../core/schedule-expression";
import { TASK_TYPES } from "../../core/task-types";
import { RULE_IDS } from "../security/rules";

/** Environments this product deploys; each has a file in environments/. */
export const ENVIRONMENT_NAMES = ["dev", "staging", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export { TASK_TYPES, type TaskType } from "../../core/task-types";

/** Retention values that CloudWatch Logs' PutRetentionPolicy accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const SCHEDULE_NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** A Terraform resource address, optionally indexed: aws_s3_bucket.data, aws_scheduler_schedule.tasks["daily"]. */
const RESOURCE_ADDRESS = /^(module\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.)*[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]+\])?$/;
const PROJECT_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An integer in [min, max], with a message naming the range and the value received. */
function integerFrom(min: number, max: number) {
  return z.number().check(
    z.refine((v) => Number.isInteger(v) && v >= min && v <= max, {
      error: (issue) => `must be an integer from ${min} to ${max}, got ${String(issue.input)}`,
    }),
  );
}

function matching(pattern: RegExp, rule: string) {
  return z.string().check(
    z.refine((v) => pattern.test(v), {
      error: (issue) => `${rule}, got ${JSON.stringify(issue.input)}`,
    }),
  );
}

const rfc3339Instant = z.string().check(
  z.refine((v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)), {
    error: (issue) => `must be an RFC 3339 instant such as 2027-01-01T00:00:00Z, got ${JSON.stringify(issue.input)}`,
  }),
);

const httpsUrl = z.string().check(
  z.refine(
    (v) => {
      try {
        const url = new URL(v);
        return url.protocol === "https:" && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { error: (issue) => `must be an https:// URL, got ${JSON.stringify(issue.input)}` },
  ),
);

const notificationTargets = z.strictObject({
  email: z.array(matching(EMAIL, "must be an email address")),
  sms: z.array(matching(E164, "must be an E.164 phone number such as +15555550100")),
  https: z.array(httpsUrl),
});

export const scheduleSchema = z.strictObject({
  name: matching(SCHEDULE_NAME, "must be 1-64 characters of 0-9 a-z A-Z - _ ."),
  description: z.optional(z.string().check(z.refine((v) => v.length <= 512, { error: "must be at most 512 characters" }))),
  expression: z.string().check(
    z.superRefine((value, ctx) => {
      const reason = validateScheduleExpression(value);
      if (reason) ctx.addIssue({ code: "custom", message: reason });
    }),
  ),
  timezone: z.string().check(
    z.refine(isIanaTimeZone, {
      error: (issue) => `must be an IANA time zone name such as America/New_York (case-sensitive), got ${JSON.stringify(issue.input)}`,
    }),
  ),
  task: z.enum(TASK_TYPES, {
    error: (issue) => `must be one of ${TASK_TYPES.join(", ")}, got ${JSON.stringify(issue.input)}`,
  }),
  payload: z.optional(z.record(z.string(), z.unknown())),
  enabled: z.boolean(),
  flexibleWindowMinutes: z.number().check(
    z.refine((v) => v === 0 || (Number.isInteger(v) && v >= 1 && v <= 1440), {
      error: (issue) => `must be 0 (off) or an integer from 1 to 1440, got ${String(issue.input)}`,
    }),
  ),
  retry: z.strictObject({
    maxAttempts: integerFrom(0, 185),
    maxEventAgeSeconds: integerFrom(60, 86400),
  }),
  startDate: z.optional(rfc3339Instant),
  endDate: z.optional(rfc3339Instant),
});

export const environmentSchema = z.strictObject({
  /** dev, staging and prod in this repository; any such name for the construct and the module. */
  name: matching(ENVIRONMENT_NAME, "must start with a lower-case letter and hold only a-z 0-9 -").check(
    z.refine((v) => v.length <= 16, {
      error: (issue) => `must be at most 16 characters, got ${String(issue.input).length}`,
    }),
  ),
  account: matching(ACCOUNT, "must be a 12-digit AWS account id"),
  region: matching(REGION, "must be an AWS region such as us-east-1"),
  projectName: matching(PROJECT_NAME, "must start with a lower-case letter, end with a letter or digit and hold only a-z 0-9 -").check(
    z.refine((v) => v.length <= 24, {
      error: (issue) => `must be at most 24 characters, got ${String(issue.input).length}`,
    }),
  ),
  tags: z.record(
    z.string().check(
      z.refine((k) => k.length >= 1 && k.length <= 128 && !k.startsWith("aws:"), {
        error: "tag keys must be 1-128 characters and must not start with aws:",
      }),
    ),
    z.string().check(z.refine((v) => v.length <= 256, { error: "tag values must be at most 256 characters" })),
  ),
  /**
   * Where this repository's stack for the environment keeps its state. The construct ignores
   * it (the stack that holds the construct owns its backend).
   * @default none: required by this repository's stacks, optional for the construct
   */
  backend: z.optional(
    z.strictObject({
      bucket: matching(S3_BUCKET_NAME, "must be an S3 bucket name"),
      key: z.string().check(
        z.refine((v) => v.length > 0 && !v.startsWith("/"), {
          error: "must be a non-empty key that does not start with /",
        }),
      ),
      region: matching(REGION, "must be an AWS region such as us-east-1"),
    }),
  ),
  /** @default DEFAULT_STORAGE */
  storage: z.optional(
    z.strictObject({
      kmsKeyArn: z.optional(matching(KMS_KEY_ARN, "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")),
      noncurrentVersionExpirationDays: integerFrom(1, 3650),
      abortIncompleteMultipartUploadDays: integerFrom(1, 365),
    }),
  ),
  notifications: notificationTargets,
  /** What protects the data from a destroy. @default { preventDestroy: true } */
  protection: z.optional(
    z.strictObject({
      /** lifecycle.prevent_destroy on the data bucket and the KMS keys. */
      preventDestroy: z.boolean(),
    }),
  ),
  /**
   * Existing resources to use instead of creating them. `manage: false` uses one as it is (its
   * owner keeps its settings and policy); `manage: true` brings it under this stack with a
   * generated import block, and the stack then sets it up as if it had created it.
   */
  adopt: z.optional(
    z.strictObject({
      bucket: z.optional(z.strictObject({ name: matching(S3_BUCKET_NAME, "must be an S3 bucket name"), manage: z.boolean() })),
      notificationTopic: z.optional(
        z.strictObject({
          arn: matching(SNS_TOPIC_ARN, "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)"),
          manage: z.boolean(),
        }),
      ),
      operationsKey: z.optional(
        z.strictObject({
          arn: matching(KMS_KEY_ARN, "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"),
          manage: z.boolean(),
        }),
      ),
    }),
  ),
  /** Stateful resources a plan may delete or replace, each named by address with the reason. */
  destroyWaivers: z.optional(
    z.array(
      z.strictObject({
        address: matching(RESOURCE_ADDRESS, "must be a Terraform resource address such as aws_sqs_queue.work"),
        reason: z
          .string()
          .check(z.refine((v) => v.trim().length >= 10, { error: "must explain why the destroy is intended (10 characters or more)" })),
      }),
    ),
  ),
  /** Who receives alarms (on-call). @default the notification targets */
  operations: z.optional(notificationTargets),
  /** @default DEFAULT_ALARMS */
  alarms: z.optional(
    z.strictObject({
      /** Processor errors in 5 minutes that raise the alarm. */
      processorErrors: integerFrom(1, 1000),
      /** Throttled processor invocations in 5 minutes that raise the alarm. */
      processorThrottles: integerFrom(1, 1000),
      /** Alarm when the longest run in 5 minutes exceeds this share of the timeout. */
      durationPercentOfTimeout: integerFrom(10, 100),
      /** Messages waiting in the scheduler DLQ or the processor failure queue. */
      deadLetterMessages: integerFrom(1, 1000),
      /** EventBridge Scheduler target errors, dropped and throttled invocations in 5 minutes. */
      schedulerTargetErrors: integerFrom(1, 1000),
      schedulerDroppedInvocations: integerFrom(1, 1000),
      schedulerThrottledInvocations: integerFrom(1, 1000),
      /** Alarm when a batch has waited this long on the work queue. @default 3600 */
      workQueueAgeSeconds: z.optional(integerFrom(60, 1_209_600)),
    }),
  ),
  processor: z.strictObject({
    memoryMb: integerFrom(128, 10240),
    timeoutSeconds: integerFrom(1, 900),
    logRetentionDays: z.number().check(
      z.refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
        error: (issue) => `must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}), got ${String(issue.input)}`,
      }),
    ),
    asyncRetries: integerFrom(0, 2),
    /** Sources handled at once within one invocation (memory in flight is bounded separately). @default 16 */
    concurrency: z.optional(integerFrom(1, 64)),
  }),
  /**
   * Spreading a large run over the work queue. @default DEFAULT_FAN_OUT, with the per-invocation
   * limits derived from the processor's memory and timeout (see fanOutDefaults).
   */
  fanOut: z.optional(
    z.strictObject({
      /** Processor invocations working the queue at once (the event source's maximum concurrency). */
      maxConcurrency: integerFrom(2, 1000),
      /** Deliveries of a batch before it goes to the work dead-letter queue. */
      maxReceiveCount: integerFrom(1, 1000),
      /** Sources a run takes on in one invocation before it spreads them over the queue. */
      sourcesPerInvocation: z.optional(integerFrom(1, 1_000_000)),
      /** Bytes a run takes on in one invocation before it spreads them; larger sources are split. */
      bytesPerInvocation: z.optional(integerFrom(1_048_576, 1_099_511_627_776)),
    }),
  ),
  schedules: z.array(scheduleSchema),
  /** One-time schedules created through the scheduling API. @default DEFAULT_SCHEDULE_API */
  scheduleApi: z.optional(
    z.strictObject({
      retry: z.strictObject({
        maxAttempts: integerFrom(0, 185),
        maxEventAgeSeconds: integerFrom(60, 86400),
      }),
    }),
  ),
  /** Accepted exceptions to security rules (modules/security/rules.ts), each with its reason. */
  waivers: z.optional(
    z.array(
      z.strictObject({
        rule: z.string().check(
          z.refine((id) => RULE_IDS.includes(id), {
            error: (issue) => `must be a security rule id (${RULE_IDS.join(", ")}), got ${JSON.stringify(issue.input)}`,
          }),
        ),
        resource: z.optional(z.string().check(z.minLength(1, { error: "must not be empty" }))),
        reason: z.string().check(z.refine((v) => v.trim().length >= 10, { error: "must explain the exception (10 characters or more)" })),
      }),
    ),
  ),
});

/** An environment as written in its file: the operational blocks may be left out. */
export type EnvironmentFile = z.infer<typeof environmentSchema>;

/** An environment after validation, with every default filled in: what stacks are built from. */
export type EnvironmentConfig = Omit<EnvironmentFile, "processor" | "alarms" | "fanOut" | "protection"> & {
  readonly protection: NonNullable<EnvironmentFile["protection"]>;
  readonly storage: NonNullable<EnvironmentFile["storage"]>;
  readonly operations: NonNullable<EnvironmentFile["operations"]>;
  readonly alarms: Required<NonNullable<EnvironmentFile["alarms"]>>;
  readonly scheduleApi: NonNullable<EnvironmentFile["scheduleApi"]>;
  readonly processor: Required<EnvironmentFile["processor"]>;
  readonly fanOut: Required<NonNullable<EnvironmentFile["fanOut"]>>;
};

export const DEFAULT_STORAGE = { noncurrentVersionExpirationDays: 30, abortIncompleteMultipartUploadDays: 7 } as const;

/** Strict: one error, throttle, failed event or Scheduler problem is worth a look. */
export const DEFAULT_ALARMS = {
  processorErrors: 1,
  processorThrottles: 1,
  durationPercentOfTimeout: 80,
  deadLetterMessages: 1,
  schedulerTargetErrors: 1,
  schedulerDroppedInvocations: 1,
  schedulerThrottledInvocations: 1,
  workQueueAgeSeconds: 3600,
} as const;

/** Five workers at most, and five deliveries of a batch before it is set aside. */
export const DEFAULT_FAN_OUT = { maxConcurrency: 5, maxReceiveCount: 5 } as const;

/**
 * What one invocation is assumed to manage, for the defaults below: a small source costs about
 * 6 requests of ~50 ms on S3 (300 ms), handled `concurrency` at a time; data moves at about
 * 10 MB/s for a full vCPU (1769 MB of memory), measured by `npm run bench` with room to spare.
 * Half the time after the reserve is planned for, so a slow day still finishes.
 */
const SECONDS_PER_SMALL_SOURCE = 0.3;
const BYTES_PER_SECOND_PER_VCPU = 10 * 1024 * 1024;
const VCPU_MEMORY_MB = 1769;

/**
 * Sources handled at once. Small sources mostly wait on S3, so many at a time pay off whatever
 * the memory; the processor also bounds the bytes in flight by its memory (less ~128 MB).
 */
export const DEFAULT_CONCURRENCY = 16;

/** Per-invocation limits derived from the processor's memory, timeout and concurrency. */
export function fanOutDefaults(processor: { memoryMb: number; timeoutSeconds: number; concurrency: number }) {
  const working = Math.max(1, (processor.timeoutSeconds - Math.min(30, processor.timeoutSeconds / 2)) / 2);
  const sources = Math.floor((working * processor.concurrency) / SECONDS_PER_SMALL_SOURCE);
  const bytes = Math.floor(working * BYTES_PER_SECOND_PER_VCPU * Math.min(1, processor.memoryMb / VCPU_MEMORY_MB));
  return {
    sourcesPerInvocation: Math.min(10_000, Math.max(100, sources)),
    bytesPerInvocation: Math.max(16 * 1024 * 1024, bytes),
  };
}

export const DEFAULT_SCHEDULE_API = { retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 } } as const;

/** Fills in what a file may leave out; alarms go to the notification targets unless told otherwise. */
export function withDefaults(file: EnvironmentFile): EnvironmentConfig {
  const processor = { ...file.processor, concurrency: file.processor.concurrency ?? DEFAULT_CONCURRENCY };
  return {
    ...file,
    storage: file.storage ?? { ...DEFAULT_STORAGE },
    operations: file.operations ?? file.notifications,
    alarms: { ...DEFAULT_ALARMS, ...file.alarms },
    scheduleApi: file.scheduleApi ?? { retry: { ...DEFAULT_SCHEDULE_API.retry } },
    processor,
    fanOut: { ...DEFAULT_FAN_OUT, ...fanOutDefaults(processor), ...file.fanOut },
    protection: file.protection ?? { preventDestroy: true },
  };
}
export type ScheduleConfig = z.infer<typeof scheduleSchema>;
