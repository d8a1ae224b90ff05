import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { TaskType } from "../../functions/commons/task-event";
import { createHandler, type InvocationContext, type ProcessorDependencies } from "../../functions/processor/handler";
import type { Sandbox } from "./emulator";
import { recordingLogger } from "./recording-logger";

export const ENVIRONMENT = "test";

/** The processor's handler wired to the emulator (or the proxy before it), capturing logs and metrics. */
export function processorHarness(
  aws: { s3: S3Client; sns: SNSClient; sqs?: SQSClient },
  sandbox: Sandbox,
  overrides: Partial<ProcessorDependencies> = {},
) {
  const logs: any[] = [];
  const metrics: any[] = [];
  const handler = createHandler({
    s3: aws.s3,
    sns: aws.sns,
    sqs: aws.sqs,
    bucket: sandbox.bucket,
    topicArn: sandbox.topicArn,
    environment: ENVIRONMENT,
    log: recordingLogger(logs),
    writeMetric: (line) => metrics.push(JSON.parse(line)),
    ...overrides,
  });
  return { handler, logs, metrics };
}

export function taskEvent(task: TaskType, overrides: Record<string, unknown> = {}) {
  return {
    task_type: task,
    payload: {},
    schedule: `${task.replace("_", "-")}-test`,
    environment: ENVIRONMENT,
    scheduled_time: "2026-11-23T10:00:00Z",
    execution_id: "c0ffee00-0000-4000-8000-000000000001",
    attempt_number: "1",
    ...overrides,
  };
}

export const plentyOfTime: InvocationContext = { getRemainingTimeInMillis: () => 600_000 };
