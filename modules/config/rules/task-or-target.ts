import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** A schedule runs one of the processor's tasks, or invokes one target outside the stack: one of the two. */
export const taskOrTarget: CrossFieldRule = {
  summary: "A schedule names a task or a target, one of the two.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule)) return [];
      const [task, target] = [schedule.task !== undefined, schedule.target !== undefined];
      if (task && target)
        return [[`schedules[${index}].target`, "cannot be given with task: a schedule runs a task or invokes a target, not both"]];
      if (!task && !target) return [[`schedules[${index}].task`, "is required: a schedule runs a task or invokes a target"]];
      return [];
    });
  },
  hcl: {
    variable: "schedules",
    condition: "alltrue([for s in var.schedules : (s.task == null) != (s.target == null)])",
    message: `join("; ", [
      for i, s in var.schedules : (s.task == null
        ? format("schedules[%d].task is required: a schedule runs a task or invokes a target (schedule %q)", i, s.name)
        : format("schedules[%d].target cannot be given with task: a schedule runs a task or invokes a target, not both (schedule %q)", i, s.name)
      ) if (s.task == null) == (s.target == null)
    ])`,
  },
};
