import { SECURITY_RULES, type SecurityRule } from "./rules";
import type { StackDocument } from "./stack-document";

/** An environment's accepted exception to a rule, with the reason it is acceptable. */
export interface Waiver {
  readonly rule: string;
  /** Terraform address, or a prefix of one; all resources when left out. */
  readonly resource?: string;
  readonly reason: string;
}

export interface Violation {
  readonly rule: string;
  readonly reason: string;
  readonly resource: string;
  readonly detail: string;
  /** Set when a waiver in the environment's config accepts this violation. */
  readonly waivedBecause?: string;
}

export interface SecurityReport {
  /** Violations no waiver covers: these fail the build. */
  readonly violations: Violation[];
  readonly waived: Violation[];
  /** Waivers that matched nothing, so they can be removed. */
  readonly unusedWaivers: Waiver[];
}

export function checkStack(
  stack: StackDocument,
  waivers: readonly Waiver[] = [],
  rules: readonly SecurityRule[] = SECURITY_RULES,
): SecurityReport {
  const used = new Set<Waiver>();
  const violations: Violation[] = [];
  const waived: Violation[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(stack)) {
      const waiver = waivers.find((w) => w.rule === rule.id && (w.resource === undefined || finding.resource.startsWith(w.resource)));
      const violation = { rule: rule.id, reason: rule.reason, ...finding };
      if (waiver) {
        used.add(waiver);
        waived.push({ ...violation, waivedBecause: waiver.reason });
      } else {
        violations.push(violation);
      }
    }
  }
  return { violations, waived, unusedWaivers: waivers.filter((w) => !used.has(w)) };
}
