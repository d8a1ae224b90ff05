import { BUCKET_LAYOUT } from "../../../core/bucket-layout";

/** Which run an event belongs to: every attempt, retry and replay of one scheduled run share it. */
export interface RunRef {
  /** The task's name: a built-in task type, or an own task's name. */
  readonly task: string;
  readonly schedule: string;
  /** The scheduled time in one canonical spelling, so keys do not depend on how it was written. */
  readonly scheduledTime: string;
  readonly environment: string;
}

/** The run an event (a checked schedule event: functions/commons/task-event.ts) belongs to. */
export function runRefOf(event: {
  readonly task_type: string;
  readonly schedule: string;
  readonly scheduled_time: string;
  readonly environment: string;
}): RunRef {
  return {
    task: event.task_type,
    schedule: event.schedule,
    scheduledTime: canonicalInstant(event.scheduled_time),
    environment: event.environment,
  };
}

/** `2026-11-23T10:00:00.000+00:00` → `2026-11-23T10:00:00Z`. */
export function canonicalInstant(instant: string): string {
  return new Date(instant).toISOString().replace(".000Z", "Z");
}

/** `<task>/<scheduled_time>/<schedule>`: the run's name, and the stem of every key it keeps. */
export function runId(run: Pick<RunRef, "task" | "scheduledTime" | "schedule">): string {
  return `${run.task}/${run.scheduledTime}/${run.schedule}`;
}

/**
 * Where a run keeps its records. The summary sits beside a folder of the run's own small
 * records, so listing one scheduled time with a `/` delimiter finds only summaries.
 *
 * runs/<task>/<time>/<schedule>.json                    the run's summary (written at the end)
 * runs/<task>/<time>/<schedule>/lease.json              which attempt is running it now
 * runs/<task>/<time>/<schedule>/sources/<source id>.json what one source gave (data_processing)
 * runs/<task>/<time>/<schedule>/ranges/<source id>/<n>.json  one byte range of a large source
 * runs/<task>/<time>/<schedule>/fan-out/plan.json       the work spread over the queue
 * runs/<task>/<time>/<schedule>/fan-out/batches/<n>.json what each queued batch gave
 */
export function runKeys(run: RunRef | string) {
  const id = typeof run === "string" ? run : runId(run);
  const base = `${BUCKET_LAYOUT.runs.prefix}${id}`;
  return {
    record: `${base}.json`,
    lease: `${base}/lease.json`,
    sourcesPrefix: `${base}/sources/`,
    sourceResult: (sourceId: string) => `${base}/sources/${sourceId}.json`,
    rangesPrefix: (sourceId: string) => `${base}/ranges/${sourceId}/`,
    rangeResult: (sourceId: string, index: number) => `${base}/ranges/${sourceId}/${String(index).padStart(5, "0")}.json`,
    plan: `${base}/fan-out/plan.json`,
    batchesPrefix: `${base}/fan-out/batches/`,
    batchResult: (index: number | "inline") =>
      `${base}/fan-out/batches/${typeof index === "number" ? String(index).padStart(5, "0") : index}.json`,
  };
}

/** `runs/<task>/`: the summaries of a task's runs, one folder per scheduled time. */
export function taskRunsPrefix(task: string): string {
  return `${BUCKET_LAYOUT.runs.prefix}${task}/`;
}
