import { isCalendarDate } from "./schedule-expression/calendar";
import { wallTimeAt } from "./schedule-expression/zoned-time";

/**
 * Dates a schedule does not run on (holidays, freezes): local dates in the schedule's time zone,
 * each a day (`2026-12-25`) or an inclusive range (`2026-12-24/2026-12-26`). Scheduler still
 * fires on them; the processor records the run as skipped, does no work and sends no failure,
 * and the run counts as run for the missed-run alarm. The config, the construct, the module,
 * the processor and the operator's commands all read them through this file.
 */
export const MAX_EXCLUDED_DATES = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An entry's first and last day, as `yyyy-mm-dd` (which sort as dates do). */
export interface ExcludedRange {
  readonly first: string;
  readonly last: string;
}

/** What is wrong with one entry, or undefined when it is a real day or an ordered range of real days. */
export function excludedEntryProblem(entry: string): string | undefined {
  const parts = entry.split("/");
  if (parts.length > 2 || !parts.every((part) => DAY.test(part)))
    return `must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got ${JSON.stringify(entry)}`;
  const unreal = parts.find((part) => !isRealDay(part));
  if (unreal) return `${unreal} is not a date`;
  if (parts.length === 2 && parts[1] < parts[0]) return `the range must run forwards: ${parts[1]} is before ${parts[0]}`;
  return undefined;
}

/** Every problem of a schedule's exclusions, by index (undefined key: the list as a whole). */
export function excludedDatesProblems(entries: readonly string[]): Array<{ readonly index?: number; readonly reason: string }> {
  const problems: Array<{ index?: number; reason: string }> = [];
  if (entries.length > MAX_EXCLUDED_DATES)
    problems.push({ reason: `must hold at most ${MAX_EXCLUDED_DATES} entries, got ${entries.length}` });
  entries.forEach((entry, index) => {
    const reason = excludedEntryProblem(entry);
    if (reason) problems.push({ index, reason });
  });
  return problems;
}

export function parseExcludedDates(entries: readonly string[]): ExcludedRange[] {
  return entries.map((entry) => {
    const [first, last = first] = entry.split("/");
    return { first, last };
  });
}

/** The schedule's local date of an instant, `yyyy-mm-dd`. */
export function localDateOf(instant: Date | number, timezone: string): string {
  const { year, month, day } = wallTimeAt(typeof instant === "number" ? instant : instant.getTime(), timezone);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The excluded local date an instant falls on, or undefined when the schedule runs then. */
export function excludedDateOf(instant: Date | number, timezone: string, entries: readonly string[] | undefined): string | undefined {
  if (!entries || entries.length === 0) return undefined;
  const date = localDateOf(instant, timezone);
  return parseExcludedDates(entries).some((range) => range.first <= date && date <= range.last) ? date : undefined;
}

function isRealDay(text: string): boolean {
  const [, year, month, day] = DAY.exec(text)!.map(Number);
  return isCalendarDate(year, month, day);
}
