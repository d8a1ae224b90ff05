import { BUCKET_LAYOUT } from "./bucket-layout";

/**
 * What the bucket keeps about each run, and how the operator's commands (`runs`, `backfill`,
 * `trigger`) read it: the contract between the functions that write run records and the tools
 * that list them. A run is one task of one schedule at one scheduled time:
 *
 * runs/<task>/<time>/<schedule>.json                   its record, once it ended (completed, partial, incomplete, skipped)
 * runs/<task>/<time>/<schedule>/lease.json             the attempt running it now
 * runs/<task>/<time>/<schedule>/attempts/<attempt id>.json  each failed attempt: reason and attempt number
 *
 * `<time>` is the scheduled time in one spelling (`2026-11-23T10:00:00Z`, canonicalInstant).
 */

/** How a run stands in its history. `missed`: no record of any kind for a time the schedule should have run. */
export const RUN_HISTORY_STATES = ["completed", "partial", "incomplete", "skipped", "failed", "running", "missed"] as const;
export type RunHistoryState = (typeof RUN_HISTORY_STATES)[number];

/** A record's status as this release spells it: records kept before 0.3 say `complete` for `completed`. */
export function currentRunStatus<Status extends string>(status: Status | "complete"): Status | "completed" {
  return status === "complete" ? "completed" : status;
}

/**
 * What fired a run, told by its execution id: Scheduler's own (a UUID), or one the operator's
 * commands made, `manual-<id>` (run now) or `backfill-<id>` (a missed or failed time fired again).
 */
export type RunTrigger = "schedule" | "manual" | "backfill";
export const EXECUTION_ID_PREFIXES = { manual: "manual-", backfill: "backfill-" } as const;

export function triggerOf(executionId: string | undefined): RunTrigger {
  if (executionId?.startsWith(EXECUTION_ID_PREFIXES.manual)) return "manual";
  if (executionId?.startsWith(EXECUTION_ID_PREFIXES.backfill)) return "backfill";
  return "schedule";
}

/** `2026-11-23T10:00:00.000+00:00` → `2026-11-23T10:00:00Z`: the one spelling keys use. */
export function canonicalInstant(instant: string | Date): string {
  return new Date(instant).toISOString().replace(".000Z", "Z");
}

export interface RunId {
  readonly task: string;
  readonly schedule: string;
  readonly scheduledTime: string;
}

/** `runs/<task>/`: one folder a scheduled time under it. */
export function taskRunsPrefix(task: string): string {
  return `${BUCKET_LAYOUT.runs.prefix}${task}/`;
}

/** The keys one run keeps. */
export function runHistoryKeys(run: RunId) {
  const base = `${taskRunsPrefix(run.task)}${canonicalInstant(run.scheduledTime)}/${run.schedule}`;
  return {
    record: `${base}.json`,
    lease: `${base}/lease.json`,
    attemptsPrefix: `${base}/attempts/`,
    attempt: (attemptId: string) => `${base}/attempts/${attemptId}.json`,
  };
}

/** What a failed attempt leaves behind (written by the processor as the attempt fails, best effort). */
export interface FailedAttemptRecord {
  readonly task: string;
  readonly schedule: string;
  readonly scheduledTime: string;
  readonly executionId: string;
  /** Scheduler's attempt number (1 for the first delivery), as the event carried it. */
  readonly attempt: number;
  readonly attemptId: string;
  /** `<error name>: <message>`, cut to 1,000 characters. */
  readonly reason: string;
  /** When it failed, ISO-8601. */
  readonly failedAt: string;
}

/** The reason a failed attempt records: the error's name and message, bounded. */
export function failureReason(error: { readonly name?: string; readonly message?: string } | undefined): string {
  const text = `${error?.name ?? "Error"}: ${error?.message ?? "unknown"}`;
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
