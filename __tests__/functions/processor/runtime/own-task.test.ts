import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { BUCKET_LAYOUT } from "../../../../core/bucket-layout";
import { ownTaskBucketAccess } from "../../../../core/own-task-access";
import ledger from "../../../../examples/own-task/ledger";
import { decodeMetadata } from "../../../../functions/commons/s3-metadata";
import { S3Store } from "../../../../functions/processor/protocol/s3-store";
import { defineTask, MAX_SOURCE_ATTEMPTS, type TaskDefinition } from "../../../../functions/processor/protocol/task";
import { createRuntime, type TaskMap } from "../../../../functions/processor/runtime/invocation";
import { ownTaskLayout } from "../../../../functions/processor/sources/source-layout";
import { iamCallsOf } from "../../../../scripts/lib/iam-audit/iam-calls";
import {
  createQueue,
  createSandbox,
  type Emulator,
  getText,
  keysUnder,
  type ProxiedAws,
  type Sandbox,
  useProxiedEmulator,
} from "../../../support/emulator";
import { plentyOfTime, taskEvent } from "../../../support/processor-harness";
import { recordingLogger } from "../../../support/recording-logger";

/**
 * A team's own task on the run protocol, as its function runs it (the processor's runtime with
 * the task's layout): sources handed over exactly once across runs, outputs written again byte
 * for byte, the run recorded, announced once and measured, a thrown error a failed run, a
 * source that keeps failing set aside; and every request it makes covered by the grants
 * core/own-task-access.ts derives for it, no more.
 */
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started), { versioning: "ledger/in/" });

function ownTaskHarness(sandbox: Sandbox, task: TaskDefinition<any> = ledger, extra: { failureQueueUrl?: string } = {}) {
  const logs: any[] = [];
  const metrics: any[] = [];
  const handler = createRuntime({
    store: new S3Store(aws.s3, sandbox.bucket),
    sns: aws.sns,
    sqs: aws.sqs,
    topicArn: sandbox.topicArn,
    environment: "test",
    log: recordingLogger(logs),
    writeMetric: (line) => metrics.push(JSON.parse(line)),
    tasks: { [task.name]: task } as TaskMap,
    layout: ownTaskLayout(task.name),
    protectOutputs: true,
    sourceRetryPauseMs: 1,
    ...extra,
  });
  return { handler, logs, metrics };
}

/** Puts through the proxy, whose versioning keeps versions under ledger/in/ as a versioned bucket does. */
const putText = async (_: Emulator, bucket: string, key: string, body: string) => {
  await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
};
const hour = (h: number) => `2026-11-23T${String(h).padStart(2, "0")}:00:00Z`;
const ledgerEvent = (h: number, extra: Record<string, unknown> = {}) =>
  taskEvent("data_processing", { task_type: "ledger", schedule: "ledger-hourly", scheduled_time: hour(h), payload: {}, ...extra });
const entries = (...lines: Array<[string, number, string?]>) =>
  `${lines.map(([account, amount, currency = "EUR"]) => JSON.stringify({ account, amount, currency })).join("\n")}\n`;
const recordAt = async (sandbox: Sandbox, h: number, task = "ledger", schedule = "ledger-hourly") =>
  JSON.parse(await getText(emulator, sandbox.bucket, `runs/${task}/${hour(h)}/${schedule}.json`));

