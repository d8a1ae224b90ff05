import { nextRuns } from "../../../core/schedule-expression";

const utc = (dates: Date[]) => dates.map((d) => d.toISOString().replace(".000Z", "Z"));
const runs = (expression: string, timezone: string, from: string, count = 3, extra = {}) =>
  utc(nextRuns(expression, { timezone, from: new Date(from), count, ...extra }));

describe("nextRuns from the AWS documentation's examples", () => {
  it.each([
    ["cron(0 10 * * ? *)", "2026-11-23T11:00:00Z", ["2026-11-24T10:00:00Z", "2026-11-25T10:00:00Z", "2026-11-26T10:00:00Z"]],
    ["cron(15 12 * * ? *)", "2026-11-23T00:00:00Z", ["2026-11-23T12:15:00Z", "2026-11-24T12:15:00Z", "2026-11-25T12:15:00Z"]],
    // 2026-11-27 is a Friday.
    ["cron(0 18 ? * MON-FRI *)", "2026-11-27T19:00:00Z", ["2026-11-30T18:00:00Z", "2026-12-01T18:00:00Z", "2026-12-02T18:00:00Z"]],
    ["cron(0 8 1 * ? *)", "2026-11-23T00:00:00Z", ["2026-12-01T08:00:00Z", "2027-01-01T08:00:00Z", "2027-02-01T08:00:00Z"]],
    ["cron(0/15 * * * ? *)", "2026-11-23T10:07:00Z", ["2026-11-23T10:15:00Z", "2026-11-23T10:30:00Z", "2026-11-23T10:45:00Z"]],
    ["cron(0/10 * ? * MON-FRI *)", "2026-11-27T23:55:00Z", ["2026-11-30T00:00:00Z", "2026-11-30T00:10:00Z", "2026-11-30T00:20:00Z"]],
    ["cron(0/5 8-17 ? * MON-FRI *)", "2026-11-23T17:52:00Z", ["2026-11-23T17:55:00Z", "2026-11-24T08:00:00Z", "2026-11-24T08:05:00Z"]],
    // First Mondays: 2026-12-07, 2027-01-04, 2027-02-01.
    ["cron(0 9 ? * 2#1 *)", "2026-11-23T00:00:00Z", ["2026-12-07T09:00:00Z", "2027-01-04T09:00:00Z", "2027-02-01T09:00:00Z"]],
  ])("%s", (expression, from, expected) => {
    expect(runs(expression, "UTC", from)).toEqual(expected);
  });
});

describe("nextRuns on hand-checked calendars", () => {
  it.each([
    [
      "last day of the month (L), leap February",
      "cron(0 12 L * ? *)",
      "2028-01-31T13:00:00Z",
      ["2028-02-29T12:00:00Z", "2028-03-31T12:00:00Z", "2028-04-30T12:00:00Z"],
    ],
    [
      "last Friday (6L)",
      "cron(0 10 ? * 6L *)",
      "2026-11-01T00:00:00Z",
      ["2026-11-27T10:00:00Z", "2026-12-25T10:00:00Z", "2027-01-29T10:00:00Z"],
    ],
    [
      "nearest weekday, not across months (1W)",
      "cron(0 10 1W * ? *)",
      "2026-11-01T00:00:00Z",
      ["2026-11-02T10:00:00Z", "2026-12-01T10:00:00Z", "2027-01-01T10:00:00Z"],
    ],
    // 2027-05-01 is a Saturday: the nearest weekday in May is Monday the 3rd, not April 30.
    [
      "1W on a Saturday",
      "cron(0 10 1W 5 ? *)",
      "2027-01-01T00:00:00Z",
      ["2027-05-03T10:00:00Z", "2028-05-01T10:00:00Z", "2029-05-01T10:00:00Z"],
    ],
    // 2027-01-31 is a Sunday: back to Friday the 29th.
    [
      "31W on a Sunday",
      "cron(0 10 31W 1 ? *)",
      "2026-12-01T00:00:00Z",
      ["2027-01-29T10:00:00Z", "2028-01-31T10:00:00Z", "2029-01-31T10:00:00Z"],
    ],
    [
      "last weekday (LW)",
      "cron(0 10 LW * ? *)",
      "2027-01-01T00:00:00Z",
      ["2027-01-29T10:00:00Z", "2027-02-26T10:00:00Z", "2027-03-31T10:00:00Z"],
    ],
    [
      "third Wednesday by name",
      "cron(0 9 ? * WED#3 *)",
      "2026-11-01T00:00:00Z",
      ["2026-11-18T09:00:00Z", "2026-12-16T09:00:00Z", "2027-01-20T09:00:00Z"],
    ],
    [
      "fifth Monday only where there is one",
      "cron(0 9 ? * 2#5 *)",
      "2026-11-01T00:00:00Z",
      ["2026-11-30T09:00:00Z", "2027-03-29T09:00:00Z", "2027-05-31T09:00:00Z"],
    ],
    [
      "month and weekday names",
      "cron(0 0 ? JAN,JUL SUN *)",
      "2026-12-31T00:00:00Z",
      ["2027-01-03T00:00:00Z", "2027-01-10T00:00:00Z", "2027-01-17T00:00:00Z"],
    ],
    [
      "a range that wraps past Saturday",
      "cron(0 12 ? * FRI-MON 2027)",
      "2027-01-01T13:00:00Z",
      ["2027-01-02T12:00:00Z", "2027-01-03T12:00:00Z", "2027-01-04T12:00:00Z"],
    ],
    [
      "29 February only in leap years",
      "cron(0 0 29 2 ? *)",
      "2026-11-01T00:00:00Z",
      ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"],
    ],
    ["the last year there is", "cron(0 0 1 1 ? 2199)", "2026-11-01T00:00:00Z", ["2199-01-01T00:00:00Z"]],
    ["a year already past", "cron(0 0 1 1 ? 1970)", "2026-11-01T00:00:00Z", []],
    ["a date that never comes", "cron(0 0 30 2 ? *)", "2026-11-01T00:00:00Z", []],
  ])("%s", (_name, expression, from, expected) => {
    expect(runs(expression, "UTC", from)).toEqual(expected);
  });
});

