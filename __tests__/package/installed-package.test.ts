import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { unzipSync } from "fflate";
import { SCHEDULER_CONTEXT } from "../../core/schedule-input";
import { parsePolicyText } from "../../modules/tooling/security/stack-document";
import { filesUnder } from "../../scripts/build-package";
import { evaluateCalls } from "../../scripts/lib/iam-audit/audit";
import { platformCalls } from "../../scripts/lib/iam-audit/platform-calls";
import { stackPolicies } from "../../scripts/lib/iam-audit/stack-policies";
import { invokeBundled } from "../../scripts/lib/invoke-bundled";
import { nodeBinary, withNodeOnPath } from "../../scripts/lib/node-binaries";
import { type Flavour, installPacked, packPackage } from "../../scripts/lib/packed-package";
import { createSandbox, type Emulator, getText, keysUnder, type ProxiedAws, useProxiedEmulator } from "../support/emulator";
import { expectLedgerRanExactlyOnce, runLedgerTwiceThenOnce, unpackTaskBundle } from "../support/task-bundles";

/**
 * The construct as a user gets it: `npm pack`, the tarball unpacked into a fresh app outside
 * this tree whose node_modules holds only the peers (and the package's own dependencies),
 * then a stack synthesized under plain `node`, for CDKTF and for CDK Terrain, and a TypeScript
 * consumer type-checked against the `.d.ts`.
 */
const ROOT = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "installed-package-"));
/** What an app of each flavour also installs to synthesize with its framework's CLI. */
const CLIS = { cdktf: "cdktf-cli", cdktn: "cdktn-cli" } as const;
let tarball: string;
let packed: string[];

beforeAll(() => {
  ({ tarball, files: packed } = packPackage(scratch));
}, 120_000);

/** A fresh app: the package unpacked as npm installs it, its dependencies and the flavour's peers linked in. */
let apps = 0;
function freshApp(flavour: Flavour, extra: readonly string[] = []): string {
  const app = join(scratch, `${flavour}-app-${(apps += 1)}`);
  installPacked(tarball, app, flavour, extra);
  return app;
}

const CONFIG = {
  name: "qa",
  account: "123456789012",
  region: "eu-west-1",
  projectName: "analytics",
  tags: { team: "analytics" },
  protection: { preventDestroy: false },
  notifications: { email: ["analytics@example.com"], sms: [], https: [] },
  processor: { memoryMb: 512, timeoutSeconds: 300, logRetentionDays: 30, asyncRetries: 1 },
  schedules: [
    {
      name: "hourly-ingest",
      expression: "rate(1 hour)",
      timezone: "UTC",
      task: "data_processing",
      enabled: true,
      flexibleWindowMinutes: 0,
      retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 },
    },
  ],
};

/** An app's main.js: one stack holding the construct, imported from `entry`; synthesized into out/ unless a CLI picks the folder. */
function writeMain(app: string, flavour: Flavour, entry: string, appOptions = '{ outdir: "out" }', config: object = CONFIG): void {
  writeFileSync(
    join(app, "main.js"),
    `const { App, TerraformStack } = require("${flavour}");
const { AwsProvider } = require("@${flavour}/provider-aws/lib/provider");
const { ScheduledTaskProcessing } = require("${entry}");
const app = new App(${appOptions});
const stack = new TerraformStack(app, "tasks-qa");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new ScheduledTaskProcessing(stack, "tasks", { config: ${JSON.stringify(config)} });
app.synth();
`,
  );
}

const ENTRY = { cdktf: "scheduled-task-processing", cdktn: "scheduled-task-processing/cdktn" } as const;

/** Synthesizes a stack with the construct under plain node; returns the stack's document and what the synth wrote where. */
function synthIn(flavour: Flavour) {
  const app = freshApp(flavour);
  writeMain(app, flavour, ENTRY[flavour]);
  const packageFiles = () => filesUnder(join(app, "node_modules", "scheduled-task-processing")).sort();
  const before = packageFiles();
  const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  return {
    app,
    run,
    document: run.status === 0 ? JSON.parse(readFileSync(join(app, "out", "stacks", "tasks-qa", "cdk.tf.json"), "utf8")) : undefined,
    before,
    after: packageFiles(),
  };
}

const addresses = (document: { resource: Record<string, Record<string, unknown>> }) =>
  Object.entries(document.resource)
    .flatMap(([type, instances]) => Object.keys(instances).map((name) => `${type}.${name}`))
    .sort();

