import type { S3Client } from "@aws-sdk/client-s3";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import { triggerOf } from "../../../core/run-history";
import { TASK_TYPES } from "../../../core/task-types";
import { MAX_ARCHIVED_FAILURES_READ, readArchivedFailures, readRunFacts } from "./bucket-history";
import { runHistory, type ScheduleHistory } from "./history";
import { creationAnchor } from "./schedule-creation";
import { type HistorySchedule, needsCreationTime, type RateAnchor, scheduledTimes, type Window } from "./schedule-times";

export interface HistoryRequest {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Where rate() schedules' creation times are read; without it they are counted from the runs on record. */
  readonly scheduler?: SchedulerClient;
  readonly groupName: string;
  /** The environment's schedules. */
  readonly schedules: readonly HistorySchedule[];
  /** One schedule only (`--schedule`): one of the config's, or one it does not have (a one-time schedule). */
  readonly only?: string;
  readonly window: Window;
  readonly now: Date;
}

export interface History {
  readonly schedules: readonly ScheduleHistory[];
  /** Said once for the whole listing (a bound reached). */
  readonly notes: readonly string[];
}

/**
 * Reads the history of an environment's schedules in a window: the times each should have
 * fired (up to now), what runs/ and failed/ hold for them, and the runs that were not scheduled.
 */
export async function readHistory(request: HistoryRequest): Promise<History> {
  const { s3, bucket, window, now } = request;
  const selected = request.only ? request.schedules.filter((s) => s.name === request.only) : request.schedules;
  // The built-in tasks' runs, and each own task's under its own name (runs/<task>/).
  const tasks: readonly string[] =
    request.only && selected.length > 0 ? [selected[0].task] : [...new Set([...TASK_TYPES, ...request.schedules.map((s) => s.task)])];
  const only = request.only ? new Set([request.only]) : undefined;
  const [facts, archive] = await Promise.all([
    readRunFacts(s3, bucket, tasks, window, only),
    readArchivedFailures(s3, bucket, window, now),
  ]);
  const archived = archive.failures.filter((f) => !only || only.has(f.schedule));
  // Only what has come due: a time after now is not missed yet.
  const due: Window = { from: window.from, to: new Date(Math.min(window.to.getTime(), now.getTime())) };
  const schedules = await Promise.all(
    selected.map(async (schedule) => {
      const anchor = needsCreationTime(schedule) ? await rateAnchor(request, schedule, facts) : undefined;
      return { schedule, times: scheduledTimes(schedule, due, anchor), sameMinute: anchor?.kind === "created" };
    }),
  );
  const notes = archive.truncated
    ? [
        `more than ${MAX_ARCHIVED_FAILURES_READ.toLocaleString("en-US")} events are archived under failed/ for the window: only ` +
          "the first were read, so some failed times may show as missed; narrow --from/--to",
      ]
    : [];
  // One schedule asked for that the config does not have (a one-time schedule): its runs are all there is to list.
  const otherSchedules = !request.only || selected.length === 0;
  return { schedules: runHistory({ schedules, facts, archived, now, otherSchedules }), notes };
}

/** Scheduler's creation time of the schedule, else the earliest of its runs on record in the window. */
async function rateAnchor(
  request: HistoryRequest,
  schedule: HistorySchedule,
  facts: Awaited<ReturnType<typeof readRunFacts>>,
): Promise<RateAnchor> {
  const created = request.scheduler
    ? await creationAnchor(request.scheduler, request.groupName, schedule.name)
    : ({ kind: "unknown", why: "Scheduler was not asked" } as const);
  if (created.kind !== "unknown") return created;
  // A run now is at no scheduled time: it shows nothing of the schedule's phase.
  const recorded = facts
    .filter((f) => f.schedule === schedule.name && f.task === schedule.task)
    .filter((f) => triggerOf(f.record?.executionId ?? f.attempts.at(-1)?.executionId) !== "manual")
    .map((f) => Date.parse(f.scheduledTime))
    .sort((a, b) => a - b);
  return recorded.length > 0 ? { kind: "recorded", at: new Date(recorded[0]), why: created.why } : created;
}
