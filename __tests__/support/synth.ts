import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../environments/load";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { validateEnvironment } from "../../modules/config/validate";
import type { PolicyDocument } from "../../modules/constructs/support/policy-document";
import { StackDocument } from "../../modules/tooling/security/stack-document";

/** A synthesized stack (cdk.tf.json) with helpers to read it. */
export interface SynthesizedStack {
  readonly json: string;
  readonly document: {
    terraform: Record<string, any>;
    provider: Record<string, any[]>;
    resource: Record<string, Record<string, any>>;
    output: Record<string, any>;
    data?: Record<string, unknown>;
  };
}

const cache = new Map<EnvironmentConfig, SynthesizedStack>();

export const ENVIRONMENTS: readonly EnvironmentConfig[] = loadEnvironments();

/**
 * One environment's synthesized stack. The shipped environments come from the run's shared
 * synth (global-setup.ts); any other config is synthesized here, once per test file.
 */
export function synthEnvironment(config: EnvironmentConfig): SynthesizedStack {
  const cached = cache.get(config);
  if (cached) return cached;
  const json = sharedSynth(config) ?? synthHere(config);
  const synthesized = { json, document: JSON.parse(json) };
  cache.set(config, synthesized);
  return synthesized;
}

function sharedSynth(config: EnvironmentConfig): string | undefined {
  const outdir = process.env.SYNTH_OUTDIR;
  const shipped = ENVIRONMENTS.find((c) => c.name === config.name);
  if (!outdir || !shipped || JSON.stringify(shipped) !== JSON.stringify(config)) return undefined;
  const file = join(outdir, "stacks", config.name, "cdk.tf.json");
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

// Loaded only when needed: cdktf and the provider bindings are the slowest imports here.
function synthHere(config: EnvironmentConfig): string {
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { buildFunctionBundles } =
    require("../../modules/bundling/function-bundle") as typeof import("../../modules/bundling/function-bundle");
  const { TaskProcessingStack } =
    require("../../modules/constructs/task-processing-stack") as typeof import("../../modules/constructs/task-processing-stack");
  const stack = new TaskProcessingStack(Testing.app(), { config, bundles: buildFunctionBundles({ runtime: config.processor.runtime }) });
  return Testing.synth(stack);
}

export function environment(name: string): EnvironmentConfig {
  return ENVIRONMENTS.find((config) => config.name === name)!;
}

/** The queue in another account that `withLedgerTask`'s schedule `to-orders` sends to. */
const OTHER_ACCOUNT_QUEUE = "arn:aws:sqs:us-east-1:210987654321:orders";

/**
 * dev with the example ledger task (examples/own-task/ledger.ts: reads `ledger/in/`, writes
 * `ledger/out/`), a schedule that runs it (`ledger-hourly`), and one on another account's queue
 * (`to-orders`); validated, as the loader gives it.
 */
export function withLedgerTask(name = "dev"): EnvironmentConfig {
  const dev = environment("dev");
  const result = validateEnvironment({
    ...dev,
    name,
    tasks: { ledger: { entry: "examples/own-task/ledger.ts", reads: ["ledger/in/"], writes: ["ledger/out/"] } },
    schedules: [
      ...dev.schedules,
      { name: "ledger-hourly", expression: "rate(1 hour)", task: "ledger", payload: { currency: "EUR" } },
      { name: "to-orders", expression: "rate(1 day)", target: { sqs: OTHER_ACCOUNT_QUEUE } },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/**
 * Every resource of `type`, as [name, body]; a `for_each` resource as one entry per instance,
 * [`name["key"]`, body with each.key and each.value filled in], as Terraform plans it.
 */
export function resources(stack: SynthesizedStack, type: string): Array<[string, any]> {
  return new StackDocument(stack.document as any).ofType(type).map(([address, body]) => [address.slice(type.length + 1), body]);
}

/** The resource at the pinned address `type.name`, as [name, body]. */
export function named(stack: SynthesizedStack, type: string, name: string): [string, any] {
  const body = stack.document.resource[type]?.[name];
  if (!body) throw new Error(`no ${type}.${name} in the stack`);
  return [name, body];
}

/** `${type.name.attribute}` for the pinned resource `type.name`. */
export function referenceTo(stack: SynthesizedStack, type: string, name: string, attribute: string): string {
  return `\${${type}.${named(stack, type, name)[0]}.${attribute}}`;
}

/** The only resource of `type`; fails if there is not exactly one. */
export function single(stack: SynthesizedStack, type: string): any {
  const all = resources(stack, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0][1];
}

/** `${aws_s3_bucket.storage_bucket_6AF501AE.arn}` → the resource body it points at. */
export function referenced(stack: SynthesizedStack, reference: string): { type: string; id: string; attribute: string; body: any } {
  const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/.exec(reference);
  if (!match) throw new Error(`not a resource reference: ${reference}`);
  const [, type, id, attribute] = match;
  const body = stack.document.resource[type]?.[id];
  if (!body) throw new Error(`reference to missing resource ${type}.${id}`);
  return { type, id, attribute, body };
}

export function parsePolicy(text: string): PolicyDocument {
  return JSON.parse(text) as PolicyDocument;
}

/** Every IAM-style policy in the stack: role trust and inline policies and resource policies. */
export function allPolicies(stack: SynthesizedStack): Array<{ where: string; document: PolicyDocument }> {
  const found: Array<{ where: string; document: PolicyDocument }> = [];
  const fields: Record<string, string> = {
    aws_iam_role: "assume_role_policy",
    aws_iam_role_policy: "policy",
    aws_iam_policy: "policy",
    aws_s3_bucket_policy: "policy",
    aws_sns_topic_policy: "policy",
    aws_sqs_queue_policy: "policy",
    aws_kms_key: "policy",
  };
  for (const [type, field] of Object.entries(fields)) {
    for (const [id, body] of resources(stack, type)) found.push({ where: `${type}.${id}`, document: parsePolicy(body[field]) });
  }
  return found;
}

/** What every function is told for Powertools: its service (the function's name), namespace, log level and tracing. */
export function powertoolsVariables(config: EnvironmentConfig, functionName: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: functionName,
    POWERTOOLS_METRICS_NAMESPACE: "ScheduledTasks",
    POWERTOOLS_LOG_LEVEL: config.processor.logLevel,
    POWERTOOLS_TRACE_ENABLED: String(config.processor.tracing),
  };
}

/** The statement that lets a function write its traces, last in its policy where tracing is on. */
export function writeTracesWhereTraced(config: EnvironmentConfig): unknown[] {
  return config.processor.tracing ? [expect.objectContaining({ Sid: "WriteTraces", Resource: ["*"] })] : [];
}
