import { DEFAULTS } from "../../../core/config-defaults";

export const DEFAULT_PERIOD_HOURS: number = DEFAULTS.schedule.payload.periodHours;

/** The period a report or digest covers: (scheduled_time - hours, scheduled_time]. */
export function periodEndingAt(scheduledTime: string, hours = DEFAULT_PERIOD_HOURS): { from: Date; to: Date } {
  const to = new Date(scheduledTime);
  return { from: new Date(to.getTime() - hours * 3_600_000), to };
}
