import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { runQueueWorkers } from "../../../scripts/lib/queue-workers";
import type { ProxiedRequest } from "../../../scripts/lib/s3-proxy";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import {
  createQueue,
  createSandbox,
  type Emulator,
  getText,
  keysUnder,
  type ProxiedAws,
  type Sandbox,
  useProxiedEmulator,
} from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/**
 * A producer that writes one fixed key, in a versioned bucket (the proxy gives incoming/ S3's
 * versioning, which the emulator lacks): every upload is a source of its own, processed once,
 * archived once with its version in the key, counted once, and removed from incoming/ for good.
 */
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started), { versioning: true });

const KEY = "incoming/partner/latest.jsonl";
const processing = (time: string, extra: Record<string, unknown> = {}) =>
  taskEvent("data_processing", { scheduled_time: time, schedule: "hourly", ...extra });

/** An upload through the proxy, as a producer's would reach S3. */
async function upload(sandbox: Sandbox, key: string, body: string): Promise<string> {
  const { VersionId } = await aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: body }));
  return VersionId!;
}

async function versionsLeft(sandbox: Sandbox): Promise<number> {
  const page = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: sandbox.bucket, Prefix: "incoming/" }));
  return (page.Versions ?? []).length + (page.DeleteMarkers ?? []).length;
}

async function reportTotals(sandbox: Sandbox, handler: ReturnType<typeof processorHarness>["handler"], time: string) {
  await handler(taskEvent("report", { scheduled_time: time, payload: { periodHours: 48 } }), plentyOfTime);
  const csv = await getText(emulator, sandbox.bucket, `reports/${time.slice(0, 10)}/report-test.csv`);
  return csv.split("\r\n").find((line) => line.startsWith("TOTAL"));
}

