import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { bundleTask, loadTask, payloadProblems, TaskBundleError } from "../../../modules/bundling/task-bundle";
import { main } from "../../../modules/bundling/task-bundle-cli";
import { invokeBundled } from "../../../scripts/lib/invoke-bundled";
import { nodeBinary } from "../../../scripts/lib/node-binaries";
import { buildTaskRuntime } from "../../../scripts/lib/task-runtime";
import { createSandbox, type Emulator, getText, keysUnder, type ProxiedAws, useProxiedEmulator } from "../../support/emulator";
import { expectLedgerRanExactlyOnce, hour, ownTaskEvent, runLedgerTwiceThenOnce, unpackTaskBundle } from "../../support/task-bundles";

/**
 * The bundle command on a task's app laid out as npm installs it (the package's runtime built
 * as `npm pack` builds it, the app's own zod and esbuild beside it), and the zips it makes run
 * as Lambda runs them, in a fresh Node process, against the emulator.
 */
const ROOT = join(__dirname, "..", "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "task-bundle-"));
const app = join(scratch, "app");
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started), { versioning: "ledger/in/" });

beforeAll(() => {
  const installed = join(app, "node_modules", "scheduled-task-processing");
  buildTaskRuntime(join(installed, "lib", "task"));
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  writeFileSync(
    join(installed, "package.json"),
    JSON.stringify({ name: manifest.name, exports: { "./task": manifest.exports["./task"] } }),
  );
  for (const name of ["zod", "esbuild"])
    symlinkSync(dirname(require.resolve(`${name}/package.json`)), join(app, "node_modules", name), "dir");
  copyFileSync(join(ROOT, "examples", "own-task", "ledger.ts"), join(app, "ledger.ts"));
  writeFileSync(
    join(app, "closing.ts"),
    `import { defineTask } from "scheduled-task-processing/task";
export default defineTask({
  name: "closing",
  async run() {
    throw Object.assign(new Error("the ledger is closed for the year"), { name: "LedgerClosedError" });
  },
});
`,
  );
}, 120_000);

const env = (bucket: string, topicArn: string) => ({ ...aws.awsEnv, BUCKET_NAME: bucket, TOPIC_ARN: topicArn, ENVIRONMENT: "test" });

function bundle(entry: string, ...flags: string[]): { status: number; printed: string[] } {
  const printed: string[] = [];
  const status = main(["bundle", join(app, entry), ...flags], (line) => printed.push(line));
  return { status, printed };
}

