import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { filesUnder } from "../../scripts/build-package";
import { nodeBinary, withNodeOnPath } from "../../scripts/lib/node-binaries";
import { type Flavour, installPacked, packPackage } from "../../scripts/lib/packed-package";
import { createSandbox, type Emulator, type ProxiedAws, useProxiedEmulator } from "../support/emulator";
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
  // @ts-expect-error: prefix is a field of the data_processing task's payload, not the report's
  schedules: [{ name: "r", expression: "rate(1 day)", task: "report", payload: { prefix: "incoming/" } }],
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

describe("own tasks from the packed package", () => {
  let emulator: Emulator;
  let aws: ProxiedAws;
  useProxiedEmulator((started) => ({ emulator, aws } = started), { versioning: "ledger/in/" });

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

  it("says what to install when the app has no esbuild", () => {
    const { run } = appWithTask(false);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      "could not bundle ledger.ts: bundling a task needs esbuild, an optional peer of scheduled-task-processing: " +
        "install it in the app (npm install --save-dev esbuild)\n",
    );
  });
});
