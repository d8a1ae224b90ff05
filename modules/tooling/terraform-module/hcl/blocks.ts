import type { BlockSchema } from "../provider-schema";
import { fromJson, type HclValue, type TupleItem } from "./hcl-value";
import { type HoistedLocals, key, printHcl, tupleParts } from "./print-hcl";

/** Meta-arguments, placed first (count, for_each) or last (depends_on, lifecycle) as HCL authors do. */
const FIRST = ["count", "for_each"];

/** A short name for the JSON document an attribute holds, for the local it is hoisted into. */
const DOCUMENT_NAMES: Record<string, string> = {
  "aws_iam_role.assume_role_policy": "trust_policy",
  "aws_iam_role_policy.policy": "role_policy",
  "aws_sqs_queue_policy.policy": "queue_policy",
  "aws_sns_topic_policy.policy": "topic_policy",
  "aws_kms_key.policy": "key_policy",
  "aws_s3_bucket_policy.policy": "bucket_policy",
  "aws_cloudwatch_dashboard.dashboard_body": "dashboard",
};

/** Documents up to this long stay inline: `jsonencode({ ... })`. */
const INLINE_DOCUMENT = 160;

/**
 * A resource or data source block in HCL native syntax: the provider's schema tells a nested
 * block (`rule { ... }`) from an attribute holding an object (`tags = { ... }`), which JSON
 * cannot. JSON documents (policies, a dashboard) longer than a line go into locals beside the
 * resource, named for it, and a document's optional statements into locals of their own.
 */
export function resourceBlock(
  kind: "resource" | "data",
  type: string,
  name: string,
  body: Readonly<Record<string, unknown>>,
  schema: BlockSchema | undefined,
  locals: HoistedLocals,
): string {
  const lines: string[] = [];
  const entries = Object.entries(body);
  for (const [argument, value] of entries.filter(([k]) => FIRST.includes(k)))
    lines.push(`  ${argument} = ${printHcl(fromJson(value), "  ")}`);
  const inner = blockBody(
    Object.fromEntries(entries.filter(([k]) => !FIRST.includes(k) && k !== "depends_on" && k !== "lifecycle")),
    schema,
    "  ",
    (argument, value) => documentAttribute(`${type}.${argument}`, name, value, locals),
  );
  if (lines.length > 0 && inner.length > 0) lines.push("");
  lines.push(...inner);
  if (body.depends_on) lines.push("", `  depends_on = [${(body.depends_on as string[]).join(", ")}]`);
  if (body.lifecycle) lines.push("", ...nestedBlock("lifecycle", body.lifecycle, undefined, "  "));
  return `${kind} "${type}" "${name}" {\n${lines.join("\n")}\n}\n`;
}

/** The lines of a block's body: attributes first, then nested blocks. */
function blockBody(
  body: Readonly<Record<string, unknown>>,
  schema: BlockSchema | undefined,
  indent: string,
  attribute: (argument: string, value: HclValue) => string = (_a, value) => printHcl(value, indent),
): string[] {
  const attributes: string[] = [];
  const blocks: string[] = [];
  for (const [argument, value] of Object.entries(body)) {
    const block = schema?.[argument];
    if (argument === "dynamic" && value !== null && typeof value === "object")
      blocks.push(...dynamicBlocks(value as Record<string, { for_each: unknown; content: Record<string, unknown> }>, schema, indent));
    else if (block && value !== null && typeof value === "object") blocks.push(...nestedBlock(argument, value, block, indent));
    else attributes.push(`${indent}${key(argument)} = ${attribute(argument, fromJson(value))}`);
  }
  return [...attributes, ...(attributes.length > 0 && blocks.length > 0 ? [""] : []), ...blocks];
}

