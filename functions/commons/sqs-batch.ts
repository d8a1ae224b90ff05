import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Logger } from "./logger";

/**
 * An SQS batch through the Powertools batch processor: each record on its own, one after
 * another; a record whose handler throws is reported back (SQS delivers only it again), the
 * rest are deleted. A batch that fails whole is reported the same way, not thrown: Lambda's
 * retry would deliver the same messages, and the queues' own redrive counts each delivery.
 */
export async function processEachRecord(
  event: SQSEvent,
  handleRecord: (record: SQSRecord) => Promise<void>,
  log: Logger,
): Promise<SQSBatchResponse> {
  // Powertools' own failure messages go to our logger, as structured lines of this invocation.
  const processor = new BatchProcessor(EventType.SQS, { logger: log });
  return processPartialResponse(event, handleRecord, processor, { processInParallel: false, throwOnFullBatchFailure: false });
}
