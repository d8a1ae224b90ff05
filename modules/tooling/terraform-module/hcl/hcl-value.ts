import { escapeLiteral, quotedTemplate, templateParts, wholeInterpolation } from "./template-text";

/**
 * A value of the synthesized module as HCL native syntax sees it. JSON documents held in strings
 * (policies, a dashboard's body) become objects under `jsonencode`; the statements Terraform
 * adds at plan time (`%{ if }` and `%{ for }` directives in the JSON) become the parts of a
 * `concat`.
 */
export type HclValue =
  | { readonly kind: "expression"; readonly text: string }
  | { readonly kind: "template"; readonly text: string }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "tuple"; readonly items: readonly TupleItem[] }
  | { readonly kind: "object"; readonly entries: ReadonlyArray<readonly [string, HclValue]> }
  | { readonly kind: "jsonencode"; readonly document: HclValue };

/** An element of a list, or elements only some plans have. */
export type TupleItem =
  | { readonly kind: "item"; readonly value: HclValue }
  | { readonly kind: "when"; readonly condition: string; readonly value: HclValue }
  | { readonly kind: "spread"; readonly list: string };

/** A JSON value of a `*.tf.json` document (where every string is a template). */
export function fromJson(value: unknown): HclValue {
  if (typeof value === "string") return fromTemplate(value);
  if (value === null || typeof value === "number" || typeof value === "boolean") return { kind: "literal", value };
  if (Array.isArray(value)) return { kind: "tuple", items: value.map((v) => ({ kind: "item", value: fromJson(v) })) };
  return { kind: "object", entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)] as const) };
}

function fromTemplate(template: string): HclValue {
  const whole = wholeInterpolation(template);
  if (whole !== undefined) return { kind: "expression", text: whole.trim() };
  const document = jsonDocument(template);
  if (document) return { kind: "jsonencode", document };
  const parts = templateParts(template);
  if (parts.every((p) => p.kind === "literal")) return { kind: "literal", value: parts.map((p) => p.text).join("") };
  return { kind: "template", text: quotedTemplate(template) };
}

const MARK = "\uE000";
const END = "\uE001";

/**
 * A template that is a JSON object once Terraform has rendered it, as the object: its strings'
 * interpolations kept, and the directives our policies use (`%{ if C },<item>%{ endif }`,
 * `%{ for x in L },${jsonencode(x)}%{ endfor }`) as conditional and spread list items.
 */
export function jsonDocument(template: string): HclValue | undefined {
  if (!template.trimStart().startsWith("{")) return undefined;
  const interpolations: string[] = [];
  const blocks: TupleItem[] = [];
  let json = "";
  let inString = false;
  const parts = templateParts(template);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind === "literal") {
      for (let c = 0; c < part.text.length; c++) {
        const char = part.text[c];
        if (inString && char === "\\") {
          json += char + part.text[c + 1];
          c += 1;
          continue;
        }
        if (char === '"') inString = !inString;
        json += char;
      }
    } else if (part.kind === "interpolation") {
      const marker = `${MARK}I${interpolations.push(part.expression.trim()) - 1}${END}`;
      json += inString ? marker : `"${marker}"`;
    } else {
      const block = directiveBlock(parts, i);
      if (!block || inString) return undefined;
      // The block's text starts with the comma that joins it to the items before.
      const inner = block.inner.replace(/^\s*,/, "");
      const item: TupleItem | undefined =
        block.kind === "if"
          ? (() => {
              const value = jsonDocument(inner) ?? undefined;
              return value ? { kind: "when", condition: block.head, value } : undefined;
            })()
          : /^\$\{jsonencode\(\w+\)\}$/.test(inner.trim())
            ? { kind: "spread", list: block.head.replace(/^\w+\s+in\s+/, "") }
            : undefined;
      if (!item) return undefined;
      json += `,"${MARK}D${blocks.push(item) - 1}${END}"`;
      i = block.end;
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.replace(/\[\s*,/g, "["));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const convert = (value: unknown): HclValue => {
    if (typeof value === "string") return fromMarked(value, interpolations);
    if (value === null || typeof value === "number" || typeof value === "boolean") return { kind: "literal", value };
    if (Array.isArray(value))
      return {
        kind: "tuple",
        items: value.map((v): TupleItem => {
          const block = typeof v === "string" ? new RegExp(`^${MARK}D(\\d+)${END}$`).exec(v) : null;
          return block ? blocks[Number(block[1])] : { kind: "item", value: convert(v) };
        }),
      };
    return { kind: "object", entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, convert(v)] as const) };
  };
  return convert(parsed);
}

/** `%{ if C }...%{ endif }` or `%{ for x in L }...%{ endfor }` starting at parts[start]: its head, its text, where it ends. */
function directiveBlock(parts: ReturnType<typeof templateParts>, start: number) {
  const open = parts[start];
  if (open.kind !== "directive") return undefined;
  const head = /^%\{~?\s*(if|for)\s+([\s\S]*?)\s*~?\}$/.exec(open.text);
  if (!head) return undefined;
  const kind = head[1] as "if" | "for";
  let depth = 1;
  let inner = "";
  for (let i = start + 1; i < parts.length; i++) {
    const part = parts[i];
    if (part.kind === "directive") {
      if (/^%\{~?\s*(if|for)\b/.test(part.text)) depth += 1;
      else if (/^%\{~?\s*end(if|for)\b/.test(part.text) && --depth === 0) return { kind, head: head[2], inner, end: i };
      inner += part.text;
    } else inner += part.kind === "interpolation" ? `\${${part.expression}}` : part.text.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  }
  return undefined;
}

function fromMarked(text: string, interpolations: readonly string[]): HclValue {
  const pieces = text.split(new RegExp(`${MARK}I(\\d+)${END}`));
  if (pieces.length === 1) return { kind: "literal", value: text };
  if (pieces.length === 3 && pieces[0] === "" && pieces[2] === "") return { kind: "expression", text: interpolations[Number(pieces[1])] };
  return {
    kind: "template",
    text: `"${pieces.map((piece, i) => (i % 2 === 1 ? `\${${interpolations[Number(piece)]}}` : escapeLiteral(piece))).join("")}"`,
  };
}

/** A quoted HCL string of a literal value. */
export function quoted(text: string): string {
  return `"${escapeLiteral(text)}"`;
}
