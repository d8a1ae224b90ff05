import { createS3Client } from "../../../functions/commons/aws-clients";
import type { ProxiedRequest } from "../../../scripts/lib/s3-proxy";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import {
  createSandbox,
  type Emulator,
  getText,
  keysUnder,
  type ProxiedAws,
  putText,
  REGION,
  type Sandbox,
  startProxy,
  useProxiedEmulator,
} from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/**
 * The exactly-once promise across runs, through a proxy that enforces S3's conditional
 * requests and fails chosen ones: every line out once, unchanged; one archive per source;
 * each source in one run record; each notice once.
 */
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const s3Write = (action: string, prefix: string) => (r: ProxiedRequest) =>
  r.service === "s3" && r.action === action && (r.key ?? "").startsWith(prefix);

async function seed(sandbox: Sandbox, sources: SourcesIn): Promise<void> {
  for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
}

const processing = (time: string, extra: Record<string, unknown> = {}) =>
  taskEvent("data_processing", { scheduled_time: time, schedule: "hourly", ...extra });

describe("exactly once across runs", () => {
  it("a source whose delete kept failing is finished and counted by the next run, and its replay counts it nowhere else", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [["incoming/orders.jsonl", '{"id":1}\n{"id":2}\nnot json\n']];
    await seed(sandbox, sources);
    const { handler } = processorHarness(aws, sandbox);

    aws.proxy.setFault((r) =>
      s3Write("DeleteObject", "incoming/")(r) ? { kind: "error", status: 500, code: "InternalError" } : undefined,
    );
    const dayOne = processing("2026-11-23T10:00:00Z");
    // Recorded and announced, the source named as failed; its lines are out, so it is never set aside.
    await expect(handler(dayOne, plentyOfTime)).resolves.toMatchObject({ status: "incomplete", counts: { failed: 1, sources: 0 } });
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual(["incoming/orders.jsonl"]);

    aws.proxy.setFault(undefined);
    const dayTwo = await handler(processing("2026-11-24T10:00:00Z"), plentyOfTime);
    expect(dayTwo).toMatchObject({ status: "completed", counts: { sources: 1, lines: 3, processed: 2, quarantined: 1 } });
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual([]);
    const claim = JSON.parse(await getText(emulator, sandbox.bucket, (await keysUnder(emulator, sandbox.bucket, "claims/"))[0]));
    expect(claim).toMatchObject({
      owner: "data_processing/2026-11-23T10:00:00Z/hourly",
      finished: { by: "data_processing/2026-11-24T10:00:00Z/hourly", lines: 3 },
    });

    const replay = await handler(dayOne, plentyOfTime);
    expect(replay).toMatchObject({ status: "completed", counts: { sources: 0, lines: 0 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));

    const report = await handler(
      taskEvent("report", { scheduled_time: "2026-11-24T12:00:00Z", payload: { periodHours: 48 } }),
      plentyOfTime,
    );
    expect(report.counts).toMatchObject({ lines: 3, processed: 2, quarantined: 1 });
    const csv = await getText(emulator, sandbox.bucket, "reports/2026-11-24/report-test.csv");
    expect(csv.split("\r\n")).toContain("TOTAL,3,2,1");
    const subjects = (await sandbox.notices()).map((n) => n.subject.split(":")[0]);
    expect(subjects).toEqual([
      "[test] INCOMPLETE data_processing hourly",
      "[test] OK data_processing hourly",
      "[test] OK data_processing hourly",
      "[test] OK report report-test",
    ]);
  });

  it("a run that failed and could not even release its claim holds the source up only until its lease runs out", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [["incoming/stuck.jsonl", '{"id":1}\nbad\n']];
    await seed(sandbox, sources);
    const { handler } = processorHarness(aws, sandbox, { leaseTtlMs: 1_000 });
    let claimWrites = 0;
    // The delete fails for good, and so does every claim write after the first (the release among them).
    aws.proxy.setFault((r) => {
      if (s3Write("DeleteObject", "incoming/")(r)) return { kind: "error", status: 500, code: "InternalError" };
      if (s3Write("PutObject", "claims/")(r) && claimWrites++ > 0) return { kind: "error", status: 500, code: "InternalError" };
      return undefined;
    });
    await expect(handler(processing("2027-01-05T23:00:00Z"), plentyOfTime)).resolves.toMatchObject({ status: "incomplete" });
    aws.proxy.setFault(undefined);
    const started = Date.now();
    await expect(handler(processing("2027-01-06T00:00:00Z"), plentyOfTime)).resolves.toMatchObject({
      status: "completed",
      counts: { sources: 1, lines: 2 },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
  });

  it("overlapping runs of different times, another schedule and a backfill prefix share the sources, none counted twice", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 24 }, (_, i) => [
      `incoming/${i % 3 === 0 ? "backfill/" : ""}part-${String(i).padStart(2, "0")}.jsonl`,
      `{"id":${i},"n":1}\n{"id":${i},"n":2}\nbad ${i}\n`,
    ]);
    await seed(sandbox, sources);
    const slow = await startProxy(emulator, { latencyMs: 3 });
    try {
      const { handler } = processorHarness(slow, sandbox, { concurrency: 4 });
      const outcomes = await Promise.all([
        handler(processing("2026-11-23T10:00:00Z"), plentyOfTime),
        handler(processing("2026-11-23T11:00:00Z"), plentyOfTime),
        handler(processing("2026-11-23T10:00:00Z", { schedule: "second-schedule" }), plentyOfTime),
        handler(processing("2026-11-23T10:30:00Z", { schedule: "backfill", payload: { prefix: "backfill/" } }), plentyOfTime),
      ]);
      expect(outcomes.every((o) => o.status === "completed")).toBe(true);
      expect(outcomes.reduce((sum, o) => sum + (o.counts.sources ?? 0), 0)).toBe(sources.length);
      expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    } finally {
      await slow.proxy.stop();
    }
  });

  it("the same event delivered twice at once runs once: one record, one notice, one metric line", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 6 }, (_, i) => [`incoming/s${i}.jsonl`, `{"id":${i}}\n`]);
    await seed(sandbox, sources);
    const { handler, metrics } = processorHarness(aws, sandbox);
    const event = processing("2026-11-23T10:00:00Z");
    const outcomes = await Promise.all([handler(event, plentyOfTime), handler(event, plentyOfTime)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["already_completed", "completed"]);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await sandbox.notices()).toHaveLength(1);
    expect(metrics).toHaveLength(1);
  });

  it("a re-uploaded key is a new source: both versions are processed, each once", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(aws, sandbox);
    const first: SourcesIn = [["incoming/daily.jsonl", '{"v":1}\n']];
    await seed(sandbox, first);
    await handler(processing("2026-11-23T10:00:00Z"), plentyOfTime);
    const second: SourcesIn = [["incoming/daily.jsonl", '{"v":2}\n{"v":3}\n']];
    await seed(sandbox, second);
    await handler(processing("2026-11-23T11:00:00Z"), plentyOfTime);
    expect(await auditBucket(emulator, sandbox.bucket, [...first, ...second])).toEqual(cleanAudit([...first, ...second]));
  });

  it("keeps values a double cannot hold exactly as written, and quarantines duplicate keys", async () => {
    const sandbox = await createSandbox(emulator);
    const line = '{"id":12345678901234567890,"big":1e400,"amount":12.345678901234567890123,"tiny":5e-400}';
    const sources: SourcesIn = [["incoming/exact.jsonl", `${line}\n{"id":1,"id":2}\n`]];
    await seed(sandbox, sources);
    const { handler } = processorHarness(aws, sandbox);
    await handler(processing("2026-11-23T10:00:00Z", { payload: { requiredFields: ["id"] } }), plentyOfTime);
    const [processedKey] = await keysUnder(emulator, sandbox.bucket, "processed/");
    expect(await getText(emulator, sandbox.bucket, processedKey)).toBe(`{"source":"incoming/exact.jsonl","line":1,"record":${line}}\n`);
    const [quarantineKey] = await keysUnder(emulator, sandbox.bucket, "quarantine/");
    expect(JSON.parse(await getText(emulator, sandbox.bucket, quarantineKey))).toMatchObject({
      line: 2,
      reason: expect.stringContaining('duplicate key "id"'),
    });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
  });
});

