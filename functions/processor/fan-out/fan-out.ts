import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { TaskEvent } from "../../commons/task-event";
import { type SourceSummary, sortSources } from "../protocol/run-record";
import { type RunRef, runId, runKeys } from "../protocol/run-ref";
import { createJsonIfAbsent, readJson, replaceJsonIfMatch, writeJson } from "../protocol/store";
import { adoptRecorded, completeSource, handleFinishedSource, type SourceContext } from "../sources/handle-source";
import { acquireClaim } from "../sources/source-claim";
import { type SourceRef, sourceId } from "../sources/source-identity";
import { readSourceState } from "../sources/source-state";
import { LARGE_SOURCE_LEASE } from "./large-source-lease";
import { splitSource } from "./split-source";
import { packBatches, type WorkBatch, type WorkItem } from "./work-batch";

const SQS_BATCH_ENTRIES = 10;

/** `fan-out/plan.json`: how a run's work was spread over the queue, kept to re-send it. */
export interface FanOutPlan {
  readonly event: TaskEvent;
  readonly of: number;
  readonly sources: number;
  readonly bytes: number;
  readonly createdAt: number;
  /** Set once every batch is on the queue. */
  readonly enqueuedAt?: number;
  readonly batches: readonly (readonly WorkItem[])[];
}

/** Where large runs spread their work, and how much one invocation takes on before it does. */
export interface FanOutSettings {
  readonly queueUrl: string;
  /** More sources than this in one run go to the queue. */
  readonly maxSources: number;
  /** More bytes than this in one run go to the queue; a single larger source is split. */
  readonly maxBytes: number;
  /** Whole sources a batch takes at most. @default 50 (SOURCES_PER_BATCH) */
  readonly sourcesPerBatch?: number;
}

export interface FanOutContext extends SourceContext {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Bytes one invocation should take on; a larger source is cut into ranges of half this. */
  readonly maxBytes: number;
  /** Sources one invocation should take on. */
  readonly maxSources: number;
  /** Whole sources a batch takes at most. */
  readonly sourcesPerBatch?: number;
}

/** The batches a run has finished, by index (and "inline" for work done before it fanned out). */
export async function finishedBatches(context: SourceContext, run: RunRef | string): Promise<string[]> {
  const prefix = runKeys(run).batchesPrefix;
  const done: string[] = [];
  for await (const object of context.store.list(prefix)) done.push(object.key.slice(prefix.length).replace(/\.json$/, ""));
  return done;
}

/**
 * Spreads a run's sources over the work queue. Small sources go in batches a worker claims
 * one by one; a source larger than an invocation's share is claimed here and cut into byte
 * ranges at line boundaries. The plan is written before anything is sent, so a retry of the
 * run re-sends what a crash left unsent instead of planning again.
 */
