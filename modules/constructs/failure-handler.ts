import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import type { Construct } from "constructs";
import { BundledFunction, type FunctionCode, type FunctionTelemetry } from "./bundled-function";
import type { EncryptedQueue } from "./encrypted-queue";
import type { TaskStorage } from "./storage";
import { pin } from "./support/addresses";

/** Long enough to archive and announce a batch of ten; the queues hide messages six times longer. */
export const FAILURE_HANDLER_TIMEOUT_SECONDS = 60;

export interface FailureHandlerFunctionProps {
  readonly functionName: string;
  readonly environment: string;
  readonly account: string;
  readonly code: FunctionCode;
  readonly storage: TaskStorage;
  readonly topicArn: string;
  readonly processorFailureQueue: EncryptedQueue;
  readonly schedulerDeadLetterQueue: EncryptedQueue;
  /** Batches of fanned-out runs that failed every delivery. */
  readonly workDeadLetterQueue: EncryptedQueue;
  readonly telemetry: FunctionTelemetry;
}

/**
 * Drains the three failure queues: archives each failed event to failed/ in the bucket, publishes a
 * readable notice, and only then lets SQS delete it (partial batch responses keep the rest).
 */
export class FailureHandlerFunction extends BundledFunction {
  constructor(scope: Construct, id: string, props: FailureHandlerFunctionProps) {
    const queues = [props.processorFailureQueue, props.schedulerDeadLetterQueue, props.workDeadLetterQueue];
    const access = props.storage.accessStatements("failureHandler");
    super(scope, id, {
      address: "failure_handler",
      legacyId: "failure-handler",
      functionName: props.functionName,
      description: `Archives and announces the failed events of ${props.environment}`,
      account: props.account,
      code: props.code,
      memoryMb: 256,
      timeoutSeconds: FAILURE_HANDLER_TIMEOUT_SECONDS,
      telemetry: props.telemetry,
      environment: {
        BUCKET_NAME: props.storage.bucketName,
        TOPIC_ARN: props.topicArn,
        ENVIRONMENT: props.environment,
        PROCESSOR_FAILURE_QUEUE_ARN: props.processorFailureQueue.arn,
        SCHEDULER_DEAD_LETTER_QUEUE_ARN: props.schedulerDeadLetterQueue.arn,
        WORK_DEAD_LETTER_QUEUE_ARN: props.workDeadLetterQueue.arn,
      },
      statements: [
        {
          Sid: "ConsumeFailureQueues",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          Resource: queues.map((q) => q.arn),
        },
        ...access.statements,
        { Sid: "PublishNotices", Effect: "Allow", Action: ["sns:Publish"], Resource: [props.topicArn] },
      ],
      optionalStatements: access.optional,
    });
    const sources = [
      ["processor-failures", props.processorFailureQueue, true],
      ["scheduler-dlq", props.schedulerDeadLetterQueue, true],
      ["work-dlq", props.workDeadLetterQueue, false],
    ] as const;
    for (const [name, queue, inRelease01] of sources) {
      const mapping = new LambdaEventSourceMapping(this, `from-${name}`, {
        eventSourceArn: queue.arn,
        functionName: this.function.arn,
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: 2 },
        dependsOn: [this.rolePolicy],
      });
      pin(mapping, `failure_handler_${name.replace(/-/g, "_")}`, inRelease01 ? `failure-handler/from-${name}` : undefined);
    }
  }
}
