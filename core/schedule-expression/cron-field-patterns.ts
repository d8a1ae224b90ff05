import { DAY_OF_MONTH, DAY_OF_WEEK, HOURS, MINUTES, MONTH, YEAR } from "./cron-fields";

type FieldRule = typeof MINUTES;

/**
 * Each cron field's grammar as an RE2 regular expression, rendered from the same field rules
 * the stacks' parser uses (ranges, names, steps, and the special characters each field
 * allows), for checks that cannot run the parser: the Terraform module's validation blocks.
 * What a pattern cannot say (a year range that ends before it starts, a calendar that never
 * fires) stays with the parser, `npm run config -- check`.
 */
function value(rule: FieldRule): string {
  const names = rule.names ? `|(?i:${rule.names.join("|")})` : "";
  return `(?:0*(?:${integersFrom(rule.min, rule.max)})${names})`;
}

function step(rule: FieldRule): string {
  return `(?:${integersFrom(1, rule.max - rule.min)})`;
}

/** A pattern of the integers from `min` to `max` (no leading zeros), short enough to read: 1970-2199 is `19[7-9][0-9]|2[01][0-9]{2}`. */
export function integersFrom(min: number, max: number): string {
  const parts: string[] = [];
  for (let digits = String(min).length; digits <= String(max).length; digits++) {
    const low = Math.max(min, digits === 1 ? 0 : 10 ** (digits - 1));
    const high = Math.min(max, 10 ** digits - 1);
    if (low <= high) parts.push(...sameLength(String(low), String(high)));
  }
  return parts.join("|");
}

/** The numbers from `low` to `high`, both of the same number of digits. */
function sameLength(low: string, high: string): string[] {
  if (low === high) return [low];
  if (low.length === 1) return [digits(Number(low), Number(high))];
  if (low[0] === high[0]) return [`${low[0]}${group(sameLength(low.slice(1), high.slice(1)))}`];
  const rest = low.length - 1;
  const parts: string[] = [];
  let first = Number(low[0]);
  let last = Number(high[0]);
  if (!/^0+$/.test(low.slice(1))) {
    parts.push(`${low[0]}${group(sameLength(low.slice(1), "9".repeat(rest)))}`);
    first += 1;
  }
  const highIsFull = /^9+$/.test(high.slice(1));
  if (!highIsFull) last -= 1;
  if (first <= last) parts.push(`${digits(first, last)}[0-9]${rest > 1 ? `{${rest}}` : ""}`);
  if (!highIsFull) parts.push(`${high[0]}${group(sameLength("0".repeat(rest), high.slice(1)))}`);
  return parts;
}

const digits = (from: number, to: number) => (from === to ? String(from) : `[${from}-${to}]`);
const group = (parts: string[]) => (parts.length === 1 ? parts[0] : `(?:${parts.join("|")})`);

/** `*`, a value or a range, each with an optional step; items in a comma list. */
function valueList(rule: FieldRule): string {
  const v = value(rule);
  const item = `(?:(?:\\*|${v}(?:-${v})?)(?:/0*${step(rule)})?)`;
  return `${item}(?:,${item})*`;
}

export interface CronFieldPattern {
  readonly field: string;
  /** 0-based position in `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly index: number;
  readonly pattern: string;
  readonly allowed: string;
}

const anchored = (body: string) => `^(?:${body})$`;

export const CRON_FIELD_PATTERNS: readonly CronFieldPattern[] = [
  { field: "minutes", index: 0, pattern: anchored(valueList(MINUTES)), allowed: "0-59 with , - * /" },
  { field: "hours", index: 1, pattern: anchored(valueList(HOURS)), allowed: "0-23 with , - * /" },
  {
    field: "day-of-month",
    index: 2,
    pattern: anchored(`\\?|(?i:L|LW)|${value(DAY_OF_MONTH)}(?i:W)|${valueList(DAY_OF_MONTH)}`),
    allowed: "1-31 with , - * / ? L W",
  },
  { field: "month", index: 3, pattern: anchored(valueList(MONTH)), allowed: "1-12 or JAN-DEC with , - * /" },
  {
    field: "day-of-week",
    index: 4,
    pattern: anchored(`\\?|(?i:L)|${value(DAY_OF_WEEK)}(?i:L)|${value(DAY_OF_WEEK)}#[1-5]|${valueList(DAY_OF_WEEK)}`),
    allowed: "1-7 or SUN-SAT with , - * / ? L #",
  },
  { field: "year", index: 5, pattern: anchored(valueList(YEAR)), allowed: "1970-2199 with , - * /" },
];
