import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../modules/config/load";
import type { EnvironmentConfig, EnvironmentName } from "../../modules/config/schema";
import type { PolicyDocument } from "../../modules/iam/policy-document";

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
  const { buildFunctionBundles } = require("../../modules/function-bundle") as typeof import("../../modules/function-bundle");
  const { TaskProcessingStack } = require("../../modules/task-processing-stack") as typeof import("../../modules/task-processing-stack");
  const stack = new TaskProcessingStack(Testing.app(), { config, bundles: buildFunctionBundles() });
  return Testing.synth(stack);
}

export function environment(name: EnvironmentName): EnvironmentConfig {
  return ENVIRONMENTS.find((config) => config.name === name)!;
}

/** Every resource of `type`, as [logical id, body]. */
export function resources(stack: SynthesizedStack, type: string): Array<[string, any]> {
  return Object.entries(stack.document.resource[type] ?? {});
}

/** The resource of `type` created by the construct `id` at the top of the stack, as [logical id, body]. */
export function named(stack: SynthesizedStack, type: string, constructId: string): [string, any] {
  const found = resources(stack, type).filter(([id]) => id.startsWith(`${constructId}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} under ${constructId}, found ${found.length}`);
  return found[0];
}

/** `${type.logicalId.attribute}` for the resource `named` finds. */
export function referenceTo(stack: SynthesizedStack, type: string, constructId: string, attribute: string): string {
  return `\${${type}.${named(stack, type, constructId)[0]}.${attribute}}`;
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
