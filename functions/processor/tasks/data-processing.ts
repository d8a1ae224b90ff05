import { dataProcessingPayloadSchema } from "../../../core/task-payloads";
import { describeError } from "../../commons/logger";
import type { RunIdentity } from "../../commons/notices";
import { type RunNoticeText, runNotice } from "../../commons/notices";
import { settleWithLimit } from "../../commons/pool";
import { readJson } from "../../commons/s3-objects";
import { parseWith } from "../../commons/task-event";
import { type FanOutContext, type FanOutPlan, resumeFanOut, startFanOut } from "../fan-out/fan-out";
import { allBatchesFinished, fanOutRecord } from "../fan-out/fan-out-record";
import { type FailedSource, type RunRecord, runHeader, type SourceSummary, sortSources, totalsOf } from "../run/run-record";
import { runId, runKeys, runRefOf } from "../run/run-ref";
import { runSources } from "../run/source-results";
import { removeDeleteMarker } from "../sources/archive-source";
import { handleSource } from "../sources/handle-source";
import { type DeleteMarker, listIncoming } from "../sources/list-sources";
import { failureReason, MAX_SOURCE_ATTEMPTS, type NotedFailure, noteSourceFailure } from "../sources/set-aside";
import { memoryCost } from "../sources/source-content";
import type { SourceRef } from "../sources/source-identity";
import type { InProgressResult, RecordResult, Task, TaskContext } from "./task";

/**
 * Moves every version waiting under incoming/ through the pipeline: valid lines to processed/,
 * the rest to quarantine/ with their reason, then the version to archive/ and out of
 * incoming/. Every source is claimed first, and the run that removes it is the only one that
 * counts it, whichever run that is (another schedule, a replay, a backfill, an overlapping
 * run, the next run after a failure). Several sources are handled at once; a run with more
 * than an invocation can do spreads it over the work queue when the stack has one.
 */
export const dataProcessingTask: Task = {
  type: "data_processing",
  async run(event, context) {
    const payload = parseWith(dataProcessingPayloadSchema, event.payload, "payload");
    const run = runRefOf(event);
    const id = runId(run);
    const requiredFields = payload.requiredFields ?? [];
    const fanOut = fanOutContext(context);

    const plan = fanOut ? await readJson<FanOutPlan>(context.s3, context.bucket, runKeys(run).plan) : undefined;
    if (fanOut && plan) {
      await resumeFanOut(fanOut, run);
      if (await allBatchesFinished(context, run, plan.value.of)) return { kind: "record", record: await fanOutRecord(context, run) };
      return inProgress(plan.value);
    }

    const { sources, deleteMarkers } = await listIncoming(context, payload.prefix);
    await removeDeleteMarkers(context, deleteMarkers);
    if (fanOut && exceedsOneInvocation(sources, fanOut)) {
      return inProgress(await startFanOut(fanOut, event, run, sources, []));
    }

    const handled = await handleSources(context, id, sources, requiredFields);
    const doneNow: SourceSummary[] = handled.results.flatMap(({ value }) => (value.kind === "done" ? [value.result] : []));
    // A source that failed twice here is counted as a failed attempt (and set aside at the last);
    // it never stops the others' run from being recorded and announced.
    const failed: FailedSource[] = [];
    for (const { item, error } of handled.failures) {
      const noted = await noteSourceFailure(context, id, item, error).catch((noteError): NotedFailure => {
        context.log.warn("could not count the source's failed attempt", { source: item.key, error: describeError(noteError) });
        return {};
      });
      if (noted.handled?.kind === "done") doneNow.push(noted.handled.result);
      else if (!noted.handled) failed.push(failedSource(item, error, noted.attempts));
    }
    const waiting = handled.notStarted;
    if (waiting.length > 0) {
      context.log.warn("time is running out; the sources left are not started here", {
        waiting: waiting.length,
        next_source: waiting[0].key,
      });
      if (fanOut) return inProgress(await startFanOut(fanOut, event, run, waiting, await runSources(context, id, doneNow)));
    }
    const sourcesDone = sortSources(await runSources(context, id, doneNow));
    const totals = totalsOf(sourcesDone);
    const left = waiting.length + failed.length;
    const status = left === 0 ? "completed" : sourcesDone.length > 0 ? "partial" : "incomplete";
    const setAside = sourcesDone.filter((s) => s.setAside).length;
    const record: RecordResult["record"] = {
      ...runHeader(run, status),
      // What is left comes first: it is what a PARTIAL or INCOMPLETE notice is about.
      counts: {
        ...(failed.length > 0 ? { failed: failed.length } : {}),
        ...(waiting.length > 0 ? { waiting: waiting.length } : {}),
        sources: totals.sources,
        lines: totals.lines,
        processed: totals.processed,
        quarantined: totals.quarantined,
        ...(setAside > 0 ? { "set aside": setAside } : {}),
      },
      totals,
      sources: sourcesDone,
      waiting: left,
      ...(failed.length > 0 ? { failed: sortFailed(failed) } : {}),
    };
    return { kind: "record", record };
  },

  notice(record: RunRecord, identity: RunIdentity, payload: Record<string, unknown>) {
    const text = noticeText(record);
    if (record.status === "partial") return runNotice(identity, "PARTIAL", "partial", record.counts, text);
    if (record.status === "incomplete") return runNotice(identity, "INCOMPLETE", "incomplete", record.counts, text);
    // A source set aside is news even when the schedule wants no notice of success.
    if (payload.notifyOnSuccess === false && !text.details) return undefined;
    return runNotice(identity, "OK", "completed", record.counts, text);
  },
};

