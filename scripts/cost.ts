import { loadEnvironment } from "../environments/load";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { estimateMonthlyCost } from "../modules/tooling/cost/estimate";
import { FREE_TIERS, PRICE_REGION, PRICES_AS_OF } from "../modules/tooling/cost/prices";
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
    const estimate = estimateMonthlyCost(loadEnvironment(rest[0]), new Date());
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

process.exitCode = main(process.argv.slice(2));
