import { parseScheduleExpression, validateScheduleExpression } from "../../../core/schedule-expression";

describe("validateScheduleExpression accepts what EventBridge Scheduler accepts", () => {
  it.each([
    "cron(0 10 * * ? *)",
    "cron(15 12 * * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(0 8 1 * ? *)",
    "cron(0/15 * * * ? *)",
    "cron(0/10 * ? * MON-FRI *)",
    "cron(0/5 8-17 ? * MON-FRI *)",
    "cron(0 9 ? * 2#1 *)",
    "cron(0 12 L * ? *)",
    "cron(0 12 LW * ? *)",
    "cron(0 12 15W * ? *)",
    "cron(0 12 ? * 6L *)",
    "cron(0 12 ? * L *)",
    "cron(0 0 1 jan,jul ? 2027-2030)",
    "cron(5,35 */2 1-15/2 * ? *)",
    "cron(0 0 ? * SUN 1970)",
    "cron(0 0 ? * 7 2199)",
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(7 days)",
    "at(2027-01-04T08:00:00)",
    "at(2028-02-29T23:59:59)",
  ])("%s", (expression) => {
    expect(validateScheduleExpression(expression)).toBeUndefined();
  });
});

describe("validateScheduleExpression rejects, saying what and where", () => {
  it.each([
    ["every hour", 'must be cron(...), rate(...) or at(...), got "every hour"'],
    ["cron(0 9 * * ?)", 'cron expressions have 6 fields (minutes hours day-of-month month day-of-week year), got 5: "0 9 * * ?"'],
    ["cron(0 9 * * ? * *)", 'cron expressions have 6 fields (minutes hours day-of-month month day-of-week year), got 7: "0 9 * * ? * *"'],
    ["cron(0 9 * * MON *)", "day-of-month and day-of-week cannot both be specified; use ? in one of them"],
    ["cron(0 9 ? * ? *)", "day-of-month and day-of-week cannot both be ?; specify one of them (use * for every day)"],
    ["cron(60 9 * * ? *)", 'minutes field "60": 60 is outside 0-59'],
    ["cron(0 24 * * ? *)", 'hours field "24": 24 is outside 0-23'],
    ["cron(0 9 32 * ? *)", 'day-of-month field "32": 32 is outside 1-31'],
    ["cron(0 9 0 * ? *)", 'day-of-month field "0": 0 is outside 1-31'],
    ["cron(0 9 1 13 ? *)", 'month field "13": 13 is outside 1-12 or JAN-DEC'],
    ["cron(0 9 1 JANUARY ? *)", 'month field "JANUARY": "JANUARY" is not a value of 1-12 or JAN-DEC'],
    ["cron(0 9 ? * 0 *)", 'day-of-week field "0": 0 is outside 1-7 (1 = SUN) or SUN-SAT'],
    ["cron(0 9 ? * 8 *)", 'day-of-week field "8": 8 is outside 1-7 (1 = SUN) or SUN-SAT'],
    ["cron(0 9 ? * FUN *)", 'day-of-week field "FUN": "FUN" is not a value of 1-7 (1 = SUN) or SUN-SAT'],
    ["cron(0 9 * * ? 1969)", 'year field "1969": 1969 is outside 1970-2199'],
    ["cron(0 9 * * ? 2200)", 'year field "2200": 2200 is outside 1970-2199'],
    ["cron(0 9 * * ? 2030-2027)", 'year field "2030-2027": range 2030-2027 starts after it ends'],
    ["cron(*/0 9 * * ? *)", 'minutes field "*/0": step 0 must be from 1 to 59'],
    ["cron(0 9/x * * ? *)", 'hours field "9/x": step "x" must be a whole number'],
    ["cron(0 9 1,,2 * ? *)", 'day-of-month field "1,,2": a list must not have empty items'],
    ["cron(? 9 * * ? *)", 'minutes field "?": ? is only allowed in day-of-month or day-of-week'],
    ["cron(0 L * * ? *)", 'hours field "L": L is only allowed in day-of-month or day-of-week'],
    ["cron(0 9 * 3W ? *)", 'month field "3W": W is only allowed in day-of-month'],
    ["cron(0 9 1#2 * ? *)", 'day-of-month field "1#2": # is only allowed in day-of-week'],
    ["cron(0 9 15W,16 * ? *)", 'day-of-month field "15W,16": W must follow a single day, as in 15W (or LW)'],
    ["cron(0 9 L-3 * ? *)", 'day-of-month field "L-3": L must stand alone (or as LW)'],
    ["cron(0 9 ? * 2#6 *)", 'day-of-week field "2#6": the week number after # must be 1-5, got 6'],
    ["cron(0 9 ? * 2#1,3#1 *)", 'day-of-week field "2#1,3#1": # takes one weekday and a week number, as in 2#1 (first Monday)'],
    ["cron(0 9 ? * 2W *)", 'day-of-week field "2W": W is only allowed in day-of-month'],
    ["rate(0 minutes)", 'rate value "0" must be a positive whole number'],
    ["rate(-5 minutes)", 'rate value "-5" must be a positive whole number'],
    ["rate(1.5 hours)", 'rate value "1.5" must be a positive whole number'],
    ["rate(1 minutes)", "rate(1 minutes) must use the singular unit: rate(1 minute)"],
    ["rate(5 minute)", "rate(5 minute) must use the plural unit: rate(5 minutes)"],
    ["rate(2 weeks)", 'rate unit "weeks" must be minute(s), hour(s) or day(s)'],
    ["rate(5)", "rate expressions are rate(<value> <unit>), as in rate(5 minutes), got rate(5)"],
    ["at(2027-02-29T10:00:00)", "at(2027-02-29T10:00:00): 2027-02-29 is not a calendar date"],
    ["at(2027-04-31T10:00:00)", "at(2027-04-31T10:00:00): 2027-04-31 is not a calendar date"],
    ["at(2027-01-01T24:00:00)", "at(2027-01-01T24:00:00): 24:00:00 is not a time of day"],
    ["at(2027-01-01 10:00:00)", "at expressions are at(yyyy-mm-ddThh:mm:ss), got at(2027-01-01 10:00:00)"],
    ["at(2027-01-01T10:00)", "at expressions are at(yyyy-mm-ddThh:mm:ss), got at(2027-01-01T10:00)"],
  ])("%s", (expression, reason) => {
    expect(validateScheduleExpression(expression)).toBe(reason);
  });
});

