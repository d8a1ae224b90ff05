import { type SourceSummary, sortSources } from "../protocol/run-record";
import { type RunRef, runKeys } from "../protocol/run-ref";
import { type ObjectStore, readJson } from "../protocol/store";
import type { SourcesDone } from "../sources/sources-outcome";

/** `fan-out/batches/<n>.json`: the sources a batch completed for the run. */
export interface BatchResult {
  readonly index: number | "inline";
  readonly results: readonly SourceSummary[];
}

/** Whether every queued batch of the run has recorded its result. */
export async function allBatchesFinished(context: { readonly store: ObjectStore }, run: RunRef, of: number): Promise<boolean> {
  const prefix = runKeys(run).batchesPrefix;
  let finished = 0;
  for await (const object of context.store.list(prefix)) if (!object.key.endsWith("/inline.json")) finished++;
  return finished >= of;
}

/** What the run's batches did, gathered once all are finished: a source counts once, and none waits. */
export async function gatherBatches(context: { readonly store: ObjectStore }, run: RunRef): Promise<SourcesDone> {
  const prefix = runKeys(run).batchesPrefix;
  const byId = new Map<string, SourceSummary>();
  for await (const object of context.store.list(prefix)) {
    const batch = await readJson<BatchResult>(context.store, object.key, false);
    for (const result of batch?.value.results ?? []) byId.set(result.id, result);
  }
  return { sources: sortSources(byId.values()), failed: [], waiting: 0 };
}
