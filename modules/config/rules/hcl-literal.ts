/** A JSON value as an HCL literal, on one line: strings quoted, objects `{ key = value }`. */
export function hclLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(", ")}]`;
  if (value && typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k} = ${hclLiteral(v)}`)
      .join(", ")} }`.replace("{  }", "{}");
  return JSON.stringify(value);
}
