import {
  kindsOf,
  type ScheduleTargetInput,
  TARGET_KIND_NAMES,
  TARGET_KINDS,
  TARGET_PARAMETERS,
  type TargetKind,
  type TargetParameter,
} from "../../../core/schedule-targets";
import { snakeCase } from "../fields/field";
import { hclLiteral } from "./hcl-literal";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** The kinds that take each parameter. */
const KINDS_OF_PARAMETER = Object.fromEntries(
  TARGET_PARAMETERS.map((parameter) => [
    parameter,
    TARGET_KIND_NAMES.filter((kind) => (TARGET_KINDS[kind].parameters as readonly string[]).includes(parameter)),
  ]),
) as Record<TargetParameter, TargetKind[]>;

/** A target's parameters are its kind's: detailType and source with (and only with) an event bus, kmsKeyArn with a queue or a topic. */
export const targetParametersFit: CrossFieldRule = {
  summary:
    "A target's parameters are its service's: messageGroupId with sqs, detailType and source with eventBus, kmsKeyArn with sqs or sns.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      if (!isRecord(schedule) || !isRecord(schedule.target)) return [];
      const target = schedule.target as ScheduleTargetInput;
      const kinds = kindsOf(target);
      if (kinds.length !== 1) return []; // targetNamesOneService says so
      const [kind] = kinds;
      const at = (parameter: string) => `schedules[${index}].target.${parameter}`;
      const found: Array<[string, string]> = [];
      for (const parameter of TARGET_PARAMETERS) {
        const given = target[parameter] !== undefined;
        if (given && !KINDS_OF_PARAMETER[parameter].includes(kind))
          found.push([at(parameter), `is only for a target of ${KINDS_OF_PARAMETER[parameter].join(" or ")}`]);
        if (!given && (TARGET_KINDS[kind].required as readonly string[]).includes(parameter))
          found.push([at(parameter), `is required with ${kind}`]);
      }
      return found;
    });
  },
  hcl: [
    {
      variable: "schedules",
      condition: `alltrue(flatten([
        for s in var.schedules : [
          for p, kinds in local.target_parameters : s.target[p] == null || anytrue([for k in kinds : s.target[k] != null])
        ] if s.target != null
      ]))`,
      message: `join("; ", flatten([
        for i, s in var.schedules : [
          for p, kinds in local.target_parameters : format(
            "schedules[%d].target.%s is only for a target of %s (schedule %q)", i, p, join(" or ", kinds), s.name
          ) if s.target[p] != null && !anytrue([for k in kinds : s.target[k] != null])
        ] if s.target != null
      ]))`,
      locals: {
        target_parameters: hclLiteral(
          Object.fromEntries(TARGET_PARAMETERS.map((p) => [snakeCase(p), KINDS_OF_PARAMETER[p].map((k) => snakeCase(k))])),
        ),
      },
    },
    {
      variable: "schedules",
      condition: `alltrue(flatten([
        for s in var.schedules : [for k, ps in local.target_required : [for p in ps : s.target[k] == null || s.target[p] != null]]
        if s.target != null
      ]))`,
      message: `join("; ", flatten([
        for i, s in var.schedules : [for k, ps in local.target_required : [
          for p in ps : format("schedules[%d].target.%s is required with %s (schedule %q)", i, p, k, s.name)
          if s.target[k] != null && s.target[p] == null
        ]] if s.target != null
      ]))`,
      locals: {
        target_required: hclLiteral(
          Object.fromEntries(
            TARGET_KIND_NAMES.filter((k) => TARGET_KINDS[k].required.length > 0).map((k) => [
              snakeCase(k),
              (TARGET_KINDS[k].required as readonly string[]).map(snakeCase),
            ]),
          ),
        ),
      },
    },
  ],
};
