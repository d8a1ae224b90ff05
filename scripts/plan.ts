import { join } from "node:path";
import { loadEnvironment } from "../environments/load";
import { buildApp } from "../main";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { guardPlan, renderPlanGuard } from "./lib/plan-guard";
import { renderTable } from "./lib/table";
import { planStack, TerraformStepError } from "./lib/terraform-runner";

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
    if (!(error instanceof TerraformStepError)) throw error;
    console.error(error.message);
    return 1;
  }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
