import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { Emulator, ProxiedAws, Sandbox } from "../support/emulator";
import { createSandbox, getText, useProxiedEmulator } from "../support/emulator";
import { byTime, DAILY_REPORT, operatorCommand, runAt, WEEK, WEEK_TIMES } from "../support/run-history";

let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const MANUAL_TIME = "2026-11-18T15:30:12Z";

/**
 * One week of dev's daily report, written through the bundled processor against the emulator:
 * Monday completed, Tuesday failed (its report could not be written), Wednesday never run,
 * Thursday running now, Friday failed for good (archived by the failure handler only), and a
 * run now on Wednesday afternoon.
 */
async function week(): Promise<Sandbox> {
  const sandbox = await createSandbox(emulator);
  const [monday, tuesday, , thursday, friday] = WEEK_TIMES;
  expect(await runAt(aws, sandbox, monday)).toMatchObject({ ok: true, result: { status: "completed" } });
  aws.proxy.setFault((r) =>
    r.action === "PutObject" && r.key?.startsWith("reports/") ? { kind: "error", status: 500, code: "InternalError" } : undefined,
  );
  expect(await runAt(aws, sandbox, tuesday, { executionId: "7e5d0000-0000-4000-8000-000000000002" })).toMatchObject({
    ok: false,
    error: { name: "InternalError" },
  });
  aws.proxy.setFault(undefined);
  expect(await runAt(aws, sandbox, MANUAL_TIME, { executionId: "manual-0f1e" })).toMatchObject({ result: { status: "completed" } });
  const put = (key: string, body: unknown) =>
    emulator.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: JSON.stringify(body) }));
  await put(`runs/report/${thursday}/daily-report/lease.json`, { holder: "attempt-4", expiresAt: Date.now() + 3_600_000 });
  await put("failed/2026-11-21/9b2c.json", {
    id: "9b2c",
    origin: "scheduler",
    schedule: "daily-report",
    task: "report",
    scheduledTime: friday,
    executionId: "fa11ed00-0000-4000-8000-000000000005",
    error: "AccessDeniedException: not authorized to perform lambda:InvokeFunction",
    attempts: 3,
    event: {},
    body: "{}",
    messageAttributes: {},
  });
  return sandbox;
}

