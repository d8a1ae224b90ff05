import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import type { Construct } from "constructs";
import { BundledFunction, type FunctionCode } from "./bundled-function";
import type { EncryptedQueue } from "./encrypted-queue";
import type { ProcessingSpec } from "./processing-spec";
import type { TaskStorage } from "./storage";
import { pin } from "./support/addresses";
import { textOf } from "./support/terraform-values";
import type { WorkQueue } from "./work-queue";

/** Six hours, the Lambda maximum: an event waits out a long outage before it counts as failed. */
const MAX_EVENT_AGE_SECONDS = 21_600;

export interface ProcessorFunctionProps {
  readonly functionName: string;
  readonly environment: string;
  readonly account: string;
  readonly code: FunctionCode;
  readonly storage: TaskStorage;
  readonly topicArn: string;
  /** Where events go once the asynchronous retries are spent. */
  readonly failureQueue: EncryptedQueue;
  readonly processor: ProcessingSpec["processor"];
  /** The queue large runs are spread over, and how. */
  readonly workQueue: WorkQueue;
  readonly fanOut: ProcessingSpec["fanOut"];
}

/** The processor Lambda, with its asynchronous retries, its failure destination and its work queue. */
export class ProcessorFunction extends BundledFunction {
  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    const access = props.storage.accessStatements("processor");
    super(scope, id, {
      address: "processor",
      legacyId: "processor",
      functionName: props.functionName,
      description: `Runs the scheduled business tasks of ${props.environment}`,
      account: props.account,
      code: props.code,
      memoryMb: props.processor.memoryMb,
      timeoutSeconds: props.processor.timeoutSeconds,
      telemetry: props.processor,
      environment: {
        BUCKET_NAME: props.storage.bucketName,
        TOPIC_ARN: props.topicArn,
        ENVIRONMENT: props.environment,
        // An event that can never run is sent here at once instead of being retried.
        FAILURE_QUEUE_URL: props.failureQueue.url,
        FUNCTION_TIMEOUT_SECONDS: textOf(props.processor.timeoutSeconds),
        SOURCE_CONCURRENCY: textOf(props.processor.concurrency),
        WORK_QUEUE_URL: props.workQueue.queue.url,
        FAN_OUT_MAX_SOURCES: textOf(props.fanOut.sourcesPerInvocation),
        FAN_OUT_MAX_BYTES: textOf(props.fanOut.bytesPerInvocation),
      },
      statements: [
        ...access.statements,
        { Sid: "PublishNotices", Effect: "Allow", Action: ["sns:Publish"], Resource: [props.topicArn] },
        // Lambda's on-failure destination sends with this role, and so does the rejection of a bad event.
        { Sid: "KeepFailedEvents", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [props.failureQueue.arn] },
        { Sid: "SpreadWorkOverQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [props.workQueue.queue.arn] },
        {
          Sid: "ConsumeWorkQueue",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          Resource: [props.workQueue.queue.arn],
        },
      ],
      optionalStatements: access.optional,
    });

    pin(
      new LambdaFunctionEventInvokeConfig(this, "async-invoke", {
        functionName: this.function.functionName,
        maximumRetryAttempts: props.processor.asyncRetries,
        maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
        destinationConfig: { onFailure: { destination: props.failureQueue.arn } },
        // Lambda checks the role may send to the destination when the config is created.
        dependsOn: [this.rolePolicy],
      }),
      "processor",
      "processor/async-invoke",
    );

    // One batch per invocation: a batch is already as much work as an invocation should take on.
    pin(
      new LambdaEventSourceMapping(this, "from-work-queue", {
        eventSourceArn: props.workQueue.queue.arn,
        functionName: this.function.arn,
        batchSize: 1,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: props.fanOut.maxConcurrency },
        dependsOn: [this.rolePolicy],
      }),
      "processor_work_queue",
    );
  }
}
