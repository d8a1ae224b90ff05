import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { BUCKET_LAYOUT } from "../../core/bucket-layout";
import { describeError } from "../commons/logger";
import { fitSubject, publishNotice } from "../commons/notices";
import type { StorageAndNotices } from "../commons/services";
import { processEachRecord } from "../commons/sqs-batch";
import { describeFailure, type FailedEvent, type QueueOrigins } from "./failed-event";

export interface FailureHandlerDependencies extends QueueOrigins, StorageAndNotices {}

/** `failed/<yyyy-mm-dd>/<message id>.json`: stable for a message, so a redelivery rewrites the same object. */
export function archiveKey(failed: FailedEvent): string {
  return `${BUCKET_LAYOUT.failed.prefix}${failed.sentAt.slice(0, 10)}/${failed.id}.json`;
}

/**
 * Consumes the scheduler dead-letter queue and the processor failure queue. Each message is
 * archived to the bucket and announced on the topic; only then may SQS delete it. A message
 * that cannot be archived or announced is reported back, so it stays in its queue.
 */
export function createFailureHandler(deps: FailureHandlerDependencies) {
  return async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
    return processEachRecord(event, archiveAndAnnounce, deps.log);
  };

  async function archiveAndAnnounce(record: SQSRecord): Promise<void> {
    const failed = describeFailure(record, deps);
    const key = archiveKey(failed);
    try {
      await deps.s3.send(
        new PutObjectCommand({
          Bucket: deps.bucket,
          Key: key,
          Body: `${JSON.stringify(failed, null, 2)}\n`,
          ContentType: "application/json",
        }),
      );
      await publishNotice(deps.sns, deps.topicArn, failureNotice(failed, key, deps.environment));
      deps.log.info("failed event archived", { id: failed.id, origin: failed.origin, schedule: failed.schedule, task: failed.task, key });
    } catch (error) {
      deps.log.error("failed event kept in its queue", { id: failed.id, error: describeError(error) });
      throw error;
    }
  }
}

export function failureNotice(failed: FailedEvent, key: string, environment: string) {
  const what =
    failed.origin === "scheduler"
      ? "could not be delivered by EventBridge Scheduler"
      : failed.origin === "work-queue"
        ? "left a batch of its work undone after every delivery (the run completes once the batch is replayed)"
        : "failed after all its retries";
  return {
    subject: fitSubject(`[${environment}] FAILED for good: ${failed.task ?? "unknown task"} ${failed.schedule ?? ""}`),
    message: [
      `A run ${what}. The event is archived and can be replayed.`,
      "",
      `Schedule: ${failed.schedule ?? "unknown"}`,
      `Task: ${failed.task ?? "unknown"}`,
      `Scheduled time: ${failed.scheduledTime ?? "unknown"}`,
      `Error: ${failed.error}`,
      `Attempts: ${failed.attempts ?? "unknown"}`,
      `Archived at: ${key}`,
      ...(failed.archivedEvent ? [`The whole event (too large for the queue) is at: ${failed.archivedEvent}`] : []),
      `Replay: npm run replay -- ${environment} ${failed.archivedEvent ?? key}`,
    ].join("\n"),
    attributes: { task: failed.task ?? "unknown", environment, schedule: failed.schedule ?? "unknown", status: "failed-for-good" },
  };
}
