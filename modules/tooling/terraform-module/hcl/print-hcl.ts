import type { HclValue, TupleItem } from "./hcl-value";
import { quoted } from "./hcl-value";

/** Values longer than this go on lines of their own. */
const INLINE_WIDTH = 100;

/** Locals the printer hoists a long value into: its file's `locals` block, beside the resource. */
export class HoistedLocals {
  readonly entries: Array<[string, string]> = [];
  private readonly names = new Set<string>();

  constructor(private readonly taken: ReadonlySet<string>) {}

  /** Puts `text` in a local named `name` (unique across the module) and returns the reference. */
  add(name: string, text: string): string {
    let unique = name;
    for (let n = 2; this.names.has(unique) || this.taken.has(unique); n++) unique = `${name}_${n}`;
    this.names.add(unique);
    this.entries.push([unique, text]);
    return `local.${unique}`;
  }
}

/** The HCL of a value, indented for where it starts. */
export function printHcl(value: HclValue, indent = ""): string {
  switch (value.kind) {
    case "expression":
    case "template":
      return value.text;
    case "literal":
      return typeof value.value === "string" ? quoted(value.value) : String(value.value);
    case "jsonencode":
      return `jsonencode(${printHcl(value.document, indent)})`;
    case "tuple":
      return printTuple(value.items, indent);
    case "object": {
      if (value.entries.length === 0) return "{}";
      const inline = `{ ${value.entries.map(([k, v]) => `${key(k)} = ${printHcl(v, indent)}`).join(", ")} }`;
      if (inline.length <= INLINE_WIDTH && !inline.includes("\n")) return inline;
      const inner = `${indent}  `;
      return `{\n${value.entries.map(([k, v]) => `${inner}${key(k)} = ${printHcl(v, inner)}`).join("\n")}\n${indent}}`;
    }
  }
}

function printTuple(items: readonly TupleItem[], indent: string): string {
  if (items.every((i) => i.kind === "item"))
    return printItems(
      items.map((i) => (i as { value: HclValue }).value),
      indent,
    );
  return `concat(${tupleParts(items, indent).join(", ")})`;
}

/** A list with conditional or spread items as the parts of a concat: runs of plain items, `C ? [x] : []`, and lists. */
export function tupleParts(items: readonly TupleItem[], indent: string): string[] {
  const parts: string[] = [];
  let run: HclValue[] = [];
  const flush = () => {
    if (run.length > 0) parts.push(printItems(run, indent));
    run = [];
  };
  for (const item of items) {
    if (item.kind === "item") {
      run.push(item.value);
      continue;
    }
    flush();
    parts.push(item.kind === "spread" ? item.list : `${item.condition} ? [${printHcl(item.value, indent)}] : []`);
  }
  flush();
  return parts;
}

function printItems(values: readonly HclValue[], indent: string): string {
  if (values.length === 0) return "[]";
  const inline = `[${values.map((v) => printHcl(v, indent)).join(", ")}]`;
  if (inline.length <= INLINE_WIDTH && !inline.includes("\n")) return inline;
  const inner = `${indent}  `;
  return `[\n${values.map((v) => `${inner}${printHcl(v, inner)},`).join("\n")}\n${indent}]`;
}

/** An object key: bare when it is an identifier, else quoted. */
export function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : quoted(name);
}
