/** The longest expression the module may hold: beyond it, a reviewer cannot read it (split it into named locals). */
export const MAX_EXPRESSION_LENGTH = 400;

export interface LongExpression {
  readonly file: string;
  readonly path: string;
  readonly length: number;
}

/**
 * Every expression of the parsed files (hcl2json: literal lists and objects are walked into, any
 * other expression is one string of its source text) longer than the limit. A variable's type
 * is not an expression: it is the full type the inputs need.
 */
export function longExpressions(parsed: ReadonlyMap<string, unknown>, limit = MAX_EXPRESSION_LENGTH): LongExpression[] {
  const found: LongExpression[] = [];
  const walk = (file: string, value: unknown, path: string) => {
    if (typeof value === "string") {
      if (value.length > limit) found.push({ file, path, length: value.length });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(file, v, `${path}[${i}]`);
      });
    } else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        if (/^variable\.[^.]+\[\d+\]$/.test(path) && k === "type") continue;
        walk(file, v, path ? `${path}.${k}` : k);
      }
  };
  for (const [file, document] of parsed) walk(file, document, "");
  return found;
}

/** The longest expression of the parsed files, type expressions aside. */
export function longestExpression(parsed: ReadonlyMap<string, unknown>): LongExpression {
  const all = longExpressions(parsed, 0);
  return all.reduce((a, b) => (b.length > a.length ? b : a), { file: "", path: "", length: 0 });
}

export function checkExpressionLengths(parsed: ReadonlyMap<string, unknown>): void {
  const long = longExpressions(parsed);
  if (long.length > 0)
    throw new Error(
      `the module would hold expressions longer than ${MAX_EXPRESSION_LENGTH} characters:\n${long
        .map((l) => `  ${l.file} ${l.path}: ${l.length}`)
        .join("\n")}`,
    );
}
