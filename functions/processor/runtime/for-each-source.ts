import type { SQSClient } from "@aws-sdk/client-sqs";
import type { TaskEvent } from "../../commons/task-event";
import {
  exceedsOneInvocation,
  type FanOutContext,
  type FanOutPlan,
  type FanOutSettings,
  resumeFanOut,
  startFanOut,
} from "../fan-out/fan-out";
import { allBatchesFinished, gatherBatches } from "../fan-out/fan-out-record";
import { type BatchContext, processBatch } from "../fan-out/run-batch";
import type { WorkBatch } from "../fan-out/work-batch";
import { sortSources } from "../protocol/run-record";
import { type RunRef, runId, runKeys } from "../protocol/run-ref";
import { readJson } from "../protocol/store";
import { listSources } from "../sources/list-sources";
import { runSources } from "../sources/source-results";
import type { SourceWork } from "../sources/source-work";
import { handleSourcesInRun, removeDeleteMarkers, type SourcesRunContext } from "../sources/sources-in-run";
import { type SourcesDone, sortFailed } from "../sources/sources-outcome";

/** How one invocation meets `forEachSource`: a scheduled attempt does the work, a queued batch its share, a completion gathers. */
export type SourcesMode =
  | { readonly kind: "attempt" }
  | { readonly kind: "batch"; readonly batch: WorkBatch }
  | { readonly kind: "gather" };

export interface ForEachContext extends SourcesRunContext {
  readonly fanOut?: FanOutSettings;
  readonly sqs?: SQSClient;
}

/** The run went on to the work queue: the attempt ends here, and the run's last batch completes it. */
export class RunSpread extends Error {
  override readonly name = "RunSpread";
  constructor(readonly plan: Pick<FanOutPlan, "of" | "sources">) {
    super("the run continues on the work queue");
  }
}

/** A queued batch's share of a spread run is done: the worker checks next whether the run is complete. */
export class BatchShareDone extends Error {
  override readonly name = "BatchShareDone";
  constructor(readonly outcome: "processed" | "already_processed") {
    super("the batch's share of the run is done");
  }
}

/**
 * `forEachSource` in one invocation. An attempt lists what waits under `prefix` and hands each
 * source to `work` exactly once across runs; with `spread`, and a work queue, a run larger
 * than an invocation should take on (or one whose time runs out) goes on to the queue instead,
 * and a retry of a spread run resumes it. A batch does its share with `work`. A completion
 * gathers what the batches did.
 */
export async function sourcesOfRun(
  context: ForEachContext,
  mode: SourcesMode,
  event: TaskEvent,
  run: RunRef,
  prefix: string,
  work: SourceWork,
  spread: boolean,
): Promise<SourcesDone> {
  if (mode.kind === "gather") return gatherBatches(context, run);
  if (mode.kind === "batch") throw new BatchShareDone(await processBatch(context as ForEachContext & BatchContext, mode.batch, work));
  const id = runId(run);
  const fanOut = spread ? fanOutContext(context) : undefined;
  const plan = fanOut ? await readJson<FanOutPlan>(context.store, runKeys(run).plan) : undefined;
  if (fanOut && plan) {
    await resumeFanOut(fanOut, run);
    if (await allBatchesFinished(context, run, plan.value.of)) return gatherBatches(context, run);
    throw new RunSpread(plan.value);
  }

  const { sources, deleteMarkers } = await listSources(context, prefix);
  await removeDeleteMarkers(context, deleteMarkers);
  if (fanOut && exceedsOneInvocation(sources, fanOut)) throw new RunSpread(await startFanOut(fanOut, event, run, sources, []));

  const handled = await handleSourcesInRun(context, id, sources, work);
  const waiting = handled.notStarted;
  if (waiting.length > 0) {
    context.log.warn("time is running out; the sources left are not started here", {
      waiting: waiting.length,
      next_source: waiting[0].key,
    });
    if (fanOut) throw new RunSpread(await startFanOut(fanOut, event, run, waiting, await runSources(context, id, handled.done)));
  }
  return {
    sources: sortSources(await runSources(context, id, handled.done)),
    failed: sortFailed(handled.failed),
    waiting: waiting.length,
  };
}

function fanOutContext(context: ForEachContext): FanOutContext | undefined {
  if (!context.fanOut || !context.sqs) return undefined;
  const { queueUrl, maxBytes, maxSources, sourcesPerBatch } = context.fanOut;
  return { ...context, sqs: context.sqs, queueUrl, maxBytes, maxSources, sourcesPerBatch };
}
