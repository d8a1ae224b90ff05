import { dataProcessingPayloadSchema } from "../../../core/task-payloads";
import { InvalidEventError } from "../../commons/errors/invalid-event-error";
import type { RunIdentity } from "../../commons/notices";
import { settleWithLimit } from "../../commons/pool";
import { objectExists, readJson, writeJson } from "../../commons/s3-objects";
import { parseTaskEvent, parseWith } from "../../commons/task-event";
import { finishRun } from "../run/finish-run";
import { Lease, RUN_LEASE } from "../run/lease";
import type { PublicationContext } from "../run/publication";
import { type SourceSummary, sortSources } from "../run/run-record";
import { runId, runKeys, runRefOf } from "../run/run-ref";
import { readRunState } from "../run/run-state";
import { handleSource, type SourceContext } from "../sources/handle-source";
import { type NotedFailure, noteSourceFailure } from "../sources/set-aside";
import { memoryCost } from "../sources/source-content";
import { SourceFailuresError } from "../sources/source-failures-error";
import { dataProcessingTask } from "../tasks/data-processing";
import type { FanOutPlan } from "./fan-out";
import { allBatchesFinished, fanOutRecord } from "./fan-out-record";
import { handleRange } from "./handle-range";
import type { WorkBatch, WorkItem } from "./work-batch";

export interface BatchContext extends SourceContext, PublicationContext {
  readonly concurrency: number;
  readonly memoryBudgetBytes: number;
  readonly attemptId: string;
  readonly remainingTimeMs: () => number;
}

/**
 * A worker's share of a fanned-out run: each source or range in the batch, then the batch's
 * result. A redelivered batch finds its result (or its sources' results) and redoes nothing.
 * The worker that records the last batch completes the run: its record, notice and metrics.
 */
export async function runBatch(context: BatchContext, batch: WorkBatch): Promise<"processed" | "already_processed"> {
  const event = parseTaskEvent(batch.event);
  const run = runRefOf(event);
  const id = runId(run);
  const keys = runKeys(run);
  const resultKey = keys.batchResult(batch.index);
  let outcome: "processed" | "already_processed" = "already_processed";
  if (!(await objectExists(context.s3, context.bucket, resultKey))) {
    // The planner writes the plan before it sends a batch: without one, the batch is no run's.
    if (!(await objectExists(context.s3, context.bucket, keys.plan)))
      throw new InvalidEventError("event", `no run of ${id} was spread over the work queue (${keys.plan} does not exist)`);
    const payload = parseWith(dataProcessingPayloadSchema, event.payload, "payload");
    const requiredFields = payload.requiredFields ?? [];
    const limits = {
      count: context.concurrency,
      weight: (item: WorkItem) => (item.kind === "range" ? memoryCost({ size: Number.MAX_SAFE_INTEGER }) : memoryCost(item.source)),
      budget: context.memoryBudgetBytes,
    };
    const handled = await settleWithLimit(batch.items, limits, (item) =>
      item.kind === "source" ? handleSource(context, id, item.source, requiredFields) : handleRange(context, id, item, requiredFields),
    );
    const results: SourceSummary[] = handled.results.flatMap(({ value }) => (value.kind === "done" ? [value.result] : []));
    // Each delivery that gives up on a whole source counts a failed attempt; the one that
    // counts the last sets it aside, and the batch then finishes. Others fail the batch, and
    // SQS delivers it again (ranges of a large source are retried by delivery alone).
    const failures: Array<{ source: string; error: unknown }> = [];
    for (const { item, error } of handled.failures) {
      const noted = item.kind === "source" ? await noteSourceFailure(context, id, item.source, error).catch((): NotedFailure => ({})) : {};
      if (noted.handled?.kind === "done") results.push(noted.handled.result);
      else if (!noted.handled) failures.push({ source: item.source.key, error });
    }
    if (failures.length > 0) throw new SourceFailuresError(failures);
    await writeJson(context.s3, context.bucket, resultKey, { index: batch.index, results: sortSources(results) });
    outcome = "processed";
  }
  await completeIfFinished(context, batch);
  return outcome;
}

/**
 * Completes the run when every batch is finished, under the run's lease so only one worker
 * (or the scheduled attempt) announces it. A worker that cannot take the lease leaves it to
 * the holder, which checks again after letting go.
 */
export async function completeIfFinished(context: BatchContext, batch: Pick<WorkBatch, "event" | "of">): Promise<boolean> {
  const event = parseTaskEvent(batch.event);
  const run = runRefOf(event);
  if (!(await allBatchesFinished(context, run, batch.of))) return false;
  // A batch's own count is only its sender's word; the plan says how many batches the run has.
  const plan = await readJson<Pick<FanOutPlan, "of">>(context.s3, context.bucket, runKeys(run).plan);
  if (!plan || (plan.value.of !== batch.of && !(await allBatchesFinished(context, run, plan.value.of)))) return false;
  const taken = await Lease.tryAcquire(context, runKeys(run).lease, context.attemptId, RUN_LEASE);
  if (taken.kind !== "held") return false;
  const { lease } = taken;
  try {
    const state = await readRunState(context, run, lease.holder);
    if (state.kind === "published") return true;
    const identity: RunIdentity = {
      environment: event.environment,
      task: event.task_type,
      schedule: event.schedule,
      scheduledTime: event.scheduled_time,
      executionId: event.execution_id,
      attempt: event.attempt_number,
    };
    const record = state.kind === "recorded" ? undefined : { ...(await fanOutRecord(context, run)), executionId: event.execution_id };
    const started = Date.parse(event.scheduled_time);
    const finished = await finishRun(
      context,
      run,
      lease,
      state,
      record,
      (r) => dataProcessingTask.notice(r, identity, event.payload),
      Math.max(0, context.now() - started),
    );
    context.log.info("task finished", {
      task: run.task,
      schedule: run.schedule,
      scheduled_time: run.scheduledTime,
      status: finished.record.status,
      counts: finished.record.counts,
      fanned_out: true,
    });
    return true;
  } finally {
    await lease.release();
  }
}
