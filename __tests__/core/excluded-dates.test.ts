import { excludedDateOf, excludedDatesProblems, excludedEntryProblem, localDateOf, MAX_EXCLUDED_DATES } from "../../core/excluded-dates";
import { canonicalInstant, runHistoryKeys, triggerOf } from "../../core/run-history";

describe("excluded dates", () => {
  it.each([
    ["2026-12-25", undefined],
    ["2026-12-24/2026-12-26", undefined],
    ["2028-02-29", undefined],
    ["2026-02-29", "2026-02-29 is not a date"],
    ["2026-12-26/2026-12-24", "the range must run forwards: 2026-12-24 is before 2026-12-26"],
    [
      "2026-12-24/2026-12-26/2026-12-28",
      'must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got "2026-12-24/2026-12-26/2026-12-28"',
    ],
    ["25.12.2026", 'must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got "25.12.2026"'],
    ["2026-13-01", "2026-13-01 is not a date"],
  ])("%s: %s", (entry, problem) => {
    expect(excludedEntryProblem(entry)).toBe(problem);
  });

  it("names every bad entry by index, and a list that is too long", () => {
    const entries = Array.from({ length: MAX_EXCLUDED_DATES + 1 }, (_, i) => (i === 3 ? "2026-02-30" : "2026-12-25"));
    expect(excludedDatesProblems(entries)).toEqual([
      { reason: "must hold at most 366 entries, got 367" },
      { index: 3, reason: "2026-02-30 is not a date" },
    ]);
  });

  it("reads the scheduled time as a local date in the schedule's zone", () => {
    // 23:30 on the 24th in New York is already the 25th in UTC.
    expect(localDateOf(new Date("2026-12-25T04:30:00Z"), "America/New_York")).toBe("2026-12-24");
    expect(excludedDateOf(new Date("2026-12-25T04:30:00Z"), "America/New_York", ["2026-12-25"])).toBeUndefined();
    expect(excludedDateOf(new Date("2026-12-25T04:30:00Z"), "UTC", ["2026-12-25"])).toBe("2026-12-25");
    expect(excludedDateOf(new Date("2026-12-26T12:00:00Z"), "Europe/Berlin", ["2026-12-24/2026-12-26"])).toBe("2026-12-26");
    expect(excludedDateOf(new Date("2026-12-27T12:00:00Z"), "Europe/Berlin", ["2026-12-24/2026-12-26"])).toBeUndefined();
    expect(excludedDateOf(new Date("2026-12-27T12:00:00Z"), "Europe/Berlin", undefined)).toBeUndefined();
  });
});

describe("run history", () => {
  it("keeps a run's record, lease and failed attempts under one canonical time", () => {
    const keys = runHistoryKeys({ task: "report", schedule: "daily", scheduledTime: "2026-11-23T10:00:00.000+00:00" });
    expect(keys).toMatchObject({
      record: "runs/report/2026-11-23T10:00:00Z/daily.json",
      lease: "runs/report/2026-11-23T10:00:00Z/daily/lease.json",
      attemptsPrefix: "runs/report/2026-11-23T10:00:00Z/daily/attempts/",
    });
    expect(keys.attempt("a1")).toBe("runs/report/2026-11-23T10:00:00Z/daily/attempts/a1.json");
    expect(canonicalInstant("2026-11-23T11:00:00+01:00")).toBe("2026-11-23T10:00:00Z");
  });

  it("tells what fired a run by its execution id", () => {
    expect(triggerOf("c0ffee00-0000-4000-8000-000000000001")).toBe("schedule");
    expect(triggerOf("manual-7f3a")).toBe("manual");
    expect(triggerOf("backfill-2b9c")).toBe("backfill");
    expect(triggerOf(undefined)).toBe("schedule");
  });
});
