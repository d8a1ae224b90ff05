import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { S3Client } from "@aws-sdk/client-s3";
import { BUCKET_LAYOUT } from "../../core/bucket-layout";
import { readJson } from "../../functions/commons/s3-objects";
import { parseTaskEvent, type TaskEvent } from "../../functions/commons/task-event";
import type { FailedEvent } from "../../functions/failure-handler/failed-event";
import { isWorkBatch, type WorkBatch } from "../../functions/processor/fan-out/work-batch";

export class ReplayError extends Error {
  override readonly name = "ReplayError";
}

export interface ReplayOptions {
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly bucket: string;
  readonly functionName: string;
  /** `failed/<yyyy-mm-dd>/<id>.json`, as the failure notice names it. */
  readonly key: string;
}

/**
 * Re-invokes the processor, asynchronously as Scheduler does, with the event archived at
 * `key`. The processor's idempotency makes this safe: work already done is not done twice.
 */
export async function replayArchivedEvent(options: ReplayOptions): Promise<{ statusCode?: number; event: TaskEvent | WorkBatch }> {
  if (!options.key.startsWith(BUCKET_LAYOUT.failed.prefix) || !options.key.endsWith(".json")) {
    throw new ReplayError(`${options.key} is not an archived failure: keys look like ${BUCKET_LAYOUT.failed.prefix}<yyyy-mm-dd>/<id>.json`);
  }
  const archived = await readJson<FailedEvent>(options.s3, options.bucket, options.key).catch((error) => {
    if ((error as { name?: string }).name === "AccessDenied")
      throw new ReplayError(`not allowed to read s3://${options.bucket}/${options.key}: ${(error as Error).message}`);
    throw error;
  });
  if (!archived) throw new ReplayError(`no archived event at s3://${options.bucket}/${options.key}`);
  let event: TaskEvent | WorkBatch;
  try {
    // A batch of a fanned-out run is replayed as it was queued; anything else must be a scheduled event.
    event = isWorkBatch(archived.value.event) ? archived.value.event : parseTaskEvent(archived.value.event);
  } catch (error) {
    throw new ReplayError(`the archived event cannot be replayed: ${(error as Error).message}`);
  }
  const response = await options.lambda.send(
    new InvokeCommand({ FunctionName: options.functionName, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(event)) }),
  );
  return { statusCode: response.StatusCode, event };
}
