import { createSandbox, getText, putText, snapshot, startEmulator, type Emulator } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const jsonl = (...lines: string[]) => lines.map((l) => `${l}\n`).join("");
const parseLines = (text: string) => text.trimEnd().split("\n").map((l) => JSON.parse(l));

describe("data_processing", () => {
  it("sends valid lines to processed/, the rest to quarantine/ with reasons, then archives the source", async () => {
    const sandbox = await createSandbox(emulator);
    const source = jsonl('{"id":1,"amount":5}', "{broken", '{"amount":7}', '{"id":2,"amount":"9"}', "[1]");
    await putText(emulator, sandbox.bucket, "incoming/orders.jsonl", source);
    const { handler } = processorHarness(emulator, sandbox);

    const outcome = await handler(taskEvent("data_processing", { payload: { requiredFields: ["id"] } }), plentyOfTime);

    expect(outcome).toMatchObject({ status: "completed", recordsProcessed: 2, recordsQuarantined: 3 });
    const bucket = await snapshot(emulator, sandbox.bucket);
    expect(Object.keys(bucket).sort()).toEqual([
      "archive/2026-11-23/orders.jsonl",
      "processed/2026-11-23/orders.jsonl",
      "quarantine/2026-11-23/orders.jsonl",
      "runs/data_processing/2026-11-23T10:00:00Z/data-processing-test.json",
    ]);
    expect(parseLines(bucket["processed/2026-11-23/orders.jsonl"])).toEqual([
      { source: "incoming/orders.jsonl", line: 1, record: { amount: 5, id: 1 } },
      { source: "incoming/orders.jsonl", line: 4, record: { amount: "9", id: 2 } },
    ]);
    expect(parseLines(bucket["quarantine/2026-11-23/orders.jsonl"]).map((q) => [q.line, q.text, q.reason.split(":")[0]])).toEqual([
      [2, "{broken", "not valid JSON"],
      [3, '{"amount":7}', "missing required field(s)"],
      [5, "[1]", "not a JSON object"],
    ]);
    expect(bucket["archive/2026-11-23/orders.jsonl"]).toBe(source);
    const manifest = JSON.parse(bucket["runs/data_processing/2026-11-23T10:00:00Z/data-processing-test.json"]);
    expect(manifest).toMatchObject({ status: "complete", totals: { lines: 5, processed: 2, quarantined: 3 } });
    expect(manifest.sources).toEqual([expect.objectContaining({ source: "incoming/orders.jsonl", lines: 5, processed: 2, quarantined: 3 })]);
  });

  it("accounts for every line of every source: lines in = processed + quarantined", async () => {
    const sandbox = await createSandbox(emulator);
    const sources: Record<string, string> = {
      "incoming/a.jsonl": jsonl('{"id":1}', '{"id":2}'),
      "incoming/b/c.jsonl": jsonl("x", "", '{"id":3}') + '{"id":4}',
      "incoming/empty.jsonl": "",
    };
    for (const [key, body] of Object.entries(sources)) await putText(emulator, sandbox.bucket, key, body);
    const { handler } = processorHarness(emulator, sandbox);
    await handler(taskEvent("data_processing"), plentyOfTime);

    const bucket = await snapshot(emulator, sandbox.bucket);
    const manifest = JSON.parse(bucket["runs/data_processing/2026-11-23T10:00:00Z/data-processing-test.json"]);
    const expectedLines = { "incoming/a.jsonl": 2, "incoming/b/c.jsonl": 4, "incoming/empty.jsonl": 0 };
    for (const result of manifest.sources) {
      expect(result.lines).toBe(expectedLines[result.source as keyof typeof expectedLines]);
      expect(result.processed + result.quarantined).toBe(result.lines);
      const written = (key?: string) => (key ? parseLines(bucket[key]).length : 0);
      expect(written(result.processedKey)).toBe(result.processed);
      expect(written(result.quarantineKey)).toBe(result.quarantined);
    }
    expect(Object.keys(bucket).filter((k) => k.startsWith("incoming/"))).toEqual([]);
    expect(bucket["archive/2026-11-23/empty.jsonl"]).toBe("");
  });

  it("leaves the bucket exactly as one run does when the same event runs twice", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", jsonl('{"id":1}', "bad"));
    const { handler, metrics } = processorHarness(emulator, sandbox);
    const event = taskEvent("data_processing");
    await handler(event, plentyOfTime);
    const afterFirst = await snapshot(emulator, sandbox.bucket);
    const second = await handler(event, plentyOfTime);
    expect(second.status).toBe("already_completed");
    expect(await snapshot(emulator, sandbox.bucket)).toEqual(afterFirst);
    expect(await sandbox.notices()).toHaveLength(1);
    expect(metrics.map((m) => m.TaskExecution)).toEqual([1, 1]);
  });

  it("finishes a run that failed half way without counting anything twice", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", jsonl('{"id":1}'));
    await putText(emulator, sandbox.bucket, "incoming/b.jsonl", jsonl('{"id":2}', '{"id":3}'));
    const event = taskEvent("data_processing");
    // First attempt: time runs out after the first source.
    let calls = 0;
    const first = processorHarness(emulator, sandbox);
    const outcome = await first.handler(event, { getRemainingTimeInMillis: () => (calls++ === 0 ? 600_000 : 1_000) });
    expect(outcome).toMatchObject({ status: "partial", recordsProcessed: 1 });
    expect(Object.keys(await snapshot(emulator, sandbox.bucket))).toContain("incoming/b.jsonl");
    // The retry of the same event picks up where it stopped.
    const retry = await first.handler(event, plentyOfTime);
    expect(retry).toMatchObject({ status: "completed", recordsProcessed: 3, counts: { sources: 2, lines: 3 } });
    const bucket = await snapshot(emulator, sandbox.bucket);
    expect(Object.keys(bucket).filter((k) => k.startsWith("incoming/"))).toEqual([]);
  });

  it("keeps a second same-named source of the day apart instead of overwriting the first", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
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
    const { handler } = processorHarness(emulator, sandbox);
    const outcome = await handler(taskEvent("data_processing", { payload: { prefix: "backfill/" } }), plentyOfTime);
    expect(outcome.counts).toMatchObject({ sources: 1, processed: 1 });
    const keys = Object.keys(await snapshot(emulator, sandbox.bucket));
    expect(keys).toContain("incoming/today.jsonl");
    expect(keys).toContain("incoming/backfill/");
    expect(keys).toContain("processed/2026-11-23/backfill/old.jsonl");
  });

  it("publishes a success notice with the counts, unless the schedule turns it off", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", jsonl('{"id":1}', "x"));
    const { handler } = processorHarness(emulator, sandbox);
    await handler(taskEvent("data_processing"), plentyOfTime);
    await handler(taskEvent("data_processing", { scheduled_time: "2026-11-23T11:00:00Z", payload: { notifyOnSuccess: false } }), plentyOfTime);
    const notices = await sandbox.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0].subject).toBe("[test] OK data_processing data-processing-test: 1 sources, 2 lines, 1 processed, 1 quarantined");
    expect(notices[0].attributes).toEqual({ task: "data_processing", environment: "test", schedule: "data-processing-test", status: "completed" });
  });

  it("rejects a payload that does not fit the task, naming the field", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = processorHarness(emulator, sandbox);
    await expect(handler(taskEvent("data_processing", { payload: { prefix: "../runs/" } }), plentyOfTime)).rejects.toThrow(
      'invalid event: payload.prefix: must be a relative prefix under incoming/ without "..", got "../runs/"',
    );
    expect(await getText(emulator, sandbox.bucket, "x").catch((e) => e.name)).toBe("NoSuchKey");
  });
});
