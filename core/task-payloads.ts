// zod/mini: the processor loads this at cold start, where classic zod costs ~25 ms more.
import * as z from "zod/mini";
import { describeRange, RANGES } from "./config-rules";
import type { TaskType } from "./task-types";

const notifyOnSuccess = z.optional(z.boolean());

const periodHours = z.optional(
  z.number().check(
    z.refine((v) => Number.isInteger(v) && v >= RANGES.periodHours.min && v <= RANGES.periodHours.max, {
      error: (issue) => `must be ${describeRange(RANGES.periodHours)} (a leap year), got ${String(issue.input)}`,
    }),
  ),
);

/** Longest prefix below incoming/: with `incoming/` it is S3's longest key, 1,024 bytes. */
export const MAX_PREFIX_BYTES = 1024 - "incoming/".length;
/** Required fields a data_processing payload may name, and the longest name. */
export const MAX_REQUIRED_FIELDS = 100;
export const MAX_FIELD_NAME_LENGTH = 256;

const utf8 = new TextEncoder();
const utf8Bytes = (text: string) => utf8.encode(text).length;

const quoted = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 60 ? text : `${text.slice(0, 60)}... (${text.length} characters)`;
};

/** A key prefix below incoming/: relative, no `..`, so a payload cannot reach other areas. */
const relativePrefix = z.string().check(
  z.refine((v) => v.length > 0 && !v.startsWith("/") && !v.split("/").includes(".."), {
    error: (issue) => `must be a relative prefix under incoming/ without "..", got ${quoted(issue.input)}`,
  }),
  z.refine((v) => utf8Bytes(v) <= MAX_PREFIX_BYTES, {
    error: (issue) =>
      `must be at most ${MAX_PREFIX_BYTES} bytes (with incoming/, S3's longest key), got ${utf8Bytes(issue.input as string)}`,
  }),
);

export const dataProcessingPayloadSchema = z.strictObject({
  prefix: z.optional(relativePrefix),
  requiredFields: z.optional(
    z
      .array(
        z
          .string()
          .check(
            z.minLength(1, { error: "field names must not be empty" }),
            z.maxLength(MAX_FIELD_NAME_LENGTH, { error: `field names must be at most ${MAX_FIELD_NAME_LENGTH} characters` }),
          ),
      )
      .check(z.maxLength(MAX_REQUIRED_FIELDS, { error: `must name at most ${MAX_REQUIRED_FIELDS} fields` })),
  ),
  notifyOnSuccess,
});

export const reportPayloadSchema = z.strictObject({
  /** Hours before scheduled_time that the report covers. @default 24 */
  periodHours,
  notifyOnSuccess,
});

export const notificationPayloadSchema = z.strictObject({
  /** Hours before scheduled_time that the digest covers. @default 24 */
  periodHours,
});

/** Each task's payload schema: checked in config validation and again by the processor. */
export const TASK_PAYLOAD_SCHEMAS: Record<TaskType, z.ZodMiniType> = {
  data_processing: dataProcessingPayloadSchema,
  report: reportPayloadSchema,
  notification: notificationPayloadSchema,
};
