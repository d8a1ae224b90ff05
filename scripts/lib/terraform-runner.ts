import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { awsProviderUnavailable, findTerraform, OFFLINE_OVERRIDE_FILE, terraformCliEnv, writeOfflineOverride } from "./offline-terraform";

export type TerraformStep = "init" | "validate" | "plan" | "show" | "test" | "apply" | "destroy";

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

/**
 * A stack that needs a newer hashicorp/aws than terraform can install here (nodejs24.x needs 6.19,
 * a mirror holding 5.100 has none): it is not planned. Says which runtime, which provider and why.
 */
export class ProviderUnavailableError extends Error {
  override readonly name = "ProviderUnavailableError";
  constructor(
    readonly stackDirectory: string,
    readonly needs: string,
    readonly runtime: string | undefined,
    readonly why: string,
  ) {
    super(
      `${basename(stackDirectory)} needs hashicorp/aws ${needs} or later` +
        `${runtime ? ` (its functions run on ${runtime}, which older providers refuse)` : ""}, and ${why}: ` +
        "not planned here. Plan it where the registry (or a mirror with that provider) is reachable.",
    );
  }
}

/** The oldest hashicorp/aws a synthesized stack admits (the lower bound of its constraint), if it states one. */
export function requiredAwsProvider(stackDirectory: string): { needs: string; runtime?: string } | undefined {
  const file = join(stackDirectory, "cdk.tf.json");
  if (!existsSync(file)) return undefined;
  const document = JSON.parse(readFileSync(file, "utf8"));
  const constraint: unknown = document.terraform?.required_providers?.aws?.version;
  const needs = typeof constraint === "string" ? /(?:>=\s*|^\s*=?\s*)(\d+\.\d+\.\d+)/.exec(constraint)?.[1] : undefined;
  return needs ? { needs, runtime: document.resource?.aws_lambda_function?.processor?.runtime } : undefined;
}

/** Throws ProviderUnavailableError when terraform could not install the provider the stack needs. */
export function checkProviderAvailable(stackDirectory: string, env: NodeJS.ProcessEnv = process.env): void {
  const required = requiredAwsProvider(stackDirectory);
  const why = required && awsProviderUnavailable(required.needs, env);
  if (required && why) throw new ProviderUnavailableError(stackDirectory, required.needs, required.runtime, why);
}

function tail(text: string, lines = 40): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Runs terraform with `args` in `cwd`; resolves with stdout, rejects with TerraformStepError
 * unless the exit code is one of `acceptedExitCodes`. An aborted `signal` stops terraform
 * (SIGINT first, as Ctrl-C would, so it releases its state lock).
 */
export function runTerraform(
  step: TerraformStep,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  acceptedExitCodes: readonly number[] = [0],
  signal?: AbortSignal,
): Promise<string> {
  const terraform = findTerraform(env);
  if (!terraform)
    return Promise.reject(new TerraformStepError("locate", null, "terraform is not on PATH: install Terraform 1.10 or later"));
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, [`-chdir=${cwd}`, ...args], { env, stdio: ["ignore", "pipe", "pipe"], signal, killSignal: "SIGINT" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => reject(new TerraformStepError(step, null, error.message)));
    child.on("close", (code) =>
      code !== null && acceptedExitCodes.includes(code)
        ? resolve(stdout)
        : reject(new TerraformStepError(step, code, `${stderr}\n${stdout}`)),
    );
  });
}

// Concurrent inits race to fill the shared plugin cache (seen: one sees a half-written
// provider), so inits queue.
let initQueue: Promise<unknown> = Promise.resolve();
export function oneInitAtATime<T>(init: () => Promise<T>): Promise<T> {
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

/**
 * What Terraform and the tools leave in a stack directory, never what synth writes: the copy a
 * tool works in starts from the synthesized configuration only (an override file left by an
 * older tool would otherwise point the plan at a local backend).
 */
const TOOL_LEFTOVERS = /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|tfplan|plan\.json|.*_override\.tf(\.json)?)$/;

/**
 * A scratch copy of a synthesized stack directory, for a tool to init, plan or apply in:
 * `cdktf.out/stacks/<env>` belongs to synth and `cdktf deploy`, and no other tool writes there.
 */