/** Sources named in a notice, at most; the run record lists them all. */
const NAMED_IN_NOTICE = 20;

/** What a data_processing notice says beyond its figures: the sources set aside, and those that failed. */
function noticeText(record: RunRecord): RunNoticeText {
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
          `Failed in this run; they wait in incoming/ for the next one (set aside after ${MAX_SOURCE_ATTEMPTS} failed attempts):`,
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

/** A failed source has one more chance in the same invocation, after the others and a short pause. */
export const SOURCE_RETRY_PAUSE_MS = 500;

/** Each source through handleSource, within the invocation's limits; those that fail are tried once more. */
async function handleSources(context: TaskContext, id: string, sources: readonly SourceRef[], requiredFields: readonly string[]) {
  const limits = { count: context.concurrency, weight: memoryCost, budget: context.memoryBudgetBytes };
  const mayStart = () => context.remainingTimeMs() > context.timeReserveMs;
  const handle = (source: SourceRef) => handleSource(context, id, source, requiredFields);
  const first = await settleWithLimit(sources, limits, handle, mayStart);
  if (first.failures.length === 0 || !mayStart()) return first;
  context.log.warn("some sources failed; trying them once more", { failed: first.failures.length });
  await new Promise((resolve) => setTimeout(resolve, context.sourceRetryPauseMs ?? SOURCE_RETRY_PAUSE_MS));
  const again = await settleWithLimit(
    first.failures.map(({ item }) => item),
    limits,
    handle,
    mayStart,
  );
  return {
    results: [...first.results, ...again.results],
    failures: again.failures,
    notStarted: [...first.notStarted, ...again.notStarted],
  };
}

function failedSource(source: SourceRef, error: unknown, attempts: number | undefined): FailedSource {
  return {
    source: source.key,
    etag: source.etag,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    error: failureReason(error),
    ...(attempts !== undefined ? { attempts } : {}),
  };
}

function sortFailed(failed: readonly FailedSource[]): FailedSource[] {
  return [...failed].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.etag < b.etag ? -1 : a.etag > b.etag ? 1 : 0));
}

/** Delete markers in incoming/ hide nothing waiting (versions are listed whatever is current): removed for good. */
async function removeDeleteMarkers(context: TaskContext, markers: readonly DeleteMarker[]): Promise<void> {
  const removed = await settleWithLimit(markers, context.concurrency, (marker) => removeDeleteMarker(context, marker));
  if (removed.failures.length > 0)
    context.log.warn("could not remove some delete markers from incoming/; the next run tries again", { failed: removed.failures.length });
}

function fanOutContext(context: TaskContext): FanOutContext | undefined {
  if (!context.fanOut || !context.sqs) return undefined;
  const { queueUrl, maxBytes, maxSources, sourcesPerBatch } = context.fanOut;
  return { ...context, sqs: context.sqs, queueUrl, maxBytes, maxSources, sourcesPerBatch };
}

/** More sources or bytes than one invocation should take on, or one source too large for it. */
function exceedsOneInvocation(sources: readonly SourceRef[], fanOut: FanOutContext): boolean {
  let bytes = 0;
  for (const source of sources) {
    bytes += source.size;
    if (source.size > fanOut.maxBytes) return true;
  }
  return bytes > fanOut.maxBytes || sources.length > fanOut.maxSources;
}

function inProgress(plan: FanOutPlan): InProgressResult {
  return { kind: "in_progress", counts: { batches: plan.of, sources: plan.sources }, batches: plan.of };
}
