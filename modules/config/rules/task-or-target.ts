import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

const TASK_REQUIRED = "is required: a schedule runs a task or invokes a target";
const TASK_AND_TARGET = "cannot be given with task: a schedule runs a task or invokes a target, not both";

/** A schedule runs one of the processor's tasks, or invokes one target outside the stack: one of the two. */
export const taskOrTarget: CrossFieldRule = {
  summary: "A schedule names a task or a target, one of the two.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule)) return [];
      const [task, target] = [schedule.task !== undefined, schedule.target !== undefined];
      if (task && target) return [[`schedules[${index}].target`, TASK_AND_TARGET]];
      if (!task && !target) return [[`schedules[${index}].task`, TASK_REQUIRED]];
      return [];
    });
  },
  hcl: {
    variable: "schedules",
    condition: "alltrue([for s in var.schedules : (s.task == null) != (s.target == null)])",
    message: `join("; ", [
      for i, s in var.schedules : format(s.task == null ? local.task_required : local.task_and_target, i, s.name)
      if (s.task == null) == (s.target == null)
    ])`,
    locals: {
      task_required: JSON.stringify(`schedules[%d].task ${TASK_REQUIRED} (schedule %q)`),
      task_and_target: JSON.stringify(`schedules[%d].target ${TASK_AND_TARGET} (schedule %q)`),
    },
  },
};
