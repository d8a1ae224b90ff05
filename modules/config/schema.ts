// zod/mini: classic zod costs ~45 ms more to load, a tenth of a whole synth.
import * as z from "zod/mini";
import { TASK_TYPES } from "../../core/task-types";
import type { ResolvedOwnTaskSchedule, ResolvedTargetSchedule, ScheduleConfig } from "./config-types";
import { integerRule, shown, valuesRule } from "./fields/describe";
import { ENVIRONMENT } from "./fields/environment";
import { type Field, fieldsOf, isReference, mayBeOmitted, type StringField } from "./fields/field";
import { payloadField } from "./fields/schedules";

export { LOG_RETENTION_DAYS } from "../../core/config-rules";
export { TASK_TYPES, type TaskType } from "../../core/task-types";
export type * from "./config-types";

/**
 * The zod schema of an environment, rendered from the field descriptions (fields/): each
 * field's type, rule and message, with fields that have a default (or may be absent) optional.
 * The messages name the rule and the value received; validate.ts prefixes them with the path.
 */
export const environmentSchema = objectSchema(ENVIRONMENT.fields);

function objectSchema(fields: Readonly<Record<string, Field>>) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const { key, field } of fieldsOf({ kind: "object", typeName: "", description: "", fields }, "config")) {
    const schema = fieldSchema(field);
    shape[key] = mayBeOmitted(field) ? z.optional(schema) : schema;
  }
  return z.strictObject(shape);
}

function fieldSchema(field: Field): z.ZodMiniType {
  switch (field.kind) {
    case "string":
      return stringSchema(field);
    case "integer":
      return z.number().check(
        z.refine((v) => (field.zeroIsOff && v === 0) || (Number.isInteger(v) && v >= field.range.min && v <= field.range.max), {
          error: (issue) => `${integerRule(field)}, got ${String(issue.input)}`,
        }),
      );
    case "number":
      return z.number().check(
        z.refine((v) => field.oneOf.includes(v), {
          error: (issue) => `must be ${field.what} (${field.oneOf.join(", ")}), got ${String(issue.input)}`,
        }),
      );
    case "boolean":
      return z.boolean();
    case "list": {
      const { minItems, maxItems, distinct } = field;
      const checks = [
        ...(minItems ? [z.minLength(minItems.count, { error: minItems.message })] : []),
        ...(maxItems
          ? [z.maxLength(maxItems.count, { error: (issue) => `${maxItems.message}, got ${(issue.input as unknown[]).length}` })]
          : []),
        ...(distinct
          ? [
              z.superRefine((items: unknown[], ctx) => {
                items.forEach((item, i) => {
                  if (items.indexOf(item) !== i) ctx.addIssue({ code: "custom", message: `repeats ${shown(item)}`, path: [i] });
                });
              }),
            ]
          : []),
      ];
      const array = z.array(fieldSchema(field.item));
      return checks.length > 0 ? array.check(...checks) : array;
    }
    case "map":
      return z.record(stringSchema(field.key) as z.ZodMiniString, fieldSchema(field.value));
    case "object":
      // A task's payload is checked against the task's own schema (core/task-payloads.ts), with the task in view.
      return field === payloadField ? z.record(z.string(), z.unknown()) : objectSchema(field.fields);
  }
}

function stringSchema(field: StringField): z.ZodMiniType {
  const { pattern, maxLength, values, refused = {}, checks = [], nonEmpty } = field;
  const regex = pattern ? new RegExp(pattern.pattern) : undefined;
  // A reference (a token) is known only at plan: its value is not here to check.
  const known = (v: unknown) => !(field.reference && isReference(v));
  const refinements = [
    ...(nonEmpty ? [z.minLength(1, { error: nonEmpty })] : []),
    ...(regex && pattern
      ? [z.refine((v: unknown) => !known(v) || regex.test(v as string), { error: (issue) => `${pattern.rule}, got ${shown(issue.input)}` })]
      : []),
    ...(maxLength !== undefined
      ? [z.maxLength(maxLength, { error: (issue) => `must be at most ${maxLength} characters, got ${String(issue.input).length}` })]
      : []),
    ...(values
      ? [
          z.refine((v: unknown) => values.includes(v as string) || Object.hasOwn(refused, v as string), {
            error: (issue) => `${valuesRule(field)}, got ${shown(issue.input)}`,
          }),
          z.refine((v: unknown) => !Object.hasOwn(refused, v as string), { error: (issue) => refused[issue.input as string] }),
        ]
      : []),
    ...checks.map((check) =>
      z.superRefine((v: string, ctx) => {
        if (!known(v)) return;
        const reason = check.explain
          ? check.explain(v)
          : check.holds?.(v) === false
            ? `${check.rule}${check.showsValue === false ? "" : `, got ${shown(v)}`}`
            : undefined;
        if (reason) ctx.addIssue({ code: "custom", message: reason });
      }),
    ),
  ];
  return refinements.length > 0 ? z.string().check(...refinements) : z.string();
}

/** A schedule that runs a task (a built-in one in the processor, or an own task in its function); the others invoke a target. */
export type TaskScheduleConfig = Exclude<ScheduleConfig, ResolvedTargetSchedule>;
export type TargetScheduleConfig = ResolvedTargetSchedule;
/** A schedule that runs one of the processor's built-in tasks. */
export type BuiltInTaskScheduleConfig = Exclude<TaskScheduleConfig, ResolvedOwnTaskSchedule>;
/** A schedule that runs one of the environment's own tasks, in its function. */
export type OwnTaskScheduleConfig = ResolvedOwnTaskSchedule;

export function isTaskSchedule(schedule: ScheduleConfig): schedule is TaskScheduleConfig {
  return schedule.task !== undefined;
}

export function isBuiltInTaskSchedule(schedule: ScheduleConfig): schedule is BuiltInTaskScheduleConfig {
  return schedule.task !== undefined && (TASK_TYPES as readonly string[]).includes(schedule.task);
}

export function isOwnTaskSchedule(schedule: ScheduleConfig): schedule is OwnTaskScheduleConfig {
  return schedule.task !== undefined && !(TASK_TYPES as readonly string[]).includes(schedule.task);
}
