import type { Location, Log, ReportingDescriptor, Result, Run } from "sarif";
import type { EnvironmentConfig } from "../../modules/config/schema";
import type { SecurityRuleId } from "../../modules/config/security-rule-ids";
import { checkStack, type Violation } from "../../modules/tooling/security/check";
import { RULE_HELP } from "../../modules/tooling/security/rule-help";
import { SECURITY_RULES } from "../../modules/tooling/security/rules";
import type { StackDocument } from "../../modules/tooling/security/stack-document";

export interface SarifReview {
  readonly config: EnvironmentConfig;
  readonly stack: StackDocument;
  /** The synthesized stack, relative to the repository root: where a finding no config field explains is located. */
  readonly stackFile: string;
  /** The environment's config file, relative to the repository root, and its text (to find a field's line). */
  readonly configFile: { readonly path: string; readonly text: string };
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Every security rule as SARIF describes a rule: id, short and full description, help with the fix, default level. */
export function sarifRules(): ReportingDescriptor[] {
  return SECURITY_RULES.map((rule) => {
    const help = RULE_HELP[rule.id];
    return {
      id: rule.id,
      name: rule.id.replace(/-/g, ""),
      shortDescription: { text: rule.reason.split(/[,:(]/)[0].trim() },
      fullDescription: { text: rule.reason },
      help: { text: `${rule.reason}. Fix: ${help.fix}`, markdown: `**${rule.id}**: ${rule.reason}.\n\n**Fix:** ${help.fix}` },
      defaultConfiguration: { level: help.level },
    };
  });
}

/**
 * A SARIF 2.1.0 log of the security rules over each environment's stack, one run per
 * environment: every finding a result naming the resource address, located at the config
 * field responsible where there is one (else the synthesized stack); waived findings carry a
 * suppression with the waiver's reason, so code scanning shows them as dismissed, not lost.
 */
export function securitySarif(reviews: readonly SarifReview[], toolVersion: string): Log {
  const rules = sarifRules();
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const runs: Run[] = reviews.map((review) => {
    const report = checkStack(review.stack, review.config.waivers ?? []);
    const result = (violation: Violation, waived: boolean): Result => ({
      ruleId: violation.rule,
      ruleIndex: index.get(violation.rule),
      level: RULE_HELP[violation.rule as SecurityRuleId]?.level ?? "error",
      message: { text: `${violation.resource} in ${review.config.name}: ${violation.detail}` },
      locations: [locationOf(review, violation)],
      partialFingerprints: { resourceRule: `${review.config.name}/${violation.resource}/${violation.rule}` },
      ...(waived
        ? { suppressions: [{ kind: "inSource" as const, status: "accepted" as const, justification: violation.waivedBecause ?? "" }] }
        : {}),
    });
    return {
      tool: { driver: { name: "scheduled-task-processing security rules", version: toolVersion, rules } },
      automationDetails: { id: `security/${review.config.name}/` },
      results: [...report.violations.map((v) => result(v, false)), ...report.waived.map((v) => result(v, true))],
    };
  });
  return { $schema: SCHEMA, version: "2.1.0", runs };
}

function locationOf(review: SarifReview, violation: Violation): Location {
  const field = RULE_HELP[violation.rule as SecurityRuleId]?.configField;
  const line = field ? lineOf(review.configFile.text, field) : undefined;
  if (field && line !== undefined) {
    return {
      physicalLocation: { artifactLocation: { uri: review.configFile.path }, region: { startLine: line } },
      logicalLocations: [{ fullyQualifiedName: `${review.config.name}.${field}`, kind: "member" }],
    };
  }
  return {
    physicalLocation: { artifactLocation: { uri: review.stackFile }, region: { startLine: 1 } },
    logicalLocations: [{ fullyQualifiedName: violation.resource, kind: "resource" }],
  };
}

/** The line of the field's last key in the config file (`storage.kmsKeyArn` → the line with `kmsKeyArn:`). */
function lineOf(text: string, field: string): number | undefined {
  const key = field.split(".").pop()!;
  const at = text.split("\n").findIndex((line) => new RegExp(`^\\s*"?${key}"?\\s*:`).test(line));
  return at === -1 ? undefined : at + 1;
}
