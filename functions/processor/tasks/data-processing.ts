import { dataProcessingPayloadSchema } from "../../../core/task-payloads";
import type { RunIdentity } from "../../commons/notices";
import { runNotice } from "../../commons/notices";
import { settleWithLimit } from "../../commons/pool";
import { readJson } from "../../commons/s3-objects";
import { parseWith } from "../../commons/task-event";
import { type FanOutContext, type FanOutPlan, resumeFanOut, startFanOut } from "../fan-out/fan-out";
import { allBatchesFinished, fanOutRecord } from "../fan-out/fan-out-record";
import { type RunRecord, runHeader, type SourceSummary, sortSources, totalsOf } from "../run/run-record";
import { runId, runKeys, runRefOf } from "../run/run-ref";
import { runSources } from "../run/source-results";
import { removeDeleteMarker } from "../sources/archive-source";
import { handleSource } from "../sources/handle-source";
import { type DeleteMarker, listIncoming } from "../sources/list-sources";
import { memoryCost } from "../sources/source-content";
import { SourceFailuresError } from "../sources/source-failures-error";
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

    const handled = await settleWithLimit(
      sources,
      { count: context.concurrency, weight: memoryCost, budget: context.memoryBudgetBytes },
      (source) => handleSource(context, id, source, requiredFields),
      () => context.remainingTimeMs() > context.timeReserveMs,
    );
    if (handled.failures.length > 0) {
      throw new SourceFailuresError(handled.failures.map(({ item, error }) => ({ source: item.key, error })));
    }
    const doneNow: SourceSummary[] = handled.results.flatMap(({ value }) => (value.kind === "done" ? [value.result] : []));
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
    const status = waiting.length === 0 ? "completed" : sourcesDone.length > 0 ? "partial" : "incomplete";
    const record: RecordResult["record"] = {
      ...runHeader(run, status),
      // What is left comes first: it is what a PARTIAL or INCOMPLETE notice is about.
      counts: {
        ...(waiting.length > 0 ? { waiting: waiting.length } : {}),
        sources: totals.sources,
        lines: totals.lines,
        processed: totals.processed,
        quarantined: totals.quarantined,
      },
      totals,
      sources: sourcesDone,
      waiting: waiting.length,
    };
    return { kind: "record", record };
  },

  notice(record: RunRecord, identity: RunIdentity, payload: Record<string, unknown>) {
    if (record.status === "partial") return runNotice(identity, "PARTIAL", "partial", record.counts);
    if (record.status === "incomplete") return runNotice(identity, "INCOMPLETE", "incomplete", record.counts);
    return payload.notifyOnSuccess === false ? undefined : runNotice(identity, "OK", "completed", record.counts);
  },
};

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
