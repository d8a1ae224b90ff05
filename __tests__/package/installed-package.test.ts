import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { filesUnder } from "../../scripts/build-package";
import { nodeBinary, withNodeOnPath } from "../../scripts/lib/node-binaries";
import { type Flavour, installPacked, packPackage } from "../../scripts/lib/packed-package";

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
    ]);
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
export { bucket, misplaced };
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
