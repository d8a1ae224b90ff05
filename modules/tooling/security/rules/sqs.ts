/** The security rules for SQS queues. */
import { field } from "../stack-document";
import {
  consumedQueues,
  denyInsecureTransportRule,
  FOURTEEN_DAYS,
  failureQueueAddresses,
  noPublicAllowRule,
  parseJson,
  type SecurityRule,
} from "./shared";

export const SQS_RULES: readonly SecurityRule[] = [
  {
    id: "SQS-01",
    reason: "SQS queues must be encrypted at rest (SSE-SQS or SSE-KMS)",
    check: (stack) =>
      stack
        .ofType("aws_sqs_queue")
        .filter(([, q]) => q.sqs_managed_sse_enabled !== true && !q.kms_master_key_id)
        .map(([resource]) => ({ resource, detail: "neither sqs_managed_sse_enabled nor kms_master_key_id is set" })),
  },
  denyInsecureTransportRule("SQS-02", "aws_sqs_queue", "aws_sqs_queue_policy", "queue_url", "SQS queues"),
  noPublicAllowRule("SQS-03", "aws_sqs_queue_policy", "SQS queue"),
  {
    id: "SQS-04",
    reason: "Dead-letter and failure queues must keep messages 14 days, the SQS maximum, so failures outlast a long weekend",
    check: (stack) =>
      [...failureQueueAddresses(stack)]
        .filter(
          (address) => Number(stack.resources.aws_sqs_queue[address.split(".")[1]].message_retention_seconds ?? 345_600) < FOURTEEN_DAYS,
        )
        .map((resource) => ({ resource, detail: "message_retention_seconds is below 1209600" })),
  },
  {
    id: "SQS-05",
    reason:
      "A queue a function consumes must set aside what keeps failing (a redrive policy to a dead-letter queue), unless it is itself a " +
      "dead-letter or failure queue",
    check: (stack) => {
      const endOfLine = failureQueueAddresses(stack);
      return consumedQueues(stack)
        .filter(([address, queue]) => !endOfLine.has(address) && !field(parseJson(queue.redrive_policy), "deadLetterTargetArn"))
        .map(([resource]) => ({ resource, detail: "consumed by a Lambda event source but has no redrive_policy" }));
    },
  },
];