describe("scheduled-task-processing bundle", () => {
  it("bundles the ledger task into a zip whose handler runs it exactly once across reruns", async () => {
    const made = bundle("ledger.ts", "--out", join(scratch, "ledger.zip"));
    expect(made.status).toBe(0);
    expect(made.printed).toEqual([
      expect.stringMatching(/^bundled task ledger into .*ledger\.zip \(\d+ bytes, handler index\.handler, nodejs22\.x, sha256 \S{44}\)$/),
    ]);
    const sandbox = await createSandbox(emulator);
    const outcome = await runLedgerTwiceThenOnce(unpackTaskBundle(join(scratch, "ledger.zip")), emulator, aws, sandbox);
    expectLedgerRanExactlyOnce(outcome);
    const [first] = outcome.invocations;
    // Powertools' structured lines, with the run's keys, and the task's own metric line.
    expect(first.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: "INFO", message: "ledger booked", service: "ledger", task: "ledger", cold_start: true }),
        expect.objectContaining({ message: "task finished", schedule: "ledger-hourly", execution_id: expect.any(String) }),
        expect.objectContaining({ LedgerEntries: 3, task: "ledger", environment: "test", service: "ledger" }),
      ]),
    );
    expect(first.stderr).toBe("");
  });

  it("makes the same zip from the same sources, and a nodejs24.x bundle runs under Node 24", async () => {
    const once = bundleTask(join(app, "ledger.ts"), { out: join(scratch, "same-1.zip") });
    const twice = bundleTask(join(app, "ledger.ts"), { out: join(scratch, "same-2.zip") });
    expect(twice.sha256Base64).toBe(once.sha256Base64);
    expect(readFileSync(twice.zipPath).equals(readFileSync(once.zipPath))).toBe(true);

    expect(bundle("ledger.ts", "--out", join(scratch, "ledger-24.zip"), "--runtime", "nodejs24.x").status).toBe(0);
    const sandbox = await createSandbox(emulator);
    const outcome = await runLedgerTwiceThenOnce(unpackTaskBundle(join(scratch, "ledger-24.zip")), emulator, aws, sandbox, {
      node: nodeBinary(24),
    });
    expectLedgerRanExactlyOnce(outcome);
  });

  it("sets aside a source the bundled task's handler keeps throwing on, after 3 attempts", async () => {
    expect(bundle("ledger.ts", "--out", join(scratch, "ledger-bad.zip")).status).toBe(0);
    const script = unpackTaskBundle(join(scratch, "ledger-bad.zip"));
    const sandbox = await createSandbox(emulator);
    await aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: "ledger/in/broken.jsonl", Body: "not an entry\n" }));
    const outcomes = [];
    for (const h of [1, 2, 3]) outcomes.push(await invokeBundled(script, ownTaskEvent("ledger", h), env(sandbox.bucket, sandbox.topicArn)));
    expect(outcomes.map((run) => run.result?.status)).toEqual(["incomplete", "incomplete", "completed"]);
    const record = JSON.parse(await getText(emulator, sandbox.bucket, `runs/ledger/${hour(3)}/ledger-hourly.json`));
    expect(record.sources).toEqual([
      expect.objectContaining({
        source: "ledger/in/broken.jsonl",
        setAside: expect.objectContaining({ reason: "Error: line 1 is not a ledger entry", attempts: 3 }),
      }),
    ]);
    expect(await keysUnder(emulator, sandbox.bucket, "quarantine/")).toEqual([record.sources[0].setAside.key]);
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/")).toEqual([]);
  });

  it("records a task's thrown error as a failed run: the reason kept and announced, the error thrown for Lambda's retry", async () => {
    expect(bundle("closing.ts", "--out", join(scratch, "closing.zip")).status).toBe(0);
    const sandbox = await createSandbox(emulator);
    const run = await invokeBundled(
      unpackTaskBundle(join(scratch, "closing.zip")),
      ownTaskEvent("closing", 10, { schedule: "year-end" }),
      env(sandbox.bucket, sandbox.topicArn),
    );
    expect(run).toMatchObject({ ok: false, error: { name: "LedgerClosedError", message: "the ledger is closed for the year" } });
    expect(run.lines).toEqual(expect.arrayContaining([expect.objectContaining({ task: "closing", TaskFailure: 1, TaskExecution: 0 })]));
    const [attempt] = await keysUnder(emulator, sandbox.bucket, `runs/closing/${hour(10)}/year-end/attempts/`);
    expect(JSON.parse(await getText(emulator, sandbox.bucket, attempt))).toMatchObject({
      task: "closing",
      scheduledTime: hour(10),
      reason: "LedgerClosedError: the ledger is closed for the year",
    });
    const [notice] = await sandbox.notices();
    expect(notice.subject).toBe("[test] FAILED closing year-end: LedgerClosedError");
  });

  it.each([
    [["bundle"], 2, "bundle needs the task's entry file"],
    [["bundle", "ledger.ts", "--runtime", "nodejs20.x"], 2, '--runtime must be one of nodejs22.x, nodejs24.x, got "nodejs20.x"'],
    [["bundle", "missing.ts"], 1, "could not bundle missing.ts: task entry missing.ts does not exist"],
    [["bundle", "ledger.ts", "--fast"], 2, "Unknown option '--fast'"],
  ])("refuses %j with exit code %d, saying why", (args, code, message) => {
    const printed: string[] = [];
    const cwd = process.cwd();
    process.chdir(app);
    try {
      expect(main(args, (line) => printed.push(line))).toBe(code);
    } finally {
      process.chdir(cwd);
    }
    expect(printed.join("\n")).toContain(message);
  });

  it("refuses an entry whose default export is no task, or whose task's name cannot be one", () => {
    writeFileSync(join(app, "not-a-task.ts"), "export default { name: 'x' };\n");
    writeFileSync(
      join(app, "built-in-name.ts"),
      'import { defineTask } from "scheduled-task-processing/task";\nexport default defineTask({ name: "report", async run() {} });\n',
    );
    expect(() => loadTask(join(app, "not-a-task.ts"))).toThrow(
      new TaskBundleError(
        `${join(app, "not-a-task.ts")} must export its task as the default export: export default defineTask({ name, payload?, run })`,
      ),
    );
    expect(() => loadTask(join(app, "built-in-name.ts"))).toThrow(
      "the task's name must not be a built-in task's name (report, data_processing, notification), got \"report\"",
    );
  });

  it("loads a task's payload schema for the config to check schedules' payloads with", () => {
    const ledger = loadTask(join(app, "ledger.ts"));
    expect(ledger.name).toBe("ledger");
    expect(payloadProblems(ledger, { currency: "USD" })).toEqual([]);
    expect(payloadProblems(ledger, { currency: "euro", surprise: 1 })).toEqual([
      "payload.currency: must be an ISO 4217 code such as EUR",
      "payload.surprise: unknown field",
    ]);
    // The reasons the task's function gives when it rejects the event.
    expect(payloadProblems(ledger, { currency: 978 })).toEqual(["payload.currency: must be a string, got number 978"]);
  });
});
