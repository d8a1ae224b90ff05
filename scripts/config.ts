import { loadEnvironment } from "../environments/load";
import { ConfigError, formatProblem, validateEnvironment } from "../modules/config/validate";
import { looksLikeModuleInputs, validateModuleInputs } from "../modules/tooling/terraform-module/module-inputs";
import { readConfigFile } from "./lib/config-file";

const USAGE = `usage: npm run --silent config -- dump <env>
       npm run --silent config -- check <file.json | file.tfvars | file.tfvars.json>`;

/**
 * `dump <env>` prints a validated config as JSON; `check <file>` validates a JSON config, or the
 * Terraform module's inputs (`*.tfvars` in HCL, or `*.tfvars.json`) with the same engine.
 */
export async function runConfigCommand(args: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  const [command, target, ...rest] = args;
  if (!target || rest.length > 0 || (command !== "dump" && command !== "check")) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  if (command === "dump") {
    try {
      out.write(`${JSON.stringify(loadEnvironment(target), null, 2)}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) err.write(`${formatProblem(problem)}\n`);
      return error.exitCode;
    }
  }
  const file = await readConfigFile(target);
  if ("problem" in file) {
    err.write(`${file.problem}\n`);
    return 1;
  }
  const { raw } = file;
  const result = looksLikeModuleInputs(raw, target) ? validateModuleInputs(raw) : validateEnvironment(raw);
  for (const warning of result.warnings) err.write(`warning: ${formatProblem(warning)}\n`);
  if (result.ok) {
    out.write("ok\n");
    return 0;
  }
  for (const problem of result.problems) err.write(`${formatProblem(problem)}\n`);
  return 1;
}

if (require.main === module) void runConfigCommand(process.argv.slice(2)).then((code) => (process.exitCode = code));
