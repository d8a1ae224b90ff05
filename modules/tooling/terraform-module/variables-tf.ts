import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { CONFIG_PATTERNS } from "../../../core/config-patterns";
import { MAX_LENGTHS, MIN_REASON_LENGTH, PATTERNS, type PatternRule, TAGS } from "../../../core/config-rules";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../../core/naming";
import { TASK_PREFIX_RULE } from "../../../core/own-task-access";
import { CRON_FIELD_PATTERNS } from "../../../core/schedule-expression/cron-field-patterns";
import { TASK_NAME, TASK_TYPES } from "../../../core/task-types";
import { integerRule, maxLengthRule, valuesRule } from "../../config/fields/describe";
import { ENVIRONMENT } from "../../config/fields/environment";
import { type Field, fieldsOf, hclName, mayBeOmittedIn, type NamedField } from "../../config/fields/field";
import { PAYLOAD_TASKS } from "../../config/fields/schedules";
import { CROSS_FIELD_RULES, hclValidations } from "../../config/rules";
import { hclLiteral } from "../../config/rules/hcl-literal";
import { fill, fillTemplate, type NamedCondition, namedConditions, readTemplate, templateExists } from "./templates";

/** The module's inputs: the fields of an environment the module has, by their HCL names. */
export function moduleInputs(): NamedField[] {
  return fieldsOf(ENVIRONMENT, "module");
}

/** Whether the module's input may be null: left out without a default. */
export function nullableInHcl(field: Field): boolean {
  return (field.default === undefined || field.defaultAtRunTime === true) && mayBeOmittedIn(field, "module");
}

/** The HCL type of a field, with `optional(type, default)` for what may be left out. */
export function hclType(field: Field, indent = ""): string {
  switch (field.kind) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "bool";
    case "list":
      return `list(${hclType(field.item, indent)})`;
    case "map":
      return `map(${hclType(field.value, indent)})`;
    case "object": {
      const inner = `${indent}  `;
      const attributes = fieldsOf(field, "module").map(({ key, field: f }) => {
        const type = hclType(f, inner);
        const fallback = f.default !== undefined && !f.defaultAtRunTime ? `, ${hclLiteral(f.default)}` : "";
        return `${inner}${hclName(key, f)} = ${mayBeOmittedIn(f, "module") ? `optional(${type}${fallback})` : type}`;
      });
      return `object({\n${attributes.join("\n")}\n${indent}})`;
    }
  }
}

export { hclLiteral };

