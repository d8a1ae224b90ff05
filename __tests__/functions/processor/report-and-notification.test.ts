import type { RunRecord } from "../../../functions/processor/protocol/run-record";
import { buildDigest } from "../../../functions/processor/tasks/notification";
import { reportRows } from "../../../functions/processor/tasks/report";
import { createSandbox, type Emulator, type ProxiedAws, putText, type Sandbox, snapshot, useProxiedEmulator } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

/** Runs data_processing at each time over the given sources, to produce real manifests. */
async function processAt(sandbox: Sandbox, runs: Array<[time: string, sources: Record<string, string>]>) {
  const { handler } = processorHarness(aws, sandbox);
  for (const [time, sources] of runs) {
    for (const [key, body] of Object.entries(sources)) await putText(emulator, sandbox.bucket, key, body);
    await handler(
      taskEvent("data_processing", { scheduled_time: time, schedule: "hourly", payload: { notifyOnSuccess: false } }),
      plentyOfTime,
    );
  }
}

describe("report", () => {
  it("writes a CSV of the period's sources with a totals row, leaving out runs outside the period", async () => {
    const sandbox = await createSandbox(emulator);
    await processAt(sandbox, [
      ["2026-11-22T08:00:00Z", { "incoming/too-old.jsonl": '{"id":0}\n' }],
      ["2026-11-22T09:00:00Z", { "incoming/edge-excluded.jsonl": '{"id":0}\n' }],
      ["2026-11-22T12:00:00Z", { "incoming/a.jsonl": '{"id":1}\n{"id":2}\nbad\n', 'incoming/b,"quoted".jsonl': '{"id":3}\n' }],
      ["2026-11-23T09:00:00Z", { "incoming/c.jsonl": "x\ny\n" }],
      ["2026-11-23T10:00:00Z", { "incoming/too-new.jsonl": '{"id":9}\n' }],
    ]);
    const { handler } = processorHarness(aws, sandbox);
    const outcome = await handler(
      taskEvent("report", { schedule: "daily-report", scheduled_time: "2026-11-23T09:00:00Z", payload: { periodHours: 24 } }),
      plentyOfTime,
    );

    expect(outcome.counts).toEqual({ runs: 2, sources: 3, lines: 6, processed: 3, quarantined: 3 });
    const bucket = await snapshot(emulator, sandbox.bucket);
    expect(bucket["reports/2026-11-23/daily-report.csv"]).toBe(
      "source,lines,processed,quarantined\r\nincoming/a.jsonl,3,2,1\r\n" +
        '"incoming/b,""quoted"".jsonl",1,1,0\r\nincoming/c.jsonl,2,0,2\r\nTOTAL,6,3,3\r\n',
    );
    expect(JSON.parse(bucket["runs/report/2026-11-23T09:00:00Z/daily-report.json"])).toMatchObject({
      status: "completed",
      published: true,
      counts: outcome.counts,
    });
  });

  it("writes a header and a zero totals row when nothing ran, and the same bytes when rerun", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(aws, sandbox);
    const event = taskEvent("report", { schedule: "daily-report" });
    await handler(event, plentyOfTime);
    const first = await snapshot(emulator, sandbox.bucket);
    expect(first["reports/2026-11-23/daily-report.csv"]).toBe("source,lines,processed,quarantined\r\nTOTAL,0,0,0\r\n");
    expect(await handler(event, plentyOfTime)).toMatchObject({ status: "already_completed" });
    expect((await snapshot(emulator, sandbox.bucket))["reports/2026-11-23/daily-report.csv"]).toEqual(
      first["reports/2026-11-23/daily-report.csv"],
    );
    expect(await sandbox.notices()).toHaveLength(1);
  });

  it("lists each source of each run once, sorted, leaving superseded versions out", () => {
    const record = (sources: Array<[string, number, number, boolean?]>): RunRecord => ({
      task: "data_processing",
      schedule: "s",
      environment: "e",
      scheduledTime: "t",
      status: "completed",
      counts: {},
      published: true,
      sources: sources.map(([source, processed, quarantined, superseded]) => ({
        source,
        etag: "e",
        id: source,
        lines: processed + quarantined,
        processed,
        quarantined,
        ...(superseded ? { superseded } : {}),
      })),
    });
    expect(
      reportRows([
        record([["incoming/y.jsonl", 2, 1]]),
        record([
          ["incoming/x.jsonl", 5, 0],
          ["incoming/z.jsonl", 0, 0, true],
        ]),
      ]),
    ).toEqual([
      ["incoming/x.jsonl", 5, 5, 0],
      ["incoming/y.jsonl", 3, 2, 1],
      ["TOTAL", 8, 7, 1],
    ]);
  });
});

