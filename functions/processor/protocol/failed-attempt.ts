import { type FailedAttemptRecord, failureReason, runHistoryKeys } from "../../../core/run-history";
import { describeError, type Logger } from "../../commons/logger";
import { canonicalInstant } from "./run-ref";
import { type ObjectStore, writeJson } from "./store";

export interface FailedAttemptContext {
  readonly store: ObjectStore;
  readonly log: Logger;
  readonly now: () => number;
}

/**
 * Leaves the record of an attempt that failed (`runs/.../attempts/<attempt id>.json`), so that
 * history tells a time that was tried and failed from one that never ran. Best effort: the
 * attempt is failing already, perhaps because S3 is, and its own error is what matters; a
 * record that cannot be written is logged, and the run's history then reads `failed/`.
 */
export async function recordFailedAttempt(
  context: FailedAttemptContext,
  event: {
    readonly task_type: string;
    readonly schedule: string;
    readonly scheduled_time: string;
    readonly execution_id: string;
    readonly attempt_number?: string | number;
  },
  attemptId: string,
  error: unknown,
): Promise<void> {
  const scheduledTime = canonicalInstant(event.scheduled_time);
  const record: FailedAttemptRecord = {
    task: event.task_type,
    schedule: event.schedule,
    scheduledTime,
    executionId: event.execution_id,
    attempt: Number(event.attempt_number ?? 1),
    attemptId,
    reason: failureReason(error as Error | undefined),
    failedAt: new Date(context.now()).toISOString(),
  };
  const key = runHistoryKeys({ task: event.task_type, schedule: event.schedule, scheduledTime }).attempt(attemptId);
  try {
    await writeJson(context.store, key, record);
  } catch (writeError) {
    context.log.warn("the failed attempt could not be recorded", { key, error: describeError(writeError) });
  }
}
