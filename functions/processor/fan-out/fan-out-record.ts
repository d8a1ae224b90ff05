import { listObjects, readJson } from "../../commons/s3-objects";
import { type RunRecord, runHeader, type SourceSummary, sortSources, totalsOf } from "../run/run-record";
import { type RunRef, runKeys } from "../run/run-ref";
import type { SourceContext } from "../sources/handle-source";

/** `fan-out/batches/<n>.json`: the sources a batch completed for the run. */
export interface BatchResult {
  readonly index: number | "inline";
  readonly results: readonly SourceSummary[];
}

/** Whether every queued batch of the run has recorded its result. */
export async function allBatchesFinished(context: SourceContext, run: RunRef, of: number): Promise<boolean> {
  const prefix = runKeys(run).batchesPrefix;
  let finished = 0;
  for await (const object of listObjects(context.s3, context.bucket, prefix)) if (!object.key.endsWith("/inline.json")) finished++;
  return finished >= of;
}

/** The run's record, gathered from its batches once all are finished; a source counts once. */
export async function fanOutRecord(context: SourceContext, run: RunRef): Promise<Omit<RunRecord, "published">> {
  const prefix = runKeys(run).batchesPrefix;
  const byId = new Map<string, SourceSummary>();
  for await (const object of listObjects(context.s3, context.bucket, prefix)) {
    const batch = await readJson<BatchResult>(context.s3, context.bucket, object.key, false);
    for (const result of batch?.value.results ?? []) byId.set(result.id, result);
  }
  const sources = sortSources(byId.values());
  const totals = totalsOf(sources);
  const setAside = sources.filter((s) => s.setAside).length;
  return {
    ...runHeader(run, "completed"),
    counts: {
      sources: totals.sources,
      lines: totals.lines,
      processed: totals.processed,
      quarantined: totals.quarantined,
      ...(setAside > 0 ? { "set aside": setAside } : {}),
    },
    totals,
    sources,
    waiting: 0,
  };
}
