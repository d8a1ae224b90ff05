import { TASK_TYPES } from "../../../core/task-types";
import { hclLiteral } from "./hcl-literal";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

const BUILT_IN = TASK_TYPES.join(", ");

/** A schedule's task is a built-in task the processor runs, or one of the environment's own `tasks`. */
export const scheduleTaskKnown: CrossFieldRule = {
  summary: "A schedule's task is a built-in task or one of tasks.",
  check(config) {
    const own = isRecord(config.tasks) ? Object.keys(config.tasks) : [];
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule) || typeof schedule.task !== "string") return [];
      if ((TASK_TYPES as readonly string[]).includes(schedule.task) || own.includes(schedule.task)) return [];
      return [
        [
          `schedules[${index}].task`,
          `must name a built-in task (${BUILT_IN}) or one of tasks (${own.join(", ") || "none"}), got ${JSON.stringify(schedule.task)}`,
        ],
      ];
    });
  },
  hcl: {
    variable: "schedules",
    // HCL evaluates both sides of ||: a schedule on a target (task null) is let through by try().
    condition:
      "alltrue([for s in var.schedules : s.task == null || try(contains(concat(local.built_in_tasks, keys(var.tasks)), s.task), true)])",
    message: `join(" ", [
      for i, s in var.schedules : format(local.unknown_task, i, coalesce(join(", ", keys(var.tasks)), "none"), jsonencode(s.task), s.name)
      if s.task != null && !try(contains(concat(local.built_in_tasks, keys(var.tasks)), s.task), true)
    ])`,
    locals: {
      built_in_tasks: hclLiteral(TASK_TYPES),
      unknown_task: JSON.stringify(
        `schedules[%d].task must name a built-in task (${BUILT_IN}) or one of tasks (%s), got %s (schedule %q).`,
      ),
    },
  },
};