export async function startFanOut(
  context: FanOutContext,
  event: TaskEvent,
  run: RunRef,
  sources: readonly SourceRef[],
  doneBefore: readonly SourceSummary[],
): Promise<FanOutPlan> {
  const id = runId(run);
  const items: WorkItem[] = [];
  const doneInline = [...doneBefore];
  for (const source of sources) {
    if (source.size <= context.maxBytes) {
      items.push({ kind: "source", source });
      continue;
    }
    const sid = sourceId(source);
    const claim = await acquireClaim(context, id, sid, source, context.layout.outputsOf(source, sid), LARGE_SOURCE_LEASE);
    if (claim.kind === "busy") continue;
    if (claim.kind === "refused") {
      const finished = await handleFinishedSource(context, id, source, claim.state);
      if (finished.kind === "done") doneInline.push(finished.result);
      continue;
    }
    const state = await readSourceState(context, claim.lease.state, sid);
    if (state.stage !== "claimed") {
      // Recorded (or finished) before: only its last steps are left, done here.
      const completed =
        state.stage === "removed"
          ? await handleFinishedSource(context, id, source, { ...claim.lease.state, finished: state.finished })
          : await completeSource(
              context,
              id,
              sid,
              source,
              await adoptRecorded(context, id, sid, state.result, claim.lease.state.owner),
              claim.lease,
            );
      await claim.lease.release().catch(() => undefined);
      if (completed.kind === "done") doneInline.push(completed.result);
      continue;
    }
    // The claim stays held by the run for its ranges; this invocation stops renewing it.
    claim.lease.abandon();
    const ranges = await splitSource(context, source, Math.ceil(context.maxBytes / 2));
    for (const range of ranges)
      items.push({ kind: "range", source, id: sid, outputs: claim.lease.state.outputs, range, ranges: ranges.length });
  }
  const batches = packBatches(items, context.maxBytes, context.sourcesPerBatch);
  const plan: FanOutPlan = {
    event,
    of: batches.length,
    sources: sources.length,
    bytes: sources.reduce((sum, s) => sum + s.size, 0),
    createdAt: context.now(),
    batches,
  };
  const keys = runKeys(run);
  if (doneInline.length > 0)
    await writeJson(context.store, keys.batchResult("inline"), { index: "inline", results: sortSources(doneInline) });
  const created = await createJsonIfAbsent(context.store, keys.plan, plan);
  if (created === undefined) return resumeFanOut(context, run);
  await sendBatches(
    context,
    plan,
    batches.map((_, index) => index),
  );
  await replaceJsonIfMatch(context.store, keys.plan, { ...plan, enqueuedAt: context.now() }, created);
  context.log.info("run spread over the work queue", { batches: plan.of, sources: plan.sources, bytes: plan.bytes });
  return plan;
}

/** More sources or bytes than one invocation should take on, or one source too large for it. */
export function exceedsOneInvocation(sources: readonly SourceRef[], fanOut: Pick<FanOutContext, "maxBytes" | "maxSources">): boolean {
  let bytes = 0;
  for (const source of sources) {
    bytes += source.size;
    if (source.size > fanOut.maxBytes) return true;
  }
  return bytes > fanOut.maxBytes || sources.length > fanOut.maxSources;
}

/** A retry of a fanned-out run: re-sends the batches a crash left unsent. */
export async function resumeFanOut(context: FanOutContext, run: RunRef): Promise<FanOutPlan> {
  const keys = runKeys(run);
  const stored = await readJson<FanOutPlan>(context.store, keys.plan, false);
  if (!stored) throw new Error(`fan-out plan ${keys.plan} disappeared`);
  const plan = stored.value;
  if (plan.enqueuedAt !== undefined) return plan;
  const done = new Set(await finishedBatches(context, run));
  const unsent = plan.batches.map((_, index) => index).filter((index) => !done.has(batchName(index)));
  await sendBatches(context, plan, unsent);
  await replaceJsonIfMatch(context.store, keys.plan, { ...plan, enqueuedAt: context.now() }, stored.etag);
  return plan;
}

export function batchName(index: number): string {
  return String(index).padStart(5, "0");
}

async function sendBatches(context: FanOutContext, plan: FanOutPlan, indexes: readonly number[]): Promise<void> {
  for (let i = 0; i < indexes.length; i += SQS_BATCH_ENTRIES) {
    let entries = indexes.slice(i, i + SQS_BATCH_ENTRIES).map((index) => {
      const batch: WorkBatch = { kind: "data_processing_batch", event: plan.event, index, of: plan.of, items: plan.batches[index] };
      return { Id: String(index), MessageBody: JSON.stringify(batch) };
    });
    for (let attempt = 0; entries.length > 0; attempt++) {
      const response = await context.sqs.send(new SendMessageBatchCommand({ QueueUrl: context.queueUrl, Entries: entries }));
      const failed = new Set((response.Failed ?? []).map((f) => f.Id));
      if (failed.size > 0 && attempt >= 2)
        throw new Error(`could not queue ${failed.size} batch(es): ${response.Failed?.[0]?.Message ?? "unknown"}`);
      entries = entries.filter((entry) => failed.has(entry.Id));
    }
  }
}
