import { nextRuns } from "../../core/schedule-expression";
import type { ScheduleConfig } from "./schema";

/** How a missed-run alarm looks at a schedule's TaskExecution metric. */
export interface MissedRunWindow {
  readonly periodSeconds: number;
  /** Consecutive periods without a successful run that raise the alarm. */
  readonly evaluationPeriods: number;
}

// Fixed, so synthesis gives the same alarms on every machine and every day.
const REFERENCE_START = new Date("2026-01-01T00:00:00Z");
const SIMULATED_RUNS = 1_500;
const YEAR_MS = 366 * 86_400_000;
/** Time for an embedded metric to reach CloudWatch after the run ends. */
const METRIC_DELAY_SECONDS = 300;
const CANDIDATE_PERIODS = [300, 3_600, 86_400] as const;

/** CloudWatch's limit on period x evaluation periods: 1 day below hourly periods, else 7 days. */
function longestRange(periodSeconds: number): number {
  return periodSeconds < 3_600 ? 86_400 : 604_800;
}

/**
 * The alarm window that never fires while a recurring schedule keeps its rhythm and fires once
 * a run is missed (or fails): the smallest period whose aligned buckets, counted over a year of
 * the schedule's real runs (time zone, DST and all), leave at most N-1 empty between two runs,
 * where a run's metric may land anywhere from its scheduled time to the end of its flexible
 * window, its longest duration and the metric delay. Undefined for one-time and disabled
 * schedules, and where even 7 days of daily buckets cannot cover the gaps (monthly schedules).
 */
export function missedRunWindow(schedule: ScheduleConfig, longestRunSeconds: number): MissedRunWindow | undefined {
  if (!schedule.enabled || schedule.expression.startsWith("at(")) return undefined;
  // Environments share expressions (the same daily report in staging and prod): a year's replay once per shape.
  const key = JSON.stringify([
    schedule.expression,
    schedule.timezone,
    schedule.flexibleWindowMinutes,
    schedule.startDate,
    schedule.endDate,
    longestRunSeconds,
  ]);
  if (!windows.has(key)) windows.set(key, computeWindow(schedule, longestRunSeconds));
  return windows.get(key);
}

const windows = new Map<string, MissedRunWindow | undefined>();

function computeWindow(schedule: ScheduleConfig, longestRunSeconds: number): MissedRunWindow | undefined {
  const from =
    schedule.startDate && Date.parse(schedule.startDate) > REFERENCE_START.getTime() ? new Date(schedule.startDate) : REFERENCE_START;
  const until = from.getTime() + YEAR_MS;
  const runs = nextRuns(schedule.expression, {
    timezone: schedule.timezone,
    from,
    count: SIMULATED_RUNS,
    startDate: schedule.startDate ? new Date(schedule.startDate) : undefined,
    endDate: new Date(Math.min(until, schedule.endDate ? Date.parse(schedule.endDate) : Infinity)),
  }).map((run) => run.getTime() / 1000);
  if (runs.length < 2) return undefined;
  const anchoredToClock = schedule.expression.startsWith("cron(") || schedule.startDate !== undefined;
  const lateness = schedule.flexibleWindowMinutes * 60 + longestRunSeconds + METRIC_DELAY_SECONDS;
  for (const periodSeconds of CANDIDATE_PERIODS) {
    let mostEmptyBuckets = 0;
    for (let i = 1; i < runs.length; i++) {
      // Longest possible silence: one run reports at once, the next as late as it can.
      const quietFrom = runs[i - 1];
      const quietUntil = runs[i] + lateness;
      // cron runs sit on the wall clock, so their buckets are as simulated; a rate's phase
      // depends on when it was created, so count its worst alignment.
      const emptyBuckets = anchoredToClock
        ? Math.floor(quietUntil / periodSeconds) - Math.ceil(quietFrom / periodSeconds)
        : Math.floor((quietUntil - quietFrom) / periodSeconds);
      mostEmptyBuckets = Math.max(mostEmptyBuckets, emptyBuckets);
    }
    const evaluationPeriods = mostEmptyBuckets + 1;
    if (evaluationPeriods * periodSeconds <= longestRange(periodSeconds)) return { periodSeconds, evaluationPeriods };
  }
  return undefined;
}
