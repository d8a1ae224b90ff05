import { runTriggerCommand } from "../../scripts/trigger";
import type { Emulator, ProxiedAws } from "../support/emulator";
import { createSandbox, getText, useProxiedEmulator } from "../support/emulator";
import { byTime, operatorCommand } from "../support/run-history";

let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

describe("npm run trigger", () => {
  it("runs a schedule now through the bundled processor (--local), recorded under its own identity, which runs lists", async () => {
    const sandbox = await createSandbox(emulator);
    const before = new Date(Math.floor(Date.now() / 1000) * 1000);
    const run = await operatorCommand(aws, sandbox, "trigger", ["dev", "daily-report", "--local", "--bucket", sandbox.bucket]);
    expect(run.status).toBe(0);
    const [time, executionId, outcome] = run.stdout.trim().split(" ");
    expect(outcome).toBe("completed");
    expect(executionId).toMatch(/^manual-[0-9a-f-]{36}$/);
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before.getTime());
    expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(JSON.parse(await getText(emulator, sandbox.bucket, `runs/report/${time}/daily-report.json`))).toMatchObject({
      status: "completed",
      executionId,
    });
    expect((await sandbox.notices()).map((n) => n.subject)).toEqual([expect.stringMatching(/^\[dev\] OK report daily-report/)]);

    const listed = await operatorCommand(aws, sandbox, "runs", [
      "dev",
      "--schedule",
      "daily-report",
      "--bucket",
      sandbox.bucket,
      "--from",
      new Date(before.getTime() - 60_000).toISOString(),
      "--json",
    ]);
    expect(byTime(listed.stdout)[time]).toMatchObject({ state: "completed", scheduled: false, trigger: "manual", executionId });
  });

  it("sends the schedule's event for this second under a manual- execution id", async () => {
    const events: Array<Record<string, unknown>> = [];
    let out = "";
    const code = await runTriggerCommand(["dev", "weekly-notification"], {
      out: (text) => (out += text),
      err: () => undefined,
      now: () => new Date("2026-12-25T15:04:05.678Z"),
      invoker: async (event) => {
        events.push(event);
        return "accepted (202)";
      },
    });
    expect(code).toBe(0);
    expect(events).toEqual([
      {
        task_type: "notification",
        payload: {},
        schedule: "weekly-notification",
        environment: "dev",
        scheduled_time: "2026-12-25T15:04:05Z",
        execution_id: expect.stringMatching(/^manual-/),
        attempt_number: "1",
      },
    ]);
    expect(out).toBe(`2026-12-25T15:04:05Z ${events[0].execution_id} accepted (202)\n`);
  });

  it("refuses a schedule the environment does not have, and --bucket without --local", async () => {
    const io = { out: () => undefined, now: () => new Date() };
    let err = "";
    expect(await runTriggerCommand(["dev", "nightly"], { ...io, err: (t) => (err += t) })).toBe(2);
    expect(err).toBe(
      'dev has no schedule "nightly"; its schedules: daily-report, data-processing, weekly-notification, year-start-backfill\n',
    );
    err = "";
    expect(await runTriggerCommand(["dev", "daily-report", "--bucket", "b"], { ...io, err: (t) => (err += t) })).toBe(2);
    expect(err).toMatch(/^--bucket goes with --local/);
  });
});
