import { DEFAULTS } from "../../core/config-defaults";
import { fanOutDefaults } from "../../core/fan-out-sizing";
import { ENVIRONMENT } from "./fields/environment";
import { type Field, fieldsOf } from "./fields/field";
import type { EnvironmentConfig, EnvironmentFile } from "./schema";

// The defaults under the names the config's callers have used since 0.1.
export const DEFAULT_STORAGE = DEFAULTS.storage;
export const DEFAULT_ALARMS = DEFAULTS.alarms;
export const DEFAULT_FAN_OUT = DEFAULTS.fanOut;
export const DEFAULT_SCHEDULE_API = DEFAULTS.scheduleApi;
export const DEFAULT_CONCURRENCY = DEFAULTS.processor.concurrency;
export { fanOutDefaults };

type Raw = Record<string, unknown>;

/**
 * Fills in what a file may leave out, field by field as the descriptions say (fields/); then the
 * defaults computed from other fields: alarms go to the notification targets unless told
 * otherwise, and the fan-out limits follow the processor's memory and timeout. The construct's
 * own defaults (account, region, projectName from its stack) are filled in before this.
 */
export function withDefaults(file: EnvironmentFile): EnvironmentConfig {
  const filled = filledObject(ENVIRONMENT.fields, file as unknown as Raw);
  const processor = filled.processor as EnvironmentConfig["processor"];
  const fanOut = filled.fanOut as Raw;
  return {
    ...filled,
    operations: filled.operations ?? filled.notifications,
    fanOut: { ...fanOutDefaults(processor), ...fanOut },
  } as unknown as EnvironmentConfig;
}

function filledObject(fields: Readonly<Record<string, Field>>, given: Raw): Raw {
  const result: Raw = { ...given };
  for (const { key, field } of fieldsOf({ kind: "object", typeName: "", description: "", fields }, "config")) {
    const value = filled(field, given[key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** A field's value with its defaults: the value given (its own fields filled in), else the field's default. */
function filled(field: Field, given: unknown): unknown {
  if (field.defaultAtRunTime) return given;
  const value = given ?? (field.default === undefined ? undefined : structuredClone(field.default));
  if (value === undefined || value === null) return value;
  if (field.kind === "object" && typeof value === "object" && !Array.isArray(value)) return filledObject(field.fields, value as Raw);
  if (field.kind === "list" && Array.isArray(value)) return value.map((item) => filled(field.item, item));
  if (field.kind === "map" && typeof value === "object" && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value as Raw).map(([key, inner]) => [key, filled(field.value, inner)]));
  return value;
}
