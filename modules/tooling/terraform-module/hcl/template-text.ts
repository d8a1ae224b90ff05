/**
 * A Terraform template string (every string of a `*.tf.json` document is one) in its parts:
 * literal text, `${...}` interpolations and `%{...}` directives, each kept as written.
 */
export type TemplatePart =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "interpolation"; readonly expression: string }
  | { readonly kind: "directive"; readonly text: string };

export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const char = template[i];
    const opens = (char === "$" || char === "%") && template[i + 1] === "{";
    if ((char === "$" || char === "%") && template[i + 1] === char && template[i + 2] === "{") {
      // `$${` and `%%{` are the literal `${` and `%{`.
      literal += `${char}{`;
      i += 3;
    } else if (opens) {
      if (literal) parts.push({ kind: "literal", text: literal });
      literal = "";
      const end = closingBrace(template, i + 2);
      const inner = template.slice(i + 2, end);
      parts.push(char === "$" ? { kind: "interpolation", expression: inner } : { kind: "directive", text: template.slice(i, end + 1) });
      i = end + 1;
    } else {
      literal += char;
      i += 1;
    }
  }
  if (literal) parts.push({ kind: "literal", text: literal });
  return parts;
}

/** The index of the `}` that closes an expression starting at `start`, past nested braces and quoted strings. */
export function closingBrace(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i = closingQuote(text, i + 1) + 1;
      continue;
    }
    if (char === "{") depth += 1;
    else if (char === "}" && --depth === 0) return i;
    i += 1;
  }
  throw new Error(`unbalanced braces in ${JSON.stringify(text.slice(Math.max(0, start - 2), start + 80))}`);
}

/** The index of the `"` that closes a quoted HCL string starting after `start`, past escapes and interpolations. */
function closingQuote(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (char === "\\") i += 2;
    else if (char === '"') return i;
    else if ((char === "$" || char === "%") && text[i + 1] === "{") i = closingBrace(text, i + 2) + 1;
    else i += 1;
  }
  throw new Error(`unterminated string in ${JSON.stringify(text.slice(start - 1, start + 80))}`);
}

/** The expression a template is when it is one interpolation and nothing else (`"${var.x}"` is `var.x`). */
export function wholeInterpolation(template: string): string | undefined {
  const parts = templateParts(template);
  return parts.length === 1 && parts[0].kind === "interpolation" ? parts[0].expression : undefined;
}

/** A quoted HCL string for the template: its literal text escaped, its interpolations and directives as written. */
export function quotedTemplate(template: string): string {
  const body = templateParts(template)
    .map((part) => {
      if (part.kind === "interpolation") return `\${${part.expression}}`;
      if (part.kind === "directive") return part.text;
      return escapeLiteral(part.text);
    })
    .join("");
  return `"${body}"`;
}

/** Literal text as it is written inside an HCL quoted string. */
export function escapeLiteral(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(/\$\{/g, "$${")
    .replace(/%\{/g, "%%{");
}
