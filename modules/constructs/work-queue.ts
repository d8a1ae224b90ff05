import { Construct } from "constructs";
import { EncryptedQueue } from "./encrypted-queue";

export interface WorkQueueProps {
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** The consumer's timeout times six, AWS's guidance for Lambda event sources. */
  readonly visibilityTimeoutSeconds: number;
  /** Deliveries of a batch before it is set aside in the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/**
 * The queue a large data_processing run is spread over, and its dead-letter queue: a batch
 * that fails `maxReceiveCount` deliveries is set aside there (14 days) for the failure handler
 * to archive and announce, instead of being retried forever.
 */
export class WorkQueue extends Construct {
  readonly queue: EncryptedQueue;
  readonly deadLetterQueue: EncryptedQueue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new EncryptedQueue(this, "dead-letter-queue", {
      address: "work_dlq",
      name: props.deadLetterQueueName,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
    });
    // Batches waiting longer than four days mean the run has long been alarmed about.
    this.queue = new EncryptedQueue(this, "queue", {
      address: "work",
      name: props.queueName,
      retentionSeconds: 4 * 86_400,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      deadLetter: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
