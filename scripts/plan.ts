import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadEnvironment } from "../environments/load";
import { buildApp } from "../main";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { guardPlan, renderPlanGuard } from "./lib/plan-guard";
import { namesMissingFrom, providerSchema } from "./lib/provider-schema";
import { renderTable } from "./lib/table";
import { ProviderUnavailableError, planStack, TerraformStepError } from "./lib/terraform-runner";

const USAGE = "usage: npm run plan -- <env> [--offline | --online]";

/**
 * `npm run plan prod --offline` (no `--`) gives `--offline` to npm, which sets
 * npm_config_offline and runs the script without it: the plan would quietly go online. npm
 * gives no way to tell that from `offline=true` in an .npmrc, so both are refused unless the
 * command says which it means.
 */
export function npmTookOffline(args: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const npmOffline = env.npm_config_offline !== undefined && env.npm_config_offline !== "" && env.npm_config_offline !== "false";
  return npmOffline && !args.includes("--offline") && !args.includes("--online");
}

/**
 * Synthesizes one environment and runs terraform init, plan -out (validate when it fails) and
 * show -json in a scratch copy of the stack (cdktf.out/stacks/<env> stays as synth wrote it),
 * then prints what would change by resource type.
 */
async function main(args: string[]): Promise<number> {
  const offline = args.includes("--offline");
  const rest = args.filter((a) => a !== "--offline" && a !== "--online");
  if (rest.length !== 1 || rest[0].startsWith("-") || (offline && args.includes("--online"))) {
    console.error(USAGE);
    return 2;
  }
  const [name] = rest;
  if (npmTookOffline(args, process.env)) {
    console.error(
      `npm took --offline as its own option (npm_config_offline is set), so this plan would run online. ` +
        `To plan offline: npm run plan -- ${name} --offline\n` +
        `To plan against the configured backend while npm is set offline: npm run plan -- ${name} --online`,
    );
    return 2;
  }
  let outdir: string;
  try {
    const app = buildApp(undefined, [name]);
    app.synth();
    outdir = app.outdir;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error("synth failed: the configuration is invalid");
    for (const problem of error.problems) console.error(formatProblem(problem));
    return error.exitCode;
  }
  const stackDirectory = join(outdir, "stacks", name);
  console.log(
    `${name}: synthesized ${stackDirectory}; planning ` +
      `${offline ? "offline (local backend, no AWS account)" : "against the configured backend"}`,
  );
  try {
    const result = await planStack(stackDirectory, { offline });
    const rows = result.summary.map((s) => [s.type, String(s.create), String(s.update), String(s.replace), String(s.delete)]);
    const total = (key: "create" | "update" | "replace" | "delete") => result.summary.reduce((sum, s) => sum + s[key], 0);
    console.log(renderTable(["resource type", "add", "change", "replace", "destroy"], rows));
    console.log(
      `\nPlan: ${total("create")} to add, ${total("update")} to change, ${total("replace")} to replace, ${total("delete")} to destroy.`,
    );
    console.log(
      `Saved plan: ${result.planFile}\nPlan as JSON: ${result.planJsonFile}\n(in a scratch copy; ${stackDirectory} is as synth wrote it)`,
    );
    const config = loadEnvironment(name);
    const guard = guardPlan(result.plan, config.destroyWaivers ?? []);
    console.log(`\n${renderPlanGuard(guard)}`);
    for (const change of guard.blocking)
      console.error(
        `blocked: the plan would ${change.action} ${change.address} (${change.reason}); it ${change.stateful}. Waive it in ${name}'s ` +
          `destroyWaivers with a reason, or change the plan.`,
      );
    return guard.blocking.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ProviderUnavailableError) return checkedStatically(error, stackDirectory);
    if (!(error instanceof TerraformStepError)) throw error;
    console.error(error.message);
    return 1;
  }
}

/**
 * A stack terraform cannot plan here for want of its provider (nodejs24.x needs hashicorp/aws
 * 6.19; a mirror of 5.100 has none) is checked without it: every resource type, argument and
 * nested block it sets against the 6.x schema of the bindings' jsii assembly. Exits 0 when all
 * are there: a skip said as one, not a failure.
 */
export function checkedStatically(skipped: ProviderUnavailableError, stackDirectory: string): number {
  console.log(`skipped: ${skipped.message}`);
  const bindings = dirname(require.resolve("@cdktf/provider-aws-6/package.json"));
  const { cdktf } = JSON.parse(readFileSync(join(bindings, "package.json"), "utf8")) as { cdktf: { provider: { version: string } } };
  const schema = providerSchema(bindings);
  const missing = namesMissingFrom(schema, JSON.parse(readFileSync(join(stackDirectory, "cdk.tf.json"), "utf8")));
  const against =
    `the hashicorp/aws ${cdktf.provider.version} schema ` + `(the jsii assembly of its bindings, @cdktf/provider-aws ${schema.version})`;
  if (missing.length > 0) {
    console.error(`checked against ${against} instead; it lacks:\n${missing.join("\n")}`);
    return 1;
  }
  console.log(`checked against ${against} instead: every resource type, argument and nested block the stack sets is there.`);
  return 0;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
