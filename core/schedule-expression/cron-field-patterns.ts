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
  const numbers = Array.from({ length: rule.max - rule.min + 1 }, (_, i) => String(rule.min + i));
  const names = rule.names ? `|(?i:${rule.names.join("|")})` : "";
  return `(?:0*(?:${numbers.join("|")})${names})`;
}

function step(rule: FieldRule): string {
  return `(?:${Array.from({ length: rule.max - rule.min }, (_, i) => String(i + 1)).join("|")})`;
}

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
