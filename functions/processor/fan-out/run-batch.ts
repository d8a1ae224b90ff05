import { InvalidEventError } from "../../commons/errors/invalid-event-error";
import { settleWithLimit } from "../../commons/pool";
import type { TaskEvent } from "../../commons/task-event";
import { type SourceSummary, sortSources } from "../protocol/run-record";
import { runId, runKeys, runRefOf } from "../protocol/run-ref";
import { readJson, writeJson } from "../protocol/store";
import { handleSource, type SourceContext } from "../sources/handle-source";
import { type NotedFailure, noteSourceFailure } from "../sources/set-aside";
import { SourceFailuresError } from "../sources/source-failures-error";
import { memoryCost, type SourceWork } from "../sources/source-work";
import type { FanOutPlan } from "./fan-out";
import { allBatchesFinished } from "./fan-out-record";
import { handleRange } from "./handle-range";
import type { WorkBatch, WorkItem } from "./work-batch";

export interface BatchContext extends SourceContext {
  readonly concurrency: number;
  readonly memoryBudgetBytes: number;
}

/**
 * A worker's share of a fanned-out run: each source or range in the batch, done with the task's
 * `work`, then the batch's result. A redelivered batch finds its result (or its sources'
 * results) and redoes nothing. Each delivery that gives up on a whole source counts a failed
 * attempt; the one that counts the last sets it aside, and the batch then finishes. Other
 * failures fail the batch, and SQS delivers it again (ranges of a large source are retried by
 * delivery alone).
 */
export async function processBatch(context: BatchContext, batch: WorkBatch, work: SourceWork): Promise<"processed" | "already_processed"> {
  const run = runRefOf(batch.event);
  const id = runId(run);
  const keys = runKeys(run);
  const resultKey = keys.batchResult(batch.index);
  if (await context.store.exists(resultKey)) return "already_processed";
  // The planner writes the plan before it sends a batch: without one, the batch is no run's.
  if (!(await context.store.exists(keys.plan)))
    throw new InvalidEventError("event", `no run of ${id} was spread over the work queue (${keys.plan} does not exist)`);
  const limits = {
    count: context.concurrency,
    weight: (item: WorkItem) => (item.kind === "range" ? memoryCost({ size: Number.MAX_SAFE_INTEGER }) : memoryCost(item.source)),
    budget: context.memoryBudgetBytes,
  };
  const handled = await settleWithLimit(batch.items, limits, (item) =>
    item.kind === "source" ? handleSource(context, id, item.source, work) : handleRange(context, id, item, work),
  );
  const results: SourceSummary[] = handled.results.flatMap(({ value }) => (value.kind === "done" ? [value.result] : []));
  const failures: Array<{ source: string; error: unknown }> = [];
  for (const { item, error } of handled.failures) {
    const noted = item.kind === "source" ? await noteSourceFailure(context, id, item.source, error).catch((): NotedFailure => ({})) : {};
    if (noted.handled?.kind === "done") results.push(noted.handled.result);
    else if (!noted.handled) failures.push({ source: item.source.key, error });
  }
  if (failures.length > 0) throw new SourceFailuresError(failures);
  await writeJson(context.store, resultKey, { index: batch.index, results: sortSources(results) });
  return "processed";
}

/**
 * Whether every batch of the run is finished. A batch's own count is only its sender's word;
 * the plan says how many batches the run has.
 */
export async function runBatchesFinished(
  context: SourceContext,
  batch: { readonly event: TaskEvent; readonly of: number },
): Promise<boolean> {
  const run = runRefOf(batch.event);
  if (!(await allBatchesFinished(context, run, batch.of))) return false;
  const plan = await readJson<Pick<FanOutPlan, "of">>(context.store, runKeys(run).plan);
  return plan !== undefined && (plan.value.of === batch.of || (await allBatchesFinished(context, run, plan.value.of)));
}
