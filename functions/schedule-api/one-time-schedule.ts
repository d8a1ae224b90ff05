import { MAX_SCHEDULE_NAME_LENGTH, SCHEDULE_NAME_CHARACTERS } from "../../core/config-rules";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../core/naming";
import { isIanaTimeZone, nextRuns, validateScheduleExpression } from "../../core/schedule-expression";
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

  const suffix = fields.name ?? `${String(fields.task ?? "task").replace(/_/g, "-")}-${now.getTime()}`;
  const name = `${API_SCHEDULE_PREFIX}${String(suffix)}`;
  if (typeof suffix !== "string" || !NAME.test(suffix) || name.length > MAX_SCHEDULE_NAME_LENGTH) {
    const longest = MAX_SCHEDULE_NAME_LENGTH - API_SCHEDULE_PREFIX.length;
    add("name", `must be 1-${longest} characters of ${SCHEDULE_NAME_CHARACTERS} (the API adds "${API_SCHEDULE_PREFIX}")`);
  }
  const timezone = typeof fields.timezone === "string" ? fields.timezone : "UTC";
  if (!isIanaTimeZone(timezone))
    add("timezone", `must be an IANA time zone name such as America/New_York, got ${JSON.stringify(fields.timezone)}`);
  if (typeof fields.at !== "string") {
    add("at", "is required: a local date and time, yyyy-mm-ddThh:mm:ss");
  } else {
    const reason = validateScheduleExpression(`at(${fields.at})`);
    if (reason) add("at", reason);
    else if (isIanaTimeZone(timezone) && nextRuns(`at(${fields.at})`, { timezone, from: now, count: 1 }).length === 0)
      add("at", `${fields.at} in ${timezone} is in the past`);
  }
  const task = fields.task;
  if (!(TASK_TYPES as readonly unknown[]).includes(task))
    add("task", `must be one of ${TASK_TYPES.join(", ")}, got ${JSON.stringify(task)}`);
  const payload = fields.payload ?? {};
  if ((TASK_TYPES as readonly unknown[]).includes(task)) {
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
      timezone,
      task: task as TaskType,
      payload: payload as Record<string, unknown>,
      description: fields.description as string | undefined,
    },
    problems,
  };
}
