import { currentRunStatus } from "../../../core/run-history";
import { type RunRef, runKeys } from "./run-ref";
import { type ObjectStore, readJson, writeJson } from "./store";

/**
 * completed: every source the run found is done. partial: time ran out after some were done;
 * the rest wait in incoming/ for the next run. incomplete: time ran out before any was done.
 * skipped: the scheduled time fell on one of the schedule's excluded dates; nothing was done.
 * (Records kept before 0.3 say `complete`; they are read as `completed`.)
 */
export type RunStatus = "completed" | "partial" | "incomplete" | "skipped";

/** A run ended for good: a rerun or replay has nothing to add. */
export function isFinalStatus(status: RunStatus): boolean {
  return status === "completed" || status === "skipped";
}

/**
 * What one source gave a data_processing run, as its summary lists it. Each source is counted
 * in exactly one run: the one its claim names as having finished it.
 */
export interface SourceSummary {
  readonly source: string;
  readonly etag: string;
  /** The S3 version that was processed, in a versioned bucket. */
  readonly versionId?: string;
  /** sha256 of key and ETag: the source's identity, and the name of its claim and its record. */
  readonly id: string;
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  /** Unversioned buckets only: the key was overwritten before this version could be read; see README. */
  readonly superseded?: boolean;
  /**
   * The source kept failing and was set aside whole under quarantine/ (its lines count as
   * quarantined) instead of processed line by line.
   */
  readonly setAside?: { readonly reason: string; readonly attempts: number; readonly key: string };
}

/** A source this run tried and gave up on for now: it waits in incoming/ for the next run. */
export interface FailedSource {
  readonly source: string;
  readonly etag: string;
  readonly versionId?: string;
  /** `<error name>: <message>` of its last failure. */
  readonly error: string;
  /** Failed attempts counted so far (it is set aside once they reach MAX_SOURCE_ATTEMPTS). */
  readonly attempts?: number;
}

/** The run's record of one source, `runs/<run>/sources/<id>.json`: its counts and where its lines went. */
export interface SourceResult extends SourceSummary {
  readonly processedKeys: readonly string[];
  readonly quarantineKeys: readonly string[];
  readonly archiveKey: string;
}

/** A source's line in the run's summary (and a fan-out batch's result): counts, not keys. */
export function summaryOf(result: SourceSummary): SourceSummary {
  const { source, etag, versionId, id, lines, processed, quarantined, superseded, setAside } = result;
  return {
    source,
    etag,
    ...(versionId ? { versionId } : {}),
    id,
    lines,
    processed,
    quarantined,
    ...(superseded ? { superseded } : {}),
    ...(setAside ? { setAside } : {}),
  };
}

export interface Totals {
  readonly sources: number;
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
}

/**
 * A run's summary, `runs/<task>/<scheduled_time>/<schedule>.json`, written once its work is
 * done and before anything is announced. It holds no wall-clock times, so every attempt that
 * finishes the same work writes the same bytes; `published` says the notice and metrics went out.
 */
export interface RunRecord {
  readonly task: string;
  readonly schedule: string;
  readonly environment: string;
  readonly scheduledTime: string;
  readonly status: RunStatus;
  /** Figures for the notice and the log line. */
  readonly counts: Readonly<Record<string, number>>;
  readonly totals?: Totals;
  /** data_processing: every source the run counts (details in the run's sources/ folder). */
  readonly sources?: readonly SourceSummary[];
  /** Sources still waiting in incoming/ when a partial or incomplete run stopped. */
  readonly waiting?: number;
  /** Sources that failed in this run and wait in incoming/ for the next (counted in `waiting`). */
  readonly failed?: readonly FailedSource[];
  /** The report a report run wrote. */
  readonly reportKey?: string;
  /** The digest a notification run publishes, kept so a retry publishes the same text. */
  readonly digest?: { readonly subject: string; readonly message: string };
  /** A skipped run: the excluded local date (yyyy-mm-dd, in the schedule's zone) it fell on. */
  readonly excludedDate?: string;
  /**
   * The execution that finished the run (Scheduler's id, or `manual-…` / `backfill-…` from the
   * operator's commands: core/run-history.ts triggerOf). Not part of the outcome.
   */
  readonly executionId?: string;
  readonly published: boolean;
}

export async function readRunRecord(store: ObjectStore, run: RunRef | string): Promise<RunRecord | undefined> {
  const found = await readJson<RunRecord>(store, runKeys(run).record);
  return found && currentRecord(found.value);
}

/** A record as this release writes it: one written before 0.3 said `complete` for `completed`. */
export function currentRecord(record: RunRecord): RunRecord {
  return { ...record, status: currentRunStatus(record.status) };
}

export async function writeRunRecord(store: ObjectStore, run: RunRef, record: RunRecord): Promise<void> {
  await writeJson(store, runKeys(run).record, record);
}

/** What every run's record starts with: which run it is, and how it ended. */
export function runHeader(run: RunRef, status: RunStatus) {
  return { task: run.task, schedule: run.schedule, environment: run.environment, scheduledTime: run.scheduledTime, status };
}

/** Whether two records describe the same outcome, whatever their `published` flags and whichever execution wrote them. */
export function sameOutcome(a: RunRecord | undefined, b: RunRecord): boolean {
  if (!a) return false;
  const outcome = ({ executionId: _executionId, ...record }: RunRecord) => JSON.stringify({ ...record, published: false });
  return outcome(a) === outcome(b);
}

export function totalsOf(sources: readonly SourceSummary[]): Totals {
  let lines = 0;
  let processed = 0;
  let quarantined = 0;
  for (const s of sources) {
    lines += s.lines;
    processed += s.processed;
    quarantined += s.quarantined;
  }
  return { sources: sources.length, lines, processed, quarantined };
}

/** Source summaries sorted by key then ETag, so a record's bytes do not depend on finishing order. */
export function sortSources(sources: Iterable<SourceSummary>): SourceSummary[] {
  return [...sources]
    .map(summaryOf)
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.etag < b.etag ? -1 : a.etag > b.etag ? 1 : 0));
}
