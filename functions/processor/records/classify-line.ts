import type { SourceLine } from "./line-splitter";

export type LineOutcome =
  | { readonly kind: "processed"; readonly output: string }
  | { readonly kind: "quarantined"; readonly reason: string; readonly output: string };

/**
 * Decides where one source line goes. Valid lines become a normalised record with their
 * source key and line number; every other line is kept with its reason and original text.
 */
export function classifyLine(line: SourceLine, sourceKey: string, requiredFields: readonly string[]): LineOutcome {
  const reason = rejectionReason(line, requiredFields);
  if (reason.kind === "rejected") {
    return {
      kind: "quarantined",
      reason: reason.reason,
      output: JSON.stringify({
        source: sourceKey,
        line: line.number,
        reason: reason.reason,
        text: line.text,
        ...(line.truncated ? { truncated: true } : {}),
      }),
    };
  }
  return {
    kind: "processed",
    output: JSON.stringify({ source: sourceKey, line: line.number, record: normalise(reason.record) }),
  };
}

type Judgement = { kind: "accepted"; record: Record<string, unknown> } | { kind: "rejected"; reason: string };

function rejectionReason(line: SourceLine, requiredFields: readonly string[]): Judgement {
  if (line.truncated) return { kind: "rejected", reason: "line is longer than the limit; see the archived source for the full text" };
  if (line.invalidUtf8) return { kind: "rejected", reason: "line is not valid UTF-8" };
  if (line.text.trim() === "") return { kind: "rejected", reason: "line is blank" };
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return { kind: "rejected", reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    return { kind: "rejected", reason: `not a JSON object: got ${kind}` };
  }
  const record = value as Record<string, unknown>;
  const missing = requiredFields.filter((field) => isAbsent(record[field]));
  if (missing.length > 0) return { kind: "rejected", reason: `missing required field(s): ${missing.join(", ")}` };
  return { kind: "accepted", record };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** Keys sorted at every depth and strings trimmed, so equal records serialise equally. */
export function normalise(value: unknown): unknown {
  if (typeof value === "string") return value.trim();
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, normalise(inner)]));
  }
  return value;
}
