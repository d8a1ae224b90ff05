import { PutObjectCommand } from "@aws-sdk/client-s3";
import { runBackfillCommand } from "../../scripts/backfill";
import type { Emulator, ProxiedAws, Sandbox } from "../support/emulator";
import { createSandbox, getText, keysUnder, useProxiedEmulator } from "../support/emulator";
import { byTime, operatorCommand, runAt, WEEK, WEEK_TIMES } from "../support/run-history";

let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const [monday, tuesday, wednesday, thursday, friday] = WEEK_TIMES;

/** Monday completed, Tuesday failed, Wednesday and Friday never run, Thursday running now. */
async function week(): Promise<Sandbox> {
  const sandbox = await createSandbox(emulator);
  expect(await runAt(aws, sandbox, monday)).toMatchObject({ result: { status: "completed" } });
  aws.proxy.setFault((r) =>
    r.action === "PutObject" && r.key?.startsWith("reports/") ? { kind: "error", status: 500, code: "InternalError" } : undefined,
  );
  expect(await runAt(aws, sandbox, tuesday)).toMatchObject({ ok: false });
  aws.proxy.setFault(undefined);
  await emulator.s3.send(
    new PutObjectCommand({
      Bucket: sandbox.bucket,
      Key: `runs/report/${thursday}/daily-report/lease.json`,
      Body: JSON.stringify({ holder: "attempt-4", expiresAt: Date.now() + 3_600_000 }),
    }),
  );
  return sandbox;
}

const backfill = (sandbox: Sandbox, ...flags: string[]) =>
  operatorCommand(aws, sandbox, "backfill", [
    "dev",
    "--schedule",
    "daily-report",
    "--from",
    WEEK.from,
    "--to",
    WEEK.to,
    "--bucket",
    sandbox.bucket,
    ...flags,
  ]);
const runs = async (sandbox: Sandbox) =>
  byTime(
    (
      await operatorCommand(aws, sandbox, "runs", [
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
      ])
    ).stdout,
  );

describe("npm run backfill", () => {
  it("lists exactly the missed times with --dry-run, and fires nothing", async () => {
    const sandbox = await week();
    const before = await keysUnder(emulator, sandbox.bucket);
    const dry = await backfill(sandbox, "--local", "--dry-run");
    expect(dry).toMatchObject({ status: 0, stdout: `${wednesday}\n${friday}\n` });
    expect(dry.stderr).toContain("would fire 2 times of daily-report (2 missed); fired nothing\n");
    expect(await keysUnder(emulator, sandbox.bucket)).toEqual(before);
    expect((await backfill(sandbox, "--local", "--dry-run", "--include-failed")).stdout).toBe(`${tuesday}\n${wednesday}\n${friday}\n`);
  });

  it("completes the missed times through the bundled processor (--local), as backfills; a second backfill fires nothing", async () => {
    const sandbox = await week();
    const first = await backfill(sandbox, "--local");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^${wednesday} backfill-[0-9a-f-]{36} completed\\n${friday} backfill-[0-9a-f-]{36} completed\\n$`),
    );
    const states = await runs(sandbox);
    expect(Object.fromEntries(Object.entries(states).map(([time, line]) => [time, [line.state, line.trigger]]))).toEqual({
      [monday]: ["completed", "schedule"],
      [tuesday]: ["failed", "schedule"],
      [wednesday]: ["completed", "backfill"],
      [thursday]: ["running", undefined],
      [friday]: ["completed", "backfill"],
    });
    expect(JSON.parse(await getText(emulator, sandbox.bucket, `runs/report/${wednesday}/daily-report.json`))).toMatchObject({
      status: "completed",
      published: true,
      reportKey: "reports/2026-11-18/daily-report.csv",
    });
    // Each completed run announced itself once.
    expect((await sandbox.notices()).filter((n) => n.subject.startsWith("[dev] OK report daily-report"))).toHaveLength(3);

    const second = await backfill(sandbox, "--local");
    expect(second).toMatchObject({ status: 0, stdout: "" });
    expect(second.stderr).toContain("fired 0 times of daily-report (0 missed)");

    // --include-failed fires Tuesday again; the running Thursday is left to its attempt.
    const failed = await backfill(sandbox, "--local", "--include-failed");
    expect(failed.stdout).toMatch(new RegExp(`^${tuesday} backfill-\\S+ completed\\n$`));
    expect((await runs(sandbox))[tuesday]).toMatchObject({ state: "completed", trigger: "backfill" });
  });

  it("fires each time to the processor with Lambda's asynchronous Invoke, at a bounded rate, the event Scheduler would send", async () => {
    const sandbox = await week();
    const invoked: Array<Record<string, unknown>> = [];
    const paused: number[] = [];
    let out = "";
    const code = await runBackfillCommand(
      ["dev", "--schedule", "daily-report", "--from", WEEK.from, "--to", WEEK.to, "--bucket", sandbox.bucket],
      {
        out: (text) => (out += text),
        err: () => undefined,
        now: () => new Date("2026-12-01T00:00:00Z"),
        clients: () => ({ s3: aws.s3 }),
        invoker: async (event) => {
          invoked.push(event);
          return "accepted (202)";
        },
        sleep: async (ms) => {
          paused.push(ms);
        },
      },
    );
    expect(code).toBe(0);
    expect(invoked).toEqual(
      [wednesday, friday].map((time) => ({
        task_type: "report",
        payload: { periodHours: 24 },
        schedule: "daily-report",
        environment: "dev",
        scheduled_time: time,
        execution_id: expect.stringMatching(/^backfill-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        attempt_number: "1",
      })),
    );
    expect(invoked[0].execution_id).not.toBe(invoked[1].execution_id);
    // Two a second: a pause of (nearly) half a second between the two.
    expect(paused).toHaveLength(1);
    expect(paused[0]).toBeGreaterThan(400);
    expect(paused[0]).toBeLessThanOrEqual(500);
    expect(out.split("\n").filter(Boolean)).toEqual([
      expect.stringContaining(`${wednesday} backfill-`),
      expect.stringContaining(`${friday} backfill-`),
    ]);
  });

  it("requires the schedule and the window, and refuses a schedule the environment does not have", async () => {
    const sandbox = { topicArn: "t" } as Sandbox;
    expect(await operatorCommand(aws, sandbox, "backfill", ["dev", "--schedule", "daily-report"])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^--from, --to are required\nusage: npm run backfill -- <env> --schedule <name>/),
    });
    expect(
      await operatorCommand(aws, sandbox, "backfill", ["dev", "--schedule", "nightly", "--from", "2026-11-16", "--to", "2026-11-17"]),
    ).toMatchObject({
      status: 2,
      stderr: 'dev has no schedule "nightly"; its schedules: daily-report, data-processing, weekly-notification, year-start-backfill\n',
    });
  });
});