describe("notification", () => {
  it("publishes one digest of the period with task and environment attributes, and none on a rerun", async () => {
    const sandbox = await createSandbox(emulator);
    await processAt(sandbox, [
      ["2026-11-20T10:00:00Z", { "incoming/a.jsonl": '{"id":1}\nbad\n' }],
      ["2026-11-22T10:00:00Z", { "incoming/b.jsonl": '{"id":2}\n{"id":3}\n' }],
    ]);
    const { handler } = processorHarness(aws, sandbox);
    const event = taskEvent("notification", { schedule: "weekly", payload: { periodHours: 168 } });
    const outcome = await handler(event, plentyOfTime);
    expect(outcome.counts).toEqual({ runs: 2, processed: 3, quarantined: 1, incomplete: 0 });
    const again = await handler(event, plentyOfTime);
    expect(again.status).toBe("already_completed");

    const notices = await sandbox.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0].subject).toBe("[test] weekly digest: 2 runs, 3 processed, 1 quarantined");
    expect(notices[0].subject.length).toBeLessThanOrEqual(100);
    expect(notices[0].attributes).toMatchObject({ task: "notification", environment: "test" });
    expect(notices[0].message).toContain("- 2026-11-22T10:00:00Z hourly [completed]: 1 sources, 2 processed, 0 quarantined");
  });

  it("reads records kept before 0.3, which say complete, as completed runs: counted, and never redone", async () => {
    const sandbox = await createSandbox(emulator);
    const old = {
      task: "data_processing",
      schedule: "hourly",
      environment: "test",
      scheduledTime: "2026-11-22T10:00:00Z",
      status: "complete",
      counts: { sources: 1, lines: 2, processed: 2, quarantined: 0 },
      totals: { sources: 1, lines: 2, processed: 2, quarantined: 0 },
      sources: [{ source: "incoming/old.jsonl", etag: '"e"', id: "0".repeat(32), lines: 2, processed: 2, quarantined: 0 }],
      waiting: 0,
      published: true,
    };
    await putText(emulator, sandbox.bucket, "runs/data_processing/2026-11-22T10:00:00Z/hourly.json", `${JSON.stringify(old)}\n`);
    const { handler } = processorHarness(aws, sandbox);
    const rerun = await handler(taskEvent("data_processing", { scheduled_time: "2026-11-22T10:00:00Z", schedule: "hourly" }), plentyOfTime);
    expect(rerun).toMatchObject({ status: "already_completed", counts: { sources: 1, lines: 2 } });
    const digest = await handler(taskEvent("notification", { schedule: "weekly", payload: { periodHours: 168 } }), plentyOfTime);
    expect(digest.counts).toEqual({ runs: 1, processed: 2, quarantined: 0, incomplete: 0 });
    const [notice] = await sandbox.notices();
    expect(notice.message).toContain("- 2026-11-22T10:00:00Z hourly [completed]: 1 sources, 2 processed, 0 quarantined");
  });

  it("keeps the subject within 100 characters whatever the schedule name", () => {
    const digest = buildDigest("production-eu", "x".repeat(64), [], new Date(0), new Date(1));
    expect(digest.subject.length).toBeLessThanOrEqual(100);
  });
});
