import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { pin } from "./support/addresses";
import { denyInsecureTransport, policyDocument, renderPolicy } from "./support/policy-document";
import { jsonObject } from "./support/terraform-values";

/** Fourteen days: the longest SQS keeps a message, so a failure waits out a long weekend. */
export const MAX_RETENTION_SECONDS = 1_209_600;

export interface EncryptedQueueProps {
  /** The resources' address name: `aws_sqs_queue.<address>`. */
  readonly address: string;
  /** Its construct path in release 0.1, for moved blocks (none for queues added since). */
  readonly legacyPath?: string;
  readonly name: string;
  /** @default 14 days, the SQS maximum */
  readonly retentionSeconds?: number;
  /** How long a received message stays hidden; at least the consumer's timeout. @default 30 s */
  readonly visibilityTimeoutSeconds?: number;
  /** Where a message goes after this many receives without being deleted. @default none */
  readonly deadLetter?: { readonly queue: EncryptedQueue; readonly maxReceiveCount: number };
}

/** An SQS queue encrypted at rest (SSE-SQS) that refuses requests without TLS. */
export class EncryptedQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    this.queue = pin(
      new SqsQueue(this, "queue", {
        name: props.name,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: props.retentionSeconds ?? MAX_RETENTION_SECONDS,
        visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
        redrivePolicy: props.deadLetter
          ? jsonObject({ deadLetterTargetArn: props.deadLetter.queue.arn, maxReceiveCount: props.deadLetter.maxReceiveCount })
          : undefined,
      }),
      props.address,
      props.legacyPath && `${props.legacyPath}/queue`,
    );
    pin(
      new SqsQueuePolicy(this, "policy", {
        queueUrl: this.queue.url,
        policy: renderPolicy(policyDocument(denyInsecureTransport("sqs", [this.queue.arn]))),
      }),
      props.address,
      props.legacyPath && `${props.legacyPath}/policy`,
    );
  }

  get arn(): string {
    return this.queue.arn;
  }

  get url(): string {
    return this.queue.url;
  }

  get name(): string {
    return this.queue.name;
  }
}
