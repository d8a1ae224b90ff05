import { type IResolvable, type ITerraformDependable, TerraformCount, TerraformIterator, type TerraformResource, Token } from "cdktf";

/**
 * The constructs are built from values that are either known when synthesizing (a stack's
 * config) or only when Terraform plans (a module's input variables). A string may hold
 * Terraform interpolations ("${var.project_name}-processor"); a number may be a token
 * (Token.asNumber("${var.processor.memory_mb}")). What decides whether something exists is a
 * `Presence`; a collection of like resources is a `Collection` that becomes `for_each`.
 */

/** Known now (true/false), or a Terraform boolean expression (HCL, without "${}"). */
export type Presence = boolean | { readonly when: string };

/** Resources by key: a literal map, or a Terraform map expression ("${local.schedules}"). */
export type Collection<T> = Readonly<Record<string, T>> | string;

/** CDKTF's marker for a reference it resolves at synth (`Token.asString(resource.arn)`). */
const TOKEN_MARKER = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * The HCL expression for a value: an interpolation we wrote ("${var.x}") as its expression, a
 * number token as `tonumber("${…}")`, a reference token as the reference, anything else as a
 * quoted template. Inside an expression CDKTF writes a token as the bare reference it stands
 * for, even within quotes: a token in text is wrapped in an interpolation of its own, or the
 * text would name the resource (`"aws_sqs_queue.work_dlq.arn"`) instead of referring to it.
 */
export function toHcl(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "number") return Token.isUnresolved(value) ? `tonumber(${JSON.stringify(Token.asString(value))})` : String(value);
  if (typeof value === "boolean") return String(value);
  if (/^\$\{TfToken\[[^\]]+\]\}$/.test(value)) return value;
  const whole = /^\$\{([\s\S]*)\}$/.exec(value);
  if (whole && balanced(whole[1]) && !value.includes("TfToken[")) return whole[1];
  return JSON.stringify(value).replace(TOKEN_MARKER, (token) => `\${${token}}`);
}

/** Whether braces balance, so "${a} and ${b}" is not taken for one interpolation. */
function balanced(inner: string): boolean {
  let depth = 0;
  for (const char of inner) {
    if (char === "{") depth++;
    else if (char === "}" && --depth < 0) return false;
  }
  return depth === 0;
}

/** A number as text for an environment variable or a name: `"300"`, or `"${…}"` for a token. */
export function textOf(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

/** A flat JSON object: JSON now when every value is known, else Terraform's `jsonencode`. */
export function jsonObject(record: Readonly<Record<string, string | number>>): string {
  // Text may hold interpolations inside the JSON; only a number known at plan time needs jsonencode.
  const deferred = Object.values(record).some((v) => typeof v === "number" && Token.isUnresolved(v));
  if (!deferred) return JSON.stringify(record);
  return `\${jsonencode({${Object.entries(record)
    .map(([key, value]) => `${JSON.stringify(key)} = ${toHcl(value)}`)
    .join(", ")}})}`;
}

/** `a` when present, else `b`: chosen now, or a Terraform conditional. */
export function choose(presence: Presence, whenPresent: string, whenAbsent: string): string {
  if (typeof presence === "boolean") return presence ? whenPresent : whenAbsent;
  return `\${${presence.when} ? ${toHcl(whenPresent)} : ${toHcl(whenAbsent)}}`;
}

/** A boolean attribute that is `presence` itself: a literal, or the condition as an expression. */
export function booleanOf(presence: Presence): boolean | IResolvable {
  return typeof presence === "boolean" ? presence : Token.asAny(`\${${presence.when}}`);
}

/** Whether to build the resource at all: not when it is known to be absent. */
export function mayExist(presence: Presence): boolean {
  return presence !== false;
}

/** `count` for a resource that exists only when a plan-time condition holds. */
export function countOf(presence: Presence): TerraformCount | undefined {
  return typeof presence === "boolean" ? undefined : TerraformCount.of(Token.asNumber(`\${${presence.when} ? 1 : 0}`));
}

/**
 * A reference to a pinned resource's attribute: `${type.name.attr}`, or, when the resource has
 * a plan-time `count`, `${one(type.name[*].attr)}` (null when it was not created).
 */
export function attributeOf(address: string, attribute: string, presence: Presence = true): string {
  return typeof presence === "boolean" ? `\${${address}.${attribute}}` : `\${one(${address}[*].${attribute})}`;
}

/** The iterator a `for_each` collection gives its resource. */
export function iteratorOf<T>(collection: Collection<T>): ReturnType<typeof TerraformIterator.fromMap> {
  return TerraformIterator.fromMap(typeof collection === "string" ? Token.asAnyMap(collection) : (collection as Record<string, unknown>));
}

/** The keys of a collection known now (a literal map); undefined for a plan-time one. */
export function knownKeys<T>(collection: Collection<T>): string[] | undefined {
  return typeof collection === "string" ? undefined : Object.keys(collection);
}

/** Depends-on entries for resources that may not have been built. */
export function dependencies(...resources: Array<TerraformResource | undefined>): ITerraformDependable[] {
  return resources.filter((r): r is TerraformResource => r !== undefined);
}
