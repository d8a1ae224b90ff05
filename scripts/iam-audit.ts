import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../environments/load";
import { buildApp } from "../main";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { synthesizeModule } from "../modules/tooling/terraform-module/synthesize-module";
import { auditStack } from "./lib/iam-audit/audit";
import { AUDITED_MODULE_ENVIRONMENT, AUDITED_MODULE_INSTANCE, moduleInstanceDocument } from "./lib/iam-audit/module-instance";
import { auditText } from "./lib/iam-audit/report";

const USAGE = "usage: npm run iam-audit -- <env|module> [--stack <cdk.tf.json>]";

/**
 * Least privilege by behaviour: runs the functions' bundles through the test scenarios against
 * the emulator, records every AWS call they make, adds the calls AWS makes with the stack's
 * roles, and evaluates them all with an IAM policy simulator against the environment's
 * synthesized policies (or those of the stack file given). Prints a table per role and the
 * grants no call used; exits 1 on a denied call or an unused grant with no reason to keep it.
 * `module` audits one instance of terraform-module/ (AUDITED_MODULE_INSTANCE) with the
 * module's own defaults.
 */
async function main(args: string[]): Promise<number> {
  // The AWS SDK's notice that it will need Node 22 from January 2027 (see README, Processor bundle).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const [envName, ...rest] = args;
  const stackFlag = rest.indexOf("--stack");
  const stackPath = stackFlag >= 0 ? rest[stackFlag + 1] : undefined;
  if (!envName || envName.startsWith("--") || (stackFlag >= 0 && !stackPath) || rest.length !== (stackFlag >= 0 ? 2 : 0)) {
    console.error(USAGE);
    return 2;
  }
  if (envName === "module") {
    const instance = AUDITED_MODULE_INSTANCE;
    // The module's resources as the construct synthesized them for it (terraform-module/ holds them as HCL).
    const module = stackPath ? JSON.parse(readFileSync(stackPath, "utf8")) : (await synthesizeModule()).document;
    const audit = await auditStack(AUDITED_MODULE_ENVIRONMENT, moduleInstanceDocument(module, instance));
    process.stdout.write(auditText("module", audit));
    return audit.ok ? 0 : 1;
  }
  let path = stackPath;
  try {
    const [config] = loadEnvironments([envName]);
    if (!path) {
      const app = buildApp(undefined, [envName]);
      app.synth();
      path = join(app.outdir, "stacks", envName, "cdk.tf.json");
    }
    const audit = await auditStack(config, JSON.parse(readFileSync(path, "utf8")));
    process.stdout.write(auditText(envName, audit));
    return audit.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    return error.exitCode;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
