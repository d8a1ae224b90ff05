import { nextRuns, parseScheduleExpression } from "../../../core/schedule-expression";

/** At most this many scheduled times of one schedule are listed (or fired) at once. */
export const MAX_SCHEDULED_TIMES = 1_000;

/**
 * A schedule as history reads it: the config's fields, and its excluded dates where it has
 * them (the config gains `exclude`; the operator's commands read it where it is present).
 */
export interface HistorySchedule {
  readonly name: string;
  readonly task: string;
  readonly expression: string;
  readonly timezone: string;
  readonly enabled: boolean;
  readonly payload?: object;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly exclude?: readonly string[];
}

export interface Window {
  readonly from: Date;
  readonly to: Date;
}

/** Where a rate() schedule without a start date counts its runs from. */
export type RateAnchor =
  /** Scheduler's CreationDate of the schedule: its first run. */
  | { readonly kind: "created"; readonly at: Date }
  /** Creation unknown: a run the bucket holds, and what kept the creation time from being read. */
  | { readonly kind: "recorded"; readonly at: Date; readonly why: string }
  /** Neither: nothing to count from. */
  | { readonly kind: "unknown"; readonly why: string };

export interface ScheduledTimes {
  /** Oldest first, within the window, at most MAX_SCHEDULED_TIMES. */
  readonly times: readonly Date[];
  /** More times fell in the window than are listed. */
  readonly truncated: boolean;
  /** What the reader should know about how the times were found (one sentence each). */
  readonly notes: readonly string[];
}

/**
 * Every time the schedule should have fired in [from, to], as Scheduler fires it: its
 * expression read in its zone (DST included), from its start date to its end date, none while
 * disabled. A rate() schedule without a start date runs from its creation, which only
 * Scheduler knows (`anchor`).
 */
export function scheduledTimes(schedule: HistorySchedule, window: Window, anchor?: RateAnchor): ScheduledTimes {
  if (!schedule.enabled) return { times: [], truncated: false, notes: [`${schedule.name} is disabled: no run is expected of it`] };
  const notes: string[] = [];
  const startDate = schedule.startDate ? new Date(schedule.startDate) : undefined;
  const endDate = schedule.endDate ? new Date(schedule.endDate) : undefined;
  let from = window.from;
  let anchorDate = startDate;
  const parsed = parseScheduleExpression(schedule.expression);
  if (parsed.kind === "rate" && !startDate) {
    if (!anchor || anchor.kind === "unknown") {
      const why = anchor?.why ?? "it was not read";
      return {
        times: [],
        truncated: false,
        notes: [`${schedule.name} runs every ${rateText(parsed)} from its creation, and its creation time is unknown (${why})`],
      };
    }
    if (anchor.kind === "created") anchorDate = anchor.at;
    else {
      // Creation unknown: the runs on record show the phase, and every time of the window on it is listed.
      const intervals = Math.ceil((anchor.at.getTime() - window.from.getTime()) / parsed.intervalMs);
      anchorDate = new Date(anchor.at.getTime() - Math.max(0, intervals) * parsed.intervalMs);
      notes.push(
        `${schedule.name}'s creation time could not be read (${anchor.why}): its times are counted from the run ` +
          `recorded at ${anchor.at.toISOString()}, and may include times before it was created`,
      );
    }
  }
  if (anchorDate && parsed.kind === "rate") from = new Date(Math.max(from.getTime(), anchorDate.getTime()));
  const last = Math.min(window.to.getTime(), endDate?.getTime() ?? Number.POSITIVE_INFINITY);
  const found = nextRuns(schedule.expression, {
    timezone: schedule.timezone,
    // nextRuns lists runs strictly after `from`: a run at the window's first instant counts.
    from: new Date(from.getTime() - 1),
    count: MAX_SCHEDULED_TIMES + 1,
    startDate: anchorDate,
    endDate: new Date(last),
  }).filter((time) => time.getTime() >= window.from.getTime() && time.getTime() <= last);
  const truncated = found.length > MAX_SCHEDULED_TIMES;
  if (truncated)
    notes.push(
      `${schedule.name} should have run more than ${MAX_SCHEDULED_TIMES.toLocaleString("en-US")} times in the window: only the first ` +
        `${MAX_SCHEDULED_TIMES.toLocaleString("en-US")} are listed; narrow --from/--to to see the rest`,
    );
  return { times: found.slice(0, MAX_SCHEDULED_TIMES), truncated, notes };
}

/** Whether the schedule's times depend on when Scheduler created it. */
export function needsCreationTime(schedule: HistorySchedule): boolean {
  return schedule.enabled && !schedule.startDate && schedule.expression.startsWith("rate(");
}

function rateText(rate: { value: number; unit: string }): string {
  return `${rate.value} ${rate.unit}${rate.value === 1 ? "" : "s"}`;
}
