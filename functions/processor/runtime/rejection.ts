import { randomUUID } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import type { InvalidEventError } from "../../commons/errors/invalid-event-error";
import type { RunIdentity } from "../../commons/notices";
import { jsonBytes } from "../../commons/task-event";
import { type ObjectStore, writeJson } from "../protocol/store";

/**
 * The most a failure-queue message may be: 256 KiB, which every SQS queue takes (SQS's limit
 * is 1 MiB now; 256 KiB was the default before, and Terraform's AWS provider 5.x still sets it).
 */
export const MAX_FAILURE_MESSAGE_BYTES = 256 * 1024;
/** Characters of each identity field a cut-down message keeps. */
const CUT_FIELD_CHARACTERS = 200;

export interface RejectionContext {
  readonly store: ObjectStore;
  readonly sqs: SQSClient;
  readonly failureQueueUrl: string;
  readonly now: () => number;
}

/**
 * Puts a rejected event in the failure queue, in the shape of Lambda's own on-failure records
 * (the failure handler archives and announces those). An event too large for the message is
 * archived whole under failed/ first, and the message carries its identity, cut short, and
 * where the whole one is: a rejection always fits, so it is never retried for ever.
 */
export async function sendToFailureQueue(
  context: RejectionContext,
  rawEvent: unknown,
  error: InvalidEventError,
  run: RunIdentity,
): Promise<{ readonly archivedEvent?: string }> {
  const requestId = randomUUID();
  const record = {
    version: "1.0",
    timestamp: new Date(context.now()).toISOString(),
    requestContext: { requestId, condition: "RejectedInvalidEvent", approximateInvokeCount: 1 },
    requestPayload: rawEvent,
    responseContext: { statusCode: 200, functionError: "Rejected" },
    responsePayload: { errorType: error.name, errorMessage: cut(error.message, 4_096) },
  };
  let body = JSON.stringify(record);
  let archivedEvent: string | undefined;
  if (Buffer.byteLength(body) > MAX_FAILURE_MESSAGE_BYTES) {
    archivedEvent = await archiveWholeEvent(context, rawEvent, error, run, requestId);
    body = JSON.stringify({
      ...record,
      requestContext: { ...record.requestContext, archivedEvent, eventBytes: jsonBytes(rawEvent) },
      requestPayload: identityOnly(rawEvent),
    });
  }
  await context.sqs.send(new SendMessageCommand({ QueueUrl: context.failureQueueUrl, MessageBody: body }));
  return archivedEvent ? { archivedEvent } : {};
}

/** `failed/<yyyy-mm-dd>/rejected-<request id>.json`, in the failure handler's archive shape. */
async function archiveWholeEvent(
  context: RejectionContext,
  rawEvent: unknown,
  error: InvalidEventError,
  run: RunIdentity,
  requestId: string,
): Promise<string> {
  const sentAt = new Date(context.now()).toISOString();
  const key = `${BUCKET_LAYOUT.failed.prefix}${sentAt.slice(0, 10)}/rejected-${requestId}.json`;
  await writeJson(context.store, key, {
    id: requestId,
    origin: "processor",
    queueArn: "",
    sentAt,
    schedule: run.schedule,
    task: run.task,
    scheduledTime: run.scheduledTime,
    executionId: run.executionId,
    error: cut(`${error.name}: ${error.message}`, 4_096),
    attempts: 1,
    event: rawEvent,
    body: "",
    messageAttributes: {},
  });
  return key;
}

/** The fields that say which run an event was for, each cut short, and nothing else. */
function identityOnly(rawEvent: unknown): Record<string, unknown> {
  const fields = typeof rawEvent === "object" && rawEvent !== null && !Array.isArray(rawEvent) ? (rawEvent as Record<string, unknown>) : {};
  const event = (fields.kind === "data_processing_batch" && typeof fields.event === "object" ? fields.event : fields) as Record<
    string,
    unknown
  >;
  const kept: Record<string, unknown> = { truncated: true };
  for (const name of ["task_type", "schedule", "environment", "scheduled_time", "execution_id", "attempt_number"]) {
    const value = event?.[name];
    if (typeof value === "string") kept[name] = cut(value, CUT_FIELD_CHARACTERS);
    else if (typeof value === "number" || typeof value === "boolean") kept[name] = value;
  }
  return kept;
}

function cut(text: string, characters: number): string {
  return text.length <= characters ? text : `${text.slice(0, characters - 3)}...`;
}
