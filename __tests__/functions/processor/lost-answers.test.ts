import type { ProxiedRequest } from "../../../scripts/lib/s3-proxy";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import { createSandbox, type Emulator, getText, putText, startEmulator, startProxy } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/**
 * A write that happens while its answer is lost (the proxy applies it, then answers 500): the
 * SDK sends it again, S3 answers 412 because the version moved on, and the writer must know the
 * version is its own. No other attempt exists in these runs, so each must finish and announce.
 */
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const isLeaseWrite = (r: ProxiedRequest) => r.action === "PutObject" && (r.key ?? "").endsWith("/lease.json");
const isClaimWrite = (r: ProxiedRequest) => r.action === "PutObject" && (r.key ?? "").startsWith("claims/");

/** Loses the answers of the `which` writes (1-based) that `matches`; each still takes effect. */
async function runLosingAnswers(matches: (r: ProxiedRequest) => boolean, which: (n: number) => boolean, leaseTtlMs = 20_000) {
  const sandbox = await createSandbox(emulator);
  const sources: SourcesIn = Array.from({ length: 6 }, (_, i) => [`incoming/part-${i}.jsonl`, `{"id":${i}}\nnot json ${i}\n`]);
  for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
  let seen = 0;
  const lost: string[] = [];
  // Latency makes the run outlast a few heartbeats of a short lease: renewals are lease writes too.
  const aws = await startProxy(emulator, {
    latencyMs: 15,
    fault: (r) => {
      if (r.bucket !== sandbox.bucket || !matches(r) || !which(++seen)) return undefined;
      lost.push(r.key!);
      return { kind: "error", status: 500, code: "InternalError", when: "after" };
    },
  });
  try {
    const { handler } = processorHarness(aws, sandbox, { leaseTtlMs, concurrency: 2 });
    const outcome = await handler(taskEvent("data_processing", { schedule: "hourly" }), plentyOfTime);
    return { outcome, lost, sandbox, sources };
  } finally {
    await aws.proxy.stop();
  }
}

describe("a lost answer is not a takeover", () => {
  it("the run lease: its creation, renewals and release answered with errors after they took effect", async () => {
    const { outcome, lost, sandbox, sources } = await runLosingAnswers(isLeaseWrite, (n) => n <= 6, 400);
    expect(lost.length).toBeGreaterThanOrEqual(4);
    expect(outcome).toMatchObject({ status: "completed", counts: { sources: 6, lines: 12 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect((await sandbox.notices()).map((n) => n.subject)).toEqual([
      "[test] OK data_processing hourly: 6 sources, 12 lines, 6 processed, 6 quarantined",
    ]);
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/data_processing/2026-11-23T10:00:00Z/hourly.json"));
    expect(record).toMatchObject({ status: "completed", published: true });
  });

  it.each([
    ["the 2nd to 4th", (n: number) => n >= 2 && n <= 4],
    ["every other", (n: number) => n % 2 === 0],
  ])("the run lease: %s write's answer lost", async (_, which) => {
    const { outcome, sandbox, sources } = await runLosingAnswers(isLeaseWrite, which, 400);
    expect(outcome).toMatchObject({ status: "completed", counts: { sources: 6 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await sandbox.notices()).toHaveLength(1);
  });

  it("source claims: every claim write's answer lost, creation, renewal and finish alike", async () => {
    const { outcome, lost, sandbox, sources } = await runLosingAnswers(isClaimWrite, () => true);
    expect(lost.length).toBeGreaterThanOrEqual(12);
    expect(outcome).toMatchObject({ status: "completed", counts: { sources: 6, lines: 12 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
    expect(await sandbox.notices()).toHaveLength(1);
  });
});