describe("the packed construct", () => {
  it("holds compiled JavaScript, declarations and the function zips, and no TypeScript source", () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        "lib/cdktf/index.js",
        "lib/cdktf/index.d.ts",
        "lib/cdktn/index.js",
        "lib/cdktn/index.d.ts",
        "lib/cdktf/function-zips/processor.zip",
        "lib/cdktn/function-zips/schedule-api.zip",
        "lib/cdktf/function-zips/node24/processor.zip",
        "lib/cdktn/function-zips/node24/failure-handler.zip",
      ]),
    );
    expect(packed.filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
      "@cdktf/provider-aws",
      "@cdktn/provider-aws",
      "cdktf",
      "cdktn",
      "constructs",
      // Only to bundle own tasks; optional, like the frameworks.
      "esbuild",
    ]);
    expect(manifest.peerDependenciesMeta.esbuild).toEqual({ optional: true });
    expect(Object.keys(manifest.dependencies).filter((name) => /cdkt|constructs|esbuild|aws-sdk/.test(name))).toEqual([]);
  });

  const synthesized: Partial<Record<Flavour, ReturnType<typeof synthIn>>> = {};
  it.each(["cdktf", "cdktn"] as const)("synthesizes under plain node in a fresh %s app, writing nothing into the package", (flavour) => {
    const result = (synthesized[flavour] = synthIn(flavour));
    expect({ status: result.run.status, stderr: result.run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.after).toEqual(result.before);
    expect(result.document.resource.aws_s3_bucket.data.bucket).toBe("analytics-qa-data-123456789012");
    expect(result.document.resource.aws_lambda_function.processor.filename).toMatch(/^assets\//);
  });

  it("synthesizes a minimal config in a fresh app: a name, schedules of name, expression and task, and who hears of them", () => {
    const app = freshApp("cdktf");
    const minimal = {
      name: "qa",
      schedules: [{ name: "daily-report", expression: "cron(0 9 * * ? *)", task: "report" }],
      notifications: { email: ["analytics@example.com"] },
    };
    writeMain(app, "cdktf", ENTRY.cdktf, '{ outdir: "out" }', minimal);
    const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const document = JSON.parse(readFileSync(join(app, "out", "stacks", "tasks-qa", "cdk.tf.json"), "utf8"));
    expect(document.resource.aws_lambda_function.processor.function_name).toBe("tasks-qa-qa-processor");
    expect(document.resource.aws_scheduler_schedule.tasks.for_each["daily-report"]).toMatchObject({ timezone: "UTC", retryAttempts: 3 });
  });

  it("deploys, for processor.runtime nodejs24.x, the zips it ships built for Node 24", () => {
    const app = freshApp("cdktf");
    writeMain(app, "cdktf", ENTRY.cdktf, '{ outdir: "out" }', { ...CONFIG, processor: { ...CONFIG.processor, runtime: "nodejs24.x" } });
    const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const document = JSON.parse(readFileSync(join(app, "out", "stacks", "tasks-qa", "cdk.tf.json"), "utf8"));
    const shipped = join(app, "node_modules", "scheduled-task-processing", "lib", "cdktf", "function-zips", "node24");
    for (const [name, zip] of [
      ["processor", "processor.zip"],
      ["failure_handler", "failure-handler.zip"],
      ["schedule_api", "schedule-api.zip"],
    ]) {
      const fn = document.resource.aws_lambda_function[name];
      expect(fn.runtime).toBe("nodejs24.x");
      expect(fn.source_code_hash).toBe(
        createHash("sha256")
          .update(readFileSync(join(shipped, zip)))
          .digest("base64"),
      );
    }
  });

  it("documents every property of the config in its declarations, with @default where one may leave it out", () => {
    const app = freshApp("cdktf");
    const declarations = readFileSync(
      join(app, "node_modules", "scheduled-task-processing", "lib", "cdktf", "modules", "config", "config-types.d.ts"),
      "utf8",
    );
    const properties = [...declarations.matchAll(/^(\s*)(?:readonly )?(\w+)(\??): /gm)];
    const documented = [...declarations.matchAll(/\*\/\n\s*(?:readonly )?\w+\??: /g)];
    expect(properties.length).toBeGreaterThan(150);
    expect(documented.length).toBe(properties.length);
    const written = declarations.slice(0, declarations.indexOf("Every default filled in."));
    expect([...written.matchAll(/@default /g)].length).toBeGreaterThan(60);
  });

  it("puts the same resources at the same addresses under CDKTF and CDK Terrain", () => {
    const [cdktf, cdktn] = [synthesized.cdktf?.document, synthesized.cdktn?.document];
    expect(cdktf && cdktn).toBeTruthy();
    expect(addresses(cdktn)).toEqual(addresses(cdktf));
    expect(addresses(cdktf)).toEqual(
      expect.arrayContaining(["aws_s3_bucket.data", "aws_lambda_function.processor", "aws_scheduler_schedule.tasks"]),
    );
  });

  it("tells a CDK Terrain app that imports the CDKTF entry which entry to import", () => {
    const app = freshApp("cdktn");
    writeMain(app, "cdktn", ENTRY.cdktf);
    const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "scheduled-task-processing is the CDKTF entry of the package, and this app has no CDKTF (cdktf cannot be found). " +
        'In a CDK Terrain app, import "scheduled-task-processing/cdktn" instead',
    );
  });

  // cdktn-cli 0.24 needs Node >= 22.19 (on Node 20 it stops at `markAsUncloneable is not a function`).
  it("synthesizes with `cdktn synth` under Node 24, as a CDK Terrain user runs it", () => {
    const app = freshApp("cdktn", [CLIS.cdktn]);
    writeMain(app, "cdktn", ENTRY.cdktn, "");
    writeFileSync(join(app, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node main.js", terraformProviders: [] }));
    const run = spawnSync(nodeBinary(24), [join(app, "node_modules", CLIS.cdktn, "bin", "cdktn"), "synth"], {
      cwd: app,
      encoding: "utf8",
      env: { ...withNodeOnPath(24), CHECKPOINT_DISABLE: "1", NODE_OPTIONS: "", CI: "1" },
    });
    expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toContain("Generated Terraform code for the stacks: tasks-qa");
    const document = JSON.parse(readFileSync(join(app, "cdktf.out", "stacks", "tasks-qa", "cdk.tf.json"), "utf8"));
    expect(addresses(document)).toEqual(addresses(synthesized.cdktn?.document));
  });

  it("type-checks a TypeScript consumer against its declarations", () => {
    const app = freshApp("cdktf");
    writeFileSync(
      join(app, "main.ts"),
      `import { App, TerraformStack } from "cdktf";
import { ScheduledTaskProcessing, type EnvironmentFile } from "scheduled-task-processing";
const config: EnvironmentFile = ${JSON.stringify(CONFIG)};
const stack = new TerraformStack(new App(), "tasks");
const tasks = new ScheduledTaskProcessing(stack, "tasks", { config });
const bucket: string = tasks.bucketName;
// @ts-expect-error: the construct takes a config, not a string
new ScheduledTaskProcessing(stack, "wrong", { config: "qa" });
const schedules: EnvironmentFile["schedules"] = [{ name: "r", expression: "rate(1 day)", task: "report" }];
new ScheduledTaskProcessing(stack, "minimal", { config: { name: "qa", schedules } });
const misplaced: EnvironmentFile = {
  name: "qa",
  // @ts-expect-error: a task is named by a string. (Since a schedule may name an own task, any string with any object
  // payload type-checks: a built-in task's misplaced payload field is refused at synth, with its path, not by the types.)
  schedules: [{ name: "r", expression: "rate(1 day)", task: 42, payload: { prefix: "incoming/" } }],
};
const onQueue: EnvironmentFile["schedules"] = [
  { name: "q", expression: "rate(1 day)", target: { sqs: "arn:aws:sqs:eu-west-1:1:orders.fifo", messageGroupId: "g" }, input: "x" },
  // @ts-expect-error: a target names one service
  { name: "two", expression: "rate(1 day)", target: { sqs: "arn:aws:sqs:eu-west-1:123456789012:q", lambda: "arn:aws:lambda:x" } },
];
export { bucket, misplaced, onQueue };
`,
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, module: "commonjs", target: "ES2022", noEmit: true, skipLibCheck: true, types: [] },
        files: ["main.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", app], { cwd: app, encoding: "utf8" });
    expect({ status: tsc.status, out: tsc.stdout }).toEqual({ status: 0, out: "" });
  });
});

