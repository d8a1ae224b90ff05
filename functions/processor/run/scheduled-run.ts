import { excludedDateOf } from "../../../core/excluded-dates";
import { describeError } from "../../commons/logger";
import type { RunIdentity } from "../../commons/notices";
import type { TaskEvent } from "../../commons/task-event";
import { completeIfFinished } from "../fan-out/run-batch";
import type { Task, TaskContext, TaskOutcome } from "../tasks/task";
import { finishRun } from "./finish-run";
import { Lease, RUN_LEASE } from "./lease";
import type { PublicationContext } from "./publication";
import { type RunRecord, runHeader } from "./run-record";
import { runKeys, runRefOf } from "./run-ref";
import { isDone, readRunState, recordOf } from "./run-state";

export interface ScheduledRunContext extends TaskContext, PublicationContext {}

/**
 * One attempt of a scheduled run. A run that is done for good is answered from its record
 * without a write. Otherwise the attempt takes the run's lease (a duplicate delivery waits,
 * then finds the run done), announces a record an earlier attempt kept but could not
 * announce, or runs the task and finishes the run; a task that spread over the work queue
 * is finished by its last batch instead. A scheduled time on one of the schedule's excluded
 * dates is finished as `skipped`: no work and no notice, but a record and the run's metric
 * line, so history shows it and the missed-run alarm counts it as run.
 */
export async function runScheduled(
  context: ScheduledRunContext,
  task: Task,
  event: TaskEvent,
  payload: Record<string, unknown>,
  identity: () => RunIdentity,
): Promise<TaskOutcome> {
  const started = context.now();
  const run = runRefOf(event);
  const before = await readRunState(context, run);
  if (isDone(before)) return outcomeOf(recordOf(before)!, "already_completed");

  const lease = await Lease.acquire(
    context,
    runKeys(run).lease,
    context.attemptId,
    RUN_LEASE,
    () => context.remainingTimeMs() > context.timeReserveMs,
  );
  let fannedOut: number | undefined;
  try {
    const state = await readRunState(context, run, lease.holder);
    if (isDone(state)) return outcomeOf(recordOf(state)!, "already_completed");
    let record: Omit<RunRecord, "published"> | undefined;
    const excludedDate = excludedDateOf(Date.parse(event.scheduled_time), event.timezone ?? "UTC", event.exclude);
    // Only a run with no record yet is skipped: one an earlier attempt recorded keeps its outcome.
    if (excludedDate !== undefined && recordOf(state) === undefined) {
      context.log.info("the scheduled time falls on an excluded date: the run is skipped", { excluded_date: excludedDate });
      record = { ...runHeader(run, "skipped"), counts: {}, excludedDate, executionId: event.execution_id };
    } else if (state.kind !== "recorded") {
      const result = await task.run(event, context, state.kind === "published" ? state.record : undefined);
      if (result.kind === "in_progress") {
        fannedOut = result.batches;
        context.log.info("task continues on the work queue", { counts: result.counts });
        return { status: "fanned_out", recordsProcessed: 0, recordsQuarantined: 0, counts: result.counts };
      }
      record = { ...result.record, executionId: event.execution_id };
    }
    const finished = await finishRun(
      context,
      run,
      lease,
      state,
      record,
      (r) => (r.status === "skipped" ? undefined : task.notice(r, identity(), payload)),
      context.now() - started,
    );
    if (finished.outcome !== "published") return outcomeOf(finished.record, finished.outcome);
    context.log.info("task finished", {
      status: finished.record.status,
      counts: finished.record.counts,
      duration_ms: context.now() - started,
    });
    return outcomeOf(finished.record, finished.record.status);
  } finally {
    await lease.release().catch(() => undefined);
    if (fannedOut !== undefined) {
      // Workers that finished while this attempt held the lease left the run for it to complete.
      await completeIfFinished(context, { event, of: fannedOut }).catch((error) =>
        context.log.warn("could not check whether the fanned-out run is complete; its last worker will", { error: describeError(error) }),
      );
    }
  }
}

export function outcomeOf(record: RunRecord, status: TaskOutcome["status"]): TaskOutcome {
  return {
    status,
    recordsProcessed: record.totals?.processed ?? 0,
    recordsQuarantined: record.totals?.quarantined ?? 0,
    counts: record.counts,
  };
}
