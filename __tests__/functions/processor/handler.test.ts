import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Task } from "../../../functions/processor/tasks/task";
import { createQueue, createSandbox, type Emulator, startEmulator } from "../../support/emulator";
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
        message: 'invalid event: task_type: must be one of report, data_processing, notification, got "cleanup"',
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
    const failing: Task = {
      type: "report",
      run: async () => Promise.reject(Object.assign(new Error("disk on fire"), { name: "FireError" })),
      notice: () => undefined,
    };
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
    expect(logs.map((l) => l.message)).toEqual(["task failed", "failure notice could not be published"]);
  });

  it("logs one structured line and one metric line per run, and nothing on a rerun", async () => {
    const sandbox = await createSandbox(emulator);
    let clock = 1_000;
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
