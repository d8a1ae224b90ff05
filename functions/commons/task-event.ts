// zod/mini: the processor loads this at cold start, where classic zod costs ~25 ms more.
import * as z from "zod/mini";
import { MAX_SCHEDULE_NAME_LENGTH, PATTERNS, SCHEDULE_NAME_CHARACTERS } from "../../core/config-rules";
import { TASK_TYPES } from "../../core/task-types";
import { describeIssue } from "../../core/zod-messages";
import { InvalidEventError } from "./errors/invalid-event-error";

export { TASK_TYPES, type TaskType } from "../../core/task-types";

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO-8601 instant whose every part is real: `2026-02-30T10:00:00Z` is refused, where
 * Date.parse would quietly read it as March 2.
 */
export function isRealInstant(text: string): boolean {
  const match = ISO_INSTANT.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = match[8] === "Z" || (Number(match[9]) <= 23 && Number(match[10]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

/** The input a schedule sends (modules/schedule-input.ts builds it). */
export const taskEventSchema = z.object({
  task_type: z.enum(TASK_TYPES, {
    error: (issue) => `must be one of ${TASK_TYPES.join(", ")}, got ${JSON.stringify(issue.input)}`,
  }),
  payload: z._default(z.record(z.string(), z.unknown()), {}),
  schedule: z.string().check(
    z.regex(new RegExp(PATTERNS.scheduleName.pattern), {
      error: `must be a schedule name (1-${MAX_SCHEDULE_NAME_LENGTH} of ${SCHEDULE_NAME_CHARACTERS})`,
    }),
  ),
  environment: z.string().check(z.minLength(1, { error: "must not be empty" })),
  scheduled_time: z.string().check(
    z.refine(isRealInstant, {
      error: (issue) => `must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got ${JSON.stringify(issue.input)}`,
    }),
  ),
  execution_id: z.string().check(z.minLength(1, { error: "must not be empty" })),
  attempt_number: z.optional(z.union([z.string(), z.number()])),
});

export type TaskEvent = z.infer<typeof taskEventSchema>;

/** Parses an invocation event, or throws InvalidEventError naming the first bad field. */
export function parseTaskEvent(raw: unknown): TaskEvent {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const kind = raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw;
    throw new InvalidEventError("<event>", `must be a JSON object, got ${kind}`);
  }
  return parseWith(taskEventSchema, raw, "");
}

/** Parses `value` with `schema`; a failure names the field (under `prefix`) and the reason. */
export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue.code === "unrecognized_keys" ? [issue.keys[0]] : [];
  const path = [...issue.path, ...key]
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
  const field = [prefix, path].filter((part) => part.length > 0).join(".") || "<event>";
  throw new InvalidEventError(field, issue.code === "unrecognized_keys" ? "unknown field" : issue.message);
}
