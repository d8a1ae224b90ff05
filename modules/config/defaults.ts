import { DEFAULTS } from "../../core/config-defaults";
import { fanOutDefaults } from "../../core/fan-out-sizing";
import type { EnvironmentConfig, EnvironmentFile } from "./schema";

// The defaults under the names the config's callers have used since 0.1.
export const DEFAULT_STORAGE = DEFAULTS.storage;
export const DEFAULT_ALARMS = DEFAULTS.alarms;
export const DEFAULT_FAN_OUT = DEFAULTS.fanOut;
export const DEFAULT_SCHEDULE_API = DEFAULTS.scheduleApi;
export const DEFAULT_CONCURRENCY = DEFAULTS.processor.concurrency;
export { fanOutDefaults };

/** Fills in what a file may leave out; alarms go to the notification targets unless told otherwise. */
export function withDefaults(file: EnvironmentFile): EnvironmentConfig {
  const processor = {
    ...file.processor,
    concurrency: file.processor.concurrency ?? DEFAULT_CONCURRENCY,
    logLevel: file.processor.logLevel ?? DEFAULTS.processor.logLevel,
    tracing: file.processor.tracing ?? DEFAULTS.processor.tracing,
  };
  return {
    ...file,
    storage: file.storage ?? { ...DEFAULTS.storage },
    operations: file.operations ?? file.notifications,
    alarms: { ...DEFAULTS.alarms, ...file.alarms },
    scheduleApi: file.scheduleApi ?? { retry: { ...DEFAULTS.scheduleApi.retry } },
    processor,
    fanOut: { ...DEFAULTS.fanOut, ...fanOutDefaults(processor), ...file.fanOut },
    protection: file.protection ?? { ...DEFAULTS.protection },
  };
}
