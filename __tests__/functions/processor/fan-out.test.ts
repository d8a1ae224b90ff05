import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { runQueueWorkers } from "../../../scripts/lib/queue-workers";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import {
  createQueue,
  createSandbox,
  type Emulator,
  getText,
  keysUnder,
  type ProxiedAws,
  putText,
  type Sandbox,
  useProxiedEmulator,
} from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/** Runs too large for one invocation, spread over the work queue and worked by several "Lambda" workers. */
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

async function fanOutHarness(sandbox: Sandbox, limits: { maxSources?: number; maxBytes?: number; sourcesPerBatch?: number } = {}) {
  // Long enough that a batch is never redelivered because a loaded machine ran it slowly: each test counts deliveries.
  const queueUrl = await createQueue(emulator, "work", { VisibilityTimeout: "30" });
  const harness = processorHarness(aws, sandbox, {
    concurrency: 4,
    fanOut: {
      queueUrl,
      maxSources: limits.maxSources ?? 1_000,
      maxBytes: limits.maxBytes ?? 1024 ** 3,
      sourcesPerBatch: limits.sourcesPerBatch,
    },
  });
  const work = (workers = 3) =>
    runQueueWorkers({ sqs: aws.sqs, queueUrl, handler: (event, context) => harness.handler(event, context), workers, deadlineMs: 60_000 });
  return { ...harness, queueUrl, work };
}

const event = (extra: Record<string, unknown> = {}) => taskEvent("data_processing", { schedule: "hourly", ...extra });

describe("fan-out over the work queue", () => {
  it("spreads a run with more sources than an invocation takes, and completes it once when the last batch is done", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 30 }, (_, i) => [
      `incoming/f-${String(i).padStart(3, "0")}.jsonl`,
      `{"id":${i}}\nbad ${i}\n`,
    ]);
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler, metrics, work } = await fanOutHarness(sandbox, { maxSources: 10, sourcesPerBatch: 10 });

    const from = aws.proxy.log.length;
    const scheduled = await handler(event(), plentyOfTime);
    expect(scheduled).toMatchObject({ status: "fanned_out", counts: { batches: 3, sources: 30 } });
    expect(await sandbox.notices()).toEqual([]);
    expect(await work(4)).toMatchObject({ invocations: 3, failedMessages: 0 });

    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/data_processing/2026-11-23T10:00:00Z/hourly.json"));
    expect(record).toMatchObject({
      status: "completed",
      published: true,
      totals: { sources: 30, lines: 60, processed: 30, quarantined: 30 },
    });
    const notices = await sandbox.notices();
    expect(notices.map((n) => n.subject)).toEqual(["[test] OK data_processing hourly: 30 sources, 60 lines, 30 processed, 30 quarantined"]);
    expect(metrics.map((m) => [m.TaskExecution, m.RecordsProcessed])).toEqual([[1, 30]]);
    const runsBytes = aws.proxy.log
      .slice(from)
      .filter((r) => r.bucket === sandbox.bucket && (r.key ?? "").startsWith("runs/"))
      .reduce((sum, r) => sum + r.bytes, 0);
    expect(runsBytes / sources.length).toBeLessThan(2048);
    // A late duplicate of the scheduled event changes nothing.
    expect(await handler(event(), plentyOfTime)).toMatchObject({ status: "already_completed" });
    expect(await sandbox.notices()).toHaveLength(1);
  });

  it("finds a redelivered or duplicated batch already done: nothing changes and nothing is announced again", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 30 }, (_, i) => [`incoming/d-${i}.jsonl`, `{"id":${i}}\n`]);
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler, queueUrl, work } = await fanOutHarness(sandbox, { maxSources: 5 });
    await handler(event(), plentyOfTime);
    // Capture every batch as queued, and queue each one twice.
    const bodies: string[] = [];
    aws.proxy.setFault(undefined);
    const { ReceiveMessageCommand, DeleteMessageCommand } = await import("@aws-sdk/client-sqs");
    for (;;) {
      const { Messages } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (!Messages?.length) break;
      for (const m of Messages) {
        bodies.push(m.Body!);
        await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    expect(bodies).toHaveLength(1);
    for (const body of [...bodies, ...bodies]) await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await work(2);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await sandbox.notices()).toHaveLength(1);
  });

  it("completes the run when a batch set aside in the dead-letter queue is replayed on its own", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 12 }, (_, i) => [`incoming/p-${i}.jsonl`, `{"id":${i}}\n`]);
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler, queueUrl } = await fanOutHarness(sandbox, { maxSources: 5 });
    await handler(event(), plentyOfTime);
    const { ReceiveMessageCommand } = await import("@aws-sdk/client-sqs");
    const { Messages } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
    // `npm run replay` invokes the processor with the archived batch itself.
    expect(await handler(JSON.parse(Messages![0].Body!), plentyOfTime)).toMatchObject({ status: "fanned_out" });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect((await sandbox.notices()).map((n) => n.attributes.status)).toEqual(["completed"]);
  });

  it("retries a batch whose delivery failed, and still counts every line once", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 15 }, (_, i) => [
      `incoming/r-${String(i).padStart(2, "0")}.jsonl`,
      `{"id":${i}}\n{"id":${i},"n":2}\n`,
    ]);
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler, work } = await fanOutHarness(sandbox, { maxSources: 10 });
    await handler(event(), plentyOfTime);
    let failures = 0;
    // Every SDK attempt of the first delete of one source fails: its batch fails and is delivered again.
    aws.proxy.setFault((r) =>
      r.action === "DeleteObject" && r.key === "incoming/r-07.jsonl" && failures++ < 3
        ? { kind: "error", status: 500, code: "InternalError" }
        : undefined,
    );
    const result = await work(3);
    expect(result.failedMessages).toBeGreaterThan(0);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await sandbox.notices()).toHaveLength(1);
  });

  it("spreads what is left when time runs out in the scheduled invocation", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = Array.from({ length: 20 }, (_, i) => [`incoming/t-${String(i).padStart(2, "0")}.jsonl`, `{"id":${i}}\n`]);
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler, work } = await fanOutHarness(sandbox);
    // The clock runs out once a few sources have left incoming/.
    const deletesBefore = aws.proxy.log.filter((r) => r.action === "DeleteObject").length;
    const outcome = await handler(event(), {
      getRemainingTimeInMillis: () =>
        aws.proxy.log.filter((r) => r.action === "DeleteObject").length - deletesBefore >= 3 ? 1_000 : 600_000,
    });
    expect(outcome.status).toBe("fanned_out");
    const batches = "runs/data_processing/2026-11-23T10:00:00Z/hourly/fan-out/batches/";
    expect((await keysUnder(emulator, sandbox.bucket, batches)).length).toBe(1); // the inline part
    await work(2);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/data_processing/2026-11-23T10:00:00Z/hourly.json"));
    expect(record.totals).toMatchObject({ sources: 20, lines: 20 });
  });
});