describe("an own task", () => {
  it("is handed each source once across runs: twice for one scheduled time, once for the next", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "ledger/in/2026-11-22.jsonl", entries(["A-1", 10.5], ["A-2", 4], ["A-1", -0.5]));
    await putText(emulator, sandbox.bucket, "ledger/in/2026-11-23.jsonl", entries(["A-3", 1]));
    const { handler, metrics } = ownTaskHarness(sandbox);

    expect(await handler(ledgerEvent(10), plentyOfTime)).toMatchObject({ status: "completed", counts: { entries: 4, accounts: 3 } });
    const outputsAfterFirst = await keysUnder(emulator, sandbox.bucket, "ledger/out/");
    expect(await handler(ledgerEvent(10), plentyOfTime)).toMatchObject({ status: "already_completed", counts: { entries: 4 } });
    await putText(emulator, sandbox.bucket, "ledger/in/2026-11-24.jsonl", entries(["A-1", 2]));
    expect(await handler(ledgerEvent(11), plentyOfTime)).toMatchObject({ status: "completed", counts: { entries: 1, accounts: 1 } });

    const outputs = await keysUnder(emulator, sandbox.bucket, "ledger/out/");
    expect(outputs).toEqual([
      expect.stringMatching(/^ledger\/out\/2026-11-22\.[0-9a-f]{12}\.json$/),
      expect.stringMatching(/^ledger\/out\/2026-11-23\.[0-9a-f]{12}\.json$/),
      expect.stringMatching(/^ledger\/out\/2026-11-24\.[0-9a-f]{12}\.json$/),
    ]);
    expect(outputs.slice(0, 2)).toEqual(outputsAfterFirst);
    expect(JSON.parse(await getText(emulator, sandbox.bucket, outputs[0]))).toEqual({
      source: "ledger/in/2026-11-22.jsonl",
      currency: "EUR",
      balances: { "A-1": 10, "A-2": 4 },
    });
    const archives = await keysUnder(emulator, sandbox.bucket, "archive/");
    expect(archives).toEqual([
      expect.stringMatching(/^archive\/ledger\/\d{4}-\d{2}-\d{2}\/ledger\/in\/2026-11-22\.[0-9a-f]{12}\.v-[\w-]+\.jsonl$/),
      expect.stringMatching(/^archive\/ledger\/\d{4}-\d{2}-\d{2}\/ledger\/in\/2026-11-23\.[0-9a-f]{12}\.v-[\w-]+\.jsonl$/),
      expect.stringMatching(/^archive\/ledger\/\d{4}-\d{2}-\d{2}\/ledger\/in\/2026-11-24\.[0-9a-f]{12}\.v-[\w-]+\.jsonl$/),
    ]);
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/in/")).toEqual([]);
    expect((await keysUnder(emulator, sandbox.bucket, "claims/")).every((key) => key.startsWith("claims/ledger/"))).toBe(true);

    const first = await recordAt(sandbox, 10);
    expect(first).toMatchObject({
      task: "ledger",
      schedule: "ledger-hourly",
      environment: "test",
      scheduledTime: hour(10),
      status: "completed",
      counts: { entries: 4, accounts: 3 },
      totals: { sources: 2, lines: 4, processed: 4, quarantined: 0 },
      sources: [
        expect.objectContaining({ source: "ledger/in/2026-11-22.jsonl", lines: 3, processed: 3 }),
        expect.objectContaining({ source: "ledger/in/2026-11-23.jsonl", lines: 1, processed: 1 }),
      ],
      waiting: 0,
      published: true,
    });
    // Each source's record names the outputs its handler wrote.
    const sourceRecord = JSON.parse(
      await getText(emulator, sandbox.bucket, `runs/ledger/${hour(10)}/ledger-hourly/sources/${first.sources[0].id}.json`),
    );
    expect(sourceRecord.processedKeys).toEqual([outputs[0]]);
    expect((await sandbox.notices()).map((n) => [n.subject, n.attributes.status])).toEqual([
      ["[test] OK ledger ledger-hourly: 4 entries, 3 accounts", "completed"],
      ["[test] OK ledger ledger-hourly: 1 entries, 1 accounts", "completed"],
    ]);
    const runLines = metrics.filter((m) => m.TaskExecution !== undefined);
    expect(runLines.map((m) => [m.task, m.schedule, m.TaskExecution])).toEqual([
      ["ledger", "ledger-hourly", 1],
      ["ledger", "ledger-hourly", 1],
    ]);
    // The task's own figures: one Powertools line a run, with the run's dimensions.
    expect(metrics.filter((m) => m.LedgerEntries !== undefined).map((m) => [m.task, m.environment, m.LedgerEntries])).toEqual([
      ["ledger", "test", 4],
      ["ledger", "test", 1],
    ]);
  });

  it("counts each source in exactly one run when two attempts of one run and another run meet", async () => {
    const sandbox = await createSandbox(emulator);
    const names = Array.from({ length: 8 }, (_, i) => `ledger/in/part-${i}.jsonl`);
    for (const [i, key] of names.entries()) await putText(emulator, sandbox.bucket, key, entries([`A-${i}`, i + 1]));
    const { handler } = ownTaskHarness(sandbox);
    await Promise.all([
      handler(ledgerEvent(10), plentyOfTime),
      handler(ledgerEvent(10), plentyOfTime),
      handler(ledgerEvent(11), plentyOfTime),
    ]);
    const counted = [...(await recordAt(sandbox, 10)).sources, ...(await recordAt(sandbox, 11)).sources].map((s) => s.source).sort();
    expect(counted).toEqual(names);
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/out/")).toHaveLength(8);
    expect(await keysUnder(emulator, sandbox.bucket, "archive/ledger/")).toHaveLength(8);
    const notices = await sandbox.notices();
    expect(notices.map((n) => /Scheduled time: (\S+)/.exec(n.message)?.[1]).sort()).toEqual([hour(10), hour(11)]);
  });

  it("sets a source whose handler keeps throwing aside after 3 attempts, with the reason; the others are never held up", async () => {
    const sandbox = await createSandbox(emulator);
    const bad = "ledger/in/broken.jsonl";
    await putText(emulator, sandbox.bucket, bad, `${entries(["A-1", 1])}not an entry\n`);
    await putText(emulator, sandbox.bucket, "ledger/in/good.jsonl", entries(["A-2", 2]));
    const { handler } = ownTaskHarness(sandbox);

    expect(await handler(ledgerEvent(1), plentyOfTime)).toMatchObject({ status: "partial" });
    expect((await recordAt(sandbox, 1)).failed).toEqual([
      { source: bad, etag: expect.any(String), versionId: expect.any(String), error: "Error: line 2 is not a ledger entry", attempts: 1 },
    ]);
    expect(await handler(ledgerEvent(2), plentyOfTime)).toMatchObject({ status: "incomplete" });
    expect((await recordAt(sandbox, 2)).failed).toEqual([expect.objectContaining({ source: bad, attempts: 2 })]);
    expect(MAX_SOURCE_ATTEMPTS).toBe(3);
    expect(await handler(ledgerEvent(3), plentyOfTime)).toMatchObject({ status: "completed", counts: { entries: 0 } });

    const record = await recordAt(sandbox, 3);
    expect(record.sources).toEqual([
      expect.objectContaining({
        source: bad,
        lines: 2,
        quarantined: 2,
        setAside: {
          reason: "Error: line 2 is not a ledger entry",
          attempts: 3,
          key: expect.stringMatching(/^quarantine\/ledger\/\d{4}-\d{2}-\d{2}\/ledger\/in\/broken\.[0-9a-f]{12}\.set-aside\.jsonl$/),
        },
      }),
    ]);
    const setAsideKey = record.sources[0].setAside.key;
    expect(await getText(emulator, sandbox.bucket, setAsideKey)).toBe(`${entries(["A-1", 1])}not an entry\n`);
    const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: sandbox.bucket, Key: setAsideKey }));
    expect(decodeMetadata(head.Metadata)).toMatchObject({ "source-key": bad, "set-aside-reason": "Error: line 2 is not a ledger entry" });
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/in/")).toEqual([]);
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/out/")).toEqual([expect.stringMatching(/^ledger\/out\/good\./)]);
    const notices = await sandbox.notices();
    expect(notices.map((n) => n.subject)).toEqual([
      "[test] PARTIAL ledger ledger-hourly: 1 entries, 1 accounts",
      "[test] INCOMPLETE ledger ledger-hourly: 0 entries, 0 accounts",
      "[test] OK ledger ledger-hourly: 0 entries, 0 accounts",
    ]);
    expect(notices[0].message).toContain(
      "Failed in this run; they wait in their prefix for the next one (set aside after 3 failed attempts):\n" +
        `- ${bad}: Error: line 2 is not a ledger entry (attempt 1)`,
    );
    expect(notices[2].message).toContain(`- ${bad}: Error: line 2 is not a ledger entry (now at ${setAsideKey})`);
  });

  it("fails the run with its reason when run() throws: announced, measured, recorded as failed, thrown for the retry", async () => {
    const sandbox = await createSandbox(emulator);
    const closed = defineTask({
      name: "closing",
      async run() {
        throw Object.assign(new Error("the ledger is closed for the year"), { name: "LedgerClosedError" });
      },
    });
    const { handler, metrics } = ownTaskHarness(sandbox, closed);
    const event = ledgerEvent(10, { task_type: "closing", schedule: "year-end" });
    await expect(handler(event, plentyOfTime)).rejects.toThrow("the ledger is closed for the year");
    const [notice] = await sandbox.notices();
    expect(notice).toMatchObject({ subject: "[test] FAILED closing year-end: LedgerClosedError", attributes: { status: "failed" } });
    expect(notice.message).toContain("Error: LedgerClosedError: the ledger is closed for the year");
    expect(metrics).toEqual([expect.objectContaining({ task: "closing", schedule: "year-end", TaskExecution: 0, TaskFailure: 1 })]);
    const attempts = await keysUnder(emulator, sandbox.bucket, `runs/closing/${hour(10)}/year-end/attempts/`);
    expect(attempts).toHaveLength(1);
    expect(JSON.parse(await getText(emulator, sandbox.bucket, attempts[0]))).toMatchObject({
      task: "closing",
      schedule: "year-end",
      scheduledTime: hour(10),
      attempt: 1,
      reason: "LedgerClosedError: the ledger is closed for the year",
    });
    expect(await keysUnder(emulator, sandbox.bucket, `runs/closing/${hour(10)}/year-end.json`)).toEqual([]);
  });

  it.each([
    [{ currency: "euro" }, "payload.currency", "must be an ISO 4217 code such as EUR"],
    [{ currency: 978 }, "payload.currency", "must be a string, got number 978"],
    [{ surprise: true }, "payload.surprise", "unknown field"],
  ])("rejects a payload its schema refuses (%j), naming the field, before any work", async (payload, field, reason) => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "ledger/in/a.jsonl", entries(["A-1", 1]));
    const { handler } = ownTaskHarness(sandbox, ledger, { failureQueueUrl: await createQueue(emulator, "failures") });
    expect(await handler(ledgerEvent(10, { payload }), plentyOfTime)).toMatchObject({
      status: "rejected",
      error: { field, message: `invalid event: ${field}: ${reason}` },
    });
    // Nothing claimed or written: only the failed attempt's record, so history tells the time failed.
    expect(await keysUnder(emulator, sandbox.bucket)).toEqual([
      "ledger/in/a.jsonl",
      expect.stringMatching(new RegExp(`^runs/ledger/${hour(10)}/ledger-hourly/attempts/[0-9a-f-]{36}\\.json$`)),
    ]);
  });

  it("rejects an event for another task: its function runs its own task only", async () => {
    const sandbox = await createSandbox(emulator);
    const { handler } = ownTaskHarness(sandbox, ledger, { failureQueueUrl: await createQueue(emulator, "failures") });
    expect(await handler(taskEvent("data_processing"), plentyOfTime)).toMatchObject({
      status: "rejected",
      error: { field: "task_type", message: 'invalid event: task_type: unknown task "data_processing": this function runs ledger' },
    });
  });

  it.each([
    [
      "reads the product's own area",
      (ctx: any) => ctx.forEachSource("incoming/", () => undefined),
      "forEachSource: the prefix must not overlap incoming/",
    ],
    ["reads every key", (ctx: any) => ctx.forEachSource("", () => undefined), "forEachSource: the prefix must not be empty"],
    ["writes a run record", (ctx: any) => ctx.writeOutput("runs/ledger/x.json", "{}"), 'writeOutput: "runs/ledger/x.json" is under runs/'],
    [
      "keeps a field the record keeps itself",
      (ctx: any) => ctx.keep({ status: "fine" }),
      "keep: status is a field the run record keeps itself",
    ],
    ["returns counts that are no numbers", async () => ({ entries: "many" }), 'run returned count "entries" as "many"; counts are numbers'],
  ])("fails a run that %s, saying why", async (_, run, message) => {
    const sandbox = await createSandbox(emulator);
    const wayward = defineTask({ name: "wayward", run: async (ctx) => run(ctx) });
    const { handler } = ownTaskHarness(sandbox, wayward);
    await expect(handler(ledgerEvent(10, { task_type: "wayward" }), plentyOfTime)).rejects.toThrow(message);
    // Failed, not recorded as done: the retry runs it again.
    expect(await keysUnder(emulator, sandbox.bucket, `runs/wayward/${hour(10)}/ledger-hourly.json`)).toEqual([]);
  });

  it("gives the run its identity, its time and its logger with the run's keys", async () => {
    const sandbox = await createSandbox(emulator);
    const seen: Record<string, unknown>[] = [];
    const probe = defineTask({
      name: "probe",
      async run(ctx) {
        seen.push({
          task: ctx.task,
          schedule: ctx.schedule,
          environment: ctx.environment,
          scheduledTime: ctx.scheduledTime,
          executionId: ctx.executionId,
          attempt: ctx.attempt,
          remaining: ctx.remainingTimeMs(),
        });
        ctx.log.info("probing");
        ctx.keep({ probedAt: ctx.scheduledTime });
      },
    });
    const { handler, logs } = ownTaskHarness(sandbox, probe);
    const event = ledgerEvent(10, { task_type: "probe", scheduled_time: "2026-11-23T11:00:00.000+01:00", attempt_number: "2" });
    expect(await handler(event, plentyOfTime)).toMatchObject({ status: "completed", counts: {} });
    expect(seen).toEqual([
      {
        task: "probe",
        schedule: "ledger-hourly",
        environment: "test",
        scheduledTime: "2026-11-23T10:00:00Z",
        executionId: "c0ffee00-0000-4000-8000-000000000001",
        attempt: 2,
        remaining: 600_000,
      },
    ]);
    expect(logs.find((l) => l.message === "probing")).toMatchObject({ task: "probe", schedule: "ledger-hourly", attempt: 2 });
    expect(await recordAt(sandbox, 10, "probe")).toEqual({
      task: "probe",
      schedule: "ledger-hourly",
      environment: "test",
      scheduledTime: "2026-11-23T10:00:00Z",
      status: "completed",
      counts: {},
      probedAt: "2026-11-23T10:00:00Z",
      executionId: "c0ffee00-0000-4000-8000-000000000001",
      published: true,
    });
  });
});

