import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { App } from "cdktf";
import { LAMBDA_RUNTIMES } from "../../../core/lambda-runtimes";
import { environments } from "../../../environments";
import { loadEnvironments } from "../../../environments/load";
import { buildFunctionBundles, PROJECT_ROOT } from "../../../modules/bundling/function-bundle";
import { TaskProcessingStack } from "../../../modules/constructs/task-processing-stack";
import { installPacked, packPackage } from "../packed-package";
import { scratchCopyOfStack } from "../terraform-runner";

/**
 * One face of the product to rehearse: a root configuration in a scratch folder, the account
 * and region it deploys to, and how an operator lifts its protection before tearing it down.
 */
export interface RehearsalTarget {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The oldest hashicorp/aws it needs, where that is newer than every provider the module admits (nodejs24.x: 6.19.0). */
  readonly needsAwsProvider?: string;
  /** Writes the root configuration under `scratch`; returns the folder Terraform runs in. */
  prepare(scratch: string): Promise<string>;
  /**
   * What an operator changes before `destroy`: the configuration with `prevent_destroy`
   * lifted, written over the one in `directory`. Returns the addresses it lifted.
   */
  liftProtection(scratch: string, directory: string): Promise<string[]>;
}

/** The environments there are: every environments/<name>.ts that index.ts gathers. */
export function environmentNames(): string[] {
  return Object.keys(environments);
}

/** The part of a synthesized document that lifting protection may touch. */
interface SynthesizedDocument {
  resource?: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>>;
}

/**
 * Addresses whose `lifecycle.prevent_destroy` was true and is no longer, and an error if
 * anything else differs between the two documents: lifting protection must change nothing more.
 */
function liftedAddresses(before: SynthesizedDocument, after: SynthesizedDocument, label: string): string[] {
  const lifted: string[] = [];
  for (const [type, resources] of Object.entries(before.resource ?? {}))
    for (const [name, resource] of Object.entries(resources))
      if (resource.lifecycle?.prevent_destroy === true && after.resource?.[type]?.[name]?.lifecycle?.prevent_destroy !== true)
        lifted.push(`${type}.${name}`);
  const withoutPreventDestroy = (document: SynthesizedDocument) => {
    const copy = structuredClone(document);
    for (const resources of Object.values(copy.resource ?? {}))
      for (const resource of Object.values(resources)) {
        if (!resource.lifecycle) continue;
        delete resource.lifecycle.prevent_destroy;
        if (Object.keys(resource.lifecycle).length === 0) delete resource.lifecycle;
      }
    return copy;
  };
  if (!isDeepStrictEqual(withoutPreventDestroy(before), withoutPreventDestroy(after)))
    throw new Error(`${label}: lifting prevent_destroy changed more than the lifecycle`);
  return lifted;
}

/** Each of the repository's environments: its stack as `npm start` synthesizes it, into scratch. */
export function environmentTarget(name: string): RehearsalTarget {
  const [config] = loadEnvironments([name]);
  const synth = (outdir: string, source: unknown) => {
    const [validated] = loadEnvironments([name], { [name]: source });
    const app = new App({ outdir });
    new TaskProcessingStack(app, { config: validated, bundles: buildFunctionBundles({ runtime: validated.processor.runtime }) });
    app.synth();
    return join(outdir, "stacks", name);
  };
  return {
    name,
    accountId: config.account,
    region: config.region,
    needsAwsProvider: LAMBDA_RUNTIMES[config.processor.runtime].needsAwsProvider,
    async prepare(scratch) {
      return scratchCopyOfStack(synth(join(scratch, "synth"), environments[name]), scratch);
    },
    async liftProtection(scratch, directory) {
      // As an operator would: protection.preventDestroy set to false in environments/<name>.ts, then synth.
      const raw = environments[name] as { protection?: Record<string, unknown> };
      const unprotected = synth(join(scratch, "synth-unprotected"), { ...raw, protection: { ...raw.protection, preventDestroy: false } });
      const read = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
      const lifted = liftedAddresses(read(directory), read(unprotected), name);
      copyFileSync(join(unprotected, "cdk.tf.json"), join(directory, "cdk.tf.json"));
      return lifted;
    },
  };
}

