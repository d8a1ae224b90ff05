import { isCalendarDate } from "./calendar";
import {
  type DayOfMonthSpec,
  type DayOfWeekSpec,
  HOURS,
  MINUTES,
  MONTH,
  parseDayOfMonth,
  parseDayOfWeek,
  parseValueSet,
  YEAR,
} from "./cron-fields";
import { ScheduleExpressionError } from "./schedule-expression-error";
import type { WallTime } from "./zoned-time";

export interface CronExpression {
  readonly kind: "cron";
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly dayOfMonth: DayOfMonthSpec;
  readonly months: ReadonlySet<number>;
  readonly dayOfWeek: DayOfWeekSpec;
  readonly years: ReadonlySet<number>;
}

export interface RateExpression {
  readonly kind: "rate";
  readonly value: number;
  readonly unit: "minute" | "hour" | "day";
  readonly intervalMs: number;
}

export interface AtExpression {
  readonly kind: "at";
  /** Wall-clock time, read in the schedule's time zone. */
  readonly time: WallTime;
}

export type ScheduleExpression = CronExpression | RateExpression | AtExpression;

const CRON_FIELDS = "minutes hours day-of-month month day-of-week year";
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Parses an EventBridge Scheduler expression: cron(...), rate(...) or at(...). Throws
 * ScheduleExpressionError saying what is wrong and where.
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const match = /^(cron|rate|at)\((.*)\)$/s.exec(expression);
  if (!match) {
    throw new ScheduleExpressionError(`must be cron(...), rate(...) or at(...), got ${JSON.stringify(expression)}`);
  }
  const [, kind, body] = match;
  if (kind === "cron") return parseCron(body);
  if (kind === "rate") return parseRate(body);
  return parseAt(body);
}

function parseCron(body: string): CronExpression {
  const fields = body
    .trim()
    .split(/\s+/)
    .filter((f) => f.length > 0);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(`cron expressions have 6 fields (${CRON_FIELDS}), got ${fields.length}: ${JSON.stringify(body)}`);
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  const parsed: CronExpression = {
    kind: "cron",
    minutes: parseValueSet(MINUTES, minutes),
    hours: parseValueSet(HOURS, hours),
    dayOfMonth: parseDayOfMonth(dayOfMonth),
    months: parseValueSet(MONTH, month),
    dayOfWeek: parseDayOfWeek(dayOfWeek),
    years: parseValueSet(YEAR, year),
  };
  const domAny = parsed.dayOfMonth.kind === "any";
  const dowAny = parsed.dayOfWeek.kind === "any";
  if (!domAny && !dowAny) {
    throw new ScheduleExpressionError("day-of-month and day-of-week cannot both be specified; use ? in one of them");
  }
  if (domAny && dowAny) {
    throw new ScheduleExpressionError("day-of-month and day-of-week cannot both be ?; specify one of them (use * for every day)");
  }
  return parsed;
}

function parseRate(body: string): RateExpression {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 2) {
    throw new ScheduleExpressionError(`rate expressions are rate(<value> <unit>), as in rate(5 minutes), got rate(${body})`);
  }
  const [valueText, unitText] = parts;
  if (!/^[1-9]\d*$/.test(valueText)) {
    throw new ScheduleExpressionError(`rate value ${JSON.stringify(valueText)} must be a positive whole number`);
  }
  const value = Number(valueText);
  const unit = unitText.replace(/s$/, "") as RateExpression["unit"];
  if (!(unit in UNIT_MS)) {
    throw new ScheduleExpressionError(`rate unit ${JSON.stringify(unitText)} must be minute(s), hour(s) or day(s)`);
  }
  const plural = unitText.endsWith("s");
  if (value === 1 && plural) throw new ScheduleExpressionError(`rate(1 ${unitText}) must use the singular unit: rate(1 ${unit})`);
  if (value !== 1 && !plural)
    throw new ScheduleExpressionError(`rate(${value} ${unitText}) must use the plural unit: rate(${value} ${unit}s)`);
  return { kind: "rate", value, unit, intervalMs: value * UNIT_MS[unit] };
}

function parseAt(body: string): AtExpression {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) throw new ScheduleExpressionError(`at expressions are at(yyyy-mm-ddThh:mm:ss), got at(${body})`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (!isCalendarDate(year, month, day)) throw new ScheduleExpressionError(`at(${body}): ${body.slice(0, 10)} is not a calendar date`);
  if (hour > 23 || minute > 59 || second > 59) throw new ScheduleExpressionError(`at(${body}): ${body.slice(11)} is not a time of day`);
  return { kind: "at", time: { year, month, day, hour, minute, second } };
}

/** The reason EventBridge Scheduler would reject `expression`, or undefined when it is valid. */
export function validateScheduleExpression(expression: string): string | undefined {
  try {
    parseScheduleExpression(expression);
    return undefined;
  } catch (error) {
    if (error instanceof ScheduleExpressionError) return error.reason;
    throw error;
  }
}
