import type { SQSRecord } from "aws-lambda";
import { TASK_TYPES } from "../../../core/task-types";
import { parseTaskEvent } from "../../../functions/commons/task-event";
import { createFailureHandler } from "../../../functions/failure-handler/handler";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { invokeBundled } from "../../../scripts/lib/invoke-bundled";
import { createSandbox, type Emulator, type Sandbox, snapshot, startEmulator } from "../../support/emulator";
import { recordingLogger } from "../../support/recording-logger";

const PROCESSOR_FAILURES = "arn:aws:sqs:us-east-1:000000000000:test-processor-failures";
const SCHEDULER_DLQ = "arn:aws:sqs:us-east-1:000000000000:test-scheduler-dlq";
const WORK_DLQ = "arn:aws:sqs:us-east-1:000000000000:test-work-dlq";
const event = {
  task_type: "data_processing",
  payload: { prefix: "shop/" },
  schedule: "data-processing",
  environment: "test",
  scheduled_time: "2026-11-23T10:00:00Z",
  execution_id: "e-123",
  attempt_number: "1",
};
const sent = String(Date.parse("2026-11-23T10:07:00Z"));

/** A record from the processor failure queue, as Lambda's on-failure destination writes it. */
const destinationRecord: SQSRecord = {
  messageId: "11111111-aaaa-4bbb-8ccc-000000000001",
  receiptHandle: "r1",
  body: JSON.stringify({
    version: "1.0",
    timestamp: "2026-11-23T10:06:59.000Z",
    requestContext: {
      requestId: "req-1",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:test-processor:$LATEST",
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: { errorType: "NoSuchBucket", errorMessage: "The specified bucket does not exist", trace: [] },
  }),
  attributes: { ApproximateReceiveCount: "1", SentTimestamp: sent, SenderId: "x", ApproximateFirstReceiveTimestamp: sent },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: PROCESSOR_FAILURES,
  awsRegion: "us-east-1",
};

/** A Scheduler dead-letter event: the undelivered input, with the error in message attributes. */
const deadLetterRecord: SQSRecord = {
  ...destinationRecord,
  messageId: "22222222-aaaa-4bbb-8ccc-000000000002",
  body: JSON.stringify({ ...event, task_type: "report", schedule: "daily-report" }),
  eventSourceARN: SCHEDULER_DLQ,
  messageAttributes: {
    ERROR_CODE: { stringValue: "AWS.Lambda.AccessDeniedException", dataType: "String", stringListValues: [], binaryListValues: [] },
    ERROR_MESSAGE: {
      stringValue: "not authorized to perform lambda:InvokeFunction",
      dataType: "String",
      stringListValues: [],
      binaryListValues: [],
    },
    RETRY_ATTEMPTS: { stringValue: "20", dataType: "Number", stringListValues: [], binaryListValues: [] },
    EXECUTION_ID: { stringValue: "exec-9", dataType: "String", stringListValues: [], binaryListValues: [] },
  },
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

function handlerFor(sandbox: Sandbox, bucket = sandbox.bucket) {
  const logs: any[] = [];
  const handler = createFailureHandler({
    s3: emulator.s3,
    sns: emulator.sns,
    bucket,
    topicArn: sandbox.topicArn,
    environment: "test",
    processorFailureQueueArn: PROCESSOR_FAILURES,
    schedulerDeadLetterQueueArn: SCHEDULER_DLQ,
    workDeadLetterQueueArn: WORK_DLQ,
    log: recordingLogger(logs),
  });
  return { handler, logs };
}

describe("failure handler", () => {
  it("archives each failed event to failed/<day>/<id>.json with the replayable event, then announces it", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = handlerFor(sandbox);
    const response = await handler({ Records: [destinationRecord, deadLetterRecord] });
    expect(response).toEqual({ batchItemFailures: [] });

    const bucket = await snapshot(emulator, sandbox.bucket);
    const fromProcessor = JSON.parse(bucket[`failed/2026-11-23/${destinationRecord.messageId}.json`]);
    expect(fromProcessor).toMatchObject({
      origin: "processor",
      schedule: "data-processing",
      task: "data_processing",
      scheduledTime: "2026-11-23T10:00:00Z",
      error: "NoSuchBucket: The specified bucket does not exist",
      attempts: 3,
      event,
      body: destinationRecord.body,
    });
    const fromScheduler = JSON.parse(bucket[`failed/2026-11-23/${deadLetterRecord.messageId}.json`]);
    expect(fromScheduler).toMatchObject({
      origin: "scheduler",
      schedule: "daily-report",
      task: "report",
      executionId: "exec-9",
      error: "AWS.Lambda.AccessDeniedException: not authorized to perform lambda:InvokeFunction",
      attempts: 20,
      event: { ...event, task_type: "report", schedule: "daily-report" },
    });

    const notices = await sandbox.notices();
    expect(notices.map((n) => n.subject).sort()).toEqual([
      "[test] FAILED for good: data_processing data-processing",
      "[test] FAILED for good: report daily-report",
    ]);
    const notice = notices.find((n) => n.subject.includes("data-processing"))!;
    expect(notice.message).toContain("Error: NoSuchBucket: The specified bucket does not exist");
    expect(notice.message).toContain("Attempts: 3");
    expect(notice.message).toContain(`Replay: npm run replay -- test failed/2026-11-23/${destinationRecord.messageId}.json`);
  });

  it("archives a batch of a fanned-out run that failed every delivery, ready to replay as it was queued", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = handlerFor(sandbox);
    const batch = { kind: "data_processing_batch", event, index: 2, of: 7, items: [] };
    const record = {
      ...destinationRecord,
      messageId: "44444444-aaaa-4bbb-8ccc-000000000004",
      body: JSON.stringify(batch),
      eventSourceARN: WORK_DLQ,
      attributes: { ...destinationRecord.attributes, ApproximateReceiveCount: "5" },
    };
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const archived = JSON.parse((await snapshot(emulator, sandbox.bucket))[`failed/2026-11-23/${record.messageId}.json`]);
    expect(archived).toMatchObject({
      origin: "work-queue",
      schedule: "data-processing",
      task: "data_processing",
      attempts: 5,
      error: expect.stringContaining("batch 3 of 7"),
      event: batch,
    });
    const [notice] = await sandbox.notices();
    expect(notice.message).toContain("left a batch of its work undone");
  });

  it("points at the whole event when the processor rejected one too large for the queue and kept it under failed/", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = handlerFor(sandbox);
    const whole = "failed/2026-11-23/rejected-55555555-aaaa-4bbb-8ccc-000000000005.json";
    const record = {
      ...destinationRecord,
      messageId: "55555555-aaaa-4bbb-8ccc-000000000005",
      body: JSON.stringify({
        ...JSON.parse(destinationRecord.body),
        requestContext: { requestId: "r", condition: "RejectedInvalidEvent", approximateInvokeCount: 1, archivedEvent: whole },
        requestPayload: { truncated: true, task_type: "data_processing", schedule: "data-processing" },
        responsePayload: { errorType: "InvalidEventError", errorMessage: "invalid event: <event>: is 5243129 bytes of JSON" },
      }),
    };
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const archived = JSON.parse((await snapshot(emulator, sandbox.bucket))[`failed/2026-11-23/${record.messageId}.json`]);
    expect(archived).toMatchObject({ origin: "processor", archivedEvent: whole, event: { truncated: true } });
    const [notice] = await sandbox.notices();
    expect(notice.message).toContain(`The whole event (too large for the queue) is at: ${whole}`);
  });

  it("sets aside an event for no task of the processor (a target's input sent to it) with the reason: unknown task", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = handlerFor(sandbox);
    // A schedule's input meant for a queue, delivered to the processor: its own check gives the reason.
    const input = { command: "close-day", scheduledTime: "2026-11-23T10:00:00Z" };
    const reason = (() => {
      try {
        parseTaskEvent(input, [...TASK_TYPES] as [string, ...string[]]);
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    })();
    expect(reason).toContain("task_type: unknown task: the event names none");
    const record = {
      ...destinationRecord,
      messageId: "66666666-aaaa-4bbb-8ccc-000000000006",
      body: JSON.stringify({
        ...JSON.parse(destinationRecord.body),
        requestContext: { requestId: "r", condition: "RejectedInvalidEvent", approximateInvokeCount: 1 },
        requestPayload: input,
        responsePayload: { errorType: "InvalidEventError", errorMessage: reason },
      }),
    };
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const archived = JSON.parse((await snapshot(emulator, sandbox.bucket))[`failed/2026-11-23/${record.messageId}.json`]);
    expect(archived).toMatchObject({ origin: "processor", event: input, error: `InvalidEventError: ${reason}` });
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED for good: unknown task");
    expect(notice.message).toContain("Error: InvalidEventError: invalid event: task_type: unknown task: the event names none");
  });

  it("keeps a message it does not understand, as received", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = handlerFor(sandbox);
    const odd = {
      ...destinationRecord,
      messageId: "33333333-aaaa-4bbb-8ccc-000000000003",
      body: "not json at all",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:elsewhere",
    };
    expect(await handler({ Records: [odd] })).toEqual({ batchItemFailures: [] });
    const archived = JSON.parse((await snapshot(emulator, sandbox.bucket))[`failed/2026-11-23/${odd.messageId}.json`]);
    expect(archived).toMatchObject({ origin: "unknown", body: "not json at all" });
  });

  it("leaves a message in its queue when it cannot be archived, and announces nothing for it", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, logs } = handlerFor(sandbox, "bucket-that-does-not-exist");
    expect(await handler({ Records: [destinationRecord] })).toEqual({
      batchItemFailures: [{ itemIdentifier: destinationRecord.messageId }],
    });
    expect(await sandbox.notices()).toEqual([]);
    expect(logs).toEqual([expect.objectContaining({ level: "ERROR", message: "failed event kept in its queue" })]);
  });

  it("writes the same object again when a message is delivered twice", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = handlerFor(sandbox);
    await handler({ Records: [deadLetterRecord] });
    const once = await snapshot(emulator, sandbox.bucket);
    await handler({ Records: [deadLetterRecord] });
    expect(await snapshot(emulator, sandbox.bucket)).toEqual(once);
  });

  it("works the same as the bundle Lambda runs", async () => {
    const sandbox = await createSandbox(emulator);
    const run = await invokeBundled(
      bundleFunction("failure-handler").scriptPath,
      { Records: [destinationRecord] },
      {
        ...emulator.awsEnv,
        BUCKET_NAME: sandbox.bucket,
        TOPIC_ARN: sandbox.topicArn,
        ENVIRONMENT: "test",
        PROCESSOR_FAILURE_QUEUE_ARN: PROCESSOR_FAILURES,
        SCHEDULER_DEAD_LETTER_QUEUE_ARN: SCHEDULER_DLQ,
      },
    );
    expect(run).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
    expect(Object.keys(await snapshot(emulator, sandbox.bucket))).toEqual([`failed/2026-11-23/${destinationRecord.messageId}.json`]);
  });
});
