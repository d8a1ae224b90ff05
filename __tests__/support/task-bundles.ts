import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { unzipSync } from "fflate";
import { invokeBundled } from "../../scripts/lib/invoke-bundled";
import { type Emulator, getText, keysUnder, type ProxiedAws, type Sandbox } from "./emulator";
import { taskEvent } from "./processor-harness";

/** The zip's one file, written beside it as `<zip>.d/index.js`, for a fresh Node process to load. */
export function unpackTaskBundle(zipPath: string): string {
  const files = unzipSync(readFileSync(zipPath));
  expect(Object.keys(files)).toEqual(["index.js"]);
  const dir = `${zipPath}.d`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.js"), files["index.js"]);
  return join(dir, "index.js");
}

export const hour = (h: number) => `2026-11-23T${String(h).padStart(2, "0")}:00:00Z`;

/** The schedule's own event for an own task, as Scheduler sends it (core/schedule-input.ts). */
export const ownTaskEvent = (task: string, h: number, extra: Record<string, unknown> = {}) =>
  taskEvent("data_processing", { task_type: task, schedule: `${task}-hourly`, scheduled_time: hour(h), payload: {}, ...extra });

export const ledgerEntries = (...lines: Array<[string, number]>) =>
  `${lines.map(([account, amount]) => JSON.stringify({ account, amount, currency: "EUR" })).join("\n")}\n`;

/**
 * The example ledger task's bundle run as Lambda runs it (a fresh Node process, the function's
 * environment) against the emulator: twice for one scheduled time, once for the next, with a
 * source arriving in between; returns what the bucket and the topic hold after.
 */
export async function runLedgerTwiceThenOnce(
  script: string,
  emulator: Emulator,
  aws: ProxiedAws,
  sandbox: Sandbox,
  options: { readonly node?: string } = {},
) {
  const put = (key: string, body: string) => aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: body }));
  const env = { ...aws.awsEnv, BUCKET_NAME: sandbox.bucket, TOPIC_ARN: sandbox.topicArn, ENVIRONMENT: "test" };
  await put("ledger/in/2026-11-22.jsonl", ledgerEntries(["A-1", 10.5], ["A-2", 4]));
  await put("ledger/in/2026-11-23.jsonl", ledgerEntries(["A-1", 1]));
  const first = await invokeBundled(script, ownTaskEvent("ledger", 10), env, options);
  const again = await invokeBundled(script, ownTaskEvent("ledger", 10), env, options);
  await put("ledger/in/2026-11-24.jsonl", ledgerEntries(["A-3", 2]));
  const next = await invokeBundled(script, ownTaskEvent("ledger", 11), env, options);
  return {
    invocations: [first, again, next],
    outputs: await keysUnder(emulator, sandbox.bucket, "ledger/out/"),
    archives: await keysUnder(emulator, sandbox.bucket, "archive/"),
    waiting: await keysUnder(emulator, sandbox.bucket, "ledger/in/"),
    records: [
      JSON.parse(await getText(emulator, sandbox.bucket, `runs/ledger/${hour(10)}/ledger-hourly.json`)),
      JSON.parse(await getText(emulator, sandbox.bucket, `runs/ledger/${hour(11)}/ledger-hourly.json`)),
    ],
    notices: await sandbox.notices(),
  };
}

/** What runLedgerTwiceThenOnce must find: three sources, each booked, archived and announced once. */
export function expectLedgerRanExactlyOnce(outcome: Awaited<ReturnType<typeof runLedgerTwiceThenOnce>>): void {
  const [first, again, next] = outcome.invocations;
  expect([first, again, next].map((run) => ({ ok: run.ok, error: run.error, result: run.result }))).toEqual([
    { ok: true, error: undefined, result: expect.objectContaining({ status: "completed", counts: { entries: 3, accounts: 2 } }) },
    { ok: true, error: undefined, result: expect.objectContaining({ status: "already_completed", counts: { entries: 3, accounts: 2 } }) },
    { ok: true, error: undefined, result: expect.objectContaining({ status: "completed", counts: { entries: 1, accounts: 1 } }) },
  ]);
  expect(outcome.outputs).toEqual([
    expect.stringMatching(/^ledger\/out\/2026-11-22\.[0-9a-f]{12}\.json$/),
    expect.stringMatching(/^ledger\/out\/2026-11-23\.[0-9a-f]{12}\.json$/),
    expect.stringMatching(/^ledger\/out\/2026-11-24\.[0-9a-f]{12}\.json$/),
  ]);
  expect(outcome.archives).toHaveLength(3);
  expect(outcome.archives.every((key) => /^archive\/ledger\/\d{4}-\d{2}-\d{2}\/ledger\/in\/2026-11-2[234]\./.test(key))).toBe(true);
  expect(outcome.waiting).toEqual([]);
  expect(outcome.records.map((r) => [r.status, r.counts, r.sources.length, r.published])).toEqual([
    ["completed", { entries: 3, accounts: 2 }, 2, true],
    ["completed", { entries: 1, accounts: 1 }, 1, true],
  ]);
  expect(outcome.notices.map((n) => n.subject)).toEqual([
    "[test] OK ledger ledger-hourly: 3 entries, 2 accounts",
    "[test] OK ledger ledger-hourly: 1 entries, 1 accounts",
  ]);
  // Measured as a run of its task: the line the missed-run alarm reads, once a run.
  const runLines = [first, again, next].flatMap((run) => run.lines.filter((line) => line.TaskExecution !== undefined));
  expect(runLines.map((line) => [line.task, line.schedule, line.environment, line.TaskExecution])).toEqual([
    ["ledger", "ledger-hourly", "test", 1],
    ["ledger", "ledger-hourly", "test", 1],
  ]);
}
