import { hclLiteral } from "./hcl-literal";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/**
 * What only a task's schedule has (its payload, excluded dates the processor keeps, in the module
 * a missed-run alarm on the processor's metric) and what only a target's has (its input).
 */
export const TASK_ONLY_REASONS = {
  payload: "is a task's options; a target takes input",
  exclude: "needs a task: the processor keeps excluded dates, and a target's runs do not pass through it",
} as const;
const MODULE_TASK_ONLY_REASONS = {
  ...TASK_ONLY_REASONS,
  missed_run_alarm: "needs a task: it watches the processor's runs, and a target's schedule has none",
  payload_json: "is an own task's options; a target takes input",
};
export const TARGET_ONLY_REASON = "is a target's; a task takes payload";

export const taskFieldsWithTask: CrossFieldRule = {
  summary: "payload and exclude belong to a schedule with a task, input to one with a target.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule)) return [];
      if (schedule.target === undefined)
        return schedule.input !== undefined && schedule.task !== undefined ? [[`schedules[${index}].input`, TARGET_ONLY_REASON]] : [];
      const given = {
        payload: isRecord(schedule.payload) && Object.keys(schedule.payload).length > 0,
        exclude: Array.isArray(schedule.exclude) && schedule.exclude.length > 0,
      };
      return Object.entries(TASK_ONLY_REASONS).flatMap(
        ([field, reason]): Array<[string, string]> =>
          given[field as keyof typeof given] ? [[`schedules[${index}].${field}`, reason]] : [],
      );
    });
  },
  hcl: [
    {
      variable: "schedules",
      condition: "alltrue([for s in var.schedules : s.input == null || s.task == null || s.target != null])",
      message: `join("; ", [
        for i, s in var.schedules : format(local.input_with_task, i, s.name) if s.input != null && s.task != null && s.target == null
      ])`,
      locals: { input_with_task: JSON.stringify(`schedules[%d].input ${TARGET_ONLY_REASON} (schedule %q)`) },
    },
    {
      variable: "schedules",
      condition: `alltrue([
        for s in var.schedules : s.target == null ? true : (
          length(s.exclude) == 0 && s.missed_run_alarm == null && s.payload_json == null &&
          alltrue([for v in values(s.payload) : v == null])
        )
      ])`,
      message: `join("; ", flatten([for i, s in var.schedules : [
        for f, given in {
          payload = anytrue([for v in values(s.payload) : v != null]), exclude = length(s.exclude) > 0
          missed_run_alarm = s.missed_run_alarm != null, payload_json = s.payload_json != null
        } : format(local.task_only_message, i, f, local.task_only[f], s.name) if given
      ] if s.target != null]))`,
      locals: { task_only: hclLiteral(MODULE_TASK_ONLY_REASONS), task_only_message: JSON.stringify("schedules[%d].%s %s (schedule %q)") },
    },
  ],
};
