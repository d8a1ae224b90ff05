import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { EVENT_LIMITS } from "../../../functions/commons/task-event";
import { defineTask } from "../../../functions/processor/protocol/task";
import { MAX_FAILURE_MESSAGE_BYTES } from "../../../functions/processor/runtime/rejection";
import { createQueue, createSandbox, type Emulator, getText, keysUnder, putText, startEmulator } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

describe("processor handler", () => {
  it("rejects an unknown task type at once: field named, notice, failure-queue record, no rethrow", async () => {
    const sandbox = await createSandbox(emulator);
    const failureQueue = await createQueue(emulator, "failures");
    const { handler, metrics, logs } = processorHarness(emulator, sandbox, { failureQueueUrl: failureQueue });
    const event = taskEvent("data_processing", { task_type: "cleanup" });
    const outcome = await handler(event, plentyOfTime);
    expect(outcome).toEqual({
      status: "rejected",
      recordsProcessed: 0,
      recordsQuarantined: 0,
      counts: {},
      error: {
        name: "InvalidEventError",
        field: "task_type",
        message: 'invalid event: task_type: unknown task "cleanup": this function runs report, data_processing, notification',
      },
    });
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED cleanup data-processing-test: InvalidEventError");
    expect(notice.message).toContain("without retries");
    expect(metrics).toEqual([expect.objectContaining({ TaskExecution: 0, TaskFailure: 1, task: "cleanup" })]);
    expect(logs).toEqual([
      expect.objectContaining({ level: "ERROR", field: "task_type", error: expect.objectContaining({ name: "InvalidEventError" }) }),
    ]);
    // Kept in the shape of Lambda's own on-failure records, so the failure handler archives it for replay.
    const { Messages } = await emulator.sqs.send(new ReceiveMessageCommand({ QueueUrl: failureQueue, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages![0].Body!)).toMatchObject({
      requestContext: { condition: "RejectedInvalidEvent" },
      requestPayload: event,
      responsePayload: { errorType: "InvalidEventError", errorMessage: expect.stringContaining("task_type") },
    });
  });

  it.each([
    [{ scheduled_time: "2026-02-30T10:00:00Z" }, "scheduled_time"],
    [{ payload: { periodHours: 0 } }, "payload.periodHours"],
    [{ payload: { unknown: true } }, "payload.unknown"],
  ])("rejects the permanently invalid event %j naming %s", async (change, field) => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox, { failureQueueUrl: await createQueue(emulator, "failures") });
    const outcome = await handler(taskEvent("report", change), plentyOfTime);
    expect(outcome).toMatchObject({ status: "rejected", error: { field } });
  });

  it("rejects a malformed event and still reports what it can", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox, { failureQueueUrl: await createQueue(emulator, "failures") });
    expect(await handler("not an event", plentyOfTime)).toMatchObject({
      status: "rejected",
      error: { message: "invalid event: <event>: must be a JSON object, got string" },
    });
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED unknown unknown: InvalidEventError");
  });

  it("throws a rejected event when there is no failure queue, so Lambda's retries and destination keep it", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, metrics, logs } = processorHarness(emulator, sandbox);
    await expect(handler(taskEvent("report", { task_type: "cleanup" }), plentyOfTime)).rejects.toMatchObject({
      name: "InvalidEventError",
      field: "task_type",
    });
    expect(metrics).toEqual([expect.objectContaining({ TaskFailure: 1, task: "cleanup" })]);
    expect(logs).toEqual([expect.objectContaining({ level: "ERROR", message: expect.stringContaining("no failure queue") })]);
    const [notice] = await sandbox.notices();
    expect(notice.message).toContain("retried");
  });

  it("reports a task's own failure and rethrows the original error, so retries keep the event", async () => {
    const sandbox = await createSandbox(emulator);
    const failing = defineTask({
      name: "report",
      run: async () => Promise.reject(Object.assign(new Error("disk on fire"), { name: "FireError" })),
      notice: () => undefined,
    });
    const { handler } = processorHarness(emulator, sandbox, { tasks: { report: failing } });
    await expect(handler(taskEvent("report"), plentyOfTime)).rejects.toThrow("disk on fire");
    const [notice] = await sandbox.notices();
    expect(notice.message).toContain("Error: FireError: disk on fire");
    expect(notice.message).toContain("Execution id: c0ffee00-0000-4000-8000-000000000001");
  });

  it("rethrows the task's error even when the failure notice cannot be published", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, logs } = processorHarness(emulator, sandbox, {
      bucket: "no-such-bucket",
      topicArn: "arn:aws:sns:us-east-1:000000000000:no-such-topic",
    });
    await expect(handler(taskEvent("data_processing"), plentyOfTime)).rejects.toMatchObject({ name: "NoSuchBucket" });
    expect(logs.map((l) => l.message)).toEqual([
      "task failed",
      "the failed attempt could not be recorded",
      "failure notice could not be published",
    ]);
  });

  it("logs one structured line and one metric line per run, and nothing on a rerun", async () => {
    const sandbox = await createSandbox(emulator);
    let clock = Date.now(); // metric timestamps within CloudWatch's window
    const { handler, logs, metrics } = processorHarness(emulator, sandbox, { now: () => (clock += 250) });
    await handler(taskEvent("report", { schedule: "daily" }), plentyOfTime);
    expect(logs).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: "task finished",
        task: "report",
        schedule: "daily",
        execution_id: "c0ffee00-0000-4000-8000-000000000001",
        status: "completed",
      }),
    ]);
    expect(metrics).toEqual([expect.objectContaining({ task: "report", environment: "test", schedule: "daily", TaskExecution: 1 })]);
    expect(await handler(taskEvent("report", { schedule: "daily" }), plentyOfTime)).toMatchObject({ status: "already_completed" });
    expect(metrics).toHaveLength(1);
    expect(await sandbox.notices()).toHaveLength(1);
  });
});

