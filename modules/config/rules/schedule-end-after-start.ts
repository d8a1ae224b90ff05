import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** A schedule that ends before it starts never runs: Scheduler would accept it and do nothing. */
export const scheduleEndsAfterStart: CrossFieldRule = {
  summary: "A schedule's endDate is after its startDate.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index) => {
      if (!isRecord(schedule)) return [];
      const start = typeof schedule.startDate === "string" ? Date.parse(schedule.startDate) : Number.NaN;
      const end = typeof schedule.endDate === "string" ? Date.parse(schedule.endDate) : Number.NaN;
      if (Number.isNaN(start) || Number.isNaN(end) || end > start) return [];
      return [[`schedules[${index}].endDate`, `must be after startDate (${schedule.startDate}), got ${schedule.endDate}`]];
    });
  },
  hcl: {
    variable: "schedules",
    // timecmp only where both are real instants: the instant check names the others.
    condition: `alltrue([
      for s in var.schedules : !can(timecmp(s.end_date, s.start_date)) ? true : timecmp(s.end_date, s.start_date) > 0
    ])`,
    message: `join("; ", [
      for i, s in var.schedules : format(
        "schedules[%d].end_date must be after start_date (%s), got %s (schedule %q)", i, s.start_date, s.end_date, s.name
      ) if can(timecmp(s.end_date, s.start_date)) ? timecmp(s.end_date, s.start_date) <= 0 : false
    ])`,
  },
};
