import { excludedDateOf } from "../../../core/excluded-dates";
import { describeError } from "../../commons/logger";
import { type Notice as PublishedNotice, type RunIdentity, type RunOutcomeWord, runNotice } from "../../commons/notices";
import type { TaskEvent } from "../../commons/task-event";
import { runBatchesFinished } from "../fan-out/run-batch";
import { finishRun } from "../protocol/finish-run";
import { Lease, RUN_LEASE } from "../protocol/lease";
import type { PublicationContext } from "../protocol/publication";
import { type RunRecord, runHeader } from "../protocol/run-record";
import { runKeys, runRefOf } from "../protocol/run-ref";
import { isDone, readRunState, recordOf } from "../protocol/run-state";
import type { FinishedRun, TaskDefinition } from "../protocol/task";
import { sourcesNoticeText } from "../sources/sources-outcome";
import { RunSpread } from "./for-each-source";
import { runTask, type TaskRunContext } from "./task-run";

/** What one invocation's run needs: the task run's context, where it publishes, and its own identity. */
export interface RunContext extends TaskRunContext, PublicationContext {
  /** This invocation, for leases. */
  readonly attemptId: string;
  /** Stop starting new work when less than this is left. */
  readonly timeReserveMs: number;
}

export interface TaskOutcome {
  /**
   * completed / partial / incomplete: this attempt finished the run and announced it.
   * skipped: the scheduled time fell on an excluded date; recorded, counted, nothing done.
   * already_completed: an earlier attempt had; nothing was redone or announced again.
   * unchanged: a partial run's rerun found nothing more it could do.
   * fanned_out: the work continues on the queue. rejected: the event can never run.
   */
  readonly status: "completed" | "partial" | "incomplete" | "skipped" | "already_completed" | "unchanged" | "fanned_out" | "rejected";
  readonly recordsProcessed: number;
  readonly recordsQuarantined: number;
  readonly counts: Readonly<Record<string, number>>;
  /** What was wrong with a rejected event. */
  readonly error?: { readonly name: string; readonly message: string; readonly field?: string };
}

/**
 * One attempt of a scheduled run. A run that is done for good is answered from its record
 * without a write. Otherwise the attempt takes the run's lease (a duplicate delivery waits,
 * then finds the run done), announces a record an earlier attempt kept but could not
 * announce, or runs the task and finishes the run; a run that spread over the work queue is
 * finished by its last batch instead. A scheduled time on one of the schedule's excluded dates
 * is finished as `skipped`: no work and no notice, but a record and the run's metric line, so
 * history shows it and the missed-run alarm counts it as run.
 */
export async function runScheduled<P>(
  context: RunContext,
  task: TaskDefinition<P>,
  event: TaskEvent,
  payload: P,
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
  let spreadOver: number | undefined;
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
      try {
        // The execution that finished the run is named in its record (not part of its outcome).
        record = { ...(await runTask(context, task, event, payload, { kind: "attempt" })), executionId: event.execution_id };
      } catch (error) {
        if (!(error instanceof RunSpread)) throw error;
        spreadOver = error.plan.of;
        const counts = { batches: error.plan.of, sources: error.plan.sources };
        context.log.info("task continues on the work queue", { counts });
        return { status: "fanned_out", recordsProcessed: 0, recordsQuarantined: 0, counts };
      }
    }
    const finished = await finishRun(
      context,
      run,
      lease,
      state,
      record,
      (r) => (r.status === "skipped" ? undefined : noticeOf(task, r, identity(), payload, context.layout.waitingIn)),
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
    if (spreadOver !== undefined) {
      // Workers that finished while this attempt held the lease left the run for it to complete.
      await completeSpreadRun(context, task, { event, of: spreadOver }, payload).catch((error) =>
        context.log.warn("could not check whether the fanned-out run is complete; its last worker will", { error: describeError(error) }),
      );
    }
  }
}

/**
 * Completes a spread run when every batch is finished, under the run's lease so only one
 * worker (or the scheduled attempt) announces it: the task runs once more, and its
 * forEachSource gathers what the batches did. A worker that cannot take the lease leaves it to
 * the holder, which checks again after letting go.
 */
export async function completeSpreadRun<P>(
  context: RunContext,
  task: TaskDefinition<P>,
  batch: { readonly event: TaskEvent; readonly of: number },
  payload: P,
): Promise<boolean> {
  const { event } = batch;
  const run = runRefOf(event);
  if (!(await runBatchesFinished(context, batch))) return false;
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
    const record =
      state.kind === "recorded"
        ? undefined
        : { ...(await runTask(context, task, event, payload, { kind: "gather" })), executionId: event.execution_id };
    const started = Date.parse(event.scheduled_time);
    const finished = await finishRun(
      context,
      run,
      lease,
      state,
      record,
      (r) => noticeOf(task, r, identity, payload, context.layout.waitingIn),
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

const OUTCOME_WORDS: Readonly<Record<RunRecord["status"], RunOutcomeWord>> = {
  completed: "OK",
  partial: "PARTIAL",
  incomplete: "INCOMPLETE",
  // A skipped run announces nothing.
  skipped: "OK",
};

/** The notice a kept record is announced with: the task's choice, or the standard notice. */
export function noticeOf<P>(
  task: TaskDefinition<P>,
  record: RunRecord,
  identity: RunIdentity,
  payload: P,
  waitingIn: string,
): PublishedNotice | undefined {
  const standardNotice = () =>
    runNotice(identity, OUTCOME_WORDS[record.status], record.status, record.counts, { ...sourcesNoticeText(record, waitingIn), waitingIn });
  const finished: FinishedRun = {
    task: identity.task,
    schedule: identity.schedule,
    environment: identity.environment,
    ...(identity.scheduledTime !== undefined ? { scheduledTime: identity.scheduledTime } : {}),
    ...(identity.executionId !== undefined ? { executionId: identity.executionId } : {}),
    status: record.status as FinishedRun["status"],
    counts: record.counts,
    record,
    standardNotice,
  };
  const chosen = task.notice ? task.notice(finished, payload) : standardNotice();
  if (!chosen) return undefined;
  return {
    subject: chosen.subject,
    message: chosen.message,
    attributes: {
      task: identity.task,
      environment: identity.environment,
      schedule: identity.schedule,
      status: record.status,
      ...chosen.attributes,
    },
  };
}

export function outcomeOf(record: RunRecord, status: TaskOutcome["status"]): TaskOutcome {
  return {
    status,
    recordsProcessed: record.totals?.processed ?? 0,
    recordsQuarantined: record.totals?.quarantined ?? 0,
    counts: record.counts,
  };
}
