import { scheduleInput } from "./schedule-input";

/**
 * The event a configured schedule sends: its task's input, and, for a schedule with excluded
 * dates, its zone and its entries, so the processor can tell a run on an excluded local date
 * (core/excluded-dates.ts) and record it as skipped. A schedule without exclusions sends
 * scheduleInput's event byte for byte, as before exclusions existed: a deployed schedule's input
 * does not change when this release is applied. A file of its own: the scheduling API's bundle
 * reads schedule-input.ts, and any text added there changes its minified code (esbuild names
 * symbols by the characters of the files it reads).
 */
export function scheduleEvent(
  schedule: Parameters<typeof scheduleInput>[0] & { readonly timezone?: string; readonly exclude?: readonly string[] },
  environment: string,
): Record<string, unknown> {
  const input = scheduleInput(schedule, environment);
  if (!schedule.exclude || schedule.exclude.length === 0) return input;
  return { ...input, timezone: schedule.timezone ?? "UTC", exclude: [...schedule.exclude] };
}
