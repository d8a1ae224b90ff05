import { randomUUID } from "node:crypto";
import { MAX_SCHEDULE_NAME_LENGTH, PATTERNS, SCHEDULE_NAME_CHARACTERS } from "../../core/config-rules";
import { canonicalInstant, EXECUTION_ID_PREFIXES } from "../../core/run-history";
import { SCHEDULER_CONTEXT } from "../../core/schedule-input";
import { TASK_PAYLOAD_SCHEMAS } from "../../core/task-payloads";
import { parseTaskEvent, parseWith, quoteValue, type TaskEvent } from "../commons/task-event";
import type { RequestProblem } from "./one-time-schedule";

const SCHEDULE_NAME = new RegExp(PATTERNS.scheduleName.pattern);

/** `{"schedule": "<name>"}`: the schedule to run now, and nothing else. Every problem at once. */
export function parseRunRequest(body: unknown): { schedule?: string; problems: RequestProblem[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { problems: [{ field: "<body>", reason: 'must be a JSON object such as {"schedule": "daily-report"}' }] };
  const fields = body as Record<string, unknown>;
  const problems: RequestProblem[] = Object.keys(fields)
    .filter((key) => key !== "schedule")
    .map((key) => ({ field: key, reason: "unknown field" }));
  const schedule = fields.schedule;
  if (schedule === undefined) problems.push({ field: "schedule", reason: "is required: the name of the schedule to run now" });
  else if (typeof schedule !== "string" || !SCHEDULE_NAME.test(schedule))
    problems.push({
      field: "schedule",
      reason: `must be a schedule name (1-${MAX_SCHEDULE_NAME_LENGTH} of ${SCHEDULE_NAME_CHARACTERS}), got ${quoteValue(schedule)}`,
    });
  return problems.length === 0 ? { schedule: schedule as string, problems } : { problems };
}

/** The schedule's target input cannot become an event the processor runs. */
export class UnrunnableScheduleError extends Error {
  override readonly name = "UnrunnableScheduleError";
}

/**
 * The event a schedule's target input becomes when it is run now: its context attributes filled
 * in as Scheduler fills them (by text, wherever they appear) with this second as the scheduled
 * time, an execution id `manual-<uuid>` and attempt 1; and without the schedule's excluded
 * dates, since the operator asked for the run today. Checked as the processor checks it.
 */
export function runNowEvent(input: string, now: Date): TaskEvent {
  const scheduledTime = canonicalInstant(new Date(Math.floor(now.getTime() / 1000) * 1000));
  const filled = input
    .split(SCHEDULER_CONTEXT.scheduledTime)
    .join(scheduledTime)
    .split(SCHEDULER_CONTEXT.executionId)
    .join(`${EXECUTION_ID_PREFIXES.manual}${randomUUID()}`)
    .split(SCHEDULER_CONTEXT.attemptNumber)
    .join("1");
  let parsed: unknown;
  try {
    parsed = JSON.parse(filled);
  } catch {
    throw new UnrunnableScheduleError("its target input is not JSON");
  }
  try {
    const { exclude: _exclude, ...event } = parseTaskEvent(parsed);
    parseWith(TASK_PAYLOAD_SCHEMAS[event.task_type], event.payload, "payload");
    return event;
  } catch (error) {
    throw new UnrunnableScheduleError(`its target input is not an event the processor runs: ${(error as Error).message}`);
  }
}
