/**
 * What every optional config field is when left out, stated once. The stacks' config
 * (modules/config/defaults.ts), the module's variable defaults and the functions' own fallbacks
 * all read it, so a field means the same thing from TypeScript, from HCL and at run time.
 */
export const DEFAULTS = {
  /** The processor when the module's `processor` input leaves a field out (the stacks' files say it). */
  processor: {
    memoryMb: 512,
    timeoutSeconds: 300,
    logRetentionDays: 30,
    asyncRetries: 2,
    concurrency: 16,
    logLevel: "INFO",
    /** Off unless an environment turns it on: X-Ray bills per trace. */
    tracing: false,
  },
  storage: { noncurrentVersionExpirationDays: 30, abortIncompleteMultipartUploadDays: 7 },
  /** Strict: one error, throttle, failed event or Scheduler problem is worth a look. */
  alarms: {
    processorErrors: 1,
    processorThrottles: 1,
    durationPercentOfTimeout: 80,
    deadLetterMessages: 1,
    schedulerTargetErrors: 1,
    schedulerDroppedInvocations: 1,
    schedulerThrottledInvocations: 1,
    workQueueAgeSeconds: 3600,
  },
  /** Five workers at most, and five deliveries of a batch before it is set aside. */
  fanOut: { maxConcurrency: 5, maxReceiveCount: 5 },
  scheduleApi: { retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 } },
  schedule: { timezone: "UTC", enabled: true, flexibleWindowMinutes: 0, retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 } },
  protection: { preventDestroy: true },
} as const;
