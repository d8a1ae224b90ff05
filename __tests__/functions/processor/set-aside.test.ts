import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { decodeMetadata } from "../../../functions/commons/s3-metadata";
import { MAX_SOURCE_ATTEMPTS } from "../../../functions/processor/sources/set-aside";
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
  putText,
  type Sandbox,
  useProxiedEmulator,
} from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/**
 * One bad source never holds the others up: each run that meets it records and announces its
 * other sources and names it; after MAX_SOURCE_ATTEMPTS invocations gave up on it, it is set
 * aside whole under quarantine/, counted as quarantined, and named in the record and notice.
 */
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const BAD = "incoming/poison.jsonl";
const failing = (matches: (r: ProxiedRequest) => boolean) =>
  aws.proxy.setFault((r) => (matches(r) ? { kind: "error", status: 500, code: "InternalError" } : undefined));
/** Its processed/ output can never be written (all of the SDK's tries fail, every time). */
const outputsOfBad = (r: ProxiedRequest) => r.action === "PutObject" && /^(processed|quarantine)\/.*poison\./.test(r.key ?? "");
const hour = (h: number) => `2026-11-23T${String(h).padStart(2, "0")}:00:00Z`;
const processing = (h: number) => taskEvent("data_processing", { scheduled_time: hour(h), schedule: "hourly" });
const recordAt = async (sandbox: Sandbox, h: number) =>
  JSON.parse(await getText(emulator, sandbox.bucket, `runs/data_processing/${hour(h)}/hourly.json`));