describe("parseScheduleExpression", () => {
  it("expands steps, ranges, names and wrapping ranges into the values they mean", () => {
    const parsed = parseScheduleExpression("cron(5/20 22-1 1-10/3 NOV-FEB ? 2027,2029)");
    expect(parsed).toMatchObject({ kind: "cron" });
    if (parsed.kind !== "cron") return;
    expect([...parsed.minutes]).toEqual([5, 25, 45]);
    expect([...parsed.hours]).toEqual([22, 23, 0, 1]);
    expect(parsed.dayOfMonth).toEqual({ kind: "days", days: new Set([1, 4, 7, 10]) });
    expect([...parsed.months]).toEqual([11, 12, 1, 2]);
    expect([...parsed.years]).toEqual([2027, 2029]);
  });

  it("reads rate units into an interval", () => {
    expect(parseScheduleExpression("rate(3 days)")).toEqual({ kind: "rate", value: 3, unit: "day", intervalMs: 3 * 86_400_000 });
  });
});

describe("the IANA zone list the Terraform module checks against", () => {
  const { IANA_TIME_ZONES } =
    require("../../../core/schedule-expression/iana-time-zones") as typeof import("../../../core/schedule-expression/iana-time-zones");
  const { isIanaTimeZone } = require("../../../core/schedule-expression") as typeof import("../../../core/schedule-expression");
  it("holds only names the stacks accept, the canonical ones and the links users write", () => {
    expect(IANA_TIME_ZONES.filter((name) => !isIanaTimeZone(name))).toEqual([]);
    expect(IANA_TIME_ZONES).toEqual(
      expect.arrayContaining(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Calcutta", "Europe/Kyiv", "US/Eastern"]),
    );
    expect(IANA_TIME_ZONES).not.toContain("Europe/Berln");
  });
});
