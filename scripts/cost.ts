import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironment } from "../environments/load";
import { buildApp } from "../main";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { billedResources, estimateMonthlyCost } from "../modules/tooling/cost/estimate";
import { FREE_TIERS, PRICE_REGION, PRICES_AS_OF } from "../modules/tooling/cost/prices";
import { StackDocument } from "../modules/tooling/security/stack-document";
import { renderTable } from "./lib/table";

const USAGE = "usage: npm run cost -- <env> [--json]";

function main(args: string[]): number {
  const json = args.includes("--json");
  const rest = args.filter((a) => a !== "--json");
  if (rest.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  try {
    const config = loadEnvironment(rest[0]);
    const estimate = estimateMonthlyCost(config, new Date(), billedResources(synthesizedStack(config.name)));
    if (json) {
      console.log(JSON.stringify({ ...estimate, pricesAsOf: PRICES_AS_OF, priceRegion: PRICE_REGION }, null, 2));
      return 0;
    }
    const money = (usd: number) => `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
    const amount = (n: number) =>
      Number.isInteger(n) ? n.toLocaleString("en-US") : n < 1 ? n.toPrecision(3) : n.toLocaleString("en-US", { maximumFractionDigits: 2 });
    console.log(`Estimated monthly cost of ${estimate.environment} at ${PRICE_REGION} list prices of ${PRICES_AS_OF}:\n`);
    console.log(
      renderTable(
        ["service", "item", "quantity", "unit", "per month"],
        estimate.lines.map((l) => [l.service, l.item, amount(l.quantity), l.unit, money(l.monthlyUsd)]),
      ),
    );
    console.log(`\nTotal: ${money(estimate.totalUsd)} a month before free tiers.`);
    console.log(
      `Runs a month: ${Object.entries(estimate.runsPerMonth)
        .map(([name, n]) => `${name} ${amount(n)}`)
        .join(", ")}`,
    );
    if (estimate.oneTimeRuns.length > 0)
      console.log(`One-time schedules still to run (not in the monthly figure): ${estimate.oneTimeRuns.join(", ")}`);
    console.log(`Free tiers (account-wide) that may cover part of this: ${FREE_TIERS.join("; ")}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    return error.exitCode;
  }
}

/** The environment's stack, synthesized into a scratch folder (never cdktf.out/, which deploys use). */
function synthesizedStack(name: string): StackDocument {
  const outdir = mkdtempSync(join(tmpdir(), "cost-"));
  try {
    buildApp(outdir, [name]).synth();
    return StackDocument.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