/** The account the module's root deploys to; one instance looks it up, the other is told it. */
const MODULE_ACCOUNT = "444444444444";

/**
 * The module from an HCL root, as a platform team calls it: two instances in one state. One
 * with its own KMS key for the bucket, X-Ray tracing, a producer (this account's role and
 * another account's) that must use the key, a reader, and every task type; the other minimal,
 * with the account given instead of looked up.
 */
export function moduleRoot(moduleSource: string): string {
  return `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100.0, < 7.0.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "orders" {
  description             = "acme orders data"
  deletion_window_in_days = 7
}

data "aws_iam_policy_document" "assumed_by_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# Principals by ARN, known at plan: the module decides from their accounts which managed
# policies to create (its for_each keys), and a role created in this same apply has no ARN yet.
locals {
  uploader_arn = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:role/acme-orders-uploader"
  analyst_arn  = "arn:aws:iam::\${data.aws_caller_identity.current.account_id}:role/acme-orders-analyst"
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "uploader" {
  name               = "acme-orders-uploader"
  assume_role_policy = data.aws_iam_policy_document.assumed_by_ec2.json
}

resource "aws_iam_role" "analyst" {
  name               = "acme-orders-analyst"
  assume_role_policy = data.aws_iam_policy_document.assumed_by_ec2.json
}

module "orders" {
  source       = ${JSON.stringify(moduleSource)}
  project_name = "acme"
  environment  = "orders"
  schedules = [
    { name = "ingest", expression = "rate(1 hour)", task = "data_processing", payload = { required_fields = ["id", "amount"] } },
    { name = "partner-ingest", expression = "cron(15 * * * ? *)", task = "data_processing", payload = { prefix = "partner/" } },
    {
      name = "daily-report", expression = "cron(0 9 * * ? *)", timezone = "Europe/Berlin", task = "report",
      payload = { period_hours = 24 }
    },
    { name = "weekly-digest", expression = "cron(0 10 ? * MON *)", timezone = "Europe/Berlin", task = "notification" },
  ]
  notifications = { email = ["orders@example.com"], https = ["https://hooks.example.com/orders"] }
  operations    = { email = ["oncall@example.com"] }
  processor     = { tracing = true, log_level = "INFO" }
  storage       = { kms_key_arn = aws_kms_key.orders.arn }
  access = {
    producers = [
      { name = "partner", principals = [local.uploader_arn, "arn:aws:iam::210987654321:root"], prefix = "partner/", require_kms = true },
    ]
    readers = [
      { name = "analytics", principals = [local.analyst_arn], prefixes = ["processed/", "reports/"] },
    ]
  }
}

resource "aws_iam_role_policy_attachment" "analyst_reads_orders" {
  role       = aws_iam_role.analyst.name
  policy_arn = module.orders.reader_policy_arns["analytics"]
}

resource "aws_iam_role_policy_attachment" "uploader_writes_orders" {
  role       = aws_iam_role.uploader.name
  policy_arn = module.orders.producer_policy_arns["partner"]
}

module "billing" {
  source       = ${JSON.stringify(moduleSource)}
  project_name = "acme"
  environment  = "billing"
  account_id   = "${MODULE_ACCOUNT}"
  schedules = [
    { name = "hourly", expression = "rate(1 hour)", task = "data_processing", payload = { notify_on_success = false } },
  ]
}
`;
}

export function moduleTarget(): RehearsalTarget {
  return {
    name: "module",
    accountId: MODULE_ACCOUNT,
    region: "eu-west-1",
    async prepare(scratch) {
      const directory = join(scratch, "root");
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, "main.tf"), moduleRoot(join(PROJECT_ROOT, "terraform-module")));
      return directory;
    },
    // The module cannot take prevent_destroy (Terraform allows only literals there): its data is
    // kept by the bucket refusing deletion while it holds objects, which the operator empties.
    async liftProtection() {
      return [];
    },
  };
}