/** `dynamic "<block>" { for_each = ..., content { ... } }` for each nested block given as one (JSON syntax's `dynamic` object). */
function dynamicBlocks(
  dynamic: Record<string, { for_each: unknown; content: Record<string, unknown> }>,
  schema: BlockSchema | undefined,
  indent: string,
): string[] {
  const inner = `${indent}  `;
  return Object.entries(dynamic).flatMap(([name, { for_each, content }]) => [
    `${indent}dynamic "${name}" {`,
    `${inner}for_each = ${printHcl(fromJson(for_each), inner)}`,
    "",
    ...nestedBlock("content", content, schema?.[name] ?? undefined, inner),
    `${indent}}`,
  ]);
}

function nestedBlock(name: string, value: unknown, schema: BlockSchema | undefined, indent: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item, i) => [
    ...(i > 0 ? [""] : []),
    `${indent}${name} {`,
    ...blockBody(item as Record<string, unknown>, schema, `${indent}  `),
    `${indent}}`,
  ]);
}

/** An attribute's value: a long JSON document as `jsonencode(local.<resource>_<document>)`, anything else as it is. */
function documentAttribute(where: string, resourceName: string, value: HclValue, locals: HoistedLocals): string {
  const inline = printHcl(value, "  ");
  if (value.kind !== "jsonencode" || (inline.length <= INLINE_DOCUMENT && !inline.includes("\n"))) return inline;
  const name = `${resourceName}_${DOCUMENT_NAMES[where] ?? where.replace(/^aws_/, "").replace(/\./g, "_")}`;
  return `jsonencode(${hoistDocument(name, value.document, locals)})`;
}

/**
 * Hoists a document into a local; a list of it with optional items becomes a concat of locals. What
 * names `each` (a `for_each` resource's instance) stays in the resource: a local cannot read it.
 */
function hoistDocument(name: string, document: HclValue, locals: HoistedLocals): string {
  if (document.kind !== "object") return hoist(locals, name, printHcl(document, "  "));
  const entries = document.entries.map(([k, v]): [string, string] => [
    k,
    v.kind === "tuple" ? listOfParts(name, k, v.items, locals) : printHcl(v, "    "),
  ]);
  return hoist(locals, name, `{\n${entries.map(([k, v]) => `    ${key(k)} = ${v}`).join("\n")}\n  }`);
}

/** A local holding `text`, unless it names `each`: then the text itself, where the resource has its instance. */
function hoist(locals: HoistedLocals, name: string, text: string): string {
  return /\beach\./.test(text) ? text : locals.add(name, text);
}

function listOfParts(name: string, field: string, items: readonly TupleItem[], locals: HoistedLocals): string {
  const perInstance = (item: TupleItem) => item.kind === "item" && /\beach\./.test(printHcl(item.value));
  if (items.every((i) => i.kind === "item") && !items.some(perInstance)) return printHcl({ kind: "tuple", items }, "    ");
  // Runs of plain items, cut where an item names `each` (it stays in the resource, a part of its own).
  const segments: TupleItem[][] = [];
  for (const item of items) {
    const last = segments.at(-1);
    const joins = last && item.kind === "item" && !perInstance(item) && last.every((i) => i.kind === "item" && !perInstance(i));
    if (joins) last.push(item);
    else segments.push([item]);
  }
  const parts = segments.map((segment) => {
    const [first] = segment;
    const part = tupleParts(segment, "  ")[0];
    if (first.kind === "item") return hoist(locals, `${name}_${field === "Statement" ? "statements" : snake(field)}`, part);
    if (first.kind === "when") return hoist(locals, `${name}_${snake(sidOf(first.value) ?? field)}`, part);
    return part;
  });
  return `concat(${parts.join(", ")})`;
}

function sidOf(value: HclValue): string | undefined {
  if (value.kind !== "object") return undefined;
  const sid = value.entries.find(([k]) => k === "Sid")?.[1];
  return sid?.kind === "literal" && typeof sid.value === "string" ? sid.value : undefined;
}

/** `UseBucketKey` -> `use_bucket_key`. */
function snake(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}
