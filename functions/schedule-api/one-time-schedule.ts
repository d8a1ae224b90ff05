import { MAX_SCHEDULE_NAME_LENGTH, SCHEDULE_NAME_CHARACTERS } from "../../core/config-rules";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../core/naming";
import { isIanaTimeZone, nextRuns, validateScheduleExpression } from "../../core/schedule-expression";
import { instantsOf } from "../../core/schedule-expression/zoned-time";
import { TASK_PAYLOAD_SCHEMAS } from "../../core/task-payloads";
import { TASK_TYPES, type TaskType } from "../../core/task-types";
import { describeIssue } from "../../core/zod-messages";

/** Schedules the API creates carry this prefix, and the API may only touch those. */
export const API_SCHEDULE_PREFIX = ONE_TIME_SCHEDULE_PREFIX;

export interface OneTimeScheduleRequest {
  readonly name: string;
  readonly at: string;
  readonly timezone: string;
  readonly task: TaskType;
  readonly payload: Record<string, unknown>;
  readonly description?: string;
}

export interface RequestProblem {
  readonly field: string;
  readonly reason: string;
}

const NAME = /^[0-9A-Za-z_.-]+$/;

/** A received value in a reason: JSON, cut short. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 60 ? text : `${text.slice(0, 60)}... (${text.length} characters)`;
}

/** Why a local time never happens in `timezone` (the clocks jump over it), or undefined. */
function skippedByClocks(local: string, timezone: string): string | undefined {
  const [date, time] = local.split("T");
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute, second] = time.split(":").map(Number);
  if (instantsOf({ year, month, day, hour, minute, second }, timezone).length > 0) return undefined;
  return `${local} does not exist in ${timezone}: the clocks skip it (daylight saving time begins)`;
}

/**
 * Validates a request to create a one-time schedule with the same rules as environment
 * configs: a real at() time in the future, an IANA zone, a known task and its payload schema.
 * Returns every problem at once.
 */
export function parseOneTimeSchedule(body: unknown, now: Date): { request?: OneTimeScheduleRequest; problems: RequestProblem[] } {
  const problems: RequestProblem[] = [];
  const add = (field: string, reason: string) => problems.push({ field, reason });
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { problems: [{ field: "<body>", reason: "must be a JSON object" }] };
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!["name", "at", "timezone", "task", "payload", "description"].includes(key)) add(key, "unknown field");
  }

  const suffix = fields.name === undefined ? `${String(fields.task ?? "task").replace(/_/g, "-")}-${now.getTime()}` : fields.name;
  const name = `${API_SCHEDULE_PREFIX}${typeof suffix === "string" ? suffix : ""}`;
  if (typeof suffix !== "string" || !NAME.test(suffix) || name.length > MAX_SCHEDULE_NAME_LENGTH) {
    const longest = MAX_SCHEDULE_NAME_LENGTH - API_SCHEDULE_PREFIX.length;
    add(
      "name",
      `must be 1-${longest} characters of ${SCHEDULE_NAME_CHARACTERS} (the API adds "${API_SCHEDULE_PREFIX}"), got ${quoted(suffix)}`,
    );
  }
  // Left out, the zone is UTC; given, it must be a zone: `"timezone": 5` is a mistake, not UTC.
  const timezone = fields.timezone === undefined ? "UTC" : fields.timezone;
  const zoneKnown = typeof timezone === "string" && isIanaTimeZone(timezone);
  if (!zoneKnown) add("timezone", `must be an IANA time zone name such as America/New_York, got ${quoted(timezone)}`);
  if (fields.at === undefined) {
    add("at", "is required: a local date and time, yyyy-mm-ddThh:mm:ss");
  } else if (typeof fields.at !== "string") {
    add("at", `must be a local date and time, yyyy-mm-ddThh:mm:ss, got ${quoted(fields.at)}`);
  } else {
    const reason = validateScheduleExpression(`at(${fields.at})`);
    if (reason) add("at", reason);
    else if (zoneKnown) {
      const gap = skippedByClocks(fields.at, timezone);
      if (gap) add("at", gap);
      else if (nextRuns(`at(${fields.at})`, { timezone, from: now, count: 1 }).length === 0)
        add("at", `${fields.at} in ${timezone} is in the past`);
    }
  }
  const task = fields.task;
  if (!(TASK_TYPES as readonly unknown[]).includes(task)) add("task", `must be one of ${TASK_TYPES.join(", ")}, got ${quoted(task)}`);
  const payload = fields.payload === undefined ? {} : fields.payload;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    add("payload", `must be an object, got ${payload === null ? "null" : Array.isArray(payload) ? "an array" : typeof payload}`);
  else if ((TASK_TYPES as readonly unknown[]).includes(task)) {
    const parsed = TASK_PAYLOAD_SCHEMAS[task as TaskType].safeParse(payload, { error: describeIssue });
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      for (const key of keys)
        add(["payload", ...issue.path.map(String), ...(key ? [key] : [])].join("."), key ? "unknown field" : issue.message);
    }
  }
  if (fields.description !== undefined && (typeof fields.description !== "string" || fields.description.length > 512))
    add("description", "must be text of at most 512 characters");

  if (problems.length > 0) return { problems };
  return {
    request: {
      name,
      at: fields.at as string,
      timezone: timezone as string,
      task: task as TaskType,
      payload: payload as Record<string, unknown>,
      description: fields.description as string | undefined,
    },
    problems,
  };
}
