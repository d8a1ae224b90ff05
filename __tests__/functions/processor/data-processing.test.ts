import {
  createQueue,
  createSandbox,
  type Emulator,
  getText,
  keysUnder,
  type ProxiedAws,
  putText,
  snapshot,
  useProxiedEmulator,
} from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const jsonl = (...lines: string[]) => lines.map((l) => `${l}\n`).join("");
const parseLines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
const RUN_RECORD = "runs/data_processing/2026-11-23T10:00:00Z/data-processing-test.json";
const only = (keys: string[], prefix: string) => {
  const found = keys.filter((k) => k.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0];
};

describe("data_processing", () => {
  it("sends valid lines to processed/ exactly as written, the rest to quarantine/ with reasons, then archives the source", async () => {
    const sandbox = await createSandbox(emulator);
    const source = jsonl('{"id":1,"amount":5}', "{broken", '{"amount":7}', '{"id":2,"amount":"9"}', "[1]");
    await putText(emulator, sandbox.bucket, "incoming/orders.jsonl", source);
    const { handler } = processorHarness(aws, sandbox);

    const outcome = await handler(taskEvent("data_processing", { payload: { requiredFields: ["id"] } }), plentyOfTime);

    expect(outcome).toMatchObject({ status: "completed", recordsProcessed: 2, recordsQuarantined: 3 });
    const bucket = await snapshot(emulator, sandbox.bucket);
    const keys = Object.keys(bucket);
    const day = new Date().toISOString().slice(0, 10);
    const processedKey = only(keys, "processed/");
    expect(processedKey).toMatch(new RegExp(`^processed/${day}/orders\\.[0-9a-f]{12}\\.jsonl$`));
    expect(parseLines(bucket[processedKey])).toEqual([
      { source: "incoming/orders.jsonl", line: 1, record: { id: 1, amount: 5 } },
      { source: "incoming/orders.jsonl", line: 4, record: { id: 2, amount: "9" } },
    ]);
    expect(parseLines(bucket[only(keys, "quarantine/")]).map((q) => [q.line, q.text, q.reason.split(":")[0]])).toEqual([
      [2, "{broken", "not valid JSON"],
      [3, '{"amount":7}', "missing required field(s)"],
      [5, "[1]", "not a JSON object"],
    ]);
    expect(bucket[only(keys, "archive/")]).toBe(source);
    expect(keys.filter((k) => k.startsWith("incoming/"))).toEqual([]);
    const record = JSON.parse(bucket[RUN_RECORD]);
    expect(record).toMatchObject({ status: "completed", published: true, totals: { sources: 1, lines: 5, processed: 2, quarantined: 3 } });
    expect(record.sources).toEqual([
      {
        source: "incoming/orders.jsonl",
        etag: expect.any(String),
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        lines: 5,
        processed: 2,
        quarantined: 3,
      },
    ]);
    // The run's own record of the source says where its lines went.
    const detail = JSON.parse(bucket[RUN_RECORD.replace(/\.json$/, `/sources/${record.sources[0].id}.json`)]);
    expect(detail).toMatchObject({
      processedKeys: [processedKey],
      quarantineKeys: [only(keys, "quarantine/")],
      archiveKey: only(keys, "archive/"),
    });
  });

  it("accounts for every line of every source: lines in = processed + quarantined", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: Record<string, string> = {
      "incoming/a.jsonl": jsonl('{"id":1}', '{"id":2}'),
      "incoming/b/c.jsonl": `${jsonl("x", "", '{"id":3}')}{"id":4}`,
      "incoming/empty.jsonl": "",
    };
    for (const [key, body] of Object.entries(sources)) await putText(emulator, sandbox.bucket, key, body);
    const { handler } = processorHarness(aws, sandbox, { concurrency: 2 });
    await handler(taskEvent("data_processing"), plentyOfTime);

    const bucket = await snapshot(emulator, sandbox.bucket);
    const record = JSON.parse(bucket[RUN_RECORD]);
    const expectedLines = { "incoming/a.jsonl": 2, "incoming/b/c.jsonl": 4, "incoming/empty.jsonl": 0 };
    expect(record.sources.map((s: any) => s.source)).toEqual(Object.keys(expectedLines));
    for (const { id } of record.sources) {
      const result = JSON.parse(bucket[RUN_RECORD.replace(/\.json$/, `/sources/${id}.json`)]);
      expect(result.lines).toBe(expectedLines[result.source as keyof typeof expectedLines]);
      expect(result.processed + result.quarantined).toBe(result.lines);
      const written = (keys: string[]) => keys.reduce((sum, key) => sum + parseLines(bucket[key]).length, 0);
      expect(written(result.processedKeys)).toBe(result.processed);
      expect(written(result.quarantineKeys)).toBe(result.quarantined);
    }
    expect(Object.keys(bucket).filter((k) => k.startsWith("incoming/"))).toEqual([]);
    expect(Object.keys(bucket).filter((k) => k.startsWith("archive/"))).toHaveLength(3);
  });

  it("leaves the bucket as it was and announces nothing when the same event runs again", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", jsonl('{"id":1}', "bad"));
    const { handler, metrics } = processorHarness(aws, sandbox);
    const event = taskEvent("data_processing");
    await handler(event, plentyOfTime);
    const afterFirst = await snapshot(emulator, sandbox.bucket);
    const second = await handler(event, plentyOfTime);
    expect(second.status).toBe("already_completed");
    const after = await snapshot(emulator, sandbox.bucket);
    // Only the run's lease moved (it records who ran last); no output or record changed.
    const withoutLease = (b: Record<string, string>) => Object.fromEntries(Object.entries(b).filter(([k]) => !k.endsWith("/lease.json")));
    expect(withoutLease(after)).toEqual(withoutLease(afterFirst));
    expect(await sandbox.notices()).toHaveLength(1);
    expect(metrics.map((m) => m.TaskExecution)).toEqual([1]);
  });

  it("says PARTIAL when time runs out after some sources, and INCOMPLETE when before any", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", jsonl('{"id":1}'));
    await putText(emulator, sandbox.bucket, "incoming/b.jsonl", jsonl('{"id":2}', '{"id":3}'));
    const { handler, metrics } = processorHarness(aws, sandbox, { concurrency: 1 });
    // Time is short from the start: nothing is started, and the run says so.
    const starved = await handler(taskEvent("data_processing", { scheduled_time: "2026-11-23T09:00:00Z" }), {
      getRemainingTimeInMillis: () => 1_000,
    });
    expect(starved).toMatchObject({ status: "incomplete", counts: { sources: 0, waiting: 2 } });
    // Enough time for one source only: the clock runs out once the first source has left incoming/.
    const deletesBefore = aws.proxy.log.filter((r) => r.action === "DeleteObject").length;
    const oneSourceDone = () => aws.proxy.log.filter((r) => r.action === "DeleteObject").length > deletesBefore;
    const outcome = await handler(taskEvent("data_processing"), { getRemainingTimeInMillis: () => (oneSourceDone() ? 1_000 : 600_000) });
    expect(outcome).toMatchObject({ status: "partial", recordsProcessed: 1, counts: { sources: 1, waiting: 1 } });
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual(["incoming/b.jsonl"]);
    // The same run, given time, finishes what it left; nothing is counted twice.
    const retry = await handler(taskEvent("data_processing"), plentyOfTime);
    expect(retry).toMatchObject({ status: "completed", recordsProcessed: 3, counts: { sources: 2, lines: 3 } });
    expect(await keysUnder(emulator, sandbox.bucket, "incoming/")).toEqual([]);
    const notices = await sandbox.notices();
    expect(notices.map((n) => n.subject)).toEqual([
      expect.stringMatching(/^\[test\] INCOMPLETE data_processing data-processing-test: 2 waiting, 0 sources?/),
      expect.stringMatching(/^\[test\] PARTIAL data_processing data-processing-test: 1 waiting, 1 sources, /),
      "[test] OK data_processing data-processing-test: 2 sources, 3 lines, 3 processed, 0 quarantined",
    ]);
    expect(notices.map((n) => n.attributes.status)).toEqual(["incomplete", "partial", "completed"]);
    expect(notices[1].message).toContain("- 1 waiting");
    expect(metrics.map((m) => [m.TaskExecution, m.TaskFailure])).toEqual([
      [0, 1],
      [1, 0],
      [1, 0],
    ]);
  });

  it("writes run records that grow linearly with the sources, well under 2 KB a source", async () => {
    const bytesPerSource = async (count: number) => {
      const sandbox = await createSandbox(emulator);
      for (let i = 0; i < count; i++)
        await putText(emulator, sandbox.bucket, `incoming/many/source-${String(i).padStart(4, "0")}.jsonl`, `{"id":${i}}\n`);
      const { handler } = processorHarness(aws, sandbox);
      const from = aws.proxy.log.length;
      await handler(taskEvent("data_processing"), plentyOfTime);
      const written = aws.proxy.log.slice(from).filter((r) => r.bucket === sandbox.bucket && (r.key ?? "").startsWith("runs/"));
      return written.reduce((sum, r) => sum + r.bytes, 0) / count;
    };
    const small = await bytesPerSource(12);
    const large = await bytesPerSource(96);
    expect(large).toBeLessThan(2048);
    // Eight times the sources, about the same bytes per source: linear, not quadratic.
    expect(large / small).toBeLessThan(1.25);
  });

  it("keeps two versions of one source name apart: a re-upload is a new source", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(aws, sandbox);
    await putText(emulator, sandbox.bucket, "incoming/hourly.jsonl", jsonl('{"id":"first"}'));
    await handler(taskEvent("data_processing", { scheduled_time: "2026-11-23T10:00:00Z" }), plentyOfTime);
    await putText(emulator, sandbox.bucket, "incoming/hourly.jsonl", jsonl('{"id":"second"}'));
    await handler(taskEvent("data_processing", { scheduled_time: "2026-11-23T11:00:00Z" }), plentyOfTime);

    const bucket = await snapshot(emulator, sandbox.bucket);
    const processed = Object.keys(bucket).filter((k) => k.startsWith("processed/"));
    expect(processed).toHaveLength(2);
    expect(processed.map((k) => parseLines(bucket[k])[0].record.id).sort()).toEqual(["first", "second"]);
    expect(Object.keys(bucket).filter((k) => k.startsWith("archive/"))).toHaveLength(2);
  });

  it("processes only the payload's prefix and skips folder placeholders", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/backfill/", "");
    await putText(emulator, sandbox.bucket, "incoming/backfill/old.jsonl", jsonl('{"id":1}'));
    await putText(emulator, sandbox.bucket, "incoming/today.jsonl", jsonl('{"id":2}'));
    const { handler } = processorHarness(aws, sandbox);
    const outcome = await handler(taskEvent("data_processing", { payload: { prefix: "backfill/" } }), plentyOfTime);
    expect(outcome.counts).toMatchObject({ sources: 1, processed: 1 });
    const keys = await keysUnder(emulator, sandbox.bucket);
    expect(keys).toContain("incoming/today.jsonl");
    expect(keys).toContain("incoming/backfill/");
    expect(keys.some((k) => /^processed\/\d{4}-\d{2}-\d{2}\/backfill\/old\.[0-9a-f]{12}\.jsonl$/.test(k))).toBe(true);
  });

  it("publishes a success notice with the counts, unless the schedule turns it off", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", jsonl('{"id":1}', "x"));
    const { handler, metrics } = processorHarness(aws, sandbox);
    await handler(taskEvent("data_processing"), plentyOfTime);
    await handler(
      taskEvent("data_processing", { scheduled_time: "2026-11-23T11:00:00Z", payload: { notifyOnSuccess: false } }),
      plentyOfTime,
    );
    const notices = await sandbox.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0].subject).toBe("[test] OK data_processing data-processing-test: 1 sources, 2 lines, 1 processed, 1 quarantined");
    expect(notices[0].attributes).toEqual({
      task: "data_processing",
      environment: "test",
      schedule: "data-processing-test",
      status: "completed",
    });
    // The silent run still counts for the missed-run alarm.
    expect(metrics.map((m) => m.TaskExecution)).toEqual([1, 1]);
  });

  it("rejects a payload that does not fit the task, naming the field, and writes nothing but its failed attempt's record", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(aws, sandbox, { failureQueueUrl: await createQueue(emulator, "failures") });
    expect(await handler(taskEvent("data_processing", { payload: { prefix: "../runs/" } }), plentyOfTime)).toMatchObject({
      status: "rejected",
      error: {
        field: "payload.prefix",
        message: 'invalid event: payload.prefix: must be a relative prefix under incoming/ without "..", got "../runs/"',
      },
    });
    // History tells this time failed (core/run-history.ts); no work was done.
    expect(await keysUnder(emulator, sandbox.bucket)).toEqual([
      expect.stringMatching(/^runs\/data_processing\/2026-11-23T10:00:00Z\/data-processing-test\/attempts\/[0-9a-f-]{36}\.json$/),
    ]);
    expect(await getText(emulator, sandbox.bucket, "x").catch((e) => e.name)).toBe("NoSuchKey");
  });
});
