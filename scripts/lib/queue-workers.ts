import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";

export interface QueueWorkersOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** The processor's handler (in-process or the bundle's). */
  readonly handler: (event: SQSEvent, context: { getRemainingTimeInMillis(): number }) => Promise<SQSBatchResponse>;
  /** Invocations at once, like the event source's maximum concurrency. */
  readonly workers: number;
  /** Time each invocation is given. @default 900 s */
  readonly invocationMs?: number;
  /** Give up after this long. @default 10 minutes */
  readonly deadlineMs?: number;
}

export interface QueueWorkersResult {
  readonly invocations: number;
  readonly failedMessages: number;
}

/**
 * Delivers a queue's messages to the handler as Lambda's SQS event source does: one message an
 * invocation, `workers` invocations at once; a message the handler reports as failed (or that
 * throws) is made visible again for another delivery, one it finished is deleted. Returns when
 * the queue is empty and no invocation is running.
 */
export async function runQueueWorkers(options: QueueWorkersOptions): Promise<QueueWorkersResult> {
  const { sqs, queueUrl } = options;
  const deadline = Date.now() + (options.deadlineMs ?? 600_000);
  let busy = 0;
  let invocations = 0;
  let failedMessages = 0;
  const queueArn =
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";

  async function queueIsEmpty(): Promise<boolean> {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) === 0 && Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) === 0
    );
  }

  async function worker(): Promise<void> {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`queue ${queueUrl} was not drained before the deadline`);
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
      );
      const message = Messages?.[0];
      if (!message) {
        if (busy === 0 && (await queueIsEmpty())) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      busy++;
      invocations++;
      const started = Date.now();
      const budget = options.invocationMs ?? 900_000;
      const event: SQSEvent = {
        Records: [
          {
            messageId: message.MessageId!,
            receiptHandle: message.ReceiptHandle!,
            body: message.Body!,
            attributes: { ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? "1" } as any,
            messageAttributes: {},
            md5OfBody: message.MD5OfBody ?? "",
            eventSource: "aws:sqs",
            eventSourceARN: queueArn,
            awsRegion: "us-east-1",
          },
        ],
      };
      let failed: boolean;
      try {
        const response = await options.handler(event, { getRemainingTimeInMillis: () => budget - (Date.now() - started) });
        failed = response.batchItemFailures.some((f) => f.itemIdentifier === message.MessageId);
      } catch {
        failed = true;
      }
      if (failed) {
        failedMessages++;
        await sqs.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }),
        );
      } else {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
      busy--;
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.workers) }, worker));
  return { invocations, failedMessages };
}