/** A team's own task as it would write it: the lines of each file under tally/in/, counted into tally/out/. */
const TALLY_TASK = `import { defineTask } from "scheduled-task-processing/task";
import { z } from "zod";

export default defineTask({
  name: "tally",
  payload: z.strictObject({ unit: z.enum(["lines"]).default("lines") }),
  async run(ctx) {
    let lines = 0;
    let files = 0;
    await ctx.forEachSource("tally/in/", async (source) => {
      let count = 0;
      for await (const line of source.lines()) if (line.trim() !== "") count += 1;
      const name = source.key.slice("tally/in/".length);
      await ctx.writeOutput(\`tally/out/\${name}.\${source.id.slice(0, 12)}.txt\`, \`\${source.key} \${count}\\n\`);
      lines += count;
      files += 1;
    });
    return { lines, files };
  },
});
`;

/** Every object under `prefix`, key to text. */
async function contentsUnder(emulator: Emulator, bucket: string, prefix: string): Promise<Record<string, string>> {
  const keys = await keysUnder(emulator, bucket, prefix);
  return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await getText(emulator, bucket, key)] as const)));
}

describe("own tasks from the packed package", () => {
  let emulator: Emulator;
  let aws: ProxiedAws;
  useProxiedEmulator((started) => ({ emulator, aws } = started), { versioning: ["ledger/in/", "tally/in/"] });

  /** A fresh app with the ledger task, the package installed, esbuild if asked; runs its bundle command. */
  function appWithTask(withEsbuild: boolean) {
    const app = freshApp("cdktf", withEsbuild ? ["esbuild"] : []);
    copyFileSync(join(ROOT, "examples", "own-task", "ledger.ts"), join(app, "ledger.ts"));
    const installed = join(app, "node_modules", "scheduled-task-processing");
    const { bin } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { bin: Record<string, string> };
    const run = spawnSync(
      process.execPath,
      [join(installed, bin["scheduled-task-processing"]), "bundle", "ledger.ts", "--out", "ledger.zip"],
      {
        cwd: app,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
      },
    );
    return { app, run };
  }

  it("ships the runtime entry as one file with declarations that import no package", () => {
    expect(packed).toEqual(
      expect.arrayContaining(["lib/task/index.js", "lib/task/index.d.ts", "lib/cdktf/modules/bundling/task-bundle-cli.js"]),
    );
    const declarations = packed.filter((path) => path.startsWith("lib/task/") && path.endsWith(".d.ts"));
    const app = freshApp("cdktf");
    const imports = declarations.flatMap((path) =>
      [...readFileSync(join(app, "node_modules", "scheduled-task-processing", path), "utf8").matchAll(/from "([^"]+)"/g)].map(([, s]) => s),
    );
    expect(imports.filter((specifier) => !specifier.startsWith("."))).toEqual([]);
  });

  it("bundles an own task in a fresh app with the package's bundle command; the bundle runs exactly once across reruns", async () => {
    const { app, run } = appWithTask(true);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toMatch(
      /^bundled task ledger into ledger\.zip \(\d+ bytes, handler index\.handler, nodejs22\.x, sha256 \S{44}\)\n$/,
    );
    const sandbox = await createSandbox(emulator);
    expectLedgerRanExactlyOnce(await runLedgerTwiceThenOnce(unpackTaskBundle(join(app, "ledger.zip")), emulator, aws, sandbox));
  });

  it.each(["node10", "node16"] as const)(
    "type-checks an own task against the runtime's declarations (moduleResolution %s)",
    (resolution) => {
      const app = freshApp("cdktf");
      copyFileSync(join(ROOT, "examples", "own-task", "ledger.ts"), join(app, "ledger.ts"));
      writeFileSync(
        join(app, "wrong.ts"),
        `import { defineTask } from "scheduled-task-processing/task";
import { z } from "zod";
export const typed = defineTask({
  name: "typed",
  payload: z.strictObject({ days: z.number() }),
  async run(ctx, payload) {
    // @ts-expect-error: the payload is typed by its schema
    const days: string = payload.days;
    await ctx.writeOutput("typed/out/a.txt", days);
    return { days: days.length };
  },
});
export const counted = defineTask({
  name: "counted",
  // @ts-expect-error: counts are numbers
  async run() {
    return { days: "many" };
  },
});
`,
      );
      const module = resolution === "node16" ? "node16" : "commonjs";
      writeFileSync(
        join(app, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module,
            moduleResolution: resolution,
            target: "ES2022",
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          files: ["ledger.ts", "wrong.ts"],
        }),
      );
      const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", app], { cwd: app, encoding: "utf8" });
      expect({ status: tsc.status, out: tsc.stdout }).toEqual({ status: 0, out: "" });
    },
  );

  it("synthesizes a fresh app's own task beside a schedule on an external queue; the function it deploys runs exactly once " +
    "with its schedule's own event and its own environment; the scheduler role and the task hold exactly their grants", async () => {
    const app = freshApp("cdktf", ["esbuild"]);
    // The app's own task, not the example's: counts the lines of each file under tally/in/ into tally/out/.
    writeFileSync(join(app, "tally.ts"), TALLY_TASK);
    const queue = "arn:aws:sqs:eu-west-1:210987654321:orders";
    const config = {
      ...CONFIG,
      tasks: { tally: { entry: "tally.ts", reads: ["tally/in/"], writes: ["tally/out/"] } },
      schedules: [
        { name: "tally-hourly", expression: "rate(1 hour)", task: "tally", payload: { unit: "lines" } },
        { name: "to-orders", expression: "rate(1 day)", target: { sqs: queue } },
      ],
    };
    writeMain(app, "cdktf", ENTRY.cdktf, undefined, config);
    const synth = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: "" });
    const stackDir = join(app, "out", "stacks", "tasks-qa");
    const document = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));

    // What Terraform would deploy: the function's zip, its environment, and the schedule's input.
    const fn = document.resource.aws_lambda_function.task;
    const instance = fn.for_each.tally;
    expect(fn.role).toBe("${aws_iam_role.task[each.key].arn}");
    expect(instance.functionName).toBe("analytics-qa-task-tally");
    const files = unzipSync(readFileSync(join(stackDir, instance.filename)));
    expect(Object.keys(files)).toEqual(["index.js"]);
    const script = join(mkdtempSync(join(tmpdir(), "tally-function-")), "index.js");
    writeFileSync(script, files["index.js"]);
    const sandbox = await createSandbox(emulator);
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: `tally-failures-${process.pid}` }));
    const references: Record<string, string> = {
      "${aws_s3_bucket.data.bucket}": sandbox.bucket,
      "${aws_sns_topic.notifications.arn}": sandbox.topicArn,
      "${aws_sqs_queue.processor_failures.url}": QueueUrl!,
    };
    const variables = Object.fromEntries(
      Object.entries(fn.environment.variables as Record<string, string>).map(([name, value]) => [
        name,
        value.replace(/\$\{each\.value\.([A-Za-z]+)\}/g, (_, field: string) => String(instance[field])),
      ]),
    );
    const unresolved = Object.entries(variables).filter(([, value]) => value.includes("${") && !(value in references));
    expect(unresolved).toEqual([]);
    const env = {
      ...aws.awsEnv,
      ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, references[value] ?? value])),
    };
    expect(env).toMatchObject({ ENVIRONMENT: "qa", BUCKET_NAME: sandbox.bucket, FUNCTION_TIMEOUT_SECONDS: "300" });
    const schedule = document.resource.aws_scheduler_schedule.tasks;
    expect(schedule.target.input).toBe("${each.value.input}");
    expect(schedule.for_each["tally-hourly"].targetArn).toBe('${aws_lambda_function.task["tally"].arn}');
    // Scheduler's context attributes, replaced as Scheduler replaces them (literal text).
    const event = (time: string, execution: string) =>
      JSON.parse(
        String(schedule.for_each["tally-hourly"].input)
          .replaceAll(SCHEDULER_CONTEXT.scheduledTime, time)
          .replaceAll(SCHEDULER_CONTEXT.executionId, execution)
          .replaceAll(SCHEDULER_CONTEXT.attemptNumber, "1"),
      );
    const put = (key: string, body: string) => aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: body }));
    await put("tally/in/a.txt", "one\ntwo\n");
    await put("tally/in/b.txt", "three\n");
    const at10 = event("2026-11-23T10:00:00Z", "5e0c0a10-0000-4000-8000-000000000001");
    const first = await invokeBundled(script, at10, env);
    const outputsAfterFirst = await contentsUnder(emulator, sandbox.bucket, "tally/out/");
    const again = await invokeBundled(script, { ...at10, execution_id: "5e0c0a10-0000-4000-8000-000000000002" }, env);
    const outputsAfterAgain = await contentsUnder(emulator, sandbox.bucket, "tally/out/");
    await put("tally/in/c.txt", "four\nfive\nsix\n");
    const next = await invokeBundled(script, event("2026-11-23T11:00:00Z", "5e0c0a10-0000-4000-8000-000000000003"), env);
    expect(
      [first, again, next].map((run) => ({ ok: run.ok, error: run.error, status: run.result?.status, counts: run.result?.counts })),
    ).toEqual([
      { ok: true, error: undefined, status: "completed", counts: { lines: 3, files: 2 } },
      { ok: true, error: undefined, status: "already_completed", counts: { lines: 3, files: 2 } },
      { ok: true, error: undefined, status: "completed", counts: { lines: 3, files: 1 } },
    ]);
    // Written once, byte for byte the same after the rerun, never duplicated.
    expect(Object.keys(outputsAfterFirst)).toHaveLength(2);
    expect(outputsAfterAgain).toEqual(outputsAfterFirst);
    const outputs = await contentsUnder(emulator, sandbox.bucket, "tally/out/");
    expect(Object.values(outputs).sort()).toEqual(["tally/in/a.txt 2\n", "tally/in/b.txt 1\n", "tally/in/c.txt 3\n"]);
    // Each source archived once and gone from where it waited.
    const archives = await keysUnder(emulator, sandbox.bucket, "archive/");
    expect(archives.map((key) => /^archive\/tally\/\d{4}-\d{2}-\d{2}\/(tally\/in\/[abc])\./.exec(key)?.[1] ?? key).sort()).toEqual([
      "tally/in/a",
      "tally/in/b",
      "tally/in/c",
    ]);
    expect(await keysUnder(emulator, sandbox.bucket, "tally/in/")).toEqual([]);
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/tally/2026-11-23T10:00:00Z/tally-hourly.json"));
    expect([record.status, record.counts, record.sources.length, record.published]).toEqual(["completed", { lines: 3, files: 2 }, 2, true]);
    expect((await sandbox.notices()).map((n) => n.subject)).toEqual([
      "[qa] OK tally tally-hourly: 3 lines, 2 files",
      "[qa] OK tally tally-hourly: 3 lines, 1 files",
    ]);

    // The scheduler role: the processor (its built-in schedules), its dead-letter queue, the task's function, the queue.
    const policies = stackPolicies(document, { account: "123456789012", region: "eu-west-1" });
    const scheduler = policies.roles.scheduler.policies.flatMap((p) => p.document.Statement);
    expect(Object.fromEntries(scheduler.map((s) => [s.Sid, [s.Action, s.Resource].map((v) => [v].flat())]))).toEqual({
      InvokeProcessor: [["lambda:InvokeFunction"], ["arn:aws:lambda:eu-west-1:123456789012:function:analytics-qa-processor"]],
      SendUndeliveredToDeadLetterQueue: [["sqs:SendMessage"], ["arn:aws:sqs:eu-west-1:123456789012:analytics-qa-scheduler-dlq"]],
      InvokeOwnTasks: [["lambda:InvokeFunction"], ["arn:aws:lambda:eu-west-1:123456789012:function:analytics-qa-task-tally"]],
      SendToTargetQueues: [["sqs:SendMessage"], [queue]],
    });
    const audit = await evaluateCalls(policies, platformCalls(policies));
    const schedulerAudit = audit.roles.find((r) => r.role === "scheduler")!;
    // No schedule of this app runs a built-in task: the processor is invoked only by the one-time schedules the
    // scheduling API creates (run now, backfill), which the full audit records (npm run iam-audit).
    expect(schedulerAudit.grants.filter((g) => !g.used).map((g) => g.sid)).toEqual(["InvokeProcessor"]);
    expect(audit.denied).toEqual([]);
    // The task's role: its protocol's areas and its two prefixes, in the environment's bucket; nothing of the built-in tasks'.
    const taskStatements = parsePolicyText(document.resource.aws_iam_role_policy.task.for_each.tally.policy) as {
      Statement: Array<{ Resource: string | string[]; Condition?: { StringLike?: Record<string, string[]> } }>;
    };
    const prefixes = new Set<string>();
    for (const statement of taskStatements.Statement)
      for (const resource of [statement.Resource, statement.Condition?.StringLike?.["s3:prefix"]].flat())
        if (typeof resource === "string" && resource.includes("}/")) prefixes.add(resource.split("}/")[1].replace(/\*$/, ""));
    expect([...prefixes].sort()).toEqual(
      ["archive/tally/", "claims/tally/", "failed/", "quarantine/tally/", "runs/tally/", "tally/in/", "tally/out/"].sort(),
    );
  }, 240_000);

  it("says what to install when the app has no esbuild", () => {
    const { run } = appWithTask(false);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      "could not bundle ledger.ts: bundling a task needs esbuild, an optional peer of scheduled-task-processing: " +
        "install it in the app (npm install --save-dev esbuild)\n",
    );
  });
});