describe("every upload to a fixed key", () => {
  it("is processed once: three before a run, one after, a replay of each run, and a report over both", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [
      [KEY, '{"n":1}\n{"n":2}\n'],
      [KEY, '{"n":3}\nnot json\n'],
      [KEY, '{"n":4}\n'],
      [KEY, '{"n":5}\n{"n":6}\n{"n":7}\n'],
    ];
    const versions: string[] = [];
    for (const [key, body] of sources.slice(0, 3)) versions.push(await upload(sandbox, key, body));
    const { handler } = processorHarness(aws, sandbox);

    const first = await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime);
    expect(first).toMatchObject({ status: "completed", counts: { sources: 3, lines: 5, processed: 4, quarantined: 1 } });
    expect(await versionsLeft(sandbox)).toBe(0);
    versions.push(await upload(sandbox, ...sources[3]));
    expect(await handler(processing("2027-01-06T00:00:00Z"), plentyOfTime)).toMatchObject({ counts: { sources: 1, lines: 3 } });
    expect(await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime)).toMatchObject({ status: "already_completed" });
    expect(await handler(processing("2027-01-06T00:00:00Z"), plentyOfTime)).toMatchObject({ status: "already_completed" });

    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await versionsLeft(sandbox)).toBe(0);
    expect(await reportTotals(sandbox, handler, "2027-01-06T01:00:00Z")).toBe("TOTAL,8,7,1");

    // Oldest first, each numbered from its own line 1, each record and archive naming its upload.
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/data_processing/2027-01-05T23:00:00Z/hourly.json"));
    expect(record.sources.map((s: { versionId: string }) => s.versionId).sort()).toEqual(versions.slice(0, 3).sort());
    const processedLines = (
      await Promise.all((await keysUnder(emulator, sandbox.bucket, "processed/")).map((k) => getText(emulator, sandbox.bucket, k)))
    )
      .flatMap((text) => text.trim().split("\n"))
      .map((line) => JSON.parse(line));
    expect(processedLines.find((l) => l.record.n === 3)).toMatchObject({ source: KEY, version: versions[1], line: 1 });
    const archives = await keysUnder(emulator, sandbox.bucket, "archive/");
    expect(archives).toHaveLength(4);
    for (const version of versions)
      expect(archives.some((key) => key.includes(`.v-${version.replace(/[^A-Za-z0-9_-]/g, "_")}.`))).toBe(true);
  });

  it("a version uploaded while a run reads the key waits for the next run", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [
      [KEY, '{"n":1}\n'],
      [KEY, '{"n":2}\n'],
    ];
    await upload(sandbox, ...sources[0]);
    const { handler } = processorHarness(aws, sandbox);
    let overwritten: Promise<string> | undefined;
    aws.proxy.setFault((r) => {
      if (overwritten || r.action !== "GetObject" || r.key !== KEY) return undefined;
      overwritten = upload(sandbox, ...sources[1]);
      return { kind: "delay", ms: 50 };
    });
    expect(await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime)).toMatchObject({ counts: { sources: 1, lines: 1 } });
    await overwritten;
    aws.proxy.setFault(undefined);
    expect(await versionsLeft(sandbox)).toBe(1);
    expect(await handler(processing("2027-01-06T00:00:00Z"), plentyOfTime)).toMatchObject({ counts: { sources: 1, lines: 1 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await versionsLeft(sandbox)).toBe(0);
  });

  it("a version whose archive copy fails is finished and counted by the next run; the failed run's replay counts nothing", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [
      [KEY, '{"n":1}\nbad\n'],
      [KEY, '{"n":2}\n'],
    ];
    const [older] = [await upload(sandbox, ...sources[0]), await upload(sandbox, ...sources[1])];
    const { handler } = processorHarness(aws, sandbox);
    // Every try of the older version's copy fails (past the SDK's retries); the newer one's succeeds.
    const copiesOlder = (r: ProxiedRequest) =>
      r.action === "CopyObject" && decodeURIComponent(String(r.headers["x-amz-copy-source"])).includes(older);
    aws.proxy.setFault((r) => (copiesOlder(r) ? { kind: "error", status: 500, code: "InternalError" } : undefined));
    // The run is recorded and announced all the same, naming the version that failed.
    const failed = await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime);
    expect(failed).toMatchObject({ status: "partial", counts: { failed: 1, sources: 1, lines: 1 } });
    aws.proxy.setFault(undefined);
    const next = await handler(processing("2027-01-06T00:00:00Z"), plentyOfTime);
    expect(next).toMatchObject({ status: "completed", counts: { sources: 1, lines: 2 } });
    // The failed run finished the newer version: its replay counts that one, and only that one.
    const replay = await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime);
    expect(replay).toMatchObject({ status: "completed", counts: { sources: 1, lines: 1 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await versionsLeft(sandbox)).toBe(0);
    expect(await reportTotals(sandbox, handler, "2027-01-06T01:00:00Z")).toBe("TOTAL,3,2,1");
  });

  it("cleans delete markers from incoming/, and processes the version a plain delete had hidden", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [[KEY, '{"n":1}\n']];
    await upload(sandbox, ...sources[0]);
    await aws.s3.send(new DeleteObjectCommand({ Bucket: sandbox.bucket, Key: KEY }));
    await aws.s3.send(new DeleteObjectCommand({ Bucket: sandbox.bucket, Key: "incoming/gone.jsonl" }));
    expect(await versionsLeft(sandbox)).toBe(3);
    const { handler } = processorHarness(aws, sandbox);
    expect(await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime)).toMatchObject({ counts: { sources: 1, lines: 1 } });
    expect(await versionsLeft(sandbox)).toBe(0);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
  });

  it("a large version is cut into byte ranges and worked over the queue, its older and newer uploads beside it", async () => {
    const sandbox = await createSandbox(emulator);
    const line = (i: number) => (i % 50 === 7 ? `bad ${i}` : `{"id":${i},"pad":"${"x".repeat(40)}"}`);
    const big = `${Array.from({ length: 400 }, (_, i) => line(i)).join("\n")}\n`;
    const sources: SourcesIn = [
      [KEY, '{"n":"old"}\n'],
      [KEY, big],
      [KEY, '{"n":"new"}\n'],
    ];
    for (const [key, body] of sources) await upload(sandbox, key, body);
    const queueUrl = await createQueue(emulator, "work", { VisibilityTimeout: "5" });
    const { handler } = processorHarness(aws, sandbox, { concurrency: 4, fanOut: { queueUrl, maxSources: 1_000, maxBytes: 8 * 1024 } });
    expect(await handler(processing("2027-01-05T23:00:00Z"), plentyOfTime)).toMatchObject({ status: "fanned_out" });
    await runQueueWorkers({ sqs: aws.sqs, queueUrl, handler: (event, context) => handler(event, context), workers: 3, deadlineMs: 60_000 });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await versionsLeft(sandbox)).toBe(0);
    expect((await keysUnder(emulator, sandbox.bucket, "processed/")).filter((k) => k.includes(".part-")).length).toBeGreaterThan(1);
  });
});