describe("side effects once per run", () => {
  it("a digest whose run record cannot be written is not published; its retry publishes it once", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(aws, sandbox);
    const digest = taskEvent("notification", { schedule: "weekly", payload: { periodHours: 168 } });
    aws.proxy.setFault((r) =>
      s3Write("PutObject", "runs/notification/")(r) && !(r.key ?? "").endsWith("lease.json")
        ? { kind: "error", status: 500, code: "InternalError" }
        : undefined,
    );
    await expect(handler(digest, plentyOfTime)).rejects.toMatchObject({ name: "InternalError" });
    aws.proxy.setFault(undefined);
    await expect(handler(digest, plentyOfTime)).resolves.toMatchObject({ status: "completed" });
    await expect(handler(digest, plentyOfTime)).resolves.toMatchObject({ status: "already_completed" });
    const notices = await sandbox.notices();
    expect(notices.filter((n) => n.attributes.status === "digest")).toHaveLength(1);
  });

  it("a digest published while marking it failed a few times is still published once", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(aws, sandbox);
    let recordWrites = 0;
    // The first write (unpublished) passes, the next two (the mark) fail with every SDK retry.
    aws.proxy.setFault((r) => {
      if (!s3Write("PutObject", "runs/notification/")(r) || (r.key ?? "").endsWith("lease.json")) return undefined;
      recordWrites += 1;
      return recordWrites >= 2 && recordWrites <= 7 ? { kind: "error", status: 500, code: "InternalError" } : undefined;
    });
    await expect(handler(taskEvent("notification", { schedule: "weekly" }), plentyOfTime)).resolves.toMatchObject({ status: "completed" });
    expect((await sandbox.notices()).filter((n) => n.attributes.status === "digest")).toHaveLength(1);
  });

  it("with SNS down the data is kept and the run fails; its retry sends the notice and the metrics once", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [["incoming/a.jsonl", '{"id":1}\n']];
    await seed(sandbox, sources);
    const { handler, metrics } = processorHarness(aws, sandbox);
    aws.proxy.setFault((r) =>
      r.service === "sns" && r.action === "Publish" ? { kind: "error", status: 500, code: "InternalError" } : undefined,
    );
    const event = processing("2026-11-23T10:00:00Z");
    await expect(handler(event, plentyOfTime)).rejects.toThrow();
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(metrics.map((m) => [m.TaskExecution, m.TaskFailure])).toEqual([[0, 1]]);
    aws.proxy.setFault(undefined);
    await expect(handler(event, plentyOfTime)).resolves.toMatchObject({ status: "completed", counts: { sources: 1 } });
    await expect(handler(event, plentyOfTime)).resolves.toMatchObject({ status: "already_completed" });
    const oks = (await sandbox.notices()).filter((n) => n.attributes.status === "completed");
    expect(oks).toHaveLength(1);
    expect(metrics.map((m) => [m.TaskExecution, m.TaskFailure])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("a rerun of a finished report writes and announces nothing", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler, metrics } = processorHarness(aws, sandbox);
    const report = taskEvent("report", { schedule: "daily" });
    await handler(report, plentyOfTime);
    const writesBefore = aws.proxy.log.filter((r) => r.action === "PutObject" && !(r.key ?? "").endsWith("lease.json")).length;
    await expect(handler(report, plentyOfTime)).resolves.toMatchObject({ status: "already_completed" });
    expect(aws.proxy.log.filter((r) => r.action === "PutObject" && !(r.key ?? "").endsWith("lease.json")).length).toBe(writesBefore);
    expect(await sandbox.notices()).toHaveLength(1);
    expect(metrics).toHaveLength(1);
  });
});

