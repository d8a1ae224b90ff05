import { DEFAULT_ALARMS, DEFAULT_CONCURRENCY, DEFAULT_FAN_OUT, DEFAULT_SCHEDULE_API, DEFAULT_STORAGE } from "../config/schema";

/**
 * What the module fills in for an input left out, in the config's spelling. The HCL variables
 * and `config -- check` of a module input file both read it, so the file is checked with the
 * values Terraform will apply. Where the stacks have a default, it is the same one.
 */
export const MODULE_DEFAULTS = {
  processor: { memoryMb: 512, timeoutSeconds: 300, logRetentionDays: 30, asyncRetries: 2, concurrency: DEFAULT_CONCURRENCY },
  storage: DEFAULT_STORAGE,
  alarms: DEFAULT_ALARMS,
  fanOut: DEFAULT_FAN_OUT,
  scheduleApiRetry: DEFAULT_SCHEDULE_API.retry,
  schedule: { timezone: "UTC", enabled: true, flexibleWindowMinutes: 0, retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 } },
} as const;
