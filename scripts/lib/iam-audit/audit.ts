import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type IamCall, iamCallsOf } from "./iam-calls";
import { platformCalls } from "./platform-calls";
import { type AuditedEnvironment, type RecordedRequest, recordScenarios } from "./scenarios";
import { type StackPolicies, stackPolicies } from "./stack-policies";

/** Grants no recording here can see, and why each is still needed. */
export const UNRECORDABLE_GRANTS: Readonly<Record<string, string>> = {
  "logs:CreateLogStream": "the Lambda runtime writes the function's logs with its role, outside the handler",
  "logs:PutLogEvents": "the Lambda runtime writes the function's logs with its role, outside the handler",
  "xray:PutTraceSegments": "Lambda's X-Ray daemon sends the traces with the function's role where tracing is on",
  "xray:PutTelemetryRecords": "Lambda's X-Ray daemon sends its telemetry with the function's role where tracing is on",
};

/**
 * Grants of an own task's role (aws_iam_role.task["<name>"]) that its runtime uses only when the
 * task's code does something the audited task may not do, and why each is still granted.
 */
export const OWN_TASK_UNRECORDED_GRANTS: Readonly<Record<string, string>> = {
  "s3:AbortMultipartUpload":
    "a failed run aborts the outputs it was streaming (ctx.openOutput), and every task may stream: the one audited did not",
};

/** One call, evaluated: allowed (and by which statements), or denied (and why). */
export interface EvaluatedCall extends IamCall {
  readonly scenarios: readonly string[];
  readonly allowed: boolean;
  /** `<policy>/<Sid>` of each statement that allowed it (identity or resource policy). */
  readonly allowedBy: readonly string[];
  /** The resource patterns of the identity statements that allowed it (`…/runs/*`). */
  readonly grantedOn: readonly string[];
  readonly reason?: string;
}

/** One grant (statement × action × resource pattern) of a role's identity policies. */
export interface Grant {
  readonly policy: string;
  readonly sid: string;
  readonly action: string;
  readonly resource: string;
  /** Why it is kept though no call used it; absent when a call did. */
  readonly unrecordable?: string;
  readonly used: boolean;
}

export interface RoleAudit {
  readonly role: string;
  readonly arn: string;
  readonly calls: readonly EvaluatedCall[];
  readonly grants: readonly Grant[];
}

export interface StackAudit {
  readonly roles: readonly RoleAudit[];
  readonly denied: readonly EvaluatedCall[];
  readonly unusedGrants: ReadonlyArray<Grant & { readonly role: string }>;
  readonly ok: boolean;
}

type StackDocument = Parameters<typeof stackPolicies>[0];

/**
 * Checks least privilege by behaviour: every call the functions made in the scenarios, and
 * every call AWS makes with the stack's roles, evaluated by an IAM policy simulator against the
 * policies this stack will deploy (identity and resource policies); then every grant of each
 * role held against those calls. Denied calls and unused, unexplained grants fail the audit.
 */
export async function auditStack(config: AuditedEnvironment, document: StackDocument): Promise<StackAudit> {
  const stack = stackPolicies(document, { account: config.account, region: config.region });
  const recorded = await recordScenarios(config, stack);
  return evaluateCalls(stack, [...recordedCalls(stack, recorded), ...platformCalls(stack)]);
}

/** The recorded requests in IAM's terms, with the Scheduler calls each created schedule will make. */
export function recordedCalls(stack: StackPolicies, recorded: readonly RecordedRequest[]): IamCall[] {
  const calls = recorded.flatMap(({ request, role, scenario }) => iamCallsOf(request, role, scenario, stack));
  const roleByArn = new Map(Object.values(stack.roles).map((r) => [r.arn, r.address]));
  for (const { request, scenario } of recorded) {
    if (request.service !== "scheduler" || !request.action.startsWith("POST ") || !request.body) continue;
    const target = JSON.parse(request.body.toString("utf8")).Target ?? {};
    const role = roleByArn.get(target.RoleArn);
    if (!role) continue; // a role outside the stack: the PassRole check above reports it
    const context = { "aws:SecureTransport": "true" };
    const when = `EventBridge Scheduler runs the schedule created in "${scenario}"`;
    calls.push({ role, action: "lambda:InvokeFunction", resource: target.Arn, context, scenario: when });
    if (target.DeadLetterConfig?.Arn)
      calls.push({ role, action: "sqs:SendMessage", resource: target.DeadLetterConfig.Arn, context, scenario: when });
  }
  return calls;
}

