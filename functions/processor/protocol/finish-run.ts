import type { Notice } from "../../commons/notices";
import type { Lease } from "./lease";
import { type PublicationContext, publishRun } from "./publication";
import { isFinalStatus, type RunRecord, sameOutcome } from "./run-record";
import type { RunRef } from "./run-ref";
import { type RunState, recordOf } from "./run-state";

export interface FinishedRun {
  /** published: this attempt announced the run. unchanged: a rerun found nothing new to say. */
  readonly outcome: "published" | "unchanged" | "already_completed";
  readonly record: RunRecord;
}

/**
 * Completes a run, the one way every path does (a scheduled attempt, or the last batch of a
 * fanned-out run), while holding the run's lease: a published complete run is left alone; a
 * kept but unannounced record is announced as it is; otherwise `record` is kept, then
 * announced once. A rerun of a partial run whose outcome did not change announces nothing.
 */
export async function finishRun(
  context: PublicationContext,
  run: RunRef,
  lease: Lease,
  state: RunState,
  record: Omit<RunRecord, "published"> | undefined,
  notice: (record: RunRecord) => Notice | undefined,
  durationMs: number,
): Promise<FinishedRun> {
  const existing = recordOf(state);
  if (state.kind === "published" && isFinalStatus(state.record.status)) return { outcome: "already_completed", record: state.record };
  const kept = state.kind === "recorded";
  const next: RunRecord = kept ? state.record : { ...record!, published: false };
  if (!kept && existing && sameOutcome(existing, next)) return { outcome: "unchanged", record: existing };
  // Confirmed by a conditional write, not taken on trust: an attempt whose lease ran out unnoticed would announce twice.
  if (!(await lease.confirm())) throw new Error("another attempt took over this run; it will finish and announce it");
  const published = await publishRun(context, run, next, notice(next), durationMs, kept);
  return { outcome: "published", record: published };
}
