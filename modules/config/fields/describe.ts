import { describeRange } from "../../../core/config-rules";
import type { Field, IntegerField, StringField } from "./field";

/** "got 64", "got \"x\"": a value as every message shows it (HCL's jsonencode shows it alike). */
export function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** The words of an integer rule: "must be 0 (off) or an integer from 1 to 1440". */
export function integerRule(field: IntegerField): string {
  return `must be ${field.zeroIsOff ? "0 (off) or " : ""}${describeRange(field.range)}${field.note ? ` ${field.note}` : ""}`;
}

/** The words of a choice among words: "must be one of DEBUG, INFO, WARN, ERROR". */
export function valuesRule(field: StringField): string {
  const values = field.values ?? [];
  return field.valuesAre ? `must be ${field.valuesAre} (${values.join(", ")})` : `must be one of ${values.join(", ")}`;
}

export function maxLengthRule(length: number): string {
  return `must be at most ${length} characters`;
}

/** Every rule a field's value must meet, in the messages' words (for references and docs). */
export function rulesOf(field: Field): string[] {
  switch (field.kind) {
    case "string":
      return [
        ...(field.nonEmpty ? ["must not be empty"] : []),
        ...(field.pattern ? [field.pattern.rule] : []),
        ...(field.maxLength !== undefined ? [maxLengthRule(field.maxLength)] : []),
        ...(field.values ? [valuesRule(field)] : []),
        ...(field.checks ?? []).map((check) => check.rule),
      ];
    case "integer":
      return [integerRule(field)];
    case "number":
      return [`must be ${field.what} (${field.oneOf.join(", ")})`];
    case "list":
      return [
        ...(field.minItems ? [field.minItems.message] : []),
        ...(field.distinct ? ["items must not repeat"] : []),
        ...rulesOf(field.item).map((rule) => `each ${rule.replace(/^must /, "must ")}`),
      ];
    case "map":
      return [...rulesOf(field.key), ...rulesOf(field.value)];
    default:
      return [];
  }
}

/** A field's default as the references write it: a literal, or the words for a computed one. */
export function defaultOf(field: Field): string | undefined {
  if (field.default !== undefined) return JSON.stringify(field.default);
  return field.defaultText;
}