describe("a source that keeps failing", () => {
  it("is named in each run that meets it, then set aside whole; every other run is recorded and announced", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [
      ["incoming/good-1.jsonl", '{"id":1}\nbad 1\n'],
      [BAD, '{"id":66}\n{"id":67}\nnot json\n'],
    ];
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler } = processorHarness(aws, sandbox);
    failing(outputsOfBad);

    const first = await handler(processing(1), plentyOfTime);
    expect(first).toMatchObject({ status: "partial", counts: { failed: 1, sources: 1, lines: 2 } });
    expect((await recordAt(sandbox, 1)).failed).toEqual([
      { source: BAD, etag: expect.any(String), error: expect.stringMatching(/^InternalError: /), attempts: 1 },
    ]);
    const later: SourcesIn = [["incoming/good-2.jsonl", '{"id":2}\n']];
    await putText(emulator, sandbox.bucket, ...later[0]);
    expect(await handler(processing(2), plentyOfTime)).toMatchObject({ status: "partial", counts: { failed: 1, sources: 1 } });
    expect((await recordAt(sandbox, 2)).failed).toEqual([expect.objectContaining({ source: BAD, attempts: 2 })]);

    const third = await handler(processing(3), plentyOfTime);
    expect(MAX_SOURCE_ATTEMPTS).toBe(3);
    expect(third).toMatchObject({
      status: "completed",
      counts: { sources: 1, lines: 3, processed: 0, quarantined: 3, "set aside": 1 },
    });
    const record = await recordAt(sandbox, 3);
    expect(record.failed).toBeUndefined();
    expect(record.sources).toEqual([
      expect.objectContaining({
        source: BAD,
        lines: 3,
        quarantined: 3,
        setAside: {
          reason: expect.stringMatching(/^InternalError: /),
          attempts: 3,
          key: expect.stringMatching(/^quarantine\/\d{4}-\d{2}-\d{2}\/poison\.[0-9a-f]{12}\.set-aside\.jsonl$/),
        },
      }),
    ]);
    const setAsideKey = record.sources[0].setAside.key;
    expect(await getText(emulator, sandbox.bucket, setAsideKey)).toBe(sources[1][1]);
    const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: sandbox.bucket, Key: setAsideKey }));
    expect(decodeMetadata(head.Metadata)).toMatchObject({
      "source-key": BAD,
      "set-aside-reason": expect.stringMatching(/^InternalError: /),
    });

    const notices = await sandbox.notices();
    expect(notices.map((n) => n.subject)).toEqual([
      "[test] PARTIAL data_processing hourly: 1 failed, 1 sources, 2 lines, 1 processed, 1 quarantined",
      "[test] PARTIAL data_processing hourly: 1 failed, 1 sources, 1 lines, 1 processed, 0 quarantined",
      "[test] OK data_processing hourly: 1 sources, 3 lines, 0 processed, 3 quarantined, 1 set aside",
    ]);
    expect(notices[0].message).toContain("finished without 1 source(s) that failed");
    expect(notices[0].message).toContain(`- ${BAD}: InternalError: `);
    expect(notices[2].message).toContain(`- ${BAD}: InternalError: `);
    expect(notices[2].message).toContain(`(now at ${setAsideKey})`);

    // With the fault gone nothing is redone: the set-aside source is out of incoming/ and counted once.
    aws.proxy.setFault(undefined);
    expect(await handler(processing(3), plentyOfTime)).toMatchObject({ status: "already_completed" });
    expect(await handler(processing(4), plentyOfTime)).toMatchObject({ status: "completed", counts: { sources: 0 } });
    const all = [...sources, ...later];
    expect(await auditBucket(emulator, sandbox.bucket, all)).toEqual(cleanAudit(all));
    await handler(taskEvent("report", { scheduled_time: hour(5), payload: { periodHours: 5 } }), plentyOfTime);
    const csv = await getText(emulator, sandbox.bucket, "reports/2026-11-23/report-test.csv");
    expect(csv.split("\r\n")).toContain("TOTAL,6,2,4");
  });

  it("stays in incoming/ set aside when it cannot even be copied, is processed by no run, and is moved once it can be", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [[BAD, '{"id":1}\n']];
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const { handler } = processorHarness(aws, sandbox);
    failing((r) => outputsOfBad(r) || (r.action === "CopyObject" && String(r.headers["x-amz-copy-source"]).includes("poison")));
    for (let h = 1; h <= MAX_SOURCE_ATTEMPTS; h++) await handler(processing(h), plentyOfTime);
    expect((await recordAt(sandbox, 3)).sources).toEqual([expect.objectContaining({ source: BAD, setAside: expect.anything() })]);
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual([BAD]);
    // The next run neither processes it nor fails on it.
    expect(await handler(processing(4), plentyOfTime)).toMatchObject({ status: "completed", counts: { sources: 0 } });
    aws.proxy.setFault(undefined);
    expect(await handler(processing(5), plentyOfTime)).toMatchObject({ status: "completed", counts: { sources: 0 } });
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual([]);
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
  });

  it("in a fanned-out run, fails its batch until the last delivery sets it aside; the run then completes", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [
      ...Array.from({ length: 4 }, (_, i): [string, string] => [`incoming/f-${i}.jsonl`, `{"id":${i}}\n`]),
      [BAD, '{"id":9}\nbad\n'],
    ];
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    const queueUrl = await createQueue(emulator, "work", { VisibilityTimeout: "1" });
    const { handler } = processorHarness(aws, sandbox, { fanOut: { queueUrl, maxSources: 2, maxBytes: 1024 ** 3, sourcesPerBatch: 2 } });
    failing(outputsOfBad);
    expect(await handler(processing(1), plentyOfTime)).toMatchObject({ status: "fanned_out", counts: { batches: 3 } });
    const worked = await runQueueWorkers({ sqs: aws.sqs, queueUrl, handler: (e, c) => handler(e, c), workers: 2, deadlineMs: 60_000 });
    expect(worked.failedMessages).toBe(MAX_SOURCE_ATTEMPTS - 1);
    const record = await recordAt(sandbox, 1);
    expect(record).toMatchObject({ status: "completed", counts: { sources: 5, "set aside": 1 } });
    expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
  });
});
