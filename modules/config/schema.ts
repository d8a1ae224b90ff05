// zod/mini: classic zod costs ~45 ms more to load, a tenth of a whole synth.
import * as z from "zod/mini";
import { isAwsRegion } from "../../core/aws-regions";
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
  REGIONS,
  TAGS,
} from "../../core/config-rules";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../core/naming";
import { isIanaTimeZone, validateScheduleExpression } from "../../core/schedule-expression";
import { timeZoneSuggestion } from "../../core/schedule-expression/time-zone-suggestions";
import { TASK_TYPES } from "../../core/task-types";
import { SECURITY_RULE_IDS } from "./security-rule-ids";

export { LOG_RETENTION_DAYS } from "../../core/config-rules";
export { TASK_TYPES, type TaskType } from "../../core/task-types";

/** An integer in the range, with a message naming the range and the value received. */
function integerIn(range: IntegerRange) {
  return z.number().check(
    z.refine((v) => Number.isInteger(v) && v >= range.min && v <= range.max, {
      error: (issue) => `must be ${describeRange(range)}, got ${String(issue.input)}`,
    }),
  );
}

/** A string of the rule's shape (and, where given, passing a check a pattern cannot make). */
function matching({ pattern, rule }: PatternRule, alsoHolds: (value: string) => boolean = () => true) {
  const regex = new RegExp(pattern);
  return z.string().check(
    z.refine((v) => regex.test(v) && alsoHolds(v), {
      error: (issue) => `${rule}, got ${JSON.stringify(issue.input)}`,
    }),
  );
}

function atMost(length: number) {
  return z.maxLength(length, { error: (issue) => `must be at most ${length} characters, got ${String(issue.input).length}` });
}

const reason = (what: string) =>
  z
    .string()
    .check(
      z.refine((v) => v.trim().length >= MIN_REASON_LENGTH, { error: `must explain ${what} (${MIN_REASON_LENGTH} characters or more)` }),
    );

const rfc3339Instant = matching(PATTERNS.rfc3339, (v) => !Number.isNaN(Date.parse(v)));

const httpsUrl = matching(PATTERNS.httpsUrl, (v) => {
  try {
    return new URL(v).protocol === "https:";
  } catch {
    return false;
  }
});

const retryPolicy = z.strictObject({
  /** Attempts after the first. @default 3 (DEFAULTS.schedule.retry) */
  maxAttempts: integerIn(RANGES.retryMaxAttempts),
  /** How long Scheduler keeps trying an event. @default 3600 */
  maxEventAgeSeconds: integerIn(RANGES.retryMaxEventAgeSeconds),
});

const notificationTargets = z.strictObject({
  /** @default none */
  email: z.array(matching(PATTERNS.email)),
  /** @default none */
  sms: z.array(matching(PATTERNS.e164)),
  /** @default none */
  https: z.array(httpsUrl),
});

/** A tag key or value: AWS refuses other characters when it tags the resource, long after synth. */
const tagText = (what: string) => {
  const allowed = new RegExp(TAGS.characters.pattern, "u");
  return z.refine<string>((v) => allowed.test(v), {
    error: (issue) => `tag ${what} ${TAGS.characters.rule}, got ${JSON.stringify(issue.input)}`,
  });
};