describe("npm run runs", () => {
  it("states each scheduled time of the window from the bucket, and lists the run now beside them (--json)", async () => {
    const sandbox = await week();
    const run = await operatorCommand(aws, sandbox, "runs", [
      "dev",
      "--schedule",
      "daily-report",
      "--bucket",
      sandbox.bucket,
      "--from",
      WEEK.from,
      "--to",
      WEEK.to,
      "--json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [monday, tuesday, wednesday, thursday, friday] = WEEK_TIMES;
    const lines = byTime(run.stdout);
    expect(Object.keys(lines)).toEqual([monday, tuesday, wednesday, MANUAL_TIME, thursday, friday]);
    expect(lines[monday]).toEqual({
      schedule: "daily-report",
      task: "report",
      scheduledTime: monday,
      state: "completed",
      scheduled: true,
      trigger: "schedule",
      executionId: "5a1e0000-0000-4000-8000-000000000001",
      sources: 0,
      lines: 0,
      processed: 0,
      quarantined: 0,
    });
    expect(lines[tuesday]).toMatchObject({
      state: "failed",
      attempts: 1,
      reason: expect.stringMatching(/^InternalError: /),
      trigger: "schedule",
    });
    expect(lines[wednesday]).toEqual({
      schedule: "daily-report",
      task: "report",
      scheduledTime: wednesday,
      state: "missed",
      scheduled: true,
    });
    expect(lines[MANUAL_TIME]).toMatchObject({ state: "completed", scheduled: false, trigger: "manual", executionId: "manual-0f1e" });
    expect(lines[thursday]).toMatchObject({ state: "running", scheduled: true, leaseExpiresAt: expect.any(String) });
    expect(lines[friday]).toMatchObject({
      state: "failed",
      attempts: 3,
      reason: "AccessDeniedException: not authorized to perform lambda:InvokeFunction",
      archivedKey: "failed/2026-11-21/9b2c.json",
    });
  });

  it("prints a table with one summary a schedule, and says which schedules it could not count", async () => {
    const sandbox = await week();
    const run = await operatorCommand(aws, sandbox, "runs", ["dev", "--bucket", sandbox.bucket, "--from", WEEK.from, "--to", WEEK.to]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Runs of dev from s3://${sandbox.bucket}, 2026-11-16T00:00:00.000Z to 2026-11-21T00:00:00.000Z`);
    expect(run.stdout).toMatch(/daily-report +2026-11-16T14:00:00Z +2026-11-16 09:00 EST +completed +schedule +0 sources, 0 lines/);
    expect(run.stdout).toMatch(/daily-report +2026-11-18T15:30:12Z +2026-11-18 10:30 EST +completed +manual +not scheduled/);
    expect(run.stdout).toContain("daily-report: 5 scheduled times: 1 completed, 2 failed, 1 missed, 1 running; 1 run not scheduled");
    // Monday 10:00 in New York: the weekly digest missed it.
    expect(run.stdout).toContain("weekly-notification: 1 scheduled time: 1 missed");
    // rate(6 hours) without a start date: Scheduler knows its creation; the emulator has no Scheduler, and no run says its phase.
    expect(run.stderr).toMatch(
      new RegExp(
        "^note: data-processing runs every 6 hours from its creation, and its creation time is unknown " +
          "\\(Scheduler's GetSchedule of scheduler-dev/data-processing failed: .+\\)$",
        "m",
      ),
    );
  });

  it("refuses a bad window or schedule with the reason", async () => {
    const sandbox = { bucket: "b", topicArn: "t" } as Sandbox;
    expect(await operatorCommand(aws, sandbox, "runs", ["dev", "--from", "2026-11-31"])).toMatchObject({
      status: 2,
      stderr:
        "--from must be an ISO-8601 instant (2026-11-23T10:00:00Z, 2026-11-23T11:00:00+01:00; UTC where it names no zone) " +
        'or a day (2026-11-23, from midnight UTC), got "2026-11-31"\n',
    });
    expect((await operatorCommand(aws, sandbox, "runs", ["dev", "--schedule", "nightly"])).stderr).toBe(
      'dev has no schedule "nightly"; its schedules: daily-report, data-processing, weekly-notification, year-start-backfill ' +
        "(and the scheduling API's once-*)\n",
    );
    expect((await operatorCommand(aws, sandbox, "runs", ["dev", "--from", "2026-11-20", "--to", "2026-11-19"])).stderr).toBe(
      "--from (2026-11-20T00:00:00.000Z) must not be after --to (2026-11-19T00:00:00.000Z)\n",
    );
    expect(await operatorCommand(aws, sandbox, "runs", ["dev", "--json", "--json"])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("--json is given twice\nusage: npm run runs"),
    });
  });

  it("states failed a run whose work is recorded but whose announcement failed, and a run whose payload was refused", async () => {
    const sandbox = await createSandbox(emulator);
    const [monday, tuesday] = WEEK_TIMES;
    const noTopic = { TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:no-such-topic" };
    expect(await runAt(aws, sandbox, monday, { env: noTopic })).toMatchObject({ ok: false });
    expect(await runAt(aws, sandbox, tuesday, { extra: { payload: { periodHours: 0 } } })).toMatchObject({ ok: false });
    const window = ["--from", WEEK.from, "--to", "2026-11-18T00:00:00Z"];
    const run = await operatorCommand(aws, sandbox, "runs", [
      "dev",
      "--schedule",
      "daily-report",
      "--bucket",
      sandbox.bucket,
      ...window,
      "--json",
    ]);
    const lines = byTime(run.stdout);
    expect(lines[monday]).toMatchObject({
      state: "failed",
      attempts: 1,
      reason: expect.stringMatching(/^its completed record is kept but was never announced: /),
    });
    expect(lines[tuesday]).toMatchObject({
      state: "failed",
      attempts: 1,
      reason: expect.stringMatching(/^InvalidEventError: invalid event: payload\.periodHours: /),
    });
  });

  it("lists the runs of a one-time schedule of the scheduling API, which the config does not have", async () => {
    const sandbox = await createSandbox(emulator);
    const once = { ...DAILY_REPORT, name: "once-rerun", expression: "at(2026-11-18T08:30:00)" };
    expect(await runAt(aws, sandbox, "2026-11-18T13:30:00Z", { schedule: once })).toMatchObject({ result: { status: "completed" } });
    const window = ["--from", WEEK.from, "--to", WEEK.to, "--json"];
    const run = await operatorCommand(aws, sandbox, "runs", ["dev", "--schedule", "once-rerun", "--bucket", sandbox.bucket, ...window]);
    expect(
      run.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      expect.objectContaining({ schedule: "once-rerun", scheduledTime: "2026-11-18T13:30:00Z", state: "completed", scheduled: false }),
    ]);
  });

  it("shows a run on an excluded date as skipped, with the date", async () => {
    const sandbox = await createSandbox(emulator);
    const [monday] = WEEK_TIMES;
    const run = await runAt(aws, sandbox, monday, { extra: { timezone: "America/New_York", exclude: ["2026-11-16"] } });
    expect(run).toMatchObject({ ok: true, result: { status: "skipped" } });
    expect(JSON.parse(await getText(emulator, sandbox.bucket, `runs/report/${monday}/daily-report.json`))).toMatchObject({
      status: "skipped",
      excludedDate: "2026-11-16",
    });
    const runs = await operatorCommand(aws, sandbox, "runs", [
      "dev",
      "--schedule",
      "daily-report",
      "--bucket",
      sandbox.bucket,
      "--from",
      WEEK.from,
      "--to",
      "2026-11-17T00:00:00Z",
      "--json",
    ]);
    expect(byTime(runs.stdout)[monday]).toMatchObject({ state: "skipped", excludedDate: "2026-11-16", scheduled: true });
  });
});
