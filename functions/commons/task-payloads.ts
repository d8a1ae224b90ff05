import { z } from "zod";
import type { TaskType } from "./task-event";

const notifyOnSuccess = z.boolean().optional();

const periodHours = z
  .number()
  .refine((v) => Number.isInteger(v) && v >= 1 && v <= 8784, {
    error: (issue) => `must be an integer from 1 to 8784 (a leap year), got ${String(issue.input)}`,
  })
  .optional();

/** A key prefix below incoming/: relative, no `..`, so a payload cannot reach other areas. */
const relativePrefix = z.string().refine((v) => v.length > 0 && !v.startsWith("/") && !v.split("/").includes(".."), {
  error: (issue) => `must be a relative prefix under incoming/ without "..", got ${JSON.stringify(issue.input)}`,
});

export const dataProcessingPayloadSchema = z.strictObject({
  prefix: relativePrefix.optional(),
  requiredFields: z.array(z.string().min(1, { error: "field names must not be empty" })).optional(),
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
export const TASK_PAYLOAD_SCHEMAS: Record<TaskType, z.ZodType> = {
  data_processing: dataProcessingPayloadSchema,
  report: reportPayloadSchema,
  notification: notificationPayloadSchema,
};

export type DataProcessingPayload = z.infer<typeof dataProcessingPayloadSchema>;
export type ReportPayload = z.infer<typeof reportPayloadSchema>;
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;
