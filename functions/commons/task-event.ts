// zod/mini: the processor loads this at cold start, where classic zod costs ~25 ms more.
import * as z from "zod/mini";
import { MAX_LENGTHS, MAX_SCHEDULE_NAME_LENGTH, PATTERNS, SCHEDULE_NAME_CHARACTERS } from "../../core/config-rules";
import { excludedEntryProblem, MAX_EXCLUDED_DATES } from "../../core/excluded-dates";
import { isIanaTimeZone } from "../../core/schedule-expression/time-zone";
import { TASK_TYPES, type TaskType } from "../../core/task-types";
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

/**
 * How large an event and its fields may be. An event is a few hundred bytes (modules/schedule-input.ts
 * builds it); these bounds are far above that and far below what Lambda, SQS and SNS carry, so
 * an event that passes can always be rejected, announced and kept whole if it must be.
 */
export const EVENT_LIMITS = {
  /** The whole event as JSON, in bytes. */
  eventBytes: 64 * 1024,
  /** EventBridge Scheduler's execution ids are UUIDs (36). */
  executionIdLength: 128,
  /** The longest ISO-8601 instant worth reading (nanoseconds and an offset fit). */
  scheduledTimeLength: 40,
  /** Scheduler retries at most 185 times. */
  attemptNumber: 1_000,
  /** The longest IANA zone name is 32 characters (America/Argentina/ComodRivadavia). */
  timezoneLength: 64,
  /** A schedule's excluded dates: as many as the config allows, each a day or a range of days. */
  excludedDates: MAX_EXCLUDED_DATES,
  excludedEntryLength: "yyyy-mm-dd/yyyy-mm-dd".length,
} as const;

const ENVIRONMENT_PATTERN = new RegExp(PATTERNS.environmentName.pattern);

/** A received value in a message: quoted, and cut so a huge one cannot make the message huge. */
export function quoteValue(value: unknown, longest = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= longest ? text : `${text.slice(0, longest)}... (${text.length} characters)`;
}

/**
 * The input a schedule sends (core/schedule-input.ts builds it) to a function that runs the
 * tasks `taskNames`: the processor's built-in tasks, or one own task; any other field is refused.
 */
export function taskEventSchemaFor(taskNames: readonly [string, ...string[]]) {
  return z.strictObject({
    task_type: z.enum(taskNames, {
      // Said as an unknown task, so a misdirected event (an own task's, a target's input) is plain in failed/.
      error: (issue) =>
        issue.input === undefined
          ? `unknown task: the event names none (an input meant for another target?); this function runs ${taskNames.join(", ")}`
          : `unknown task ${quoteValue(issue.input)}: this function runs ${taskNames.join(", ")}`,
    }),
    payload: z._default(z.record(z.string(), z.unknown()), {}),
    schedule: z.string().check(
      z.regex(new RegExp(PATTERNS.scheduleName.pattern), {
        error: `must be a schedule name (1-${MAX_SCHEDULE_NAME_LENGTH} of ${SCHEDULE_NAME_CHARACTERS})`,
      }),
    ),
    environment: z.string().check(
      z.refine((value) => value.length <= MAX_LENGTHS.environmentName && ENVIRONMENT_PATTERN.test(value), {
        error: (issue) =>
          `must be an environment name (${PATTERNS.environmentName.rule}, at most ${MAX_LENGTHS.environmentName} characters), ` +
          `got ${quoteValue(issue.input)}`,
      }),
    ),
    scheduled_time: z.string().check(
      z.refine((value) => value.length <= EVENT_LIMITS.scheduledTimeLength && isRealInstant(value), {
        error: (issue) => `must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got ${quoteValue(issue.input)}`,
      }),
    ),
    execution_id: z.string().check(
      z.minLength(1, { error: "must not be empty" }),
      z.maxLength(EVENT_LIMITS.executionIdLength, {
        error: (issue) => `must be at most ${EVENT_LIMITS.executionIdLength} characters, got ${(issue.input as string).length}`,
      }),
    ),
    attempt_number: z.optional(
      z.union([z.string(), z.number()]).check(
        z.refine((value) => isAttemptNumber(value), {
          error: (issue) => `must be a whole number from 1 to ${EVENT_LIMITS.attemptNumber}, got ${quoteValue(issue.input)}`,
        }),
      ),
    ),
    /** The schedule's IANA zone: the zone its excluded dates are local dates of. @default "UTC" */
    timezone: z.optional(
      z.string().check(
        z.refine((value) => value.length <= EVENT_LIMITS.timezoneLength && isIanaTimeZone(value), {
          error: (issue) => `must be an IANA time zone name such as Europe/London, got ${quoteValue(issue.input)}`,
        }),
      ),
    ),
    /** The schedule's excluded dates (core/excluded-dates.ts): a run on one is recorded as skipped. @default none */
    exclude: z.optional(
      z
        .array(
          z.string().check(
            z.refine((entry) => excludedDateProblem(entry) === undefined, {
              error: (issue) => excludedDateProblem(issue.input as string),
            }),
          ),
        )
        .check(
          z.maxLength(EVENT_LIMITS.excludedDates, {
            error: (issue) => `must hold at most ${EVENT_LIMITS.excludedDates} entries, got ${(issue.input as unknown[]).length}`,
          }),
        ),
    ),
  });
}

