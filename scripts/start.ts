import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadEnvironments } from "../environments/load";
import { buildApp } from "../main";
import { PROJECT_ROOT } from "../modules/bundling/function-bundle";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { StackDocument } from "../modules/tooling/security/stack-document";
import { renderTable } from "./lib/table";
import { scheduleTable } from "./schedules";

/** Synthesizes every environment into cdktf.out/ and prints what each stack holds. */
function main(): number {
  let app: ReturnType<typeof buildApp>;
  try {
    app = buildApp();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    return error.exitCode;
  }
  app.synth();
  const configs = loadEnvironments();
  for (const config of configs) {
    const stackFile = join(app.outdir, "stacks", config.name, "cdk.tf.json");
    const stack = StackDocument.parse(readFileSync(stackFile, "utf8"));
    // Instances, as the plan counts them: each schedule, subscription and missed-run alarm of a for_each.
    const counts = Object.keys(stack.resources).map((type) => [type, String(stack.ofType(type).length)]);
    const total = counts.reduce((sum, [, n]) => sum + Number(n), 0);
    console.log(`\n== ${config.name} (account ${config.account}, ${config.region}) -> ${relative(PROJECT_ROOT, stackFile)}`);
    console.log(`${total} resources`);
    console.log(renderTable(["resource type", "count"], counts));
    console.log(scheduleTable(config, new Date()));
  }
  console.log(`\nSynthesized ${configs.length} stacks. Deploy one with: npx cdktf deploy <env>`);
  return 0;
}

process.exitCode = main();