describe("nextRuns across daylight saving time", () => {
  it.each([
    // America/New_York: 2027-03-14 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
    [
      "New York, spring forward: 02:30 does not exist and is skipped",
      "cron(30 2 * * ? *)",
      "America/New_York",
      "2027-03-13T00:00:00Z",
      ["2027-03-13T07:30:00Z", "2027-03-15T06:30:00Z", "2027-03-16T06:30:00Z"],
    ],
    [
      "New York, fall back: 01:30 happens twice and runs once",
      "cron(30 1 * * ? *)",
      "America/New_York",
      "2026-10-31T00:00:00Z",
      ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"],
    ],
    [
      "New York, hourly over the fall-back hour",
      "cron(0 * * * ? *)",
      "America/New_York",
      "2026-11-01T04:30:00Z",
      ["2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"],
    ],
    [
      "New York, the 09:00 report keeps local time across the change",
      "cron(0 9 * * ? *)",
      "America/New_York",
      "2027-03-12T00:00:00Z",
      ["2027-03-12T14:00:00Z", "2027-03-13T14:00:00Z", "2027-03-14T13:00:00Z"],
    ],
    // Europe/London: 2027-03-28 01:00 GMT -> 02:00 BST; 2027-10-31 02:00 BST -> 01:00 GMT.
    [
      "London, spring forward: 01:30 is skipped",
      "cron(30 1 * * ? *)",
      "Europe/London",
      "2027-03-27T00:00:00Z",
      ["2027-03-27T01:30:00Z", "2027-03-29T00:30:00Z", "2027-03-30T00:30:00Z"],
    ],
    [
      "London, fall back: 01:30 runs once",
      "cron(30 1 * * ? *)",
      "Europe/London",
      "2027-10-30T00:00:00Z",
      ["2027-10-30T00:30:00Z", "2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"],
    ],
    [
      "Kolkata has no daylight saving time",
      "cron(0 9 * * ? *)",
      "Asia/Kolkata",
      "2027-03-27T00:00:00Z",
      ["2027-03-27T03:30:00Z", "2027-03-28T03:30:00Z", "2027-03-29T03:30:00Z"],
    ],
  ])("%s", (_name, expression, zone, from, expected) => {
    expect(runs(expression, zone, from)).toEqual(expected);
  });

  it("counts rate(n days) in 24-hour periods, whatever the clocks do", () => {
    expect(runs("rate(1 day)", "America/New_York", "2027-03-13T11:00:00Z", 3, { startDate: new Date("2027-03-13T12:00:00Z") })).toEqual([
      "2027-03-13T12:00:00Z",
      "2027-03-14T12:00:00Z",
      "2027-03-15T12:00:00Z",
    ]);
  });
});

describe("nextRuns for rate and at", () => {
  it("counts a rate from `from` when there is no start date", () => {
    expect(runs("rate(5 minutes)", "UTC", "2026-11-23T10:00:00Z")).toEqual([
      "2026-11-23T10:05:00Z",
      "2026-11-23T10:10:00Z",
      "2026-11-23T10:15:00Z",
    ]);
  });

  it("counts a rate from the start date, on its grid", () => {
    expect(runs("rate(2 hours)", "UTC", "2026-11-23T10:30:00Z", 2, { startDate: new Date("2026-11-23T09:00:00Z") })).toEqual([
      "2026-11-23T11:00:00Z",
      "2026-11-23T13:00:00Z",
    ]);
  });

  it("stops at the end date", () => {
    expect(runs("rate(1 hour)", "UTC", "2026-11-23T10:00:00Z", 5, { endDate: new Date("2026-11-23T12:00:00Z") })).toEqual([
      "2026-11-23T11:00:00Z",
      "2026-11-23T12:00:00Z",
    ]);
    expect(
      runs("cron(0 * * * ? *)", "UTC", "2026-11-23T10:00:00Z", 5, {
        startDate: new Date("2026-11-23T13:30:00Z"),
        endDate: new Date("2026-11-23T15:00:00Z"),
      }),
    ).toEqual(["2026-11-23T14:00:00Z", "2026-11-23T15:00:00Z"]);
  });

  it("reads at() in the schedule's zone and gives one instant, or none once past", () => {
    expect(runs("at(2027-01-04T08:00:00)", "America/New_York", "2026-11-23T00:00:00Z")).toEqual(["2027-01-04T13:00:00Z"]);
    expect(runs("at(2027-07-04T08:00:00)", "Europe/London", "2026-11-23T00:00:00Z")).toEqual(["2027-07-04T07:00:00Z"]);
    expect(runs("at(2026-01-04T08:00:00)", "UTC", "2026-11-23T00:00:00Z")).toEqual([]);
  });

  it("reads an at() time inside a spring-forward gap as the time it would have been", () => {
    expect(runs("at(2027-03-14T02:30:00)", "America/New_York", "2026-11-23T00:00:00Z")).toEqual(["2027-03-14T07:30:00Z"]);
  });

  it("rejects a time zone that is not an IANA name", () => {
    expect(() => nextRuns("rate(1 hour)", { timezone: "EST-ish" })).toThrow('time zone "EST-ish" is not an IANA time zone name');
  });
});
