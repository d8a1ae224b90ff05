/**
 * Finds Terraform references written as text: `"aws_sqs_queue.work_dlq.arn"` inside a
 * `jsonencode` is a string to Terraform, so the plan accepts it, a mock provider accepts it, and
 * only the real API refuses it. Every string of a `*.tf.json` document is an HCL template; this
 * walks each one (and every quoted template inside its `${...}` expressions) and reports the
 * literal parts that look like a reference.
 */

/** A reference as HCL writes one: resources, variables, locals, iterators, modules, data sources. */
const REFERENCE = new RegExp(
  `(?<![\\w.])(${[
    String.raw`aws_[a-z0-9_]+\.[a-z0-9_-]+\.[a-z0-9_]+`,
    String.raw`var\.[a-z_][a-z0-9_]*`,
    String.raw`local\.[a-z_][a-z0-9_]*`,
    String.raw`each\.(?:key|value)\b`,
    String.raw`module\.[a-z_][a-z0-9_]*`,
    String.raw`data\.[a-z][a-z0-9]*_[a-z0-9_]+\.[a-z_][a-z0-9_-]*`,
  ].join("|")})`,
);

/**
 * Keys whose values Terraform's JSON syntax reads as bare references or type expressions, not
 * as templates (`depends_on = ["aws_s3_bucket_public_access_block.data"]` is right as it is).
 */
const REFERENCE_KEYS = new Set(["depends_on", "provider", "providers", "ignore_changes", "replace_triggered_by", "from", "to", "type"]);

export interface LiteralReference {
  /** Where the string is in the document: `resource.aws_sqs_queue.work.redrive_policy`. */
  readonly path: string;
  /** The literal text holding the reference. */
  readonly literal: string;
  readonly reference: string;
}

/** Every string of a Terraform JSON document whose literal text holds a reference. */
export function literalReferences(document: unknown, path = ""): LiteralReference[] {
  if (typeof document === "string")
    return templateLiterals(document).flatMap((literal) => {
      const match = REFERENCE.exec(literal);
      return match ? [{ path, literal, reference: match[1] }] : [];
    });
  if (Array.isArray(document)) return document.flatMap((item, i) => literalReferences(item, `${path}[${i}]`));
  if (document && typeof document === "object")
    return Object.entries(document).flatMap(([key, value]) =>
      REFERENCE_KEYS.has(key) || key === "//" ? [] : literalReferences(value, path ? `${path}.${key}` : key),
    );
  return [];
}

/**
 * The literal parts of an HCL template, at every depth: the text outside `${...}` and `%{...}`,
 * and the text of each quoted string or heredoc inside those expressions. `$${` and `%%{` are
 * literal; a quoted string's escapes are decoded.
 */
export function templateLiterals(template: string): string[] {
  const literals: string[] = [];
  readTemplate(template, 0, undefined, literals);
  return literals.filter((literal) => literal !== "");
}

/** Reads template text from `start` until `end` (a closing quote, or the end), collecting literals; returns where it stopped. */
function readTemplate(text: string, start: number, end: '"' | undefined, literals: string[]): number {
  let literal = "";
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (end && char === end) break;
    if ((char === "$" || char === "%") && text[i + 1] === char && text[i + 2] === "{") {
      literal += `${char}{`;
      i += 3;
    } else if ((char === "$" || char === "%") && text[i + 1] === "{") {
      literals.push(literal);
      literal = "";
      i = readExpression(text, i + 2, literals);
    } else if (end && char === "\\") {
      literal += decodeEscape(text, i);
      i += text[i + 1] === "u" ? 6 : text[i + 1] === "U" ? 10 : 2;
    } else {
      literal += char;
      i += 1;
    }
  }
  literals.push(literal);
  return i;
}

function decodeEscape(text: string, at: number): string {
  const next = text[at + 1];
  if (next === "u") return String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16));
  if (next === "U") return String.fromCodePoint(Number.parseInt(text.slice(at + 2, at + 10), 16));
  return ({ n: "\n", r: "\r", t: "\t" } as Record<string, string>)[next] ?? next;
}

/** Reads an expression up to its closing `}`, collecting the literals of the templates inside; returns the index after it. */
function readExpression(text: string, start: number, literals: string[]): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i = readTemplate(text, i + 1, '"', literals) + 1;
      continue;
    }
    const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\n/.exec(text.slice(i, i + 80));
    if (heredoc) {
      const close = new RegExp(`\\n[ \\t]*${heredoc[1]}(?=\\n|$)`).exec(text.slice(i + heredoc[0].length));
      const bodyEnd = close ? i + heredoc[0].length + close.index : text.length;
      readTemplate(text.slice(0, bodyEnd), i + heredoc[0].length, undefined, literals);
      i = close ? bodyEnd + close[0].length : text.length;
      continue;
    }
    if (char === "#" || (char === "/" && text[i + 1] === "/")) {
      const newline = text.indexOf("\n", i);
      i = newline === -1 ? text.length : newline;
      continue;
    }
    if (char === "{") depth += 1;
    else if (char === "}" && --depth === 0) return i + 1;
    i += 1;
  }
  return i;
}