export function scratchCopyOfStack(stackDirectory: string, scratchRoot: string = tmpdir()): string {
  const copy = join(mkdtempSync(join(scratchRoot, `${basename(stackDirectory)}-`)), basename(stackDirectory));
  cpSync(stackDirectory, copy, {
    recursive: true,
    filter: (path) => path === stackDirectory || !TOOL_LEFTOVERS.test(basename(path)),
  });
  return copy;
}

export interface PlanResult {
  /** The synthesized stack that was planned (left as synth wrote it). */
  readonly stackDirectory: string;
  /** The scratch copy Terraform ran in: its .terraform, the saved plan and plan.json. */
  readonly workDirectory: string;
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
 * Gets a working copy of a stack ready: the offline override written (or, online, any found
 * removed, so a real plan never runs against a local backend by accident), then terraform init.
 * Inits run one at a time: they fill the shared plugin cache.
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

/**
 * plan -out and show -json in a prepared stack directory. A plan validates the configuration
 * first; only when it fails does validate run, to tell an invalid configuration (with its
 * diagnostics) from a plan that failed for another reason. Each step starts the provider,
 * which is most of its time.
 */
export async function planPrepared(
  stackDirectory: string,
  env: NodeJS.ProcessEnv,
  offline: boolean,
  source: string = stackDirectory,
): Promise<PlanResult> {
  const planFile = "tfplan";
  try {
    await runTerraform(
      "plan",
      ["plan", "-input=false", "-no-color", `-out=${planFile}`, ...(offline ? ["-lock=false"] : [])],
      stackDirectory,
      env,
    );
  } catch (error) {
    await throwIfInvalid(stackDirectory, env);
    throw error;
  }
  const plan = JSON.parse(await runTerraform("show", ["show", "-json", "-no-color", planFile], stackDirectory, env));
  const planJsonFile = join(stackDirectory, "plan.json");
  writeFileSync(planJsonFile, JSON.stringify(plan, null, 2));
  return {
    stackDirectory: source,
    workDirectory: stackDirectory,
    planFile: join(stackDirectory, planFile),
    planJsonFile,
    plan,
    summary: summarisePlan(plan),
  };
}

async function throwIfInvalid(stackDirectory: string, env: NodeJS.ProcessEnv): Promise<void> {
  // validate -json exits 1 on an invalid configuration and still prints its JSON verdict.
  const validation = JSON.parse(await runTerraform("validate", ["validate", "-json", "-no-color"], stackDirectory, env, [0, 1]));
  if (validation.valid) return;
  const messages = (validation.diagnostics ?? []).map(
    (d: { summary: string; detail?: string }) => `${d.summary}${d.detail ? `: ${d.detail}` : ""}`,
  );
  throw new TerraformStepError("validate", 1, messages.join("\n"));
}

/**
 * init, plan -out (validate when it fails) and show -json for a synthesized stack directory, in
 * a scratch copy of it: the stack directory is left exactly as synth wrote it.
 */
export async function planStack(stackDirectory: string, options: PlanOptions): Promise<PlanResult> {
  checkProviderAvailable(stackDirectory, options.env);
  const work = scratchCopyOfStack(stackDirectory);
  const env = await prepareStack(work, options);
  return planPrepared(work, env, options.offline, stackDirectory);
}

/**
 * Plans several synthesized stacks offline in one Terraform run: a root that calls a scratch
 * copy of each stack as a module, so the provider starts for one init, plan and show instead of
 * for each stack's. Each stack's part of the plan comes back as if it had been planned alone
 * (addresses without the module prefix) and is written to its copy's plan.json; `planFile` is
 * the combined plan. A stack with import blocks (only a root may hold them) is planned on its own,
 * and so is every stack when the combined run fails, so that each failure names its stack.
 */
export async function planStacksOffline(
  stackDirectories: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Array<PromiseSettledResult<PlanResult>>> {
  const alone = (directory: string) => planStack(directory, { offline: true, env });
  // A stack whose provider cannot be installed here is left to plan alone, which says so.
  const installable = (directory: string) => !awsProviderUnavailable(requiredAwsProvider(directory)?.needs ?? "0.0.0", env);
  const together = stackDirectories.filter((directory) => !hasImportBlocks(directory) && installable(directory));
  const separately = stackDirectories.filter((directory) => !together.includes(directory));
  const combined = together.length > 1 ? await planTogether(together, env).catch(() => undefined) : undefined;
  return Promise.allSettled(
    stackDirectories.map((directory) => {
      const part = combined?.get(directory);
      return part && !separately.includes(directory) ? Promise.resolve(part) : alone(directory);
    }),
  );
}

function hasImportBlocks(stackDirectory: string): boolean {
  return "import" in JSON.parse(readFileSync(join(stackDirectory, "cdk.tf.json"), "utf8"));
}

async function planTogether(stackDirectories: readonly string[], env: NodeJS.ProcessEnv): Promise<Map<string, PlanResult>> {
  const root = mkdtempSync(join(tmpdir(), "stacks-planned-together-"));
  const keys = stackDirectories.map((_, i) => `stack_${i}`);
  // Each stack is copied beside the root, so nothing of the plan reaches the stack directories.
  const copies = stackDirectories.map((directory) => scratchCopyOfStack(directory, root));
  const moduleCalls = Object.fromEntries(
    copies.map((copy, i) => {
      writeOfflineOverride(copy);
      // A relative source is used where it lies; an absolute one would be copied into .terraform.
      const source = relative(root, copy);
      return [keys[i], { source: source.startsWith(".") ? source : `./${source}` }];
    }),
  );
  writeFileSync(join(root, "main.tf.json"), JSON.stringify({ module: moduleCalls }));
  const ready = await prepareStack(root, { offline: false, env });
  const result = await planPrepared(root, ready, true);
  const parts = new Map<string, PlanResult>();
  stackDirectories.forEach((directory, i) => {
    const plan = planOfModule(result.plan, keys[i]);
    const planJsonFile = join(copies[i], "plan.json");
    writeFileSync(planJsonFile, JSON.stringify(plan, null, 2));
    parts.set(directory, {
      stackDirectory: directory,
      workDirectory: copies[i],
      planFile: result.planFile,
      planJsonFile,
      plan,
      summary: summarisePlan(plan),
    });
  });
  return parts;
}

/** One module's part of a plan (show -json), addressed as if the module were the root. */
export function planOfModule(plan: any, key: string): any {
  const prefix = `module.${key}`;
  const unprefix = (address: string) =>
    address === prefix ? undefined : address.startsWith(`${prefix}.`) ? address.slice(prefix.length + 1) : address;
  const readdress = <T extends { address?: string; module_address?: string }>(item: T): T => {
    const { module_address: moduleAddress, ...rest } = item;
    const inner = moduleAddress === undefined ? undefined : unprefix(moduleAddress);
    return {
      ...rest,
      ...(rest.address !== undefined ? { address: unprefix(rest.address) } : {}),
      ...(inner !== undefined ? { module_address: inner } : {}),
    } as T;
  };
  const moduleValues = (values: any): any => ({
    ...values,
    address: undefined,
    resources: (values?.resources ?? []).map(readdress),
    child_modules: (values?.child_modules ?? []).map((child: any) => ({ ...moduleValues(child), address: unprefix(child.address) })),
  });
  const planned = plan.planned_values?.root_module?.child_modules?.find((m: any) => m.address === prefix);
  const inModule = (change: { module_address?: string }) =>
    change.module_address === prefix || (change.module_address ?? "").startsWith(`${prefix}.`);
  return {
    format_version: plan.format_version,
    terraform_version: plan.terraform_version,
    planned_values: { root_module: moduleValues(planned ?? {}) },
    resource_changes: (plan.resource_changes ?? []).filter(inModule).map(readdress),
    configuration: { root_module: plan.configuration?.root_module?.module_calls?.[key]?.module ?? {} },
  };
}

/** Resources to create, update, replace and delete, by type. */
export function summarisePlan(plan: {
  resource_changes?: Array<{ type: string; change: { actions: string[] } }>;
}): ResourceChangeSummary[] {
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
