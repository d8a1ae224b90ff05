import { addDays, awsWeekday, type CivilDate, daysInMonth } from "./calendar";
import type { DayOfMonthSpec, DayOfWeekSpec } from "./cron-fields";
import { type CronExpression, parseScheduleExpression } from "./parse";
import { ScheduleExpressionError } from "./schedule-expression-error";
import { isIanaTimeZone } from "./time-zone";
import { compatibleInstantOf, instantsOf, wallTimeAt } from "./zoned-time";

export interface NextRunsOptions {
  /** IANA zone the expression is read in. @default "UTC" */
  readonly timezone?: string;
  /** Runs strictly after this instant. @default now */
  readonly from?: Date;
  /** How many runs at most. @default 5 */
  readonly count?: number;
  /** The schedule's start: no runs before it, and the anchor of rate() schedules. */
  readonly startDate?: Date;
  /** The schedule's end: no runs after it. */
  readonly endDate?: Date;
}

/**
 * The next runs of a schedule as UTC instants, as EventBridge Scheduler fires them.
 * cron: read in the time zone; a time skipped by a spring-forward change does not run, a time
 * repeated by a fall-back change runs once (at its first occurrence). rate: fixed intervals
 * (a day is 24 hours) from `startDate`, or from `from`. at: one instant, or none once past.
 */
export function nextRuns(expression: string, options: NextRunsOptions = {}): Date[] {
  const timezone = options.timezone ?? "UTC";
  if (!isIanaTimeZone(timezone)) throw new ScheduleExpressionError(`time zone ${JSON.stringify(timezone)} is not an IANA time zone name`);
  const from = (options.from ?? new Date()).getTime();
  const count = options.count ?? 5;
  const earliest = Math.max(from + 1, options.startDate?.getTime() ?? -Infinity);
  const latest = options.endDate?.getTime() ?? Infinity;
  const parsed = parseScheduleExpression(expression);
  const keep = (instant: number) => instant >= earliest && instant <= latest;

  if (parsed.kind === "at") {
    const instant = compatibleInstantOf(parsed.time, timezone);
    return keep(instant) && count > 0 ? [new Date(instant)] : [];
  }
  if (parsed.kind === "rate") {
    const anchor = options.startDate?.getTime() ?? from;
    const skipped = Math.max(0, Math.ceil((earliest - anchor) / parsed.intervalMs));
    const runs: Date[] = [];
    for (let k = skipped; runs.length < count; k++) {
      const instant = anchor + k * parsed.intervalMs;
      if (instant > latest) break;
      if (keep(instant)) runs.push(new Date(instant));
    }
    return runs;
  }
  return cronRuns(parsed, timezone, earliest, latest, count);
}

function cronRuns(cron: CronExpression, timezone: string, earliest: number, latest: number, count: number): Date[] {
  const runs: Date[] = [];
  if (count <= 0) return runs;
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const lastYear = Math.max(...cron.years);
  // Start a day early: the zone's date at `earliest` may lag the UTC date.
  let day: CivilDate = addDays(wallTimeAt(earliest, timezone), -1);
  for (; day.year <= lastYear; day = addDays(day, 1)) {
    if (!cron.years.has(day.year) || !cron.months.has(day.month) || !dayMatches(cron.dayOfMonth, cron.dayOfWeek, day)) {
      if (!cron.years.has(day.year)) day = { year: day.year, month: 12, day: 31 };
      continue;
    }
    for (const hour of hours) {
      for (const minute of minutes) {
        // Skipped (gap) times yield no instant; repeated (overlap) times run at the first.
        const [instant] = instantsOf({ ...day, hour, minute, second: 0 }, timezone);
        if (instant === undefined || instant < earliest) continue;
        if (instant > latest) return runs;
        runs.push(new Date(instant));
        if (runs.length === count) return runs;
      }
    }
  }
  return runs;
}

function dayMatches(dayOfMonth: DayOfMonthSpec, dayOfWeek: DayOfWeekSpec, date: CivilDate): boolean {
  const last = daysInMonth(date.year, date.month);
  switch (dayOfMonth.kind) {
    case "days":
      return dayOfMonth.days.has(date.day);
    case "last":
      return date.day === last;
    case "last-weekday":
      return date.day === nearestWeekday(date, last, last);
    case "nearest-weekday":
      return dayOfMonth.day <= last && date.day === nearestWeekday(date, dayOfMonth.day, last);
    case "any":
      break;
  }
  const weekday = awsWeekday(date);
  switch (dayOfWeek.kind) {
    case "weekdays":
      return dayOfWeek.weekdays.has(weekday);
    case "last-of-month":
      return weekday === dayOfWeek.weekday && date.day + 7 > last;
    case "nth-of-month":
      return weekday === dayOfWeek.weekday && Math.ceil(date.day / 7) === dayOfWeek.nth;
    case "any":
      return true;
  }
}

/** The weekday nearest to `target` in the same month (W): Saturday → Friday, Sunday → Monday. */
function nearestWeekday(date: CivilDate, target: number, last: number): number {
  const weekday = awsWeekday({ ...date, day: target });
  if (weekday === 7) return target === 1 ? 3 : target - 1;
  if (weekday === 1) return target === last ? target - 2 : target + 1;
  return target;
}
