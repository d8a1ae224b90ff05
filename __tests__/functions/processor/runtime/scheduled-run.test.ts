import { createSandbox, type Emulator, getText, keysUnder, putText, startEmulator } from "../../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../../support/processor-harness";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const holidays = { timezone: "America/New_York", exclude: ["2026-12-25", "2026-12-31/2027-01-01"] };

describe("a scheduled time on an excluded date", () => {
  it("is recorded as skipped: no work, no notice, one metric line counted as a run", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/orders.jsonl", '{"id":1}\n');
    let clock = Date.now();
    const { handler, metrics, logs } = processorHarness(emulator, sandbox, { now: () => (clock += 10) });
    // 09:00 in New York on Christmas Day.
    const event = taskEvent("data_processing", { ...holidays, schedule: "hourly", scheduled_time: "2026-12-25T14:00:00Z" });
    expect(await handler(event, plentyOfTime)).toEqual({ status: "skipped", recordsProcessed: 0, recordsQuarantined: 0, counts: {} });

    expect(JSON.parse(await getText(emulator, sandbox.bucket, "runs/data_processing/2026-12-25T14:00:00Z/hourly.json"))).toEqual({
      task: "data_processing",
      schedule: "hourly",
      environment: "test",
      scheduledTime: "2026-12-25T14:00:00Z",
      status: "skipped",
      counts: {},
      excludedDate: "2026-12-25",
      executionId: "c0ffee00-0000-4000-8000-000000000001",
      published: true,
    });
    // The source waits for the next run that is not excluded.
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual(["incoming/orders.jsonl"]);
    expect(await keysUnder(emulator, sandbox.bucket, "processed/")).toEqual([]);
    expect(await sandbox.notices()).toEqual([]);
    expect(metrics).toEqual([expect.objectContaining({ schedule: "hourly", TaskExecution: 1, TaskFailure: 0, RecordsProcessed: 0 })]);
    expect(logs.map((l) => l.message)).toEqual(["the scheduled time falls on an excluded date: the run is skipped", "task finished"]);

    // Delivered again: done for good, nothing written or counted twice.
    expect(await handler(event, plentyOfTime)).toMatchObject({ status: "already_completed" });
    expect(metrics).toHaveLength(1);
  });

  it.each([
    ["22:00 on December 25 in New York is 03:00 UTC on the 26th", "2026-12-26T03:00:00Z", "skipped"],
    ["22:00 on December 24 in New York is 03:00 UTC on the 25th", "2026-12-25T03:00:00Z", "completed"],
    ["the first day of a range", "2026-12-31T14:00:00Z", "skipped"],
    ["the last day of a range, in the next year", "2027-01-01T14:00:00Z", "skipped"],
    ["the day after a range", "2027-01-02T14:00:00Z", "completed"],
  ])("reads the date in the schedule's zone: %s", async (_, scheduledTime, status) => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    expect(await handler(taskEvent("report", { ...holidays, scheduled_time: scheduledTime }), plentyOfTime)).toMatchObject({ status });
  });

  it("reads the dates in UTC when the event names no zone", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    const event = (time: string) => taskEvent("report", { exclude: ["2026-12-25"], scheduled_time: time });
    expect(await handler(event("2026-12-25T00:00:00Z"), plentyOfTime)).toMatchObject({ status: "skipped" });
    expect(await handler(event("2026-12-24T23:59:00Z"), plentyOfTime)).toMatchObject({ status: "completed" });
  });

  it("leaves a run that an earlier attempt already recorded as it was", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    const plain = taskEvent("report", { scheduled_time: "2026-12-25T14:00:00Z" });
    expect(await handler(plain, plentyOfTime)).toMatchObject({ status: "completed" });
    expect(await handler({ ...plain, ...holidays }, plentyOfTime)).toMatchObject({ status: "already_completed" });
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/report/2026-12-25T14:00:00Z/report-test.json"));
    expect(record).toMatchObject({ status: "completed", published: true });
  });
});

describe("a run's record", () => {
  it("names the execution that finished it", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    await handler(taskEvent("report", { execution_id: "manual-6f1c" }), plentyOfTime);
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/report/2026-11-23T10:00:00Z/report-test.json"));
    expect(record).toMatchObject({ status: "completed", executionId: "manual-6f1c" });
  });
});