describe("large sources split into byte ranges", () => {
  /** Lines of every kind that can straddle a range boundary: CRLF, blank, over-long, multi-byte, no final newline. */
  function awkwardSource(lines: number): string {
    const out: string[] = ["\uFEFF" + '{"id":0,"bom":true}'];
    for (let i = 1; i < lines; i++) {
      if (i % 97 === 0) out.push("");
      else if (i % 89 === 0) out.push(`{"id":${i},"long":"${"x".repeat(1_100_000)}"}`);
      else if (i % 13 === 0) out.push(`{"id":${i},"text":"日本語 ${"é".repeat(i % 50)}"}\r`);
      else if (i % 7 === 0) out.push(`not json ${i}`);
      else out.push(JSON.stringify({ id: i, amount: 12345678901234567890, note: "n".repeat(i % 300) }));
    }
    return out.join("\n");
  }

  it("cuts at line boundaries, numbers every line as the whole source would, and counts each once", async () => {
    const sandbox = await createSandbox(emulator);
    const body = awkwardSource(800);
    const sources: SourcesIn = [["incoming/huge.jsonl", body]];
    await putText(emulator, sandbox.bucket, "incoming/huge.jsonl", body);
    const { handler, work } = await fanOutHarness(sandbox, { maxBytes: 1024 * 1024 });
    const scheduled = await handler(event(), plentyOfTime);
    expect(scheduled.status).toBe("fanned_out");
    expect(scheduled.counts.batches).toBeGreaterThanOrEqual(6);
    await work(4);
    // The audit compares every processed record with the line of that number in the source.
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/data_processing/2026-11-23T10:00:00Z/hourly.json"));
    expect(record.sources).toEqual([expect.objectContaining({ source: "incoming/huge.jsonl", lines: 800 })]);
    const detail = JSON.parse(
      await getText(emulator, sandbox.bucket, `runs/data_processing/2026-11-23T10:00:00Z/hourly/sources/${record.sources[0].id}.json`),
    );
    expect(detail.processedKeys.length).toBeGreaterThanOrEqual(6);
    const quarantine = (
      await Promise.all((await keysUnder(emulator, sandbox.bucket, "quarantine/")).map((k) => getText(emulator, sandbox.bucket, k)))
    ).join("");
    expect(quarantine).toContain('"truncated":true');
    expect(await sandbox.notices()).toHaveLength(1);
  });

  it("splits the same way whatever the range size: outputs differ only in how they are cut", async () => {
    const body = awkwardSource(800);
    const linesOut: string[][] = [];
    for (const maxBytes of [1024 * 1024, 3 * 1024 * 1024]) {
      const sandbox = await createSandbox(emulator);
      await putText(emulator, sandbox.bucket, "incoming/same.jsonl", body);
      const { handler, work } = await fanOutHarness(sandbox, { maxBytes });
      await handler(event(), plentyOfTime);
      await work(3);
      const texts: string[] = [];
      for (const prefix of ["processed/", "quarantine/"])
        for (const key of await keysUnder(emulator, sandbox.bucket, prefix))
          texts.push(...(await getText(emulator, sandbox.bucket, key)).trimEnd().split("\n"));
      linesOut.push(texts.sort());
    }
    expect(linesOut[0]).toHaveLength(800);
    expect(linesOut[1]).toEqual(linesOut[0]);
  });
});
