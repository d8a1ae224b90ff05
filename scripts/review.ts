import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "../main";
import { loadEnvironments } from "../modules/config/load";
import { ENVIRONMENT_NAMES } from "../modules/config/schema";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { checkStack } from "../modules/security/check";
import { StackDocument } from "../modules/security/stack-document";
import { differences, environmentReview } from "./lib/review-report";
import { summarisePlan } from "./lib/terraform-runner";

const USAGE = "usage: npm run --silent review -- <env>|--all [--out <file.md>]";

/**
 * Markdown for a pull-request review: plan summary (when `npm run plan` left one), diagram,
 * resources, IAM matrix, schedules, security rules and waivers; with --all, the differences
 * between environments too. Exits 1 when a security rule is violated without a waiver.
 */
function main(args: string[]): number {
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const rest = args.filter((_, i) => outIndex < 0 || (i !== outIndex && i !== outIndex + 1));
  if (rest.length !== 1 || (outIndex >= 0 && !out)) {
    console.error(USAGE);
    return 2;
  }
  const names = rest[0] === "--all" ? [...ENVIRONMENT_NAMES] : rest;
  let outdir: string;
  try {
    const app = buildApp(undefined, names);
    app.synth();
    outdir = app.outdir;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    return 1;
  }
  const configs = loadEnvironments(names);
  const now = new Date();
  const reviews = configs.map((config) => {
    const directory = join(outdir, "stacks", config.name);
    const stack = StackDocument.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
    const planFile = join(directory, "plan.json");
    const planSummary = existsSync(planFile) ? summarisePlan(JSON.parse(readFileSync(planFile, "utf8"))) : undefined;
    return { config, stack, planSummary };
  });
  const markdown = [
    `# Review: ${names.join(", ")}`,
    "",
    ...(configs.length > 1 ? ["## Differences between environments", "", "Settings in **bold** differ.", "", differences(configs), ""] : []),
    ...reviews.map((review) => environmentReview(review, now)),
  ].join("\n");
  if (out) {
    writeFileSync(out, markdown);
    console.error(`review written to ${out}`);
  } else {
    process.stdout.write(markdown);
  }
  const violations = reviews.flatMap(({ config, stack }) => checkStack(stack, config.waivers ?? []).violations);
  if (violations.length > 0) console.error(`${violations.length} security rule violation(s) without a waiver: see "Security rules"`);
  return violations.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
