import { describeYears, whyNeverFires, whyNoRunAfter } from "../../../core/schedule-expression/schedule-timing";

const timing = (expression: string, timezone = "UTC", startDate?: string, endDate?: string) => ({
  expression,
  timezone,
  startDate: startDate ? new Date(startDate) : undefined,
  endDate: endDate ? new Date(endDate) : undefined,
});
const NOW = new Date("2026-12-06T12:00:00Z");

describe("whyNeverFires", () => {
  it.each([
    ["cron(0 0 31 2 ? *)", "UTC", "never fires: February has no day 31"],
    ["cron(0 0 30-31 FEB ? *)", "UTC", "never fires: February has no day 30 or 31"],
    ["cron(0 0 31W 2 ? *)", "UTC", "never fires: February has no day 31"],
    ["cron(0 0 31 4 ? *)", "Europe/Paris", "never fires: April has no day 31"],
    ["cron(0 0 31 APR,JUN ? *)", "UTC", "never fires: April and June have no day 31"],
    ["cron(0 0 29 2 ? 2027)", "UTC", "never fires: February has no day 29 in 2027 (no leap year)"],
    ["cron(0 0 ? 2 MON#5 2027)", "UTC", "never fires: no day in 2027 matches month 2 and day-of-week MON#5"],
    ["cron(30 2 14 3 ? 2027)", "America/New_York", "never fires: each of its times falls in a daylight-saving gap of America/New_York"],
    [
      "at(2027-03-28T01:30:00)",
      "Europe/London",
      "at(2027-03-28T01:30:00) falls in a daylight-saving gap of Europe/London: on 2027-03-28 its clocks go from 01:00 to 02:00, " +
        "so 01:30 never comes",
    ],
    [
      // Lord Howe Island moves its clocks by half an hour.
      "at(2027-10-03T02:15:00)",
      "Australia/Lord_Howe",
      "at(2027-10-03T02:15:00) falls in a daylight-saving gap of Australia/Lord_Howe: on 2027-10-03 its clocks go from 02:00 to " +
        "02:30, so 02:15 never comes",
    ],
    [
      // Samoa skipped 30 December 2011 when it crossed the date line.
      "at(2011-12-30T12:00:00)",
      "Pacific/Apia",
      "at(2011-12-30T12:00:00) falls in a daylight-saving gap of Pacific/Apia: its clocks go from 2011-12-30 00:00 to 2011-12-31 00:00, " +
        "so that day never comes",
    ],
  ])("%s in %s: %s", (expression, timezone, reason) => {
    expect(whyNeverFires(timing(expression, timezone))).toEqual({ field: "expression", reason });
  });

  it("says nothing of schedules that fire, however rarely", () => {
    for (const expression of [
      "cron(0 0 29 2 ? *)",
      "cron(0 0 29 2 ? 2027-2028)",
      "cron(0 0 L 2 ? *)",
      "cron(0 9 ? * MON#5 *)",
      "cron(0 9 * * ? 2020)",
      "rate(1 day)",
      "at(2020-01-01T00:00:00)",
      "at(2027-03-14T03:30:00)",
    ]) {
      expect({ expression, problem: whyNeverFires(timing(expression, "America/New_York")) }).toEqual({ expression, problem: undefined });
    }
    // 02:30 is skipped on 14 March only: the other days of the month run.
    expect(whyNeverFires(timing("cron(30 2 * 3 ? 2027)", "America/New_York"))).toBeUndefined();
  });

  it("finds a window with no run, naming the date that ends it", () => {
    expect(whyNeverFires(timing("cron(0 9 1 * ? *)", "America/New_York", "2027-03-02T00:00:00Z", "2027-03-20T00:00:00Z"))).toEqual({
      field: "endDate",
      reason:
        "holds no run between startDate (2027-03-02T00:00:00Z) and endDate (2027-03-20T00:00:00Z): its first run from startDate " +
        "is 2027-04-01T13:00:00Z",
    });
    expect(whyNeverFires(timing("cron(0 9 * * ? 2030)", "UTC", undefined, "2029-01-01T00:00:00Z"))).toEqual({
      field: "endDate",
      reason: "holds no run before endDate (2029-01-01T00:00:00Z): its first run is 2030-01-01T09:00:00Z",
    });
    expect(whyNeverFires(timing("cron(0 9 * * ? 2026-2027)", "UTC", "2028-01-01T00:00:00Z"))).toEqual({
      field: "startDate",
      reason: "holds no run on or after startDate (2028-01-01T00:00:00Z): its last year, 2027, ends before it",
    });
    // A run on the start date itself counts; at() ignores the window, as Scheduler does.
    expect(whyNeverFires(timing("cron(0 9 1 * ? *)", "UTC", "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"))).toBeUndefined();
    expect(whyNeverFires(timing("at(2027-05-01T00:00:00)", "UTC", "2027-06-01T00:00:00Z", "2027-07-01T00:00:00Z"))).toBeUndefined();
  });
});

