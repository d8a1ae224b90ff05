import type { z } from "zod";

/** Messages for zod's built-in type issues, in the same voice as our own rules. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined) return "is required";
  return `must be ${article(issue.expected)}, got ${describeValue(issue.input)}`;
}

function article(expected: string): string {
  if (expected === "record") return "an object";
  if (expected === "array" || expected === "object") return `an ${expected}`;
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}
