import { ScheduleExpressionError } from "./schedule-expression-error";

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for values from `min` upward (JAN = 1, SUN = 1). */
  readonly names?: readonly string[];
  /** A range may run past the end and wrap (FRI-MON, 22-2); not for years. */
  readonly cyclic: boolean;
  readonly describe: string;
}

export const MINUTES: FieldRule = { name: "minutes", min: 0, max: 59, cyclic: true, describe: "0-59" };
export const HOURS: FieldRule = { name: "hours", min: 0, max: 23, cyclic: true, describe: "0-23" };
export const DAY_OF_MONTH: FieldRule = { name: "day-of-month", min: 1, max: 31, cyclic: true, describe: "1-31" };
export const MONTH: FieldRule = {
  name: "month",
  min: 1,
  max: 12,
  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  cyclic: true,
  describe: "1-12 or JAN-DEC",
};
export const DAY_OF_WEEK: FieldRule = {
  name: "day-of-week",
  min: 1,
  max: 7,
  names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
  cyclic: true,
  describe: "1-7 (1 = SUN) or SUN-SAT",
};
export const YEAR: FieldRule = { name: "year", min: 1970, max: 2199, cyclic: false, describe: "1970-2199" };

export type DayOfMonthSpec =
  | { readonly kind: "any" }
  | { readonly kind: "days"; readonly days: ReadonlySet<number> }
  | { readonly kind: "last" }
  | { readonly kind: "last-weekday" }
  | { readonly kind: "nearest-weekday"; readonly day: number };

export type DayOfWeekSpec =
  | { readonly kind: "any" }
  | { readonly kind: "weekdays"; readonly weekdays: ReadonlySet<number> }
  | { readonly kind: "last-of-month"; readonly weekday: number }
  | { readonly kind: "nth-of-month"; readonly weekday: number; readonly nth: number };

function fail(rule: FieldRule, text: string, reason: string): never {
  throw new ScheduleExpressionError(`${rule.name} field ${JSON.stringify(text)}: ${reason}`);
}

function parseValue(rule: FieldRule, text: string, token: string): number {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < rule.min || value > rule.max) fail(rule, text, `${value} is outside ${rule.describe}`);
    return value;
  }
  const index = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index >= 0) return rule.min + index;
  return fail(rule, text, `${JSON.stringify(token)} is not a value of ${rule.describe}`);
}

const SPECIAL_CHARACTERS: ReadonlyArray<[string, string]> = [
  ["?", "? is only allowed in day-of-month or day-of-week"],
  ["L", "L is only allowed in day-of-month or day-of-week"],
  ["W", "W is only allowed in day-of-month"],
  ["#", "# is only allowed in day-of-week"],
];

/** A field of numbers, names, `*`, lists `,`, ranges `-` and steps `/`, as a set of values. */
export function parseValueSet(rule: FieldRule, text: string): Set<number> {
  const withoutNames = withoutNamesOf(rule, text);
  for (const [character, reason] of SPECIAL_CHARACTERS) {
    if (withoutNames.includes(character)) fail(rule, text, reason);
  }
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item.length === 0) fail(rule, text, "a list must not have empty items");
    const [rangeText, stepText, extra] = item.split("/");
    if (extra !== undefined) fail(rule, text, `${JSON.stringify(item)} has more than one /`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) fail(rule, text, `step ${JSON.stringify(stepText)} must be a whole number`);
      step = Number(stepText);
      const largest = rule.max - rule.min;
      if (step < 1 || step > largest) fail(rule, text, `step ${step} must be from 1 to ${largest}`);
    }
    let start: number;
    let end: number;
    if (rangeText === "*") {
      start = rule.min;
      end = rule.max;
    } else if (rangeText.includes("-")) {
      const [from, to, more] = rangeText.split("-");
      if (more !== undefined || from === "" || to === "") fail(rule, text, `${JSON.stringify(rangeText)} is not a range like 1-5`);
      start = parseValue(rule, text, from);
      end = parseValue(rule, text, to);
      if (end < start && !rule.cyclic) fail(rule, text, `range ${rangeText} starts after it ends`);
    } else if (rangeText === "") {
      return fail(rule, text, "a step needs a start, as in */5 or 0/5");
    } else {
      start = parseValue(rule, text, rangeText);
      // "5/15" steps from 5 to the end of the field; a plain "5" is just 5.
      end = stepText !== undefined ? rule.max : start;
    }
    // Ranges that end before they start wrap around the field (Quartz semantics).
    const span = end >= start ? end - start : end - start + (rule.max - rule.min + 1);
    for (let offset = 0; offset <= span; offset += step) {
      values.add(((start - rule.min + offset) % (rule.max - rule.min + 1)) + rule.min);
    }
  }
  return values;
}

/** The field's text in upper case with its names (JUL, WED, ...) removed, to spot stray L, W, #, ?. */
function withoutNamesOf(rule: FieldRule, text: string): string {
  let upper = text.toUpperCase();
  for (const name of rule.names ?? []) upper = upper.split(name).join("");
  return upper;
}

export function parseDayOfMonth(text: string): DayOfMonthSpec {
  const upper = text.toUpperCase();
  if (upper === "?") return { kind: "any" };
  if (upper === "L") return { kind: "last" };
  if (upper === "LW") return { kind: "last-weekday" };
  const nearest = /^(\d+)W$/.exec(upper);
  if (nearest) return { kind: "nearest-weekday", day: parseValue(DAY_OF_MONTH, text, nearest[1]) };
  if (upper.includes("?")) fail(DAY_OF_MONTH, text, "? must stand alone");
  if (upper.includes("W")) fail(DAY_OF_MONTH, text, "W must follow a single day, as in 15W (or LW)");
  if (upper.includes("L")) fail(DAY_OF_MONTH, text, "L must stand alone (or as LW)");
  if (upper.includes("#")) fail(DAY_OF_MONTH, text, "# is only allowed in day-of-week");
  return { kind: "days", days: parseValueSet(DAY_OF_MONTH, text) };
}

export function parseDayOfWeek(text: string): DayOfWeekSpec {
  const upper = text.toUpperCase();
  if (upper === "?") return { kind: "any" };
  // L alone is the last day of the week, Saturday.
  if (upper === "L") return { kind: "weekdays", weekdays: new Set([7]) };
  const last = /^([A-Z0-9]+)L$/.exec(upper);
  if (last) return { kind: "last-of-month", weekday: parseValue(DAY_OF_WEEK, text, last[1]) };
  const nth = /^([A-Z0-9]+)#(\d+)$/.exec(upper);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) fail(DAY_OF_WEEK, text, `the week number after # must be 1-5, got ${nth[2]}`);
    return { kind: "nth-of-month", weekday: parseValue(DAY_OF_WEEK, text, nth[1]), nth: n };
  }
  const bare = withoutNamesOf(DAY_OF_WEEK, text);
  if (bare.includes("?")) fail(DAY_OF_WEEK, text, "? must stand alone");
  if (bare.includes("#")) fail(DAY_OF_WEEK, text, "# takes one weekday and a week number, as in 2#1 (first Monday)");
  if (bare.includes("L")) fail(DAY_OF_WEEK, text, "L must stand alone or follow one weekday, as in 6L (last Friday)");
  return { kind: "weekdays", weekdays: parseValueSet(DAY_OF_WEEK, text) };
}
