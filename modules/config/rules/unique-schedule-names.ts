import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** Scheduler keys the schedules of a group by name: two with one name would be one schedule. */
export const uniqueScheduleNames: CrossFieldRule = {
  summary: "Schedule names are unique in the environment's schedule group.",
  check(config) {
    const first = new Map<string, number>();
    return itemsOf(config.schedules).flatMap((schedule, index) => {
      if (!isRecord(schedule) || typeof schedule.name !== "string") return [];
      const earlier = first.get(schedule.name);
      if (earlier === undefined) {
        first.set(schedule.name, index);
        return [];
      }
      return [
        [
          `schedules[${index}].name`,
          `duplicates schedules[${earlier}].name ${JSON.stringify(schedule.name)}; names must be unique in the schedule group`,
        ],
      ];
    });
  },
  hcl: {
    variable: "schedules",
    condition: "length(distinct(var.schedules[*].name)) == length(var.schedules)",
    message: `join("; ", [
      for i, schedule in var.schedules : format(
        "schedules[%d].name duplicates schedules[%d].name %q; names must be unique in the schedule group",
        i, index(var.schedules[*].name, schedule.name), schedule.name
      ) if index(var.schedules[*].name, schedule.name) != i
    ])`,
  },
};
