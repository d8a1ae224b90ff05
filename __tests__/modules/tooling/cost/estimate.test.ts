import type { EnvironmentConfig } from "../../../../modules/config/schema";
import { billedResources, estimateMonthlyCost, runsPerMonth } from "../../../../modules/tooling/cost/estimate";
import { StackDocument } from "../../../../modules/tooling/security/stack-document";
import { environment, synthEnvironment } from "../../../support/synth";

/** The estimate of a config, with the billed resources its own synthesized stack holds. */
function estimateOf(config: EnvironmentConfig, from: Date) {
  return estimateMonthlyCost(config, from, billedResources(new StackDocument(synthEnvironment(config).document)));
}

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
    exclude: [],
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
  const estimate = estimateOf(config, from);
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
    ["Lambda polling 4 queues", 2_592_000, 1.0368], // 4 event sources x 5 pollers x 3 a minute x 43,200 minutes
    ["alarms", 11, 1.1], // 3 processor + 3 failure queues + work queue age + 3 scheduler + 1 missed-run
    ["dashboard", 1, 3],
    ["embedded metrics", 23, 6.9], // 5 metrics x (3 tasks + 1 schedule), and ColdStart of each of 3 functions
    ["processor traces", 730, 0.00365], // prod traces: 730 / 1,000,000 x $5
    ["keys the stack creates", 1, 1],
  ])("%s", (item, quantity, usd) => {
    expect(line(item).quantity).toBeCloseTo(quantity, 6);
    expect(line(item).monthlyUsd).toBeCloseTo(usd, 8);
  });

  it("adds up to the hand-computed total", () => {
    // The lines above, plus 730 x 2 KiB of logs at $0.50 a GB ($0.000696).
    expect(estimate.totalUsd).toBeCloseTo(12.6749726 + (1.0368 - 0.5184) + (1.1 - 0.9), 6);
  });

  it("charges for traces only where tracing is on", () => {
    const untraced = estimateOf({ ...config, processor: { ...config.processor, tracing: false } }, from);
    expect(untraced.lines.filter((l) => l.service === "X-Ray")).toEqual([]);
    expect(estimate.totalUsd - untraced.totalUsd).toBeCloseTo(0.00365, 8);
  });

  it("charges SMS and HTTPS per delivery and skips notices a schedule turns off", () => {
    const noisy = estimateOf({ ...config, notifications: { email: [], sms: ["+15555550100"], https: ["https://x.example.com"] } }, from);
    expect(noisy.lines.find((l) => l.item.startsWith("SMS"))!.monthlyUsd).toBeCloseTo(730 * 0.00581, 8);
    expect(noisy.lines.find((l) => l.item.startsWith("HTTPS"))!.monthlyUsd).toBeCloseTo(0.000438, 8);
    const quiet = estimateOf(
      { ...config, schedules: [{ ...config.schedules[0], task: "report", payload: { notifyOnSuccess: false } }] },
      from,
    );
    expect(quiet.lines.find((l) => l.item === "notices published")!.quantity).toBe(0);
  });

  it("charges a schedule on a target outside the stack Scheduler's invocations only: the processor does not run for it", () => {
    const onQueue = { name: "to-orders", expression: "rate(1 hour)", timezone: "UTC", enabled: true, flexibleWindowMinutes: 0 };
    const withTarget = estimateMonthlyCost(
      {
        ...config,
        schedules: [
          ...config.schedules,
          { ...onQueue, retry: { maxAttempts: 1, maxEventAgeSeconds: 60 }, exclude: [], target: { sqs: "arn:aws:sqs:us-east-1:1:q" } },
        ],
      },
      from,
      billedResources(new StackDocument(synthEnvironment(config).document)),
    );
    const quantity = (item: string) => withTarget.lines.find((l) => l.item.startsWith(item))!.quantity;
    expect(quantity("invocations")).toBeCloseTo(1460, 6);
    for (const item of ["processor requests", "notices published", "email deliveries"]) expect(quantity(item)).toBeCloseTo(730, 6);
  });

  it("counts upcoming one-time schedules apart from the monthly figure", () => {
    // Upcoming as of `from`, past by now: the billed resources are those of the stack without it (a one-time schedule adds none).
    const withBackfill = estimateMonthlyCost(
      { ...config, schedules: [...config.schedules, { ...schedule("at(2026-06-01T08:00:00)"), name: "backfill" }] },
      from,
      billedResources(new StackDocument(synthEnvironment(config).document)),
    );
    expect(withBackfill.oneTimeRuns).toEqual(["backfill"]);
    expect(withBackfill.runsPerMonth).toEqual({ hourly: 730 });
  });

  it.each(["dev", "staging", "prod"])("counts %s's alarms, queue pollers, keys and dashboards from its synthesized stack", (name) => {
    const stack = synthEnvironment(environment(name)).document;
    const instances = (type: string) =>
      Object.values(stack.resource[type] ?? {}).reduce(
        (sum: number, body: any) => sum + (body.for_each ? Object.keys(body.for_each).length : 1),
        0,
      );
    const lines = estimateOf(environment(name), from).lines;
    const quantity = (item: string) => lines.find((l) => l.item.startsWith(item))!.quantity;
    expect(quantity("alarms")).toBe(instances("aws_cloudwatch_metric_alarm"));
    expect(quantity("alarms")).toBeGreaterThanOrEqual(13);
    expect(quantity("Lambda polling")).toBe(instances("aws_lambda_event_source_mapping") * 5 * 3 * 60 * 24 * 30);
    expect(instances("aws_lambda_event_source_mapping")).toBe(4);
    expect(quantity("keys the stack creates")).toBe(instances("aws_kms_key"));
  });

  it("costs more in prod than in dev", () => {
    expect(estimateOf(environment("prod"), from).totalUsd).toBeGreaterThan(estimateOf(environment("dev"), from).totalUsd);
  });
});