/** The calls against the stack's policies, and the stack's grants against the calls. */
export async function evaluateCalls(stack: StackPolicies, calls: readonly IamCall[]): Promise<StackAudit> {
  const unique = new Map<string, { call: IamCall; scenarios: Set<string> }>();
  for (const call of calls) {
    const key = JSON.stringify([call.role, call.action, call.resource, call.context]);
    const entry = unique.get(key) ?? { call, scenarios: new Set<string>() };
    entry.scenarios.add(call.scenario);
    unique.set(key, entry);
  }
  const used = new Set<string>();
  const evaluated: EvaluatedCall[] = [];
  for (const { call, scenarios } of unique.values()) {
    const role = stack.roles[call.role];
    if (!role) throw new Error(`a call was made with aws_iam_role.${call.role}, which the stack does not have`);
    const result = await runSimulation(
      {
        identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: call.outsideTheStack ? admitting(role.arn, call) : resourcePolicyFor(stack, call.resource),
        request: {
          principal: role.arn,
          action: call.action,
          resource: { resource: call.resource, accountId: stack.account },
          contextVariables: { ...call.context, "aws:PrincipalArn": role.arn, "aws:PrincipalAccount": stack.account },
        },
      } as Parameters<typeof runSimulation>[0],
      {},
    );
    const analysis = result.resultType === "single" ? result.result.analysis : undefined;
    if (!analysis) throw new Error(`the simulator could not evaluate ${call.action} on ${call.resource}: ${JSON.stringify(result)}`);
    // Outside the stack, the owner's policy is taken as given: what is audited is that the role's own policies allow the call.
    const allowed = call.outsideTheStack ? analysis.identityAnalysis?.result === "Allowed" : analysis.result === "Allowed";
    const statements = [
      ...(analysis.identityAnalysis?.allowStatements ?? []).map((s) => ({ ...s, kind: "identity" })),
      ...(call.outsideTheStack ? [] : (analysis.resourceAnalysis?.allowStatements ?? [])).map((s) => ({ ...s, kind: "resource" })),
    ];
    const grantedOn: string[] = [];
    for (const s of statements.filter((s) => s.kind === "identity")) {
      const resources = s.explain.resources === undefined ? [] : [s.explain.resources].flat();
      for (const resource of resources.filter((r) => r.matches)) {
        used.add(JSON.stringify([call.role, s.policyId, s.explain.identifier, call.action, resource.resource]));
        grantedOn.push(resource.resource);
      }
      // Each value a condition allows (each s3:prefix of a listing) is a grant of its own.
      for (const condition of s.explain.conditions ?? [])
        for (const value of [condition.values ?? []].flat().filter((v) => v.matches))
          used.add(
            JSON.stringify([call.role, s.policyId, s.explain.identifier, call.action, `${condition.conditionKeyValue} ${value.value}`]),
          );
    }
    evaluated.push({
      ...call,
      scenarios: [...scenarios],
      allowed,
      grantedOn,
      allowedBy: statements.map((s) => `${s.kind === "identity" ? s.policyId : "resource policy"}/${s.explain.identifier ?? "(no Sid)"}`),
      ...(allowed ? {} : { reason: denialReason(analysis) }),
    });
  }

  const roles: RoleAudit[] = Object.values(stack.roles).map((role) => {
    const grants: Grant[] = [];
    for (const policy of role.policies)
      for (const statement of policy.document.Statement) {
        if (statement.Effect !== "Allow") continue;
        const conditionValues = Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((byKey) =>
          Object.entries(byKey).flatMap(([key, values]) => list(values).map((value) => `${key} ${value}`)),
        );
        for (const action of list(statement.Action))
          for (const resource of [...list(statement.Resource), ...conditionValues]) {
            const isUsed = used.has(JSON.stringify([role.address, policy.name, statement.Sid, action, resource]));
            const unrecordable = isUsed
              ? undefined
              : (UNRECORDABLE_GRANTS[action] ?? (role.address.startsWith("task[") ? OWN_TASK_UNRECORDED_GRANTS[action] : undefined));
            grants.push({
              policy: policy.name,
              sid: String(statement.Sid),
              action,
              resource,
              used: isUsed,
              ...(unrecordable ? { unrecordable } : {}),
            });
          }
      }
    return { role: role.address, arn: role.arn, calls: evaluated.filter((c) => c.role === role.address), grants };
  });
  const denied = evaluated.filter((c) => !c.allowed);
  const unusedGrants = roles.flatMap((r) => r.grants.filter((g) => !g.used && !g.unrecordable).map((g) => ({ ...g, role: r.role })));
  return { roles, denied, unusedGrants, ok: denied.length === 0 && unusedGrants.length === 0 };
}

/** The resource policy that governs a request: the bucket's for its objects, else the resource's own. */
/** The policy a resource outside the stack is taken to have: its owner admits the role for the call (and no more). */
function admitting(roleArn: string, call: IamCall) {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "OwnerAdmitsTheRole", Effect: "Allow", Principal: { AWS: roleArn }, Action: call.action, Resource: call.resource }],
  };
}

function resourcePolicyFor(stack: StackPolicies, resource: string) {
  const bucket = /^(arn:[^:]+:s3:::[^/]+)/.exec(resource)?.[1];
  return stack.resourcePolicies[bucket ?? resource];
}

function list(value: unknown): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
}

function denialReason(analysis: { identityAnalysis?: { result: string }; resourceAnalysis?: { result: string } }): string {
  const identity = analysis.identityAnalysis?.result ?? "not evaluated";
  const resource = analysis.resourceAnalysis?.result ?? "no resource policy";
  return `identity policies: ${identity}; resource policy: ${resource}`;
}
