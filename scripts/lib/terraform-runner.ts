import { spawn } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findTerraform, terraformCliEnv, OFFLINE_OVERRIDE_FILE, writeOfflineOverride } from "./offline-terraform";

export type TerraformStep = "init" | "validate" | "plan" | "show" | "test";

/** A terraform step failed; says which, and carries what terraform printed. */
export class TerraformStepError extends Error {
  override readonly name = "TerraformStepError";
  constructor(
    readonly step: TerraformStep | "locate",
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(step === "locate" ? output : `terraform ${step} failed (exit ${exitCode}):\n${tail(output)}`);
  }
}

function tail(text: string, lines = 40): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Runs terraform with `args` in `cwd`; resolves with stdout, rejects with TerraformStepError
 * unless the exit code is one of `acceptedExitCodes`.
 */
export function runTerraform(step: TerraformStep, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, acceptedExitCodes: readonly number[] = [0]): Promise<string> {
  const terraform = findTerraform(env);
  if (!terraform) return Promise.reject(new TerraformStepError("locate", null, "terraform is not on PATH: install Terraform 1.10 or later"));
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, ["-chdir=" + cwd, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => reject(new TerraformStepError(step, null, error.message)));
    child.on("close", (code) => (code !== null && acceptedExitCodes.includes(code) ? resolve(stdout) : reject(new TerraformStepError(step, code, `${stderr}\n${stdout}`))));
  });
}

// Concurrent inits race to fill the shared plugin cache (seen: one sees a half-written
// provider), so inits queue.
let initQueue: Promise<unknown> = Promise.resolve();
function oneInitAtATime<T>(init: () => Promise<T>): Promise<T> {
  const run = initQueue.then(init, init);
  initQueue = run.catch(() => undefined);
  return run;
}

export interface ResourceChangeSummary {
  readonly type: string;
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export interface PlanResult {
  readonly stackDirectory: string;
  readonly planFile: string;
  readonly planJsonFile: string;
  readonly plan: any;
  readonly summary: ResourceChangeSummary[];
}

export interface PlanOptions {
  /** Plan without AWS: local backend and a provider that skips account checks (override file). */
  readonly offline: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Gets a synthesized stack directory ready: the offline override written (or, online, any left
 * from an offline run removed, so a real plan never runs against a local backend by
 * accident), then terraform init. Inits run one at a time: they fill the shared plugin cache.
 */
export async function prepareStack(stackDirectory: string, options: PlanOptions): Promise<NodeJS.ProcessEnv> {
  const overridePath = join(stackDirectory, OFFLINE_OVERRIDE_FILE);
  if (options.offline) writeOfflineOverride(stackDirectory);
  else if (existsSync(overridePath)) rmSync(overridePath);
  const env = terraformCliEnv(options.env ?? process.env);
  // -reconfigure: the directory may have been initialised for the other backend last time;
  // state is never migrated between the offline local backend and the real one.
  await oneInitAtATime(() => runTerraform("init", ["init", "-input=false", "-no-color", "-reconfigure"], stackDirectory, env));
  return env;
}

/** validate, plan -out and show -json in a prepared stack directory. */
export async function planPrepared(stackDirectory: string, env: NodeJS.ProcessEnv, offline: boolean): Promise<PlanResult> {
  // validate -json exits 1 on an invalid configuration and still prints its JSON verdict.
  const validation = JSON.parse(await runTerraform("validate", ["validate", "-json", "-no-color"], stackDirectory, env, [0, 1]));
  if (!validation.valid) {
    const messages = (validation.diagnostics ?? []).map((d: { summary: string; detail?: string }) => `${d.summary}${d.detail ? `: ${d.detail}` : ""}`);
    throw new TerraformStepError("validate", 1, messages.join("\n"));
  }
  const planFile = "tfplan";
  await runTerraform("plan", ["plan", "-input=false", "-no-color", `-out=${planFile}`, ...(offline ? ["-lock=false"] : [])], stackDirectory, env);
  const plan = JSON.parse(await runTerraform("show", ["show", "-json", "-no-color", planFile], stackDirectory, env));
  const planJsonFile = join(stackDirectory, "plan.json");
  writeFileSync(planJsonFile, JSON.stringify(plan, null, 2));
  return { stackDirectory, planFile: join(stackDirectory, planFile), planJsonFile, plan, summary: summarisePlan(plan) };
}

/** init, validate, plan -out and show -json for a synthesized stack directory. */
export async function planStack(stackDirectory: string, options: PlanOptions): Promise<PlanResult> {
  const env = await prepareStack(stackDirectory, options);
  return planPrepared(stackDirectory, env, options.offline);
}

/**
 * Plans several stacks: all inits first, one at a time (an init may rewrite the plugin cache
 * another stack's validate is reading), then every validate and plan side by side.
 */
export async function planStacks(stackDirectories: readonly string[], options: PlanOptions): Promise<Array<PromiseSettledResult<PlanResult>>> {
  const prepared: Array<{ env: NodeJS.ProcessEnv } | { error: unknown }> = [];
  for (const directory of stackDirectories) prepared.push(await prepareStack(directory, options).then((env) => ({ env }), (error) => ({ error })));
  return Promise.allSettled(
    stackDirectories.map((directory, i) => {
      const ready = prepared[i];
      return "error" in ready ? Promise.reject(ready.error) : planPrepared(directory, ready.env, options.offline);
    }),
  );
}

/** Resources to create, update, replace and delete, by type. */
export function summarisePlan(plan: { resource_changes?: Array<{ type: string; change: { actions: string[] } }> }): ResourceChangeSummary[] {
  const byType = new Map<string, { create: number; update: number; replace: number; delete: number }>();
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change.actions;
    const counts = byType.get(change.type) ?? { create: 0, update: 0, replace: 0, delete: 0 };
    if (actions.includes("create") && actions.includes("delete")) counts.replace += 1;
    else if (actions.includes("create")) counts.create += 1;
    else if (actions.includes("update")) counts.update += 1;
    else if (actions.includes("delete")) counts.delete += 1;
    else continue;
    byType.set(change.type, counts);
  }
  return [...byType].map(([type, counts]) => ({ type, ...counts })).sort((a, b) => a.type.localeCompare(b.type));
}
