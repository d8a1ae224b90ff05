import type { SecurityRuleId } from "../../../config/security-rule-ids";
import { field, listOf, policiesOf, type ResourceBody, type StackDocument, type Statement } from "../stack-document";

export interface Finding {
  /** Terraform address of the offending resource, e.g. `aws_s3_bucket.storage_bucket_6AF501AE`. */
  readonly resource: string;
  readonly detail: string;
}

export interface SecurityRule {
  readonly id: SecurityRuleId;
  /** One line: what the rule requires and why. */
  readonly reason: string;
  check(stack: StackDocument): Finding[];
}

export const TLS_CONDITION = (statement: Statement) =>
  statement.Effect === "Deny" &&
  String((statement.Condition?.Bool as Record<string, unknown> | undefined)?.["aws:SecureTransport"]) === "false";
export const PUBLIC = (statement: Statement) => {
  const principal = statement.Principal as unknown;
  if (principal === "*") return true;
  const aws = (principal as { AWS?: string | string[] } | undefined)?.AWS;
  return listOf(aws).includes("*");
};
export const CONFUSED_DEPUTY_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"];
export const ADMIN_POLICIES = /(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
export const SECRET_VALUE = /(AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[bp]-|ghp_[A-Za-z0-9]{20,}/;
export const SUPPORTED_NODE_RUNTIMES = /^nodejs(2[2-9]|[3-9]\d)\.x$/;
export const FOURTEEN_DAYS = 1_209_600;
/**
 * Actions IAM defines no resource type for, so AWS accepts only Resource "*" with them
 * (Service Authorization Reference). A statement of only these may say "*".
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES: readonly string[] = [
  "scheduler:ListSchedules",
  "scheduler:ListScheduleGroups",
  // X-Ray's write actions: the functions' traces, when tracing is on.
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
];

export function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Queues other queues send their repeatedly failing messages to. */
export function deadLetterTargets(stack: StackDocument): string[] {
  return stack.ofType("aws_sqs_queue").flatMap(([, q]) => {
    const target = stack.resolve(field(parseJson(q.redrive_policy), "deadLetterTargetArn"));
    return target ? [target.address] : [];
  });
}

/** Dead-letter and failure queues: where schedules, async invocations and redrives put failures. */
export function failureQueueAddresses(stack: StackDocument): Set<string> {
  const found = new Set(deadLetterTargets(stack));
  for (const [, schedule] of stack.ofType("aws_scheduler_schedule")) {
    const dlq = stack.resolve(field(schedule, "target", "dead_letter_config", "arn"));
    if (dlq) found.add(dlq.address);
  }
  for (const [, config] of stack.ofType("aws_lambda_function_event_invoke_config")) {
    const destination = stack.resolve(field(config, "destination_config", "on_failure", "destination"));
    if (destination?.type === "aws_sqs_queue") found.add(destination.address);
  }
  return found;
}

/** Queues a Lambda event source mapping reads, as [address, body]. */
export function consumedQueues(stack: StackDocument): Array<[string, ResourceBody]> {
  const consumed = new Map<string, ResourceBody>();
  for (const [, mapping] of stack.ofType("aws_lambda_event_source_mapping")) {
    const queue = stack.resolve(mapping.event_source_arn);
    if (queue?.type === "aws_sqs_queue") consumed.set(queue.address, queue.body);
  }
  return [...consumed];
}

/** The bucket a bucket-level resource applies to: the address its `bucket` points at. */
export function bucketAddressOf(stack: StackDocument, body: ResourceBody): string | undefined {
  return stack.resolve(body.bucket)?.address;
}

/** Every resource of `settingType` that configures each bucket, keyed by bucket address. */
export function settingsByBucket(stack: StackDocument, settingType: string): Map<string, ResourceBody[]> {
  const byBucket = new Map<string, ResourceBody[]>();
  for (const [, body] of stack.ofType(settingType)) {
    const bucket = bucketAddressOf(stack, body);
    if (bucket) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), body]);
  }
  return byBucket;
}

export function everyBucket(
  stack: StackDocument,
  settingType: string,
  ok: (settings: ResourceBody[]) => boolean,
  detail: string,
): Finding[] {
  const settings = settingsByBucket(stack, settingType);
  return stack
    .ofType("aws_s3_bucket")
    .filter(([address]) => !ok(settings.get(address) ?? []))
    .map(([address]) => ({ resource: address, detail }));
}

/** Resource policies attached to each target, keyed by the target's address. */
export function resourcePoliciesByTarget(stack: StackDocument, policyType: string, targetField: string) {
  const byTarget = new Map<string, Statement[]>();
  const documents = new Map(policiesOf(stack).map((p) => [p.address, p.document]));
  for (const [address, body] of stack.ofType(policyType)) {
    const target = stack.resolve(body[targetField])?.address;
    if (target) byTarget.set(target, [...(byTarget.get(target) ?? []), ...((documents.get(address)?.Statement ?? []) as Statement[])]);
  }
  return byTarget;
}

export function denyInsecureTransportRule(
  id: SecurityRuleId,
  targetType: string,
  policyType: string,
  targetField: string,
  what: string,
): SecurityRule {
  return {
    id,
    reason: `${what} must have a resource policy that denies requests without TLS (aws:SecureTransport false)`,
    check: (stack) => {
      const policies = resourcePoliciesByTarget(stack, policyType, targetField);
      return stack
        .ofType(targetType)
        .filter(([address]) => !(policies.get(address) ?? []).some((s) => TLS_CONDITION(s) && PUBLIC(s)))
        .map(([address]) => ({ resource: address, detail: "no Deny statement for aws:SecureTransport = false" }));
    },
  };
}

export function noPublicAllowRule(id: SecurityRuleId, policyType: string, what: string): SecurityRule {
  return {
    id,
    reason: `${what} policies must not allow the public principal (*)`,
    check: (stack) =>
      policiesOf(stack)
        .filter((p) => p.address.startsWith(`${policyType}.`))
        .flatMap((p) =>
          ((p.document?.Statement ?? []) as Statement[])
            .filter((s) => s.Effect === "Allow" && PUBLIC(s))
            .map((s) => ({ resource: p.address, detail: `statement ${s.Sid ?? "(no Sid)"} allows Principal *` })),
        ),
  };
}

/** Identity-policy statements (role inline policies and managed policies). */
export function identityStatements(stack: StackDocument): Array<{ resource: string; statement: Statement }> {
  return policiesOf(stack)
    .filter((p) => p.kind === "identity")
    .flatMap((p) => ((p.document?.Statement ?? []) as Statement[]).map((statement) => ({ resource: p.address, statement })));
}
