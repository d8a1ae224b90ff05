import { markdownTable } from "../markdown";
import { renderTable } from "../table";
import type { RoleAudit, StackAudit } from "./audit";

const scenarioList = (scenarios: readonly string[]) =>
  scenarios.length > 2 ? `${scenarios[0]} (+${scenarios.length - 1} more)` : scenarios.join("; ");

interface Row {
  readonly allowed: boolean;
  readonly action: string;
  /** The grant's resource pattern for allowed calls (with how many resources), the resource itself for denied ones. */
  readonly resource: string;
  readonly allowedBy: string;
  readonly scenarios: readonly string[];
}

/** A role's calls as rows: allowed calls one row per action and grant, however many objects they touched. */
function rows(role: RoleAudit): Row[] {
  const grouped = new Map<string, { row: Row; resources: Set<string>; scenarios: Set<string> }>();
  for (const call of role.calls) {
    const pattern = call.allowed ? (call.grantedOn[0] ?? call.resource) : call.resource;
    const allowedBy = call.allowed ? call.allowedBy.join(", ") : (call.reason ?? "");
    const key = JSON.stringify([call.allowed, call.action, pattern, allowedBy]);
    const entry = grouped.get(key) ?? {
      row: { allowed: call.allowed, action: call.action, resource: pattern, allowedBy, scenarios: [] },
      resources: new Set<string>(),
      scenarios: new Set<string>(),
    };
    entry.resources.add(call.resource);
    for (const scenario of call.scenarios) entry.scenarios.add(scenario);
    grouped.set(key, entry);
  }
  return [...grouped.values()].map(({ row, resources, scenarios }) => ({
    ...row,
    resource: resources.size > 1 ? `${row.resource} (${resources.size} resources)` : row.resource,
    scenarios: [...scenarios],
  }));
}

/** "on <resource>", or "with <condition key> <value>" for a value a condition allows. */
const grantScope = (resource: string) => (resource === "*" || resource.startsWith("arn:") ? `on ${resource}` : `with ${resource}`);

/** The audit as text: a table of calls per role, then its grants no call used. */
export function auditText(environment: string, audit: StackAudit): string {
  const parts: string[] = [];
  for (const role of audit.roles) {
    parts.push(`${environment}: aws_iam_role.${role.role} (${role.arn})`);
    const table = rows(role).map((r) => [r.allowed ? "allowed" : "DENIED", r.action, r.resource, r.allowedBy, scenarioList(r.scenarios)]);
    parts.push(renderTable(["result", "action", "resource", "allowed by", "recorded in"], table), "");
    const kept = role.grants.filter((g) => !g.used);
    if (kept.length > 0) {
      parts.push(`grants no call used (${role.role}):`);
      parts.push(
        renderTable(
          ["statement", "action", "resource", "why kept"],
          kept.map((g) => [g.sid, g.action, g.resource, g.unrecordable ?? "UNEXPLAINED: remove it, or record a call that needs it"]),
        ),
        "",
      );
    }
  }
  for (const call of audit.denied)
    parts.push(
      `${environment}: DENIED ${call.action} on ${call.resource} by aws_iam_role.${call.role} in "${call.scenarios[0]}" (${call.reason})`,
    );
  for (const grant of audit.unusedGrants)
    parts.push(
      `${environment}: UNUSED aws_iam_role.${grant.role} ${grant.sid} grants ${grant.action} ${grantScope(grant.resource)}, ` +
        "which no call used",
    );
  parts.push(
    audit.ok
      ? `${environment}: every call allowed, every grant used or explained`
      : `${environment}: ${audit.denied.length} denied call(s), ${audit.unusedGrants.length} unexplained grant(s)`,
  );
  return `${parts.join("\n")}\n`;
}

/** The audit for the review: one table per role (markdown). */
export function auditMarkdown(audit: StackAudit): string {
  const parts: string[] = [];
  for (const role of audit.roles) {
    parts.push(`**\`aws_iam_role.${role.role}\`**`, "");
    parts.push(
      markdownTable(
        ["Action", "Resource", "Allowed by", "Recorded in"],
        rows(role).map((r) => [
          `\`${r.action}\``,
          `\`${r.resource}\``,
          r.allowed ? r.allowedBy : `**denied**: ${r.allowedBy}`,
          scenarioList(r.scenarios),
        ]),
      ),
      "",
    );
    const kept = role.grants.filter((g) => !g.used);
    if (kept.length > 0)
      parts.push(`Granted, not recorded: ${kept.map((g) => `\`${g.action}\` (${g.unrecordable ?? "**unexplained**"})`).join("; ")}.`, "");
  }
  return parts.join("\n");
}