describe("an own task's requests", () => {
  /** Whether the grants allow one IAM call: an object action on a granted prefix, or a listing of a prefix granted `list`. */
  function allowed(call: { action: string; resource: string; context: Readonly<Record<string, string>> }, bucket: string) {
    const grants = ownTaskBucketAccess({ name: "ledger", reads: ["ledger/in/"], writes: ["ledger/out/"] });
    const OBJECT: Record<string, string> = {
      "s3:GetObject": "read",
      "s3:GetObjectVersion": "readVersion",
      "s3:PutObject": "write",
      "s3:AbortMultipartUpload": "abortUpload",
      "s3:DeleteObject": "delete",
      "s3:DeleteObjectVersion": "deleteVersion",
    };
    if (call.action === "s3:ListBucket" || call.action === "s3:ListBucketVersions") {
      const access = call.action === "s3:ListBucket" ? "list" : "listVersions";
      return grants.some((g) => g.access.includes(access) && call.context["s3:prefix"].startsWith(g.prefix));
    }
    const key = call.resource.replace(`arn:aws:s3:::${bucket}/`, "");
    return grants.some((g) => g.access.includes(OBJECT[call.action] as never) && key.startsWith(g.prefix));
  }

  it("are all covered by the grants derived for it, and touch nothing of the built-in tasks' areas", async () => {
    const sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "ledger/in/good.jsonl", entries(["A-1", 1]));
    await putText(emulator, sandbox.bucket, "ledger/in/broken.jsonl", "not an entry\n");
    const { handler } = ownTaskHarness(sandbox);
    const from = aws.proxy.log.length;
    for (const h of [1, 2, 3, 3]) await handler(ledgerEvent(h), plentyOfTime);
    const requests = aws.proxy.log.slice(from).filter((r) => r.service === "s3" && r.bucket === sandbox.bucket);
    const calls = requests.flatMap((r) =>
      iamCallsOf(r, "ledger", "own task", { account: "000000000000", region: "us-east-1", partition: "aws" }),
    );
    expect(
      calls.filter((call) => !allowed(call, sandbox.bucket)).map((c) => `${c.action} ${c.resource} ${c.context["s3:prefix"] ?? ""}`),
    ).toEqual([]);
    const builtIn = [BUCKET_LAYOUT.incoming, BUCKET_LAYOUT.processed, BUCKET_LAYOUT.reports].map((a) => a.prefix);
    expect(requests.filter((r) => builtIn.some((prefix) => (r.key ?? r.prefix ?? "").startsWith(prefix)))).toEqual([]);
    // The set-aside, the archive, the records and the claims were all written where the grants say.
    const written = new Set(
      requests.filter((r) => r.action === "PutObject" || r.action === "CopyObject").map((r) => r.key!.split("/").slice(0, 2).join("/")),
    );
    expect([...written].sort()).toEqual(["archive/ledger", "claims/ledger", "ledger/out", "quarantine/ledger", "runs/ledger"]);
  });
});
