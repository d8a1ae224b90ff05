import type { EnvironmentConfig } from "../../../../modules/config/schema";
import { estimateMonthlyCost, runsPerMonth } from "../../../../modules/tooling/cost/estimate";
import { environment } from "../../../support/synth";

const from = new Date("2026-01-01T00:00:00Z");
const schedule = (expression: string, timezone = "UTC") =>
  ({
    name: "s",
    expression,
    timezone,
    task: "data_processing",
    enabled: true,
    flexibleWindowMinutes: 0,
    retry: { maxAttempts: 1, maxEventAgeSeconds: 60 },
  }) as const;

describe("runsPerMonth", () => {
  it.each([
    // 365 days of hourly runs: 8,760 a year.
    ["rate(1 hour)", "UTC", 8760 / 12],
    // 2026 has 52 Mondays.
    ["cron(0 10 ? * MON *)", "America/New_York", 52 / 12],
    // 2026 starts on a Thursday: 52 full weeks and one more Thursday, so 52 x 5 + 1 weekdays.
    ["cron(0 9 ? * MON-FRI *)", "America/New_York", 261 / 12],
    // Only on the 29th of February, and 2026 has none.
    ["cron(0 0 29 2 ? *)", "UTC", 0],
  ])("%s in %s", (expression, timezone, expected) => {
    expect(runsPerMonth(schedule(expression, timezone), from)).toBeCloseTo(expected, 10);
  });
});

describe("estimateMonthlyCost", () => {
  const base = environment("prod");
  const config: EnvironmentConfig = {
    ...base,
    notifications: { email: ["a@example.com"], sms: [], https: [] },
    processor: { ...base.processor, memoryMb: 1024 },
    schedules: [{ ...schedule("rate(1 hour)"), name: "hourly" }],
  };
  const estimate = estimateMonthlyCost(config, from);
  const line = (item: string) => estimate.lines.find((l) => l.item.startsWith(item))!;

  // Hand-computed for 730 runs a month (8,760 hourly runs / 12) at the prices of prices.ts.
  it.each([
    ["invocations", 730, 0.00073],
    ["processor requests", 730, 0.000146],
    ["processor compute", 21_900, 0.29200146], // 730 runs x 30 s x 1 GB
    ["notices published", 730, 0.000365],
    ["email deliveries", 730, 0.0146], // 730 / 100,000 x $2
    ["PUT, COPY and LIST requests", 8_760, 0.0438], // 12 a run
    ["GET requests", 1_460, 0.000584], // 2 a run
    ["failure handler polling", 1_296_000, 0.5184], // 2 queues x 5 pollers x 3 a minute x 43,200 minutes
    ["alarms", 9, 0.9], // 3 processor + 2 queues + 3 scheduler + 1 missed-run
    ["dashboard", 1, 3],
    ["embedded metrics", 23, 6.9], // 5 metrics x (3 tasks + 1 schedule), and ColdStart of each of 3 functions
    ["processor traces", 730, 0.00365], // prod traces: 730 / 1,000,000 x $5
    ["operations topic key", 1, 1],
  ])("%s", (item, quantity, usd) => {
    expect(line(item).quantity).toBeCloseTo(quantity, 6);
    expect(line(item).monthlyUsd).toBeCloseTo(usd, 8);
  });

  it("adds up to the hand-computed total", () => {
    // The lines above, plus 730 x 2 KiB of logs at $0.50 a GB ($0.000696).
    expect(estimate.totalUsd).toBeCloseTo(12.6749726, 6);
  });

  it("charges for traces only where tracing is on", () => {
    const untraced = estimateMonthlyCost({ ...config, processor: { ...config.processor, tracing: false } }, from);
    expect(untraced.lines.filter((l) => l.service === "X-Ray")).toEqual([]);
    expect(estimate.totalUsd - untraced.totalUsd).toBeCloseTo(0.00365, 8);
  });

  it("charges SMS and HTTPS per delivery and skips notices a schedule turns off", () => {
    const noisy = estimateMonthlyCost(
      { ...config, notifications: { email: [], sms: ["+15555550100"], https: ["https://x.example.com"] } },
      from,
    );
    expect(noisy.lines.find((l) => l.item.startsWith("SMS"))!.monthlyUsd).toBeCloseTo(730 * 0.00581, 8);
    expect(noisy.lines.find((l) => l.item.startsWith("HTTPS"))!.monthlyUsd).toBeCloseTo(0.000438, 8);
    const quiet = estimateMonthlyCost({ ...config, schedules: [{ ...config.schedules[0], payload: { notifyOnSuccess: false } }] }, from);
    expect(quiet.lines.find((l) => l.item === "notices published")!.quantity).toBe(0);
  });

  it("counts upcoming one-time schedules apart from the monthly figure", () => {
    const withBackfill = estimateMonthlyCost(
      { ...config, schedules: [...config.schedules, { ...schedule("at(2026-06-01T08:00:00)"), name: "backfill" }] },
      from,
    );
    expect(withBackfill.oneTimeRuns).toEqual(["backfill"]);
    expect(withBackfill.runsPerMonth).toEqual({ hourly: 730 });
  });

  it("costs more in prod than in dev", () => {
    expect(estimateMonthlyCost(environment("prod"), from).totalUsd).toBeGreaterThan(estimateMonthlyCost(environment("dev"), from).totalUsd);
  });
});
