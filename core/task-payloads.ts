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

/** A key prefix below incoming/: relative, no `..`, so a payload cannot reach other areas. */
const relativePrefix = z.string().check(
  z.refine((v) => v.length > 0 && !v.startsWith("/") && !v.split("/").includes(".."), {
    error: (issue) => `must be a relative prefix under incoming/ without "..", got ${JSON.stringify(issue.input)}`,
  }),
);

export const dataProcessingPayloadSchema = z.strictObject({
  prefix: z.optional(relativePrefix),
  requiredFields: z.optional(z.array(z.string().check(z.minLength(1, { error: "field names must not be empty" })))),
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
