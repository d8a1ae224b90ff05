import { evaluateCalls, recordedCalls, type StackAudit } from "../../../scripts/lib/iam-audit/audit";
import { platformCalls } from "../../../scripts/lib/iam-audit/platform-calls";
import { type AuditedEnvironment, type RecordedRequest, recordScenarios } from "../../../scripts/lib/iam-audit/scenarios";
import { stackPolicies } from "../../../scripts/lib/iam-audit/stack-policies";

type Document = Parameters<typeof stackPolicies>[0] & { resource: Record<string, Record<string, any>> };

/**
 * Records the scenarios once for an environment, then audits its stack document and any
 * altered copy of it against those same calls (recording is the slow part; evaluation is not).
 */
export function recordedAudit(environment: AuditedEnvironment, document: () => Document) {
  let recorded: RecordedRequest[] = [];
  beforeAll(async () => {
    recorded = await recordScenarios(environment, stackPolicies(document()));
  });
  return async (alter: (copy: Document) => void = () => undefined): Promise<StackAudit> => {
    const copy = structuredClone(document());
    alter(copy);
    const stack = stackPolicies(copy);
    return evaluateCalls(stack, [...recordedCalls(stack, recorded), ...platformCalls(stack)]);
  };
}

/** Rewrites one statement of a role's inline policy in a stack document. */
export function editStatement(document: Document, policy: string, sid: string, edit: (statement: any) => void): void {
  const body = document.resource.aws_iam_role_policy[policy];
  const parsed = JSON.parse(body.policy);
  const statement = parsed.Statement.find((s: { Sid: string }) => s.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid} in aws_iam_role_policy.${policy}`);
  edit(statement);
  body.policy = JSON.stringify(parsed);
}

/** Each role's actions as the audit saw them called. */
export function actionsByRole(audit: StackAudit): Record<string, string[]> {
  return Object.fromEntries(audit.roles.map((r) => [r.role, [...new Set(r.calls.map((c) => c.action))].sort()]));
}
