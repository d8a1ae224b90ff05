import { defineTask } from "../../../../functions/processor/protocol/task";
import { createSandbox, type Emulator, getText, keysUnder, startEmulator } from "../../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../../support/processor-harness";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const failing = defineTask({
  name: "report",
  run: async () => Promise.reject(Object.assign(new Error("disk on fire"), { name: "FireError" })),
  notice: () => undefined,
});

describe("a failed attempt", () => {
  it("leaves its record under the run's attempts/ before the error goes on, one an attempt", async () => {
    const sandbox = await createSandbox(emulator);
    let clock = Date.parse("2026-11-23T10:00:07Z");
    const { handler } = processorHarness(emulator, sandbox, { tasks: { report: failing }, now: () => clock });
    const event = taskEvent("report", { schedule: "daily", scheduled_time: "2026-11-23T10:00:00.000+00:00", attempt_number: "2" });
    await expect(handler(event, plentyOfTime)).rejects.toThrow("disk on fire");
    clock += 60_000;
    await expect(handler({ ...event, attempt_number: "3" }, plentyOfTime)).rejects.toThrow("disk on fire");

    const prefix = "runs/report/2026-11-23T10:00:00Z/daily/attempts/";
    const keys = (await keysUnder(emulator, sandbox.bucket, prefix)).filter((k) => k.endsWith(".json"));
    expect(keys).toHaveLength(2);
    const records = await Promise.all(keys.map(async (k) => JSON.parse(await getText(emulator, sandbox.bucket, k))));
    records.sort((a, b) => a.attempt - b.attempt);
    expect(records).toEqual([
      {
        task: "report",
        schedule: "daily",
        scheduledTime: "2026-11-23T10:00:00Z",
        executionId: "c0ffee00-0000-4000-8000-000000000001",
        attempt: 2,
        attemptId: expect.any(String),
        reason: "FireError: disk on fire",
        failedAt: "2026-11-23T10:00:07.000Z",
      },
      expect.objectContaining({ attempt: 3, reason: "FireError: disk on fire", failedAt: "2026-11-23T10:01:07.000Z" }),
    ]);
    expect(keys.map((k) => k.slice(prefix.length, -".json".length)).sort()).toEqual(records.map((r) => r.attemptId).sort());
    // The run itself has no record: it failed, it did not complete.
    expect(await keysUnder(emulator, sandbox.bucket, "runs/report/2026-11-23T10:00:00Z/daily.json")).toEqual([]);
  });

  it("cuts a long reason to 1,000 characters", async () => {
    const sandbox = await createSandbox(emulator);
    const verbose = defineTask({ ...failing, run: async () => Promise.reject(new Error("x".repeat(5_000))) });
    const { handler } = processorHarness(emulator, sandbox, { tasks: { report: verbose } });
    await expect(handler(taskEvent("report"), plentyOfTime)).rejects.toThrow();
    const [key] = await keysUnder(emulator, sandbox.bucket, "runs/report/2026-11-23T10:00:00Z/report-test/attempts/");
    const { reason } = JSON.parse(await getText(emulator, sandbox.bucket, key));
    expect(reason).toHaveLength(1_000);
    expect(reason).toMatch(/^Error: x+…$/);
  });

  it("still rethrows the original error when its record cannot be written (S3 is what fails), and says so in the log", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, logs } = processorHarness(emulator, sandbox, { bucket: "no-such-bucket" });
    await expect(handler(taskEvent("report"), plentyOfTime)).rejects.toMatchObject({ name: "NoSuchBucket" });
    expect(logs.map((l) => l.message)).toEqual(["task failed", "the failed attempt could not be recorded"]);
    expect(logs[1]).toMatchObject({
      level: "WARN",
      key: expect.stringMatching(/^runs\/report\/2026-11-23T10:00:00Z\/report-test\/attempts\//),
    });
  });

  it("is written for a payload its task refuses: the run is known, and it failed for good", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    await expect(handler(taskEvent("report", { payload: { periodHours: 0 } }), plentyOfTime)).rejects.toThrow();
    const [key] = await keysUnder(emulator, sandbox.bucket, "runs/report/2026-11-23T10:00:00Z/report-test/attempts/");
    expect(JSON.parse(await getText(emulator, sandbox.bucket, key))).toMatchObject({
      attempt: 1,
      reason: expect.stringMatching(/^InvalidEventError: invalid event: payload\.periodHours: /),
    });
  });

  it("is not written for an event whose run cannot be told (a scheduled time that is no instant): that is a rejection only", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    await expect(handler(taskEvent("report", { scheduled_time: "2026-02-30T10:00:00Z" }), plentyOfTime)).rejects.toThrow();
    expect(await keysUnder(emulator, sandbox.bucket, "runs/")).toEqual([]);
  });
});
