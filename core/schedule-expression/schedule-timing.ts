import { daysInMonth } from "./calendar";
import { nextRuns } from "./next-runs";
import { type CronExpression, parseScheduleExpression } from "./parse";
import { compatibleInstantOf, daylightSavingGapAt, type WallTime } from "./zoned-time";

/** When a schedule may fire: its expression read in its zone, within its optional start and end. */
export interface ScheduleTiming {
  readonly expression: string;
  readonly timezone: string;
  readonly startDate?: Date;
  readonly endDate?: Date;
}

/** Why a schedule does not fire, and which of its fields says so. */
export interface TimingProblem {
  readonly field: "expression" | "startDate" | "endDate";
  readonly reason: string;
}

/** A schedule that fires no more: why, and when it fired (or could have fired) for the last time. */
export interface EndedSchedule extends TimingProblem {
  readonly endedAt: Date;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY_MS = 86_400_000;

/** `2027-01-04T08:00:00Z`. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const pad = (n: number) => String(n).padStart(2, "0");
const clock = (t: WallTime) => `${pad(t.hour)}:${pad(t.minute)}`;
const date = (t: WallTime) => `${t.year}-${pad(t.month)}-${pad(t.day)}`;

/** "31", "30 or 31", "April, June or September". */
function oneOf(items: readonly string[], word = "or"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

/** A cron year field's values as ranges: "2020-2022, 2024". */
export function describeYears(years: ReadonlySet<number>): string {
  const sorted = [...years].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}

/**
 * Why no date of a cron's calendar exists, in words for the common cases (a day some months
 * lack: February 30 and 31, April 31, February 29 without a leap year), else field by field.
 */
function explainCalendar(cron: CronExpression, expression: string): string {
  const { dayOfMonth } = cron;
  const days = dayOfMonth.kind === "days" ? [...dayOfMonth.days] : dayOfMonth.kind === "nearest-weekday" ? [dayOfMonth.day] : [];
  const years = [...cron.years];
  const months = [...cron.months].sort((a, b) => a - b);
  const longest = (month: number) => Math.max(...years.map((year) => daysInMonth(year, month)));
  const smallest = Math.min(...days);
  if (days.length > 0 && months.every((month) => longest(month) < smallest)) {
    const monthNames = oneOf(
      months.map((m) => MONTHS[m - 1]),
      "and",
    );
    const missing = oneOf(days.sort((a, b) => a - b).map(String), "or");
    const leapYears = smallest === 29 && months.includes(2) ? ` in ${describeYears(cron.years)} (no leap year)` : "";
    return `${monthNames} ${months.length === 1 ? "has" : "have"} no day ${missing}${leapYears}`;
  }
  const [, , dom, month, dow] = /^cron\((.*)\)$/s.exec(expression)?.[1].trim().split(/\s+/) ?? [];
  const fields = [`day-of-month ${dom}`, `month ${month}`, `day-of-week ${dow}`].filter(
    (field) => !field.endsWith(" ?") && !field.endsWith(" *"),
  );
  return `no day in ${describeYears(cron.years)} matches ${oneOf(fields, "and")}`;
}

/** A window's bounds in words: "between startDate (…) and endDate (…)", "on or after startDate (…)", "before endDate (…)". */
function describeWindow(startDate: Date | undefined, endDate: Date | undefined): string {
  if (startDate && endDate) return `between startDate (${iso(startDate.getTime())}) and endDate (${iso(endDate.getTime())})`;
  if (startDate) return `on or after startDate (${iso(startDate.getTime())})`;
  return `before endDate (${iso((endDate as Date).getTime())})`;
}

/**
 * Why a schedule can never fire, whatever the date today: a cron calendar no date matches
 * ("never fires: February has no day 31"), times that all fall in daylight-saving gaps, a
 * start..end window that holds no run, an at() inside a daylight-saving gap. Decided with
 * nextRuns, the engine that previews runs. Undefined when it fires at least once. The expression
 * and the zone must be valid; an end before the start is the caller's own rule.
 */
export function whyNeverFires({ expression, timezone, startDate, endDate }: ScheduleTiming): TimingProblem | undefined {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind === "at") {
    // Scheduler ignores startDate and endDate for one-time schedules.
    const gap = daylightSavingGapAt(parsed.time, timezone);
    if (!gap) return undefined;
    const sameDay = date(gap.from) === date(gap.to);
    const jump = sameDay
      ? `on ${date(gap.from)} its clocks go from ${clock(gap.from)} to ${clock(gap.to)}, so ${clock(parsed.time)} never comes`
      : `its clocks go from ${date(gap.from)} ${clock(gap.from)} to ${date(gap.to)} ${clock(gap.to)}, so that day never comes`;
    return { field: "expression", reason: `${expression} falls in a daylight-saving gap of ${timezone}: ${jump}` };
  }
  if (parsed.kind === "rate") return undefined; // fires from its start on, every interval
  const calendarStart = new Date(Date.UTC(Math.min(...parsed.years), 0, 1) - 2 * DAY_MS);
  if (nextRuns(expression, { timezone, from: calendarStart, count: 1 }).length === 0) {
    // UTC has no gaps: a calendar that fires there only ever named times the zone skips.
    const onlyInGaps = nextRuns(expression, { timezone: "UTC", from: calendarStart, count: 1 }).length > 0;
    return {
      field: "expression",
      reason: onlyInGaps
        ? `never fires: each of its times falls in a daylight-saving gap of ${timezone}`
        : `never fires: ${explainCalendar(parsed, expression)}`,
    };
  }
  if (!startDate && !endDate) return undefined;
  const from = startDate ? new Date(startDate.getTime() - 1) : calendarStart;
  if (nextRuns(expression, { timezone, from, startDate, endDate, count: 1 }).length > 0) return undefined;
  const [first] = nextRuns(expression, { timezone, from, startDate, count: 1 });
  const after = first ? `: its first run ${startDate ? "from startDate " : ""}is ${iso(first.getTime())}` : "";
  const beforeStart = startDate && !first ? `: its last year, ${Math.max(...parsed.years)}, ends before it` : "";
  return { field: endDate ? "endDate" : "startDate", reason: `holds no run ${describeWindow(startDate, endDate)}${after}${beforeStart}` };
}

/**
 * A schedule with no run after `now`, and when it fired (or could have fired) for the last time:
 * an at() gone by, an endDate passed, a cron whose years are over. Undefined while a run is ahead.
 * Meant for schedules whyNeverFires has nothing against.
 */
export function whyNoRunAfter({ expression, timezone, startDate, endDate }: ScheduleTiming, now: Date): EndedSchedule | undefined {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind === "at") {
    const instant = compatibleInstantOf(parsed.time, timezone);
    if (instant > now.getTime()) return undefined;
    return { field: "expression", endedAt: new Date(instant), reason: `${expression} in ${timezone} is in the past (${iso(instant)})` };
  }
  if (nextRuns(expression, { timezone, from: now, startDate, endDate, count: 1 }).length > 0) return undefined;
  const yearsEnd =
    parsed.kind === "cron"
      ? compatibleInstantOf({ year: Math.max(...parsed.years) + 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, timezone)
      : Infinity;
  if (endDate && endDate.getTime() < yearsEnd) {
    if (endDate.getTime() <= now.getTime())
      return { field: "endDate", endedAt: endDate, reason: `is in the past (${iso(endDate.getTime())}): the schedule never fires again` };
    return {
      field: "endDate",
      endedAt: now,
      reason: `holds no run between now (${iso(now.getTime())}) and endDate (${iso(endDate.getTime())})`,
    };
  }
  if (parsed.kind !== "cron") return undefined; // a rate() always has a next run before its end
  const years = describeYears(parsed.years);
  if (yearsEnd <= now.getTime()) {
    const plural = parsed.years.size > 1 ? `years (${years}) are` : `year (${years}) is`;
    return { field: "expression", endedAt: new Date(yearsEnd), reason: `never fires again: its ${plural} in the past` };
  }
  return { field: "expression", endedAt: now, reason: `never fires again: its last run in ${years} has passed` };
}