describe("bounded calls", () => {
  // The functions' clients give up on a socket idle for 5 s; this one waits 0.5 s, to keep the test short.
  it("a request that stalls for a minute is abandoned after the idle limit and retried", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [["incoming/a.jsonl", '{"id":1}\n']];
    await seed(sandbox, sources);
    const s3 = createS3Client({
      endpoint: aws.proxy.endpoint,
      region: REGION,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      socketIdleTimeoutMs: 500,
    });
    const { handler } = processorHarness({ ...aws, s3 }, sandbox);
    let stalled = 0;
    aws.proxy.setFault((r) =>
      r.action === "GetObject" && (r.key ?? "").startsWith("incoming/") && stalled++ === 0 ? { kind: "stall", ms: 60_000 } : undefined,
    );
    const started = Date.now();
    await expect(handler(processing("2026-11-23T10:00:00Z"), plentyOfTime)).resolves.toMatchObject({ status: "completed" });
    // Bounded by the idle limit and a retry, far inside the stall (and any Lambda timeout).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stalled).toBe(2);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
  });
});

describe("the bundle npm run build writes, loaded in this process", () => {
  it("keeps the promise through the proxy: a failed delete, the next day's run, then a replay", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [["incoming/a.jsonl", '{"id":1}\n{"id":99999999999999999999}\n{"id":3,"id":4}\n']];
    await seed(sandbox, sources);
    const { bundleFunction } = await import("../../../modules/bundling/function-bundle");
    const saved = { ...process.env };
    Object.assign(process.env, aws.awsEnv, { BUCKET_NAME: sandbox.bucket, TOPIC_ARN: sandbox.topicArn, ENVIRONMENT: "test" });
    let handler!: (event: unknown, context: unknown) => Promise<any>;
    jest.isolateModules(() => {
      handler = require(bundleFunction("processor").scriptPath).handler;
    });
    const silence = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      aws.proxy.setFault((r) =>
        s3Write("DeleteObject", "incoming/")(r) && r.bucket === sandbox.bucket
          ? { kind: "error", status: 500, code: "InternalError" }
          : undefined,
      );
      const dayOne = processing("2026-11-23T10:00:00Z");
      await expect(handler(dayOne, plentyOfTime)).resolves.toMatchObject({ status: "incomplete", counts: { failed: 1 } });
      aws.proxy.setFault(undefined);
      await expect(handler(processing("2026-11-24T10:00:00Z"), plentyOfTime)).resolves.toMatchObject({
        status: "completed",
        counts: { sources: 1, lines: 3, processed: 2, quarantined: 1 },
      });
      await expect(handler(dayOne, plentyOfTime)).resolves.toMatchObject({ status: "completed", counts: { sources: 0 } });
      await expect(handler(dayOne, plentyOfTime)).resolves.toMatchObject({ status: "already_completed" });
    } finally {
      silence.mockRestore();
      process.env = saved;
    }
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect((await sandbox.notices()).map((n) => n.attributes.status)).toEqual(["incomplete", "completed", "completed"]);
  });
});
