import type { RunNoticeText } from "../../commons/notices";
import { type FailedSource, type RunStatus, type SourceSummary, sortSources, type Totals, totalsOf } from "../protocol/run-record";
import { MAX_SOURCE_ATTEMPTS } from "./set-aside";

/** What a run did with its sources, across its attempts (the API's SourcesOutcome, less its counts). */
export interface SourcesDone {
  /** Every source the run counts, sorted by key then ETag. */
  readonly sources: readonly SourceSummary[];
  /** Sources that failed in this run, sorted likewise. */
  readonly failed: readonly FailedSource[];
  /** Sources not started before the invocation's time ran out. */
  readonly waiting: number;
}

export const NOTHING_DONE: SourcesDone = { sources: [], failed: [], waiting: 0 };

/** Two outcomes as one (a task that reads more than one prefix): a source counts once. */
export function mergeDone(a: SourcesDone, b: SourcesDone): SourcesDone {
  const byId = new Map([...a.sources, ...b.sources].map((s) => [s.id, s]));
  return { sources: sortSources(byId.values()), failed: sortFailed([...a.failed, ...b.failed]), waiting: a.waiting + b.waiting };
}

/**
 * completed: every source found is done. partial: some were done and others wait (failed, or
 * not started for time). incomplete: none was done and some wait.
 */
export function statusOf(done: SourcesDone): RunStatus {
  const left = done.waiting + done.failed.length;
  return left === 0 ? "completed" : done.sources.length > 0 ? "partial" : "incomplete";
}

/** The figures of a run's sources: what is left first (it is what a PARTIAL or INCOMPLETE notice is about). */
export function sourceCounts(done: SourcesDone): Record<string, number> {
  const totals = totalsOf(done.sources);
  const setAside = done.sources.filter((s) => s.setAside).length;
  return {
    ...(done.failed.length > 0 ? { failed: done.failed.length } : {}),
    ...(done.waiting > 0 ? { waiting: done.waiting } : {}),
    sources: totals.sources,
    lines: totals.lines,
    processed: totals.processed,
    quarantined: totals.quarantined,
    ...(setAside > 0 ? { "set aside": setAside } : {}),
  };
}

/** What a run record keeps of its sources, after its counts. */
export function sourcesRecord(done: SourcesDone): {
  readonly totals: Totals;
  readonly sources: SourceSummary[];
  readonly waiting: number;
  readonly failed?: FailedSource[];
} {
  return {
    totals: totalsOf(done.sources),
    sources: [...done.sources],
    waiting: done.waiting + done.failed.length,
    ...(done.failed.length > 0 ? { failed: [...done.failed] } : {}),
  };
}

export function sortFailed(failed: readonly FailedSource[]): FailedSource[] {
  return [...failed].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.etag < b.etag ? -1 : a.etag > b.etag ? 1 : 0));
}

/** Sources named in a notice, at most; the run record lists them all. */
const NAMED_IN_NOTICE = 20;

/**
 * What a run's notice says beyond its figures: the sources set aside, and those that failed
 * and wait (in `waitingIn`) for the next run.
 */
export function sourcesNoticeText(
  record: { readonly status: RunStatus; readonly counts: Readonly<Record<string, number>> } & Partial<
    Pick<SourcesDone, "sources" | "failed">
  >,
  waitingIn: string,
): RunNoticeText {
  const setAside = (record.sources ?? []).filter((s) => s.setAside);
  const failed = record.failed ?? [];
  const list = (lines: string[]) => [
    ...lines.slice(0, NAMED_IN_NOTICE),
    ...(lines.length > NAMED_IN_NOTICE ? ["- ... (see the run record)"] : []),
  ];
  const details = [
    ...(setAside.length > 0
      ? [
          `Set aside whole in quarantine/ after ${MAX_SOURCE_ATTEMPTS} failed attempts (their lines count as quarantined):`,
          ...list(setAside.map((s) => `- ${s.source}: ${s.setAside!.reason} (now at ${s.setAside!.key})`)),
        ]
      : []),
    ...(failed.length > 0
      ? [
          ...(setAside.length > 0 ? [""] : []),
          `Failed in this run; they wait in ${waitingIn} for the next one (set aside after ${MAX_SOURCE_ATTEMPTS} failed attempts):`,
          ...list(failed.map((f) => `- ${f.source}: ${f.error}${f.attempts ? ` (attempt ${f.attempts})` : ""}`)),
        ]
      : []),
  ];
  const waiting = record.counts.waiting ?? 0;
  const notStarted = waiting > 0 ? ` and ${waiting} were not started before its time ran out` : "";
  const stoppedEarly = waiting > 0 ? `, and stopped early for time with ${waiting} left` : "";
  const outcome =
    failed.length === 0
      ? undefined
      : record.status === "incomplete"
        ? `did not finish any source: ${failed.length} failed${notStarted}`
        : `finished without ${failed.length} source(s) that failed${stoppedEarly}`;
  return { ...(outcome ? { outcome } : {}), ...(details.length > 0 ? { details } : {}) };
}
