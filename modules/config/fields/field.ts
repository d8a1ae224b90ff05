import type { IntegerRange, PatternRule } from "../../../core/config-rules";

/**
 * One config field, described once: its type, its rule (range, pattern, choices), its default,
 * what it is for and its name in the Terraform module. From these descriptions are rendered
 * the zod schema (schema.ts), the construct's documented TypeScript types (config-types.ts),
 * the module's variables and validation blocks, docs/configuration.md and the functions'
 * fallbacks (core/config-defaults.ts).
 */
export type Field = StringField | IntegerField | NumberChoiceField | BooleanField | ListField | MapField | ObjectField;

/**
 * Who has the field. `config`: this repository's environment files and the construct (camelCase);
 * `module`: the Terraform module (snake_case). A field without `only` is in both.
 */
export type Face = "config" | "module";

export interface FieldCommon {
  /** What the field does, in a sentence or two (Markdown); the first sentence is its summary. */
  readonly description: string;
  /** The module's name for it; defaults to the config's name in snake_case. */
  readonly hcl?: string;
  readonly only?: Face;
  /** The value used when the field is left out (a literal, the same in every face). */
  readonly default?: unknown;
  /** A default computed from other fields or looked up, in words (the field may be left out). */
  readonly defaultText?: string;
  /** May be left out, and then is absent (no default). */
  readonly optional?: true;
  /** Required in this repository's environment files, though the construct and module default it. */
  readonly requiredInEnvironmentFiles?: true;
  /** Required by the module, though the construct defaults it (from where it is placed). */
  readonly requiredInModule?: true;
  /** The functions apply the default when they run; the config keeps the value as written (a task's payload). */
  readonly defaultAtRunTime?: true;
  /**
   * May be given as a reference to another resource of the app (a CDKTF token such as a queue's
   * `arn`, or a whole `${...}` expression), known only at plan: its rule is then not checked here.
   */
  readonly reference?: true;
  /**
   * Read when the resources are built, never by the functions: its default stays out of
   * core/config-defaults.ts, whose objects the functions' bundles hold whole.
   */
  readonly buildTimeOnly?: true;
}

/**
 * A check a pattern cannot make. TypeScript runs `holds` (or `explain`, for a reason that depends
 * on the value); the module runs the conditions of modules/tooling/terraform-module/templates/
 * checks/<id>.hcl, which say the same rule in HCL.
 */
export interface StringCheck {
  readonly id: string;
  /** The rule in the words of every message: "must be an IANA time zone name such as America/New_York". */
  readonly rule: string;
  readonly holds?: (value: string) => boolean;
  /** Undefined when the value is fine, else the whole reason (for checks whose reason depends on the value). */
  readonly explain?: (value: string) => string | undefined;
  /** Whether the message ends with the value received. @default true */
  readonly showsValue?: boolean;
}

export interface StringField extends FieldCommon {
  readonly kind: "string";
  readonly pattern?: PatternRule;
  readonly maxLength?: number;
  /** One of these words. */
  readonly values?: readonly string[];
  /**
   * Words refused with a reason of their own instead of the list of `values`: a deprecated Lambda
   * runtime says when Lambda deprecated it, not only what to use.
   */
  readonly refused?: Readonly<Record<string, string>>;
  /** What the words are, for the message: "must be a security rule id (S3-01, ...)". @default "one of" */
  readonly valuesAre?: string;
  /** Stated when the value is empty (an empty string is refused). */
  readonly nonEmpty?: string;
  /** Checks a pattern cannot make, each its own rule. */
  readonly checks?: readonly StringCheck[];
}

export interface IntegerField extends FieldCommon {
  readonly kind: "integer";
  readonly range: IntegerRange;
  /** 0 is also accepted, meaning off. */
  readonly zeroIsOff?: true;
  /** Words after the range in the message, e.g. "(a leap year)". */
  readonly note?: string;
}

export interface NumberChoiceField extends FieldCommon {
  readonly kind: "number";
  readonly oneOf: readonly number[];
  /** What the choices are, for the message: "a CloudWatch Logs retention". */
  readonly what: string;
}

export interface BooleanField extends FieldCommon {
  readonly kind: "boolean";
}

export interface ListField extends FieldCommon {
  readonly kind: "list";
  readonly item: Field;
  /** What one item is called in HCL loops and messages: `schedule`, `principal`. */
  readonly itemName: string;
  /** The item field that names an item in messages (a schedule's `name`). */
  readonly label?: string;
  readonly minItems?: { readonly count: number; readonly message: string };
  /** At most this many items; the message is the rule's words, "must hold at most 366 entries", and ends with the count received. */
  readonly maxItems?: { readonly count: number; readonly message: string };
  /** Items must not repeat (whole items). */
  readonly distinct?: true;
}

export interface MapField extends FieldCommon {
  readonly kind: "map";
  readonly key: StringField;
  /** Text (tags), or an object of fields (an own task). */
  readonly value: StringField | ObjectField;
  /** What one entry is called in messages and docs: `task`. */
  readonly itemName?: string;
}

export interface ObjectField extends FieldCommon {
  readonly kind: "object";
  /** The TypeScript interface's name. */
  readonly typeName: string;
  readonly fields: Readonly<Record<string, Field>>;
}

/** A field with the given `key` in its parent, as the renderers walk them. */
export interface NamedField {
  readonly key: string;
  readonly field: Field;
}

/** A value known only at plan: text holding a CDKTF (or CDK Terrain) token, or a whole Terraform `${...}` expression. */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && (value.includes("${TfToken[") || /^\$\{[^{}]+\}$/.test(value));
}

/** `flexibleWindowMinutes` -> `flexible_window_minutes`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The module's name of a field. */
export function hclName(key: string, field: Field): string {
  return field.hcl ?? snakeCase(key);
}

/** Whether a face has the field. */
export function inFace(field: Field, face: Face): boolean {
  return field.only === undefined || field.only === face;
}

/** The fields of an object that a face has, in order. */
export function fieldsOf(object: ObjectField, face: Face): NamedField[] {
  return Object.entries(object.fields)
    .filter(([, field]) => inFace(field, face))
    .map(([key, field]) => ({ key, field }));
}

/** Whether the field may be left out of an input (it has a default, a computed default, or is optional). */
export function mayBeOmitted(field: Field): boolean {
  return field.default !== undefined || field.defaultText !== undefined || field.optional === true;
}

/** Whether a face's input may leave the field out. */
export function mayBeOmittedIn(field: Field, face: Face): boolean {
  return face === "module" && field.requiredInModule ? false : mayBeOmitted(field);
}

/** Whether, once defaults are applied, the field always has a value. */
export function alwaysResolved(field: Field): boolean {
  return field.optional !== true;
}
