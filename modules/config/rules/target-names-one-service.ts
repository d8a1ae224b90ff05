import { kindsOf, type ScheduleTargetInput, TARGET_KIND_NAMES } from "../../../core/schedule-targets";
import { snakeCase } from "../fields/field";
import { hclLiteral } from "./hcl-literal";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** A schedule invokes one thing: its target names exactly one service's ARN. */
export const targetNamesOneService: CrossFieldRule = {
  summary: "A schedule's target names one of lambda, sqs, sns, stepFunctions, eventBus.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule) || !isRecord(schedule.target)) return [];
      const kinds = kindsOf(schedule.target as ScheduleTargetInput);
      if (kinds.length === 1) return [];
      return [[`schedules[${index}].target`, `must name one of ${TARGET_KIND_NAMES.join(", ")}, got ${kinds.join(" and ") || "none"}`]];
    });
  },
  hcl: {
    variable: "schedules",
    condition: `alltrue([
      for s in var.schedules : s.target == null ? true : length([for k in local.target_kinds : k if s.target[k] != null]) == 1
    ])`,
    message: `join("; ", [
      for i, s in var.schedules : format(
        "schedules[%d].target must name one of %s, got %s (schedule %q)", i, join(", ", local.target_kinds),
        coalesce(join(" and ", [for k in local.target_kinds : k if s.target[k] != null]), "none"), s.name
      ) if s.target == null ? false : length([for k in local.target_kinds : k if s.target[k] != null]) != 1
    ])`,
    locals: { target_kinds: hclLiteral(TARGET_KIND_NAMES.map(snakeCase)) },
  },
};
