import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { environmentNames } from "../environments";
import { loadEnvironments } from "../environments/load";
import { buildApp } from "../main";
import type { EnvironmentConfig } from "../modules/config/schema";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { checkStack } from "../modules/tooling/security/check";
import { StackDocument } from "../modules/tooling/security/stack-document";
import { auditStack } from "./lib/iam-audit/audit";
import { guardPlan } from "./lib/plan-guard";
import { pullRequestComment } from "./lib/pr-comment";
import { differences, environmentReview } from "./lib/review-report";
import { securitySarif } from "./lib/review-sarif";
import { summarisePlan } from "./lib/terraform-runner";

const USAGE =
  "usage: npm run --silent review -- <env>|--all [--plan <plan.json>] [--format markdown|pr|json|sarif] [--report-url <url>] [--out " +
  "<file>] [--no-iam-audit]";
const FORMATS = ["markdown", "pr", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];
/** Other names people reach for. */
const FORMAT_ALIASES: Readonly<Record<string, Format>> = { md: "markdown", github: "pr", comment: "pr", "pull-request": "pr" };

/** `--name value` options, and what is left. */
function options(args: string[], names: readonly string[]): { values: Record<string, string | undefined>; rest: string[]; ok: boolean } {
  const values: Record<string, string | undefined> = {};
  const rest: string[] = [];
  let ok = true;
  for (let i = 0; i < args.length; i++) {
    if (names.includes(args[i])) {
      values[args[i]] = args[i + 1];
      if (args[i + 1] === undefined || args[i + 1].startsWith("--")) ok = false;
      i++;
    } else rest.push(args[i]);
  }
  return { values, rest, ok };
}

/**
 * The review of a change: what the plan deletes and replaces (from --plan, or the plan
 * `npm run plan` left), diagram, resources, IAM matrix, schedules, security rules and waivers;
 * with --all, the differences between environments too. `--format markdown` (the default)
 * writes it whole; `pr`, a pull-request comment per environment that leads with what changes
 * and fits GitHub's limit; `json`, the same facts as data; `sarif`, a SARIF 2.1.0 log of the
 * security rules for code scanning. Exits 1 when a security rule is broken without a waiver,
 * or the plan deletes or replaces a stateful resource no destroy waiver names.
 */
async function main(args: string[]): Promise<number> {
  const withAudit = !args.includes("--no-iam-audit");
  const parsed = options(
    args.filter((a) => a !== "--no-iam-audit"),
    ["--out", "--plan", "--format", "--report-url"],
  );
  const out = parsed.values["--out"];
  const planPath = parsed.values["--plan"];
  const requested = parsed.values["--format"] ?? "markdown";
  const format = (FORMAT_ALIASES[requested] ?? requested) as Format;
  if (!parsed.ok || parsed.rest.length !== 1 || (planPath && parsed.rest[0] === "--all") || !FORMATS.includes(format)) {
    console.error(USAGE);
    return 2;
  }
  const names = parsed.rest[0] === "--all" ? [...environmentNames()] : parsed.rest;
  let outdir: string;
  try {
    const app = buildApp(undefined, names);
    app.synth();
    outdir = app.outdir;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    return error.exitCode;
  }
  if (planPath && !existsSync(planPath)) {
    console.error(`no plan at ${planPath}: write one with terraform show -json <planfile> > ${planPath}`);
    return 2;
  }
  const configs = loadEnvironments(names);
  const now = new Date();
  // The IAM audit runs the functions (seconds an environment): for the full review and its JSON only.
  const audited = withAudit && (format === "markdown" || format === "json");
  const reviews = [];
  for (const config of configs) {
    const directory = join(outdir, "stacks", config.name);
    const text = readFileSync(join(directory, "cdk.tf.json"), "utf8");
    const stack = StackDocument.parse(text);
    const planFile = planPath ?? join(directory, "plan.json");
    const plan = existsSync(planFile) ? JSON.parse(readFileSync(planFile, "utf8")) : undefined;
    reviews.push({
      config,
      stack,
      planSummary: plan ? summarisePlan(plan) : undefined,
      planGuard: plan ? guardPlan(plan, config.destroyWaivers ?? []) : undefined,
      iamAudit: audited ? await auditStack(config, JSON.parse(text)) : undefined,
    });
  }
  const rendered = render(format, names, configs, reviews, now, outdir, parsed.values["--report-url"]);
  if (out) {
    writeFileSync(out, rendered);
    console.error(`review written to ${out}`);
  } else {
    process.stdout.write(rendered);
  }
  const violations = reviews.flatMap(({ config, stack }) => checkStack(stack, config.waivers ?? []).violations);
  if (violations.length > 0) console.error(`${violations.length} security rule violation(s) without a waiver: see "Security rules"`);
  const blocking = reviews.flatMap(({ config, planGuard }) => (planGuard?.blocking ?? []).map((change) => ({ config, change })));
  for (const { config, change } of blocking) {
    console.error(
      `${config.name}: the plan would ${change.action} ${change.address} (${change.reason}); it ${change.stateful}. Waive it in ` +
        `${config.name}'s destroyWaivers with a reason, or change the plan.`,
    );
  }
  const failedAudits = reviews.filter((r) => r.iamAudit && !r.iamAudit.ok);
  for (const { config, iamAudit } of failedAudits)
    console.error(
      `${config.name}: the IAM audit found ${iamAudit!.denied.length} denied call(s) and ${iamAudit!.unusedGrants.length} unexplained ` +
        "grant(s): see npm run iam-audit",
    );
  return violations.length > 0 || blocking.length > 0 || failedAudits.length > 0 ? 1 : 0;
}

type Review = Parameters<typeof environmentReview>[0];

function render(
  format: Format,
  names: readonly string[],
  configs: readonly EnvironmentConfig[],
  reviews: readonly Review[],
  now: Date,
  outdir: string,
  reportUrl: string | undefined,
): string {
  if (format === "sarif") {
    const root = join(__dirname, "..");
    const sarifReviews = reviews.map((review) => {
      const configPath = `environments/${review.config.name}.ts`;
      const configText = existsSync(join(root, configPath)) ? readFileSync(join(root, configPath), "utf8") : "";
      return {
        ...review,
        configFile: { path: configPath, text: configText },
        stackFile: relative(root, join(outdir, "stacks", review.config.name, "cdk.tf.json")),
      };
    });
    return `${JSON.stringify(securitySarif(sarifReviews, packageVersion()), null, 2)}\n`;
  }
  if (format === "json") {
    const data = reviews.map(({ config, stack, planSummary, planGuard, iamAudit }) => ({
      environment: config.name,
      account: config.account,
      region: config.region,
      resources: stack.all().length,
      plan: planSummary ?? null,
      planGuard: planGuard ?? null,
      security: checkStack(stack, config.waivers ?? []),
      iamAudit: iamAudit ? { ok: iamAudit.ok, denied: iamAudit.denied, unusedGrants: iamAudit.unusedGrants } : null,
    }));
    return `${JSON.stringify({ generatedAt: now.toISOString(), environments: data }, null, 2)}\n`;
  }
  if (format === "pr") return reviews.map((review) => pullRequestComment(review, now, reportUrl)).join("\n");
  return [
    `# Review: ${names.join(", ")}`,
    "",
    ...(configs.length > 1
      ? ["## Differences between environments", "", "Settings in **bold** differ.", "", differences(configs), ""]
      : []),
    ...reviews.map((review) => environmentReview(review, now)),
  ].join("\n");
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