export const scheduleSchema = z.strictObject({
  /** Unique in the environment's group; not the scheduling API's prefix (once-). @default none (required) */
  name: matching(PATTERNS.scheduleName).check(
    z.refine((v) => !v.startsWith(ONE_TIME_SCHEDULE_PREFIX), {
      error: (issue) => `${describeReservedScheduleName(ONE_TIME_SCHEDULE_PREFIX)}, got ${JSON.stringify(issue.input)}`,
    }),
  ),
  /** @default none */
  description: z.optional(z.string().check(atMost(MAX_LENGTHS.scheduleDescription))),
  /** `cron(...)`, `rate(...)` or `at(...)`, as EventBridge Scheduler reads them. @default none (required) */
  expression: z.string().check(
    z.superRefine((value, ctx) => {
      const problem = validateScheduleExpression(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  ),
  /** The IANA zone the expression is read in. @default none (required; the module's default is "UTC") */
  timezone: z.string().check(
    z.refine(isIanaTimeZone, {
      error: (issue) =>
        `must be an IANA time zone name such as America/New_York (case-sensitive), got ${JSON.stringify(issue.input)}` +
        timeZoneSuggestion(String(issue.input)),
    }),
  ),
  /** @default none (required) */
  task: z.enum(TASK_TYPES, {
    error: (issue) => `must be one of ${TASK_TYPES.join(", ")}, got ${JSON.stringify(issue.input)}`,
  }),
  /** The task's own fields (core/task-payloads.ts). @default {} */
  payload: z.optional(z.record(z.string(), z.unknown())),
  /** @default none (required; the module's default is true) */
  enabled: z.boolean(),
  /** Minutes Scheduler may spread a run over; 0 is off. @default none (required; the module's default is 0) */
  flexibleWindowMinutes: z.number().check(
    z.refine((v) => v === 0 || (Number.isInteger(v) && v >= RANGES.flexibleWindowMinutes.min && v <= RANGES.flexibleWindowMinutes.max), {
      error: (issue) => `must be 0 (off) or ${describeRange(RANGES.flexibleWindowMinutes)}, got ${String(issue.input)}`,
    }),
  ),
  /** @default none (required; the module's default is DEFAULTS.schedule.retry) */
  retry: retryPolicy,
  /** @default none: from now */
  startDate: z.optional(rfc3339Instant),
  /** @default none: for ever */
  endDate: z.optional(rfc3339Instant),
});

const bucketName = matching(PATTERNS.s3BucketName);
const kmsKeyArn = matching(PATTERNS.kmsKeyArn);
const regionShape = new RegExp(PATTERNS.region.pattern);
/** A region's name, and a region that exists: us-east-9 has the shape and no data centre. */
const region = z.string().check(
  z.superRefine((value, ctx) => {
    if (!regionShape.test(value)) ctx.addIssue({ code: "custom", message: `${PATTERNS.region.rule}, got ${JSON.stringify(value)}` });
    else if (!isAwsRegion(value)) ctx.addIssue({ code: "custom", message: `${REGIONS.rule}, got ${JSON.stringify(value)}` });
  }),
);
const alarmEvents = integerIn(RANGES.alarmEvents);
const principals = z.array(matching(PATTERNS.principalArn)).check(z.minLength(1, { error: "must name at least one principal" }));

export const environmentSchema = z.strictObject({
  /** dev, staging and prod in this repository; any such name for the construct and the module. @default none (required) */
  name: matching(PATTERNS.environmentName).check(atMost(MAX_LENGTHS.environmentName)),
  /** @default none (required; the module looks it up) */
  account: matching(PATTERNS.account),
  /** @default none (required; the module uses its provider's) */
  region,
  /** Prefix of every resource name. @default none (required) */
  projectName: matching(PATTERNS.projectName).check(atMost(MAX_LENGTHS.projectName)),
  /**
   * Tags for every resource that takes them: at most 50 a resource with those the product adds
   * (TAGS in core/config-rules.ts), in AWS's characters. @default none (required; may be {})
   */
  tags: z.record(
    z.string().check(
      z.refine((k) => k.length >= 1 && k.length <= MAX_LENGTHS.tagKey && !k.startsWith(TAGS.reservedKeyPrefix), {
        error: `tag keys must be 1-${MAX_LENGTHS.tagKey} characters and must not start with ${TAGS.reservedKeyPrefix}`,
      }),
      tagText("keys"),
    ),
    z.string().check(
      z.refine((v) => v.length <= MAX_LENGTHS.tagValue, { error: `tag values must be at most ${MAX_LENGTHS.tagValue} characters` }),
      tagText("values"),
    ),
  ),
  /**
   * Where this repository's stack for the environment keeps its state. The construct ignores
   * it (the stack that holds the construct owns its backend).
   * @default none: required by this repository's stacks, optional for the construct
   */
  backend: z.optional(
    z.strictObject({
      bucket: bucketName,
      key: z.string().check(
        z.refine((v) => v.length > 0 && !v.startsWith("/"), {
          error: "must be a non-empty key that does not start with /",
        }),
      ),
      region,
    }),
  ),
  /** @default DEFAULTS.storage: S3-managed encryption, 30 days of noncurrent versions, 7 of incomplete uploads */
  storage: z.optional(
    z.strictObject({
      /** SSE-KMS with this key. @default none: SSE-S3 */
      kmsKeyArn: z.optional(kmsKeyArn),
      noncurrentVersionExpirationDays: integerIn(RANGES.noncurrentVersionExpirationDays),
      abortIncompleteMultipartUploadDays: integerIn(RANGES.abortIncompleteMultipartUploadDays),
    }),
  ),
  /** Who receives task notices. @default none (required; lists may be empty) */
  notifications: notificationTargets,
  /** What protects the data from a destroy. @default DEFAULTS.protection ({ preventDestroy: true }) */
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
   * @default none: every resource created
   */
  adopt: z.optional(
    z.strictObject({
      bucket: z.optional(z.strictObject({ name: bucketName, manage: z.boolean() })),
      notificationTopic: z.optional(z.strictObject({ arn: matching(PATTERNS.snsTopicArn), manage: z.boolean() })),
      operationsKey: z.optional(z.strictObject({ arn: kmsKeyArn, manage: z.boolean() })),
    }),
  ),
  /**
   * Who else writes the data in and reads the results (modules/constructs/data-access.ts). Principals
   * in other accounts are granted in the bucket policy; those in this account get a managed policy
   * each producer and reader, to attach. @default none
   */
  access: z.optional(
    z.strictObject({
      /** aws:PrincipalOrgID required on every cross-account statement. @default none */
      organizationId: z.optional(matching(PATTERNS.organizationId)),
      /** Each may put objects under incoming/<prefix> only. @default [] */
      producers: z.optional(
        z.array(
          z.strictObject({
            name: matching(PATTERNS.accessName),
            principals: principals,
            /** @default none (required) */
            prefix: matching(PATTERNS.producerPrefix),
            /** Refuse uploads not encrypted with the bucket's KMS key (storage.kmsKeyArn). @default false */
            requireKms: z.optional(z.boolean()),
          }),
        ),
      ),
      /** Each may get and list objects under its prefixes only. @default [] */
      readers: z.optional(
        z.array(
          z.strictObject({
            name: matching(PATTERNS.accessName),
            principals: principals,
            prefixes: z
              .array(
                z.enum(READER_PREFIXES, {
                  error: (issue) => `must be one of ${READER_PREFIXES.join(", ")}, got ${JSON.stringify(issue.input)}`,
                }),
              )
              .check(z.minLength(1, { error: "must name at least one prefix" })),
          }),
        ),
      ),
    }),
  ),
  /** Stateful resources a plan may delete or replace, each named by address with the reason. @default none */
  destroyWaivers: z.optional(
    z.array(z.strictObject({ address: matching(PATTERNS.resourceAddress), reason: reason("why the destroy is intended") })),
  ),
  /** Who receives alarms (on-call). @default the notification targets */
  operations: z.optional(notificationTargets),
  /** @default DEFAULTS.alarms (one event of any kind; 80% of the timeout; an hour on the work queue) */
  alarms: z.optional(
    z.strictObject({
      /** Processor errors in 5 minutes that raise the alarm. @default 1 */
      processorErrors: alarmEvents,
      /** Throttled processor invocations in 5 minutes that raise the alarm. @default 1 */
      processorThrottles: alarmEvents,
      /** Alarm when the longest run in 5 minutes exceeds this share of the timeout. @default 80 */
      durationPercentOfTimeout: integerIn(RANGES.durationPercentOfTimeout),
      /** Messages waiting in the scheduler DLQ or the processor failure queue. @default 1 */
      deadLetterMessages: alarmEvents,
      /** EventBridge Scheduler target errors in 5 minutes. @default 1 */
      schedulerTargetErrors: alarmEvents,
      /** EventBridge Scheduler dropped invocations in 5 minutes. @default 1 */
      schedulerDroppedInvocations: alarmEvents,
      /** EventBridge Scheduler throttled invocations in 5 minutes. @default 1 */
      schedulerThrottledInvocations: alarmEvents,
      /** Alarm when a batch has waited this long on the work queue. @default 3600 */
      workQueueAgeSeconds: z.optional(integerIn(RANGES.workQueueAgeSeconds)),
    }),
  ),
  processor: z.strictObject({
    /** @default none (required; the module's default is 512) */
    memoryMb: integerIn(RANGES.memoryMb),
    /** @default none (required; the module's default is 300) */
    timeoutSeconds: integerIn(RANGES.timeoutSeconds),
    /** @default none (required; the module's default is 30) */
    logRetentionDays: z.number().check(
      z.refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
        error: (issue) => `must be a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(", ")}), got ${String(issue.input)}`,
      }),
    ),
    /** Lambda's retries of an asynchronous invocation. @default none (required; the module's default is 2) */
    asyncRetries: integerIn(RANGES.asyncRetries),
    /** Sources handled at once within one invocation (memory in flight is bounded separately). @default 16 */
    concurrency: z.optional(integerIn(RANGES.concurrency)),
    /** The three functions' POWERTOOLS_LOG_LEVEL. @default "INFO" */
    logLevel: z.optional(
      z.enum(LOG_LEVELS, { error: (issue) => `must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(issue.input)}` }),
    ),
    /** X-Ray tracing of the three functions (mode Active, the Powertools Tracer on every AWS client). @default false */
    tracing: z.optional(z.boolean()),
  }),
  /**
   * Spreading a large run over the work queue. @default DEFAULTS.fanOut, with the per-invocation
   * limits derived from the processor's memory and timeout (core/fan-out-sizing.ts).
   */
  fanOut: z.optional(
    z.strictObject({
      /** Processor invocations working the queue at once (the event source's maximum concurrency). @default 5 */
      maxConcurrency: integerIn(RANGES.fanOutMaxConcurrency),
      /** Deliveries of a batch before it goes to the work dead-letter queue. @default 5 */
      maxReceiveCount: integerIn(RANGES.maxReceiveCount),
      /** Sources a run takes on in one invocation before it spreads them over the queue. @default fanOutDefaults */
      sourcesPerInvocation: z.optional(integerIn(RANGES.sourcesPerInvocation)),
      /** Bytes a run takes on in one invocation before it spreads them; larger sources are split. @default fanOutDefaults */
      bytesPerInvocation: z.optional(integerIn(RANGES.bytesPerInvocation)),
    }),
  ),
  /** @default none (required; may be empty) */
  schedules: z.array(scheduleSchema),
  /** One-time schedules created through the scheduling API. @default DEFAULTS.scheduleApi (3 attempts within an hour) */
  scheduleApi: z.optional(z.strictObject({ retry: retryPolicy })),
  /** Accepted exceptions to security rules (modules/tooling/security/rules/), each with its reason. @default none */
  waivers: z.optional(
    z.array(
      z.strictObject({
        rule: z.string().check(
          z.refine((id) => (SECURITY_RULE_IDS as readonly string[]).includes(id), {
            error: (issue) => `must be a security rule id (${SECURITY_RULE_IDS.join(", ")}), got ${JSON.stringify(issue.input)}`,
          }),
        ),
        /** The one resource the exception covers. @default every resource the rule flags */
        resource: z.optional(z.string().check(z.minLength(1, { error: "must not be empty" }))),
        reason: reason("the exception"),
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

export type ScheduleConfig = z.infer<typeof scheduleSchema>;