/** The keys of local.patterns: every pattern of the rules tables, snake_case. */
function patternKey(rule: PatternRule): string {
  const entry = Object.entries({ ...PATTERNS, ...CONFIG_PATTERNS }).find(([, r]) => r === rule);
  if (!entry) throw new Error(`pattern ${rule.pattern} is not in PATTERNS`);
  return entry[0].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** validations.tf: the constants the validation blocks read. */
export function validationsTf(): string {
  const patterns = [
    ...[...Object.values(PATTERNS), ...Object.values(CONFIG_PATTERNS)].map(
      (rule) => `    ${patternKey(rule)} = ${JSON.stringify(rule.pattern)}`,
    ),
    `    tag_characters = ${JSON.stringify(TAGS.characters.pattern)}`,
  ];
  const cronFields = CRON_FIELD_PATTERNS.map((f) => `    ${cronFieldId(f.field)} = ${JSON.stringify(f.pattern)}`);
  const payloadTasks = Object.entries(PAYLOAD_TASKS).map(([key, tasks]) => `    ${snake(key)} = ${hclLiteral(tasks)}`);
  const oneOf = longValueLists().map(([key, values]) => `    ${key} = ${hclLiteral(values)}`);
  const refused = refusedValues().map(
    ([key, reasons]) =>
      `    ${key} = {\n${Object.entries(reasons)
        .map(([value, reason]) => `      ${JSON.stringify(value)} = ${JSON.stringify(reason)}`)
        .join("\n")}\n    }`,
  );
  return fillTemplate("validations.tf", {
    patterns: `{\n${patterns.join("\n")}\n  }`,
    one_of: `{\n${oneOf.join("\n")}\n  }`,
    refused: `{\n${refused.join("\n")}\n  }`,
    cron_fields: `{\n${cronFields.join("\n")}\n  }`,
    payload_tasks: `{\n${payloadTasks.join("\n")}\n  }`,
    product_areas: hclLiteral(RESERVED_PREFIXES),
    rule_locals: CROSS_FIELD_RULES.flatMap(hclValidations)
      .flatMap((validation) => Object.entries(validation.locals ?? {}))
      .map(([name, value]) => `  ${name} = ${value}`)
      .join("\n"),
  });
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const cronFieldId = (field: string) => field.replace(/-/g, "_");

/** One rule of a field as HCL: the condition on one value (`{{value}}`), and the rule's words. */
interface ValueRule {
  readonly holds: string;
  readonly words: string;
  /** Whether the message ends with the value received. */
  readonly showsValue: boolean;
  /** What the message shows as received, when not the value itself (`length({{value}})`). */
  readonly shown?: string;
  /** The message is the path and what is shown, nothing between: the shown text is the whole reason. */
  readonly bare?: true;
}

const CONDITIONS = new Map(namedConditions(readTemplate("conditions.hcl")).map((c) => [c.name, c.holds]));

function condition(kind: string, slots: Record<string, string | number>): string {
  const holds = CONDITIONS.get(kind);
  if (!holds) throw new Error(`templates/conditions.hcl has no rule "${kind}"`);
  return fill(holds, { value: "{{value}}", ...slots }, `conditions.hcl rule ${kind}`);
}

/** The conditions of a check (templates/checks/<id>.hcl), with their slots filled. */
function checkConditions(id: string): NamedCondition[] {
  if (!templateExists(`checks/${id}.hcl`)) throw new Error(`the check ${id} has no templates/checks/${id}.hcl`);
  const cronFieldChecks = CRON_FIELD_PATTERNS.map((f) =>
    fillTemplate("checks/cron_field.hcl", {
      value: "{{value}}",
      field_id: cronFieldId(f.field),
      field: f.field,
      index: f.index,
      allowed: f.allowed,
    }),
  ).join("\n");
  const slots: Record<string, Record<string, string | number>> = {
    reason: { min_reason_length: MIN_REASON_LENGTH },
    tag_key: { max_tag_key: MAX_LENGTHS.tagKey },
    tag_value: { max_tag_value: MAX_LENGTHS.tagValue },
    schedule_expression: { cron_field_checks: cronFieldChecks },
    not_one_time_name: { prefix: ONE_TIME_SCHEDULE_PREFIX },
    task_name: {
      pattern: JSON.stringify(TASK_NAME.pattern),
      shape_rule: `must be ${TASK_NAME.rule}`,
      built_in: hclLiteral(TASK_TYPES),
      built_in_rule: `must not be a built-in task's name (${TASK_TYPES.join(", ")})`,
    },
    task_prefix: {
      shape_rule: TASK_PREFIX_RULE,
      reserved: "local.product_areas",
      reserved_rule: `must not overlap the areas the product keeps for itself (${RESERVED_PREFIXES.join(", ")})`,
    },
  };
  return namedConditions(fillTemplate(`checks/${id}.hcl`, { value: "{{value}}", ...(slots[id] ?? {}) }));
}

/** The areas of the bucket the product keeps for itself: an own task's prefixes stay out of them. */
const RESERVED_PREFIXES = Object.values(BUCKET_LAYOUT).map((area) => area.prefix);

/** Lists of words longer than this are checked against a local (validations.tf), so conditions stay short. */
const INLINE_VALUES = 8;

/** The key of a field's long list of words in local.one_of: its path, `waivers[%d].rule` -> `waivers_rule`. */
function oneOfKey(path: string): string {
  return path.replace(/\[%[dq]\]/g, "").replace(/\./g, "_");
}

/** The fields whose words are too many to write into a condition, by their local.one_of key. */
function longValueLists(): Array<[string, readonly (string | number)[]]> {
  const found: Array<[string, readonly (string | number)[]]> = [];
  const walk = (field: Field, path: string) => {
    if (field.kind === "string" && field.values && field.values.length > INLINE_VALUES) found.push([oneOfKey(path), field.values]);
    if (field.kind === "number" && field.oneOf.length > INLINE_VALUES) found.push([oneOfKey(path), field.oneOf]);
    if (field.kind === "list") walk(field.item, `${path}[%d]`);
    if (field.kind === "map") walk(field.value, `${path}[%q]`);
    if (field.kind === "object")
      for (const { key, field: inner } of fieldsOf(field, "module")) walk(inner, `${path}.${hclName(key, inner)}`);
  };
  for (const { key, field } of moduleInputs()) walk(field, hclName(key, field));
  return found;
}

/** The fields with words refused with a reason, by their local.refused key (as local.one_of's). */
function refusedValues(): Array<[string, Readonly<Record<string, string>>]> {
  const found: Array<[string, Readonly<Record<string, string>>]> = [];
  const walk = (field: Field, path: string) => {
    if (field.kind === "string" && field.refused) found.push([oneOfKey(path), field.refused]);
    if (field.kind === "list") walk(field.item, `${path}[%d]`);
    if (field.kind === "object")
      for (const { key, field: inner } of fieldsOf(field, "module")) walk(inner, `${path}.${hclName(key, inner)}`);
  };
  for (const { key, field } of moduleInputs()) walk(field, hclName(key, field));
  return found;
}

/** The rules a field's own value must meet. */
function valueRules(field: Field, path: string): ValueRule[] {
  switch (field.kind) {
    case "string": {
      const rules: ValueRule[] = [];
      if (field.nonEmpty) rules.push({ holds: condition("non_empty", {}), words: field.nonEmpty, showsValue: false });
      if (field.pattern)
        rules.push({ holds: condition("pattern", { pattern: patternKey(field.pattern) }), words: field.pattern.rule, showsValue: true });
      if (field.maxLength !== undefined)
        rules.push({ holds: condition("max_length", { max: field.maxLength }), words: maxLengthRule(field.maxLength), showsValue: true });
      if (field.values) {
        const values = field.values.length > INLINE_VALUES ? `local.one_of.${oneOfKey(path)}` : hclLiteral(field.values);
        const words =
          field.values.length > INLINE_VALUES
            ? `must be ${field.valuesAre ?? "one of the words"} such as ${field.values[0]} (validations.tf lists them)`
            : valuesRule(field);
        const refused = field.refused ? `local.refused.${oneOfKey(path)}` : undefined;
        const admitted = refused ? `concat(${values}, keys(${refused}))` : values;
        rules.push({ holds: condition("one_of", { values: admitted }), words, showsValue: true });
        // A refused word's message is its reason: `processor.runtime nodejs20.x is deprecated: ...`.
        if (refused)
          rules.push({
            holds: `!contains(keys(${refused}), {{value}})`,
            words: "",
            showsValue: true,
            shown: `lookup(${refused}, {{value}}, "")`,
            bare: true,
          });
      }
      for (const check of field.checks ?? [])
        for (const c of checkConditions(check.id))
          rules.push({ holds: c.holds, words: c.rule ?? check.rule, showsValue: check.showsValue !== false });
      return rules;
    }
    case "integer":
      return [
        {
          holds: condition(field.zeroIsOff ? "integer_or_zero" : "integer", { min: field.range.min, max: field.range.max }),
          words: integerRule(field),
          showsValue: true,
        },
      ];
    case "number":
      return [
        {
          holds: condition("number_in", {
            values: field.oneOf.length > INLINE_VALUES ? `local.one_of.${oneOfKey(path)}` : hclLiteral(field.oneOf),
          }),
          words: `must be ${field.what} (${field.oneOf.join(", ")})`,
          showsValue: true,
        },
      ];
    case "list":
      return [
        ...(field.minItems
          ? [{ holds: condition("min_items", { count: field.minItems.count }), words: field.minItems.message, showsValue: false }]
          : []),
        ...(field.maxItems
          ? [
              {
                holds: condition("max_items", { count: field.maxItems.count }),
                words: field.maxItems.message,
                showsValue: true,
                shown: "length({{value}})",
              },
            ]
          : []),
        ...(field.distinct ? [{ holds: condition("distinct", {}), words: "must not repeat an item", showsValue: true }] : []),
      ];
    default:
      return [];
  }
}

/** A for expression over a list (or map) between the variable and a value. */
interface Loop {
  /** A map's loops always name the key. */
  readonly keyed?: true;
  readonly list: string;
  readonly index: string;
  readonly item: string;
  /** The item's name in messages: `schedule "daily"`. */
  readonly label?: { readonly word: string; readonly expression: string };
}

/** Where a value is: its expression, its path in messages (a format string and its arguments), the loops around it. */
interface Location {
  readonly expression: string;
  readonly path: string;
  readonly pathArgs: readonly string[];
  readonly loops: readonly Loop[];
  /** Expressions that may be null above the value: the value exists only where none is. */
  readonly guards: readonly string[];
}

/** The validation blocks of every rule of `field` and of the fields within it. */
function validationsOf(field: Field, at: Location): Array<{ condition: string; message: string }> {
  const own = valueRules(field, at.path).map((rule) => validation(rule, at, nullableInHcl(field)));
  const guards = nullableInHcl(field) ? [...at.guards, at.expression] : at.guards;
  switch (field.kind) {
    case "object":
      return [
        ...own,
        ...fieldsOf(field, "module").flatMap(({ key, field: inner }) =>
          validationsOf(inner, {
            ...at,
            guards,
            expression: `${at.expression}.${hclName(key, inner)}`,
            path: `${at.path}.${hclName(key, inner)}`,
          }),
        ),
      ];
    case "list": {
      const loop = loopOver(field.itemName, listExpression(at.expression, guards), at.loops, field.item, field.label);
      return [
        ...own,
        ...validationsOf(field.item, {
          expression: loop.item,
          path: `${at.path}[%d]`,
          pathArgs: [...at.pathArgs, loop.index],
          loops: [...at.loops, loop],
          guards: [],
        }),
      ];
    }
    case "map": {
      const loop: Loop = { keyed: true, list: listExpression(at.expression, guards), index: "key", item: "value" };
      const inside = { path: `${at.path}[%q]`, pathArgs: [...at.pathArgs, "key"], loops: [...at.loops, loop], guards: [] };
      return [
        ...own,
        ...validationsOf(field.key, { ...inside, expression: "key" }),
        ...validationsOf(field.value, { ...inside, expression: "value" }),
      ];
    }
    default:
      return own;
  }
}

function listExpression(expression: string, guards: readonly string[]): string {
  return guards.length === 0 ? expression : `(${guards.map((g) => `${g} == null`).join(" || ")} ? [] : ${expression})`;
}

function loopOver(itemName: string, list: string, outer: readonly Loop[], item: Field, label?: string): Loop {
  const used = new Set(outer.flatMap((l) => [l.item, l.index]));
  let name = itemName[0];
  for (let n = 1; used.has(name) || ["i", "j", "k"].includes(name); n++) name = itemName.slice(0, n + 1);
  const index = ["i", "j", "k"].find((x) => !used.has(x))!;
  const labelled = label && item.kind === "object" ? { word: itemName, expression: `${name}.${label}` } : undefined;
  return { list, index, item: name, label: labelled };
}

/**
 * The same location, looping over the values themselves where that is shorter: a field of a
 * list's items, `s.retry.max_attempts` for each s in var.schedules, is each v in
 * `var.schedules[*].retry.max_attempts` (or each v in `var.schedules[*].missed_run_alarm`, where
 * that may be null), the item named by `var.schedules[i].name`.
 */
function projected(at: Location): Location {
  if (at.loops.length !== 1 || at.guards.length > 1) return at;
  const [loop] = at.loops;
  const prefix = `${loop.item}.`;
  const base = at.guards[0] ?? at.expression;
  if (loop.keyed || !base.startsWith(prefix)) return at;
  const item = loop.item === "v" ? "x" : "v";
  const label = loop.label && {
    word: loop.label.word,
    expression: `${loop.list}[${loop.index}].${loop.label.expression.slice(prefix.length)}`,
  };
  return {
    ...at,
    expression: `${item}${at.expression.slice(base.length)}`,
    guards: at.guards.length > 0 ? [item] : [],
    loops: [{ list: `${loop.list}[*].${base.slice(prefix.length)}`, index: loop.index, item, label }],
  };
}

/** One validation block: the rule holds for the value (or every value, through the loops). */
function validation(rule: ValueRule, place: Location, nullable: boolean): { condition: string; message: string } {
  const at = projected(place);
  const value = at.expression;
  let holds = fill(rule.holds, { value }, "rule");
  if (nullable) holds = `${value} == null ? true : ${holds}`;
  if (at.guards.length > 0) holds = `${at.guards.map((g) => `${g} == null`).join(" || ")} ? true : ${holds}`;
  const label = [...at.loops].reverse().find((l) => l.label)?.label;
  const words = rule.bare ? "%s" : `${rule.words.replace(/%/g, "%%")}${rule.showsValue ? ", got %s" : ""}`;
  const said = `${at.path} ${words}${label ? ` (${label.word} %q)` : ""}.`;
  const shown = rule.shown ? fill(rule.shown, { value }, "shown") : `jsonencode(${value})`;
  const args = [...at.pathArgs, ...(rule.showsValue ? [shown] : []), ...(label ? [label.expression] : [])];
  if (at.loops.length === 0) {
    return { condition: holds, message: args.length > 0 ? `format(${JSON.stringify(said)}, ${args.join(", ")})` : JSON.stringify(said) };
  }
  const each = (body: (inner: string) => string, withIndex: boolean) =>
    at.loops.reduceRight((inner, loop, depth) => {
      const names = `${withIndex || loop.keyed ? `${loop.index}, ` : ""}${loop.item}`;
      return `[for ${names} in ${loop.list} : ${depth === at.loops.length - 1 ? body(inner) : inner}]`;
    }, "");
  const nested = at.loops.length > 1;
  const conditionList = each(() => holds, false);
  const messageList = each(() => `format(${JSON.stringify(said)}, ${args.join(", ")}) if !(${holds})`, true);
  return {
    condition: nested ? `alltrue(flatten(${conditionList}))` : `alltrue(${conditionList})`,
    message: nested ? `join(" ", flatten(${messageList}))` : `join(" ", ${messageList})`,
  };
}

/** variables.tf: every input with its description, full type, default and one validation block a rule. */
export function variablesTf(): string {
  const blocks = moduleInputs().map(({ key, field }) => {
    const name = hclName(key, field);
    const root: Location = { expression: `var.${name}`, path: name, pathArgs: [], loops: [], guards: [] };
    const validations = [
      ...validationsOf(field, root),
      ...CROSS_FIELD_RULES.flatMap(hclValidations).filter((validation) => validation.variable === name),
    ];
    const nullable = nullableInHcl(field);
    const lines = [
      `variable "${name}" {`,
      `  description = ${JSON.stringify(field.description)}`,
      `  type        = ${hclType(field, "  ")}`,
      ...(mayBeOmittedIn(field, "module") ? [`  default     = ${nullable ? "null" : hclLiteral(field.default)}`] : []),
      ...(mayBeOmittedIn(field, "module") && !nullable ? ["  nullable    = false"] : []),
      ...validations.map((v) => `\n${fillTemplate("validation.hcl", { condition: v.condition, message: v.message }).trimEnd()}`),
      "}",
    ];
    return lines.join("\n");
  });
  return `# The module's inputs, rendered from the field descriptions (modules/config/fields/): each with its
# description, full type and defaults, and one validation block a rule whose message names the
# field (and, in a list, the item). docs/configuration.md and README.md describe every field.

${blocks.join("\n\n")}\n`;
}
