import type { Task } from "../../../functions/processor/tasks/task";
import { createSandbox, startEmulator, type Emulator } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

describe("processor handler", () => {
  it("fails an unknown task type with the field named, publishes a failure notice and rethrows", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, metrics, logs } = processorHarness(emulator, sandbox);
    await expect(handler(taskEvent("data_processing", { task_type: "cleanup" }), plentyOfTime)).rejects.toMatchObject({
      name: "InvalidEventError",
      message: 'invalid event: task_type: must be one of report, data_processing, notification, got "cleanup"',
    });
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED cleanup data-processing-test: InvalidEventError");
    expect(notice.attributes).toMatchObject({ status: "failed", environment: "test" });
    expect(metrics).toEqual([expect.objectContaining({ TaskExecution: 0, TaskFailure: 1, task: "cleanup" })]);
    expect(logs).toEqual([expect.objectContaining({ level: "error", message: "task failed", error: expect.objectContaining({ name: "InvalidEventError" }) })]);
  });

  it("fails a malformed event and still reports what it can", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    await expect(handler("not an event", plentyOfTime)).rejects.toThrow("invalid event: <event>: must be a JSON object, got string");
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED unknown unknown: InvalidEventError");
  });

  it("reports a task's own failure and rethrows the original error, so retries keep the event", async () => {
    const sandbox = await createSandbox(emulator);
    const failing: Task = { type: "report", run: async () => Promise.reject(Object.assign(new Error("disk on fire"), { name: "FireError" })) };
    const { handler } = processorHarness(emulator, sandbox, { tasks: { report: failing } });
    await expect(handler(taskEvent("report"), plentyOfTime)).rejects.toThrow("disk on fire");
    const [notice] = await sandbox.notices();
    expect(notice.message).toContain("Error: FireError: disk on fire");
    expect(notice.message).toContain("Execution id: c0ffee00-0000-4000-8000-000000000001");
  });

  it("rethrows the task's error even when the failure notice cannot be published", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, logs } = processorHarness(emulator, sandbox, { bucket: "no-such-bucket", topicArn: "arn:aws:sns:us-east-1:000000000000:no-such-topic" });
    await expect(handler(taskEvent("data_processing"), plentyOfTime)).rejects.toMatchObject({ name: "NoSuchBucket" });
    expect(logs.map((l) => l.message)).toEqual(["task failed", "failure notice could not be published"]);
  });

  it("logs one structured line and one metric line per successful run", async () => {
    const sandbox = await createSandbox(emulator);
    let clock = 1_000;
    const { handler, logs, metrics } = processorHarness(emulator, sandbox, { now: () => (clock += 250) });
    await handler(taskEvent("report", { schedule: "daily" }), plentyOfTime);
    expect(logs).toEqual([
      expect.objectContaining({ level: "info", message: "task finished", task: "report", schedule: "daily", execution_id: "c0ffee00-0000-4000-8000-000000000001", status: "completed", duration_ms: 250 }),
    ]);
    expect(metrics).toEqual([expect.objectContaining({ task: "report", environment: "test", schedule: "daily", TaskExecution: 1, TaskDuration: 250 })]);
  });
});