describe("whyNoRunAfter", () => {
  it("dates a one-time schedule gone by to its time", () => {
    expect(whyNoRunAfter(timing("at(2026-12-01T08:00:00)", "Europe/London"), NOW)).toEqual({
      field: "expression",
      endedAt: new Date("2026-12-01T08:00:00Z"),
      reason: "at(2026-12-01T08:00:00) in Europe/London is in the past (2026-12-01T08:00:00Z)",
    });
    expect(whyNoRunAfter(timing("at(2027-01-04T08:00:00)", "Europe/London"), NOW)).toBeUndefined();
  });

  it("dates a cron whose years are over to the end of its last year, in its zone", () => {
    expect(whyNoRunAfter(timing("cron(0 9 * * ? 2020-2022,2024)", "Asia/Tokyo"), NOW)).toEqual({
      field: "expression",
      endedAt: new Date("2024-12-31T15:00:00Z"),
      reason: "never fires again: its years (2020-2022, 2024) are in the past",
    });
    expect(whyNoRunAfter(timing("cron(0 9 * * ? 2025)"), NOW)?.reason).toBe("never fires again: its year (2025) is in the past");
    // Its year is not over, but its one run is.
    expect(whyNoRunAfter(timing("cron(0 9 1 1 ? 2026)"), NOW)).toEqual({
      field: "expression",
      endedAt: NOW,
      reason: "never fires again: its last run in 2026 has passed",
    });
  });

  it("dates a schedule whose end has passed to its endDate", () => {
    expect(whyNoRunAfter(timing("rate(1 hour)", "UTC", "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z"), NOW)).toEqual({
      field: "endDate",
      endedAt: new Date("2025-06-01T00:00:00Z"),
      reason: "is in the past (2025-06-01T00:00:00Z): the schedule never fires again",
    });
    expect(whyNoRunAfter(timing("cron(0 9 1 1 ? *)", "UTC", undefined, "2026-12-20T00:00:00Z"), NOW)).toEqual({
      field: "endDate",
      endedAt: NOW,
      reason: "holds no run between now (2026-12-06T12:00:00Z) and endDate (2026-12-20T00:00:00Z)",
    });
  });

  it("says nothing while a run is ahead", () => {
    for (const expression of ["rate(5 minutes)", "cron(0 9 ? * MON-FRI *)", "cron(0 9 * * ? 2026-2027)", "cron(0 23 6 12 ? 2026)"]) {
      expect({ expression, ended: whyNoRunAfter(timing(expression), NOW) }).toEqual({ expression, ended: undefined });
    }
  });
});

describe("describeYears", () => {
  it("writes a year field as ranges", () => {
    expect(describeYears(new Set([2024, 2020, 2021, 2022, 2027, 2028]))).toBe("2020-2022, 2024, 2027-2028");
  });
});