const PACKAGE_ACCOUNT = "555555555555";
const PACKAGE_STACK = "tasks-qa";

/** A team's own CDKTF app using the packed construct, with the stack's protection as the config says. */
function consumerApp(preventDestroy: boolean): string {
  const config = {
    name: "qa",
    account: PACKAGE_ACCOUNT,
    region: "eu-central-1",
    projectName: "analytics",
    tags: { team: "analytics" },
    protection: { preventDestroy },
    notifications: { email: ["analytics@example.com"], sms: [], https: [] },
    processor: { memoryMb: 512, timeoutSeconds: 120, logRetentionDays: 30, asyncRetries: 1 },
    schedules: [
      {
        name: "hourly-ingest",
        expression: "rate(1 hour)",
        timezone: "UTC",
        task: "data_processing",
        payload: { requiredFields: ["id"] },
        enabled: true,
        flexibleWindowMinutes: 5,
        retry: { maxAttempts: 5, maxEventAgeSeconds: 3600 },
      },
      {
        name: "daily-report",
        expression: "cron(0 8 ? * MON-FRI *)",
        timezone: "Europe/Berlin",
        task: "report",
        enabled: true,
        flexibleWindowMinutes: 15,
        retry: { maxAttempts: 5, maxEventAgeSeconds: 3600 },
      },
      // The team's own task, in its own function: fired as Scheduler fires it, like the built-in tasks.
      { name: "ledger-hourly", expression: "rate(1 hour)", timezone: "UTC", task: "ledger", payload: { currency: "EUR" } },
    ],
    tasks: { ledger: { entry: "ledger.ts", reads: ["ledger/in/"], writes: ["ledger/out/"] } },
  };
  return `const { App, S3Backend, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { ScheduledTaskProcessing } = require("scheduled-task-processing");
const app = new App();
const stack = new TerraformStack(app, ${JSON.stringify(PACKAGE_STACK)});
new AwsProvider(stack, "aws", { region: ${JSON.stringify(config.region)}, allowedAccountIds: [${JSON.stringify(PACKAGE_ACCOUNT)}] });
new S3Backend(stack, { bucket: "analytics-terraform-state", key: "tasks/qa.tfstate", region: ${JSON.stringify(config.region)} });
new ScheduledTaskProcessing(stack, "tasks", { config: ${JSON.stringify(config, null, 2)} });
app.synth();
`;
}

/** `node main.js` in the consumer app (it synthesizes into its own cdktf.out/). */
function synthConsumer(app: string, preventDestroy: boolean): string {
  writeFileSync(join(app, "main.js"), consumerApp(preventDestroy));
  const run = spawnSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (run.status !== 0) throw new Error(`the consumer app did not synthesize:\n${run.stderr}`);
  return join(app, "cdktf.out", "stacks", PACKAGE_STACK);
}

/** The construct as a user installs it: npm pack, a fresh CDKTF app outside this tree, its synth. */
export function packageTarget(): RehearsalTarget {
  return {
    name: "package",
    accountId: PACKAGE_ACCOUNT,
    region: "eu-central-1",
    async prepare(scratch) {
      const { tarball } = packPackage(scratch);
      const app = join(scratch, "consumer-app");
      // esbuild bundles the app's own task at synth (the package's optional peer).
      installPacked(tarball, app, "cdktf", ["esbuild"]);
      copyFileSync(join(PROJECT_ROOT, "examples", "own-task", "ledger.ts"), join(app, "ledger.ts"));
      // Terraform runs in a copy: the app's cdktf.out/ is its own `cdktf deploy` folder.
      return scratchCopyOfStack(synthConsumer(app, true), scratch);
    },
    async liftProtection(scratch, directory) {
      const unprotected = synthConsumer(join(scratch, "consumer-app"), false);
      const read = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
      const lifted = liftedAddresses(read(directory), read(unprotected), "package");
      copyFileSync(join(unprotected, "cdk.tf.json"), join(directory, "cdk.tf.json"));
      return lifted;
    },
  };
}
