import { LOG_LEVELS, LOG_RETENTION_DAYS, PATTERNS, RANGES } from "../../../core/config-rules";
import { httpsUrl } from "./checks";
import type { ObjectField } from "./field";

/** Who receives notices: the same three lists for task notices and for alarms. */
export function notificationTargets(description: string, extra: Partial<ObjectField> = {}): ObjectField {
  return {
    kind: "object",
    typeName: "NotificationTargets",
    description,
    ...extra,
    fields: {
      email: {
        kind: "list",
        itemName: "address",
        default: [],
        item: { kind: "string", pattern: PATTERNS.email, description: "An email address." },
        description: "Email addresses (each recipient confirms the subscription).",
      },
      sms: {
        kind: "list",
        itemName: "number",
        default: [],
        item: { kind: "string", pattern: PATTERNS.e164, description: "A phone number." },
        description: "Phone numbers in E.164 form, such as `+15555550100`.",
      },
      https: {
        kind: "list",
        itemName: "url",
        default: [],
        item: { kind: "string", checks: [httpsUrl], description: "An endpoint." },
        description: "`https://` endpoints (each confirms the subscription).",
      },
    },
  };
}

export const storageField: ObjectField = {
  kind: "object",
  typeName: "StorageSettings",
  default: {},
  description: "The task bucket: its encryption and how long it keeps old versions and incomplete uploads.",
  fields: {
    bucketName: {
      kind: "string",
      pattern: PATTERNS.s3BucketName,
      only: "module",
      optional: true,
      defaultText: "`<project_name>-<environment>-data-<account>`",
      description: "The bucket's name.",
    },
    kmsKeyArn: {
      kind: "string",
      pattern: PATTERNS.kmsKeyArn,
      optional: true,
      defaultText: "SSE-S3",
      description: "Encrypt with SSE-KMS and this key (with an S3 Bucket Key).",
    },
    noncurrentVersionExpirationDays: {
      kind: "integer",
      range: RANGES.noncurrentVersionExpirationDays,
      default: 30,
      description: "Days before replaced or deleted object versions expire.",
    },
    abortIncompleteMultipartUploadDays: {
      kind: "integer",
      range: RANGES.abortIncompleteMultipartUploadDays,
      default: 7,
      description: "Days before incomplete multipart uploads are aborted.",
    },
  },
};

export const processorField: ObjectField = {
  kind: "object",
  typeName: "ProcessorSettings",
  default: {},
  description: "The processor Lambda function, and the log level and tracing of all three functions.",
  fields: {
    memoryMb: { kind: "integer", range: RANGES.memoryMb, default: 512, description: "Memory of the processor, in MB." },
    timeoutSeconds: { kind: "integer", range: RANGES.timeoutSeconds, default: 300, description: "Timeout of one invocation, in seconds." },
    logRetentionDays: {
      kind: "number",
      oneOf: LOG_RETENTION_DAYS,
      what: "a CloudWatch Logs retention",
      default: 30,
      description: "Days the functions' log groups keep events.",
    },
    asyncRetries: {
      kind: "integer",
      range: RANGES.asyncRetries,
      default: 2,
      description: "Lambda's retries of a failed asynchronous invocation before the event goes to the failure queue.",
    },
    concurrency: {
      kind: "integer",
      range: RANGES.concurrency,
      default: 16,
      description: "Sources handled at once within one invocation (the bytes they hold are bounded by memory separately).",
    },
    logLevel: {
      kind: "string",
      values: LOG_LEVELS,
      default: "INFO",
      description: "`POWERTOOLS_LOG_LEVEL` of the three functions.",
    },
    tracing: {
      kind: "boolean",
      default: false,
      description:
        "X-Ray tracing of the three functions: tracing mode Active and the Powertools Tracer on every AWS client (X-Ray bills per trace).",
    },
  },
};

export const alarmsField: ObjectField = {
  kind: "object",
  typeName: "AlarmThresholds",
  default: {},
  description: "When the alarms go off. Strict by default: one error, throttle, failed event or Scheduler problem is worth a look.",
  fields: {
    processorErrors: {
      kind: "integer",
      range: RANGES.alarmEvents,
      default: 1,
      description: "Processor errors in 5 minutes that raise the alarm.",
    },
    processorThrottles: {
      kind: "integer",
      range: RANGES.alarmEvents,
      default: 1,
      description: "Throttled processor invocations in 5 minutes that raise the alarm.",
    },
    durationPercentOfTimeout: {
      kind: "integer",
      range: RANGES.durationPercentOfTimeout,
      default: 80,
      description: "Alarm when the longest run in 5 minutes takes more than this share of the timeout, in percent.",
    },
    deadLetterMessages: {
      kind: "integer",
      range: RANGES.alarmEvents,
      default: 1,
      description: "Messages waiting in a failure or dead-letter queue that raise the alarm.",
    },
    schedulerTargetErrors: {
      kind: "integer",
      range: RANGES.alarmEvents,
      default: 1,
      description: "Scheduler target errors in 5 minutes that raise the alarm.",
    },
    schedulerDroppedInvocations: {
      kind: "integer",
      range: RANGES.alarmEvents,
      default: 1,
      description: "Invocations Scheduler dropped in 5 minutes that raise the alarm.",
    },
    schedulerThrottledInvocations: {
      kind: "integer",
      range: RANGES.alarmEvents,
      default: 1,
      description: "Invocations Scheduler throttled in 5 minutes that raise the alarm.",
    },
    workQueueAgeSeconds: {
      kind: "integer",
      range: RANGES.workQueueAgeSeconds,
      default: 3600,
      description: "Alarm when a batch has waited this long on the work queue, in seconds.",
    },
  },
};

export const fanOutField: ObjectField = {
  kind: "object",
  typeName: "FanOutSettings",
  default: {},
  description: "Spreading a large run over the work queue, worked by several processor invocations at once.",
  fields: {
    maxConcurrency: {
      kind: "integer",
      range: RANGES.fanOutMaxConcurrency,
      default: 5,
      description: "Processor invocations working the queue at once (the event source's maximum concurrency).",
    },
    maxReceiveCount: {
      kind: "integer",
      range: RANGES.maxReceiveCount,
      default: 5,
      description: "Deliveries of a batch before it is set aside in the work dead-letter queue.",
    },
    sourcesPerInvocation: {
      kind: "integer",
      range: RANGES.sourcesPerInvocation,
      defaultText: "from the processor's timeout and concurrency",
      description: "Sources a run takes on in one invocation before it spreads them over the queue.",
    },
    bytesPerInvocation: {
      kind: "integer",
      range: RANGES.bytesPerInvocation,
      defaultText: "from the processor's timeout and memory",
      description: "Bytes a run takes on in one invocation before it spreads them; a larger source is cut into byte ranges of half this.",
    },
  },
};
