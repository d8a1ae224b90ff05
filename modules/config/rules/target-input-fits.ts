import { kindsOf, parsedInput, type ScheduleTargetInput, TARGET_KIND_NAMES, TARGET_KINDS } from "../../../core/schedule-targets";
import { snakeCase } from "../fields/field";
import { hclLiteral } from "./hcl-literal";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

const NOT_JSON = "must be JSON for a target of lambda, stepFunctions or eventBus (Scheduler's context attributes count as values)";
const NOT_OBJECT = "must be a JSON object for an eventBus target: it is the event's detail";

/**
 * Scheduler passes a Lambda function, a state machine or an event bus only well-formed JSON, and
 * PutEvents takes only an object as an event's detail. A queue or a topic takes any text.
 */
export const targetInputFits: CrossFieldRule = {
  summary: "A target's input is JSON for lambda, stepFunctions and eventBus (an object for eventBus).",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule) || !isRecord(schedule.target) || typeof schedule.input !== "string") return [];
      const [kind, ...others] = kindsOf(schedule.target as ScheduleTargetInput);
      if (!kind || others.length > 0 || !TARGET_KINDS[kind].inputIsJson) return [];
      const parsed = parsedInput(schedule.input);
      if (!parsed.ok) return [[`schedules[${index}].input`, NOT_JSON]];
      const object = typeof parsed.value === "object" && parsed.value !== null && !Array.isArray(parsed.value);
      return kind === "eventBus" && !object ? [[`schedules[${index}].input`, NOT_OBJECT]] : [];
    });
  },
  hcl: [
    {
      variable: "schedules",
      condition: `alltrue([
        for s in var.schedules : can(jsondecode(replace(s.input, local.context_attribute, "0")))
        if s.target == null || s.input == null ? false : anytrue([for k in local.json_input_kinds : s.target[k] != null])
      ])`,
      message: `join("; ", [
        for i, s in var.schedules : format(local.input_not_json, i, s.name)
        if s.target == null || s.input == null ? false : anytrue([for k in local.json_input_kinds : s.target[k] != null])
        && !can(jsondecode(replace(s.input, local.context_attribute, "0")))
      ])`,
      locals: {
        json_input_kinds: hclLiteral(TARGET_KIND_NAMES.filter((k) => TARGET_KINDS[k].inputIsJson).map(snakeCase)),
        context_attribute: JSON.stringify("/<aws\\.scheduler\\.[a-z-]+>/"),
        input_not_json: JSON.stringify(
          `schedules[%d].input ${NOT_JSON.replace("stepFunctions or eventBus", "step_functions or event_bus")} (schedule %q)`,
        ),
      },
    },
    {
      variable: "schedules",
      condition: `alltrue([
        for s in var.schedules : !can(jsondecode(replace(s.input, local.context_attribute, "0")))
        || can(keys(jsondecode(replace(s.input, local.context_attribute, "0")))) if try(s.target.event_bus, null) != null && s.input != null
      ])`,
      message: `join("; ", [
        for i, s in var.schedules : format(local.input_not_object, i, s.name) if try(s.target.event_bus, null) != null && s.input != null
        ? can(jsondecode(replace(s.input, local.context_attribute, "0")))
        && !can(keys(jsondecode(replace(s.input, local.context_attribute, "0"))))
        : false
      ])`,
      locals: { input_not_object: JSON.stringify(`schedules[%d].input ${NOT_OBJECT.replace("eventBus", "event_bus")} (schedule %q)`) },
    },
  ],
};
