import type { S3Client } from "@aws-sdk/client-s3";
import { type FailedAttemptRecord, failureReason, runHistoryKeys } from "../../../core/run-history";
import { describeError, type Logger } from "../../commons/logger";
import { writeJson } from "../../commons/s3-objects";
import type { TaskEvent } from "../../commons/task-event";
import { canonicalInstant } from "./run-ref";

export interface FailedAttemptContext {
  readonly s3: S3Client;
  readonly bucket: string;
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
  event: TaskEvent,
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
    await writeJson(context.s3, context.bucket, key, record);
  } catch (writeError) {
    context.log.warn("the failed attempt could not be recorded", { key, error: describeError(writeError) });
  }
}
