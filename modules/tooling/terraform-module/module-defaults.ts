import { DEFAULTS } from "../../../core/config-defaults";

/**
 * What the module fills in for an input left out, in the config's spelling. The HCL variables
 * and `config -- check` of a module input file both read it, so the file is checked with the
 * values Terraform will apply. Where the stacks have a default, it is the same one (one table:
 * core/config-defaults.ts).
 */
export const MODULE_DEFAULTS = {
  processor: DEFAULTS.processor,
  storage: DEFAULTS.storage,
  alarms: DEFAULTS.alarms,
  fanOut: DEFAULTS.fanOut,
  scheduleApiRetry: DEFAULTS.scheduleApi.retry,
  schedule: DEFAULTS.schedule,
} as const;