/** The input a schedule sends to the processor. */
export const taskEventSchema = taskEventSchemaFor(TASK_TYPES);
const schemasByTasks = new Map<string, ReturnType<typeof taskEventSchemaFor>>([[TASK_TYPES.join("\n"), taskEventSchema]]);

/** What is wrong with one excluded date; a text too long to be one is quoted cut short. */
function excludedDateProblem(entry: string): string | undefined {
  if (entry.length > EVENT_LIMITS.excludedEntryLength)
    return `must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got ${quoteValue(entry)}`;
  return excludedEntryProblem(entry);
}

function isAttemptNumber(value: string | number): boolean {
  const number = typeof value === "number" ? value : /^[0-9]{1,6}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(number) && number >= 1 && number <= EVENT_LIMITS.attemptNumber;
}

/** A checked event; `task_type` is a built-in task's type, or an own task's name. */
export type TaskEvent = Omit<z.infer<typeof taskEventSchema>, "task_type"> & { readonly task_type: string };
/** A checked event for the processor: `task_type` one of its built-in tasks. */
export type ProcessorEvent = TaskEvent & { readonly task_type: TaskType };

/**
 * Parses an invocation event, or throws InvalidEventError naming the first bad field; all of it
 * before any work. The event must be an object with no `__proto__` key at any depth (a JSON
 * reader makes it an own key; copying it would set a prototype instead and the value would
 * vanish, so it is refused rather than dropped), every field within its bounds, and the whole
 * at most EVENT_LIMITS.eventBytes as JSON.
 */
export function parseTaskEvent(raw: unknown): ProcessorEvent;
export function parseTaskEvent(raw: unknown, taskNames: readonly [string, ...string[]]): TaskEvent;
export function parseTaskEvent(raw: unknown, taskNames?: readonly [string, ...string[]]): TaskEvent {
  checkEventEnvelope(raw);
  const names = (taskNames ?? TASK_TYPES).join("\n");
  if (!schemasByTasks.has(names)) schemasByTasks.set(names, taskEventSchemaFor(taskNames!));
  const event = parseWith(schemasByTasks.get(names)!, raw, "");
  checkEventSize(raw);
  return event;
}

/** The checks every event passes before its fields are read (scheduled events and work batches alike). */
export function checkEventEnvelope(raw: unknown): asserts raw is Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const kind = raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw;
    throw new InvalidEventError("<event>", `must be a JSON object, got ${kind}`);
  }
  const hidden = prototypeKeyPath(raw);
  if (hidden !== undefined) throw new InvalidEventError(hidden, 'is not allowed: "__proto__" cannot be a key');
}

/** Fields within bounds can still add up: the whole event has its own bound. */
export function checkEventSize(raw: unknown, limit: number = EVENT_LIMITS.eventBytes): void {
  const bytes = jsonBytes(raw);
  if (bytes > limit) throw new InvalidEventError("<event>", `is ${bytes} bytes of JSON; an event may be at most ${limit}`);
}

/** The event's size as JSON; one that cannot be written as JSON counts as too large. */
export function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? "");
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The path of the first own `__proto__` key, walked without recursion (nesting may be deep). */
function prototypeKeyPath(root: object): string | undefined {
  const stack: Array<[value: unknown, path: string]> = [[root, ""]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) stack.push([item, `${path}[${index}]`]);
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key === "__proto__") return at;
      stack.push([(value as Record<string, unknown>)[key], at]);
    }
  }
  return undefined;
}

/** Parses `value` with `schema`; a failure names the field (under `prefix`) and the reason. */
export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return result.data;
  throw issueError(result.error.issues[0], prefix);
}

/** One schema issue (zod's shape, any version) as the InvalidEventError naming its field under `prefix`. */
export function issueError(
  issue: { readonly path: ReadonlyArray<PropertyKey>; readonly message: string; readonly code?: string; readonly keys?: readonly string[] },
  prefix: string,
): InvalidEventError {
  const key = issue.code === "unrecognized_keys" && issue.keys?.length ? [issue.keys[0]] : [];
  const path = [...issue.path, ...key]
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
  const field = [prefix, path].filter((part) => part.length > 0).join(".") || "<event>";
  return new InvalidEventError(field, issue.code === "unrecognized_keys" ? "unknown field" : issue.message);
}
