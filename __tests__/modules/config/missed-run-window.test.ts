import { nextRuns } from "../../../core/schedule-expression";
import { missedRunWindow } from "../../../modules/config/missed-run-window";
import type { ScheduleConfig } from "../../../modules/config/schema";

const schedule = (expression: string, extra: Partial<ScheduleConfig> = {}): ScheduleConfig =>
  ({
    name: "s",
    expression,
    timezone: "UTC",
    task: "report",
    enabled: true,
    flexibleWindowMinutes: 0,
    retry: { maxAttempts: 1, maxEventAgeSeconds: 60 },
    exclude: [],
    ...extra,
  }) as ScheduleConfig;

const yearOfRuns = (config: ScheduleConfig) =>
  nextRuns(config.expression, { timezone: config.timezone, from: new Date("2026-01-01T00:00:00Z"), count: 800 });

/** Replays runs against the alarm: the first bucket time at which it would fire, if any. */
function firstAlarm(
  config: ScheduleConfig,
  longestRunSeconds: number,
  reportAtLatest: boolean,
  runs = yearOfRuns(config),
): number | undefined {
  const window = missedRunWindow(config, longestRunSeconds)!;
  const lateness = config.flexibleWindowMinutes * 60 + longestRunSeconds + 300;
  const buckets = new Set(runs.map((r) => Math.floor((r.getTime() / 1000 + (reportAtLatest ? lateness : 0)) / window.periodSeconds)));
  const first = Math.min(...buckets);
  const last = Math.max(...buckets);
  let empty = 0;
  for (let bucket = first; bucket <= last; bucket++) {
    empty = buckets.has(bucket) ? 0 : empty + 1;
    if (empty >= window.evaluationPeriods) return (bucket + 1) * window.periodSeconds; // evaluated once the bucket closes
  }
  return undefined;
}

describe("missedRunWindow", () => {
  it.each([
    [
      "hourly, reporting within 25 minutes",
      schedule("rate(1 hour)", { flexibleWindowMinutes: 5 }),
      900,
      { periodSeconds: 300, evaluationPeriods: 18 },
    ],
    [
      "daily at 09:00 New York, across DST",
      schedule("cron(0 9 * * ? *)", { timezone: "America/New_York", flexibleWindowMinutes: 5 }),
      900,
      { periodSeconds: 3600, evaluationPeriods: 26 },
    ],
    [
      "weekdays only: the weekend is the longest gap",
      schedule("cron(0 9 ? * MON-FRI *)", { timezone: "America/New_York", flexibleWindowMinutes: 30 }),
      60,
      { periodSeconds: 3600, evaluationPeriods: 74 },
    ],
    [
      "weekly: daily buckets, the longest CloudWatch allows",
      schedule("cron(0 10 ? * MON *)", { timezone: "America/New_York", flexibleWindowMinutes: 15 }),
      900,
      { periodSeconds: 86400, evaluationPeriods: 7 },
    ],
  ])("sizes %s", (_name, config, longestRun, expected) => {
    expect(missedRunWindow(config, longestRun)).toEqual(expected);
  });

  it.each([
    ["hourly", schedule("rate(1 hour)", { flexibleWindowMinutes: 5 }), 900],
    ["daily in New York", schedule("cron(0 9 * * ? *)", { timezone: "America/New_York", flexibleWindowMinutes: 5 }), 900],
    ["weekdays", schedule("cron(0 9 ? * MON-FRI *)", { timezone: "America/New_York", flexibleWindowMinutes: 30 }), 60],
    ["weekly", schedule("cron(0 10 ? * MON *)", { timezone: "America/New_York", flexibleWindowMinutes: 15 }), 900],
    ["last weekday of the month", schedule("cron(0 18 ? * 6L *)", { timezone: "Europe/London" }), 60],
  ])("never fires over a year of %s runs, whether they report early or late", (_name, config, longestRun) => {
    if (!missedRunWindow(config, longestRun)) return;
    expect(firstAlarm(config, longestRun, false)).toBeUndefined();
    expect(firstAlarm(config, longestRun, true)).toBeUndefined();
  });

  it.each([
    ["daily", schedule("cron(0 9 * * ? *)", { flexibleWindowMinutes: 5 })],
    ["hourly", schedule("rate(1 hour)", { flexibleWindowMinutes: 5 })],
    ["weekly", schedule("cron(0 10 ? * MON *)", { timezone: "America/New_York", flexibleWindowMinutes: 15 })],
  ])("fires when one %s run is missed, before the run after it is due", (_name, config) => {
    const runs = yearOfRuns(config);
    const missed = runs[40];
    const fired = firstAlarm(
      config,
      900,
      true,
      runs.filter((r) => r !== missed),
    );
    expect(fired).toBeDefined();
    expect(fired! * 1000).toBeGreaterThan(missed.getTime());
    expect(fired! * 1000).toBeLessThanOrEqual(runs[42].getTime());
  });

  it("leaves out one-time, disabled and monthly schedules (beyond CloudWatch's 7-day range)", () => {
    expect(missedRunWindow(schedule("at(2027-01-04T08:00:00)"), 60)).toBeUndefined();
    expect(missedRunWindow(schedule("rate(1 hour)", { enabled: false }), 60)).toBeUndefined();
    expect(missedRunWindow(schedule("cron(0 8 1 * ? *)"), 60)).toBeUndefined();
  });

  it("stays within CloudWatch's limits on period x evaluation periods", () => {
    for (const expression of ["rate(1 minute)", "rate(5 hours)", "rate(23 hours)", "rate(2 days)", "cron(0 12 ? * MON,THU *)"]) {
      const window = missedRunWindow(schedule(expression), 900);
      if (!window) continue;
      expect(window.periodSeconds * window.evaluationPeriods).toBeLessThanOrEqual(window.periodSeconds < 3600 ? 86400 : 604800);
    }
  });
});
