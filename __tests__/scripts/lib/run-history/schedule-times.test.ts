import { type HistorySchedule, scheduledTimes } from "../../../../scripts/lib/run-history/schedule-times";

const daily: HistorySchedule = {
  name: "daily-report",
  task: "report",
  expression: "cron(0 9 ? * MON-FRI *)",
  timezone: "America/New_York",
  enabled: true,
};
const window = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const iso = (times: readonly Date[]) => times.map((t) => t.toISOString().replace(".000Z", "Z"));

describe("scheduledTimes", () => {
  it("lists every time a cron schedule fires in the window, in its zone, its edges included", () => {
    const { times, truncated, notes } = scheduledTimes(daily, window("2026-11-16T14:00:00Z", "2026-11-20T14:00:00Z"));
    expect(iso(times)).toEqual(["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"].map((d) => `${d}T14:00:00Z`));
    expect([truncated, notes]).toEqual([false, []]);
  });

  it("follows the zone across a change of daylight saving time", () => {
    const { times } = scheduledTimes(daily, window("2026-10-30T00:00:00Z", "2026-11-03T00:00:00Z"));
    // 09:00 EDT on Friday, 09:00 EST on Monday and Tuesday.
    expect(iso(times)).toEqual(["2026-10-30T13:00:00Z", "2026-11-02T14:00:00Z"]);
  });

  it("keeps within the schedule's start and end dates, and lists nothing of a disabled schedule", () => {
    const bounded = { ...daily, startDate: "2026-11-17T00:00:00Z", endDate: "2026-11-19T00:00:00Z" };
    expect(iso(scheduledTimes(bounded, window("2026-11-16T00:00:00Z", "2026-11-21T00:00:00Z")).times)).toEqual([
      "2026-11-17T14:00:00Z",
      "2026-11-18T14:00:00Z",
    ]);
    expect(scheduledTimes({ ...daily, enabled: false }, window("2026-11-16T00:00:00Z", "2026-11-21T00:00:00Z"))).toEqual({
      times: [],
      truncated: false,
      notes: ["daily-report is disabled: no run is expected of it"],
    });
  });

  it("lists a one-time schedule's time when it falls in the window", () => {
    const once = { ...daily, expression: "at(2027-01-04T08:00:00)", timezone: "Europe/London" };
    expect(iso(scheduledTimes(once, window("2027-01-01T00:00:00Z", "2027-01-05T00:00:00Z")).times)).toEqual(["2027-01-04T08:00:00Z"]);
    expect(scheduledTimes(once, window("2027-01-05T00:00:00Z", "2027-01-06T00:00:00Z")).times).toEqual([]);
  });

  it("lists at most 1,000 times and says so", () => {
    const minutely = { ...daily, expression: "cron(* * * * ? *)", timezone: "UTC" };
    const { times, truncated, notes } = scheduledTimes(minutely, window("2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z"));
    expect(times).toHaveLength(1_000);
    expect(iso([times[0], times[999]])).toEqual(["2026-11-16T00:00:00Z", "2026-11-16T16:39:00Z"]);
    expect(truncated).toBe(true);
    expect(notes).toEqual([
      "daily-report should have run more than 1,000 times in the window: only the first 1,000 are listed; " +
        "narrow --from/--to to see the rest",
    ]);
    // Exactly 1,000 is no truncation.
    expect(scheduledTimes(minutely, window("2026-11-16T00:00:00Z", "2026-11-16T16:39:00Z")).truncated).toBe(false);
  });

  describe("a rate() schedule", () => {
    const sixHourly = { ...daily, name: "data-processing", expression: "rate(6 hours)", timezone: "UTC" };

    it("runs from its start date when it has one", () => {
      const started = { ...sixHourly, startDate: "2026-11-16T01:30:00Z" };
      expect(iso(scheduledTimes(started, window("2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z")).times)).toEqual([
        "2026-11-16T01:30:00Z",
        "2026-11-16T07:30:00Z",
        "2026-11-16T13:30:00Z",
        "2026-11-16T19:30:00Z",
      ]);
    });

    it("runs from its creation otherwise, and none before it", () => {
      const created = { kind: "created", at: new Date("2026-11-16T10:03:27Z") } as const;
      expect(iso(scheduledTimes(sixHourly, window("2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z"), created).times)).toEqual([
        "2026-11-16T10:03:27Z",
        "2026-11-16T16:03:27Z",
        "2026-11-16T22:03:27Z",
      ]);
    });

    it("counts from a run on record where its creation cannot be read, and says so", () => {
      const recorded = { kind: "recorded", at: new Date("2026-11-16T16:03:00Z"), why: "AccessDenied" } as const;
      const { times, notes } = scheduledTimes(sixHourly, window("2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z"), recorded);
      expect(iso(times)).toEqual(["2026-11-16T04:03:00Z", "2026-11-16T10:03:00Z", "2026-11-16T16:03:00Z", "2026-11-16T22:03:00Z"]);
      expect(notes).toEqual([
        "data-processing's creation time could not be read (AccessDenied): its times are counted from the run recorded at " +
          "2026-11-16T16:03:00.000Z, and may include times before it was created",
      ]);
    });

    it("lists nothing, and says why, where neither is known", () => {
      expect(
        scheduledTimes(sixHourly, window("2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z"), { kind: "unknown", why: "no Scheduler" }),
      ).toEqual({
        times: [],
        truncated: false,
        notes: ["data-processing runs every 6 hours from its creation, and its creation time is unknown (no Scheduler)"],
      });
    });
  });
});