/** What the processor puts in the failure queue: Lambda's on-failure record shape. */
interface FailureRecord {
  readonly requestContext: { readonly archivedEvent?: string };
  readonly requestPayload: unknown;
  readonly responsePayload: { readonly errorMessage: string };
}

/** The failure queue's messages, parsed. */
async function queued(queueUrl: string): Promise<Array<{ bytes: number; body: FailureRecord }>> {
  const { Messages = [] } = await emulator.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  return Messages.map((m) => ({ bytes: Buffer.byteLength(m.Body!), body: JSON.parse(m.Body!) }));
}

describe("every event field is checked before any work", () => {
  async function rejecting() {
    const sandbox = await createSandbox(emulator);
    const failureQueue = await createQueue(emulator, "failures");
    const harness = processorHarness(emulator, sandbox, { failureQueueUrl: failureQueue });
    return { sandbox, failureQueue, ...harness };
  }

  it.each([
    [
      "a __proto__ payload key",
      { payload: JSON.parse('{"__proto__":{"prefix":"x/"}}') },
      "payload.__proto__",
      'is not allowed: "__proto__" cannot be a key',
    ],
    [
      "a nested __proto__ key",
      { payload: JSON.parse('{"requiredFields":[{"__proto__":1}]}') },
      "payload.requiredFields[0].__proto__",
      'is not allowed: "__proto__" cannot be a key',
    ],
    ["a 1 MB execution_id", { execution_id: "x".repeat(1024 * 1024) }, "execution_id", "must be at most 128 characters, got 1048576"],
    [
      "a 5,000-digit attempt_number",
      { attempt_number: "9".repeat(5000) },
      "attempt_number",
      `must be a whole number from 1 to 1000, got "${"9".repeat(59)}... (5002 characters)`,
    ],
    ["attempt_number 0", { attempt_number: 0 }, "attempt_number", "must be a whole number from 1 to 1000, got 0"],
    [
      "an environment name no config allows",
      { environment: "Prod" },
      "environment",
      'must be an environment name (must start with a lower-case letter and hold only a-z 0-9 -, at most 16 characters), got "Prod"',
    ],
    [
      "a 100-digit fraction of a second",
      { scheduled_time: `2026-11-23T10:00:00.${"0".repeat(100)}Z` },
      "scheduled_time",
      `must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got "2026-11-23T10:00:00.${"0".repeat(39)}... (123 characters)`,
    ],
    [
      "a 10,000-character task_type",
      { task_type: "x".repeat(10_000) },
      "task_type",
      `unknown task "${"x".repeat(59)}... (10002 characters): this function runs report, data_processing, notification`,
    ],
    ["an unknown field", { surprise: true }, "surprise", "unknown field"],
    [
      "101 required fields",
      { payload: { requiredFields: Array.from({ length: 101 }, (_, i) => `f${i}`) } },
      "payload.requiredFields",
      "must name at most 100 fields",
    ],
    [
      "a prefix longer than a key",
      { payload: { prefix: "x".repeat(1016) } },
      "payload.prefix",
      "must be at most 1015 bytes (with incoming/, S3's longest key), got 1016",
    ],
  ])("refuses %s, naming the field, before any work", async (_, change, field, reason) => {
    const { sandbox, handler } = await rejecting();
    await putText(emulator, sandbox.bucket, "incoming/x/a.jsonl", '{"id":1}\n');
    const outcome = await handler(taskEvent("data_processing", change), plentyOfTime);
    expect(outcome).toMatchObject({ status: "rejected", error: { field, message: `invalid event: ${field}: ${reason}` } });
    // Nothing was claimed, processed or recorded (an event too large for the failure queue is kept under failed/; a
    // refused payload's run, which is known, keeps the record of its failed attempt, and nothing else).
    const kept = (await keysUnder(emulator, sandbox.bucket)).filter((key) => !key.startsWith("failed/"));
    const attempts = kept.filter((key) => /^runs\/data_processing\/[^/]+\/data-processing-test\/attempts\/[^/]+\.json$/.test(key));
    expect(attempts).toHaveLength(field.startsWith("payload.") && !field.includes("__proto__") ? 1 : 0);
    expect(kept.filter((key) => !attempts.includes(key))).toEqual(["incoming/x/a.jsonl"]);
  });

  it("refuses a 5 MB payload: the whole event archived under failed/ first, the queue message and notice cut to fit", async () => {
    const { sandbox, failureQueue, handler } = await rejecting();
    const event = taskEvent("data_processing", { payload: { prefix: "p/", requiredFields: ["x".repeat(5 * 1024 * 1024)] } });
    const outcome = await handler(event, plentyOfTime);
    expect(outcome).toMatchObject({
      status: "rejected",
      error: {
        field: "<event>",
        message: `invalid event: <event>: is 5243129 bytes of JSON; an event may be at most ${EVENT_LIMITS.eventBytes}`,
      },
    });
    const [message] = await queued(failureQueue);
    expect(message.bytes).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_BYTES);
    const archivedEvent = message.body.requestContext.archivedEvent;
    expect(archivedEvent).toMatch(/^failed\/2026-\d{2}-\d{2}\/rejected-[0-9a-f-]{36}\.json$/);
    expect(message.body.requestPayload).toEqual({
      truncated: true,
      task_type: "data_processing",
      schedule: "data-processing-test",
      environment: "test",
      scheduled_time: "2026-11-23T10:00:00Z",
      execution_id: "c0ffee00-0000-4000-8000-000000000001",
      attempt_number: "1",
    });
    const archived = JSON.parse(await getText(emulator, sandbox.bucket, archivedEvent!));
    expect(archived).toMatchObject({ origin: "processor", task: "data_processing", error: expect.stringContaining("InvalidEventError") });
    expect(archived.event).toEqual(event);
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED data_processing data-processing-test: InvalidEventError");
    expect(notice.message).toContain(`it is kept at ${archivedEvent}`);
  });

  it("cuts a rejection notice to SNS's limits whatever the event holds", async () => {
    const { sandbox, handler } = await rejecting();
    const outcome = await handler({ task_type: "☃".repeat(100_000), schedule: "\n".repeat(300) }, plentyOfTime);
    expect(outcome).toMatchObject({ status: "rejected" });
    const [notice] = await sandbox.notices();
    expect(notice.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    expect(Buffer.byteLength(notice.message)).toBeLessThanOrEqual(256 * 1024);
  });
});

describe("work batches are checked like scheduled events", () => {
  const batch = (change: Record<string, unknown>) => ({
    kind: "data_processing_batch",
    event: taskEvent("data_processing", { schedule: "hourly" }),
    index: 0,
    of: 1,
    items: [{ kind: "source", source: { key: "incoming/a.jsonl", etag: '"e"', size: 9, lastModified: "2026-11-23T09:00:00.000Z" } }],
    ...change,
  });
  const sqsEvent = (bodies: string[]): SQSEvent => ({
    Records: bodies.map((body, i) => ({
      messageId: `m-${i}`,
      receiptHandle: "r",
      body,
      attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "s", ApproximateFirstReceiveTimestamp: "0" },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:work",
      awsRegion: "us-east-1",
    })),
  });

  it.each([
    [{ items: undefined }, "items", "is required"],
    [{ items: [] }, "items", "must hold at least one source or range"],
    [{ of: 0 }, "of", "must be a whole number from 1 to 100000, got 0"],
    [{ index: 3, of: 2 }, "index", "must be less than of (2), got 3"],
    [{ index: -1 }, "index", "must be a whole number from 0 to 99999, got -1"],
    [{ event: undefined }, "event", "must be a JSON object, got undefined"],
    [{ event: taskEvent("report") }, "event.task_type", 'a batch belongs to a data_processing run, got "report"'],
    [
      { items: [{ kind: "source", source: { key: "claims/x.json", etag: "e", size: 1, lastModified: "2026-11-23T09:00:00Z" } }] },
      "items[0].source.key",
      'must be a key under incoming/ of 1-1024 bytes, got "claims/x.json"',
    ],
    [
      {
        items: [
          {
            kind: "range",
            source: { key: "incoming/a", etag: "e", size: 10, lastModified: "2026-11-23T09:00:00Z" },
            id: "0".repeat(32),
            outputs: { processed: "runs/x", quarantine: "quarantine/x", archive: "archive/x" },
            range: { index: 0, start: 0, end: 10, firstLine: 1, lines: 1 },
            ranges: 1,
          },
        ],
      },
      "items[0].outputs.processed",
      'must be a key under processed/ of 1-1024 bytes, got "runs/x"',
    ],
  ])("refuses the batch %#: %s", async (change, field, reason) => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox, { failureQueueUrl: await createQueue(emulator, "failures") });
    await expect(handler(batch(change), plentyOfTime)).resolves.toMatchObject({
      status: "rejected",
      error: { field, message: `invalid event: ${field}: ${reason}` },
    });
    expect(await keysUnder(emulator, sandbox.bucket)).toEqual([]);
  });

  it("refuses a well-formed batch of a run that was never spread over the queue: no record, no notice of success", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", '{"id":1}\n');
    const { handler } = processorHarness(emulator, sandbox, { failureQueueUrl: await createQueue(emulator, "failures") });
    await expect(handler(batch({}), plentyOfTime)).resolves.toMatchObject({ status: "rejected", error: { field: "event" } });
    expect(await keysUnder(emulator, sandbox.bucket)).toEqual(["incoming/a.jsonl"]);
    // The real run is not already_completed: it runs, and is announced once.
    await expect(handler(taskEvent("data_processing", { schedule: "hourly" }), plentyOfTime)).resolves.toMatchObject({
      status: "completed",
      counts: { sources: 1 },
    });
    expect((await sandbox.notices()).map((n) => n.attributes.status)).toEqual(["failed", "completed"]);
  });

  it("rejects a queued message that can never run, so SQS does not deliver it again, and keeps it in the failure queue", async () => {
    const sandbox = await createSandbox(emulator);
    const failureQueue = await createQueue(emulator, "failures");
    const { handler } = processorHarness(emulator, sandbox, { failureQueueUrl: failureQueue });
    const response = await handler(sqsEvent(["not json", JSON.stringify(batch({ of: 0 }))]), plentyOfTime);
    expect(response).toEqual({ batchItemFailures: [] });
    const messages = await queued(failureQueue);
    expect(messages.map((m) => m.body.responsePayload.errorMessage).sort()).toEqual([
      "invalid event: <message>: must be a JSON batch",
      "invalid event: of: must be a whole number from 1 to 100000, got 0",
    ]);
  });
});
