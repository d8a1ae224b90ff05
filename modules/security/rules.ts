import { listOf, policiesOf, type StackDocument, type Statement } from "./stack-document";

export interface Finding {
  /** Terraform address of the offending resource, e.g. `aws_s3_bucket.storage_bucket_6AF501AE`. */
  readonly resource: string;
  readonly detail: string;
}

export interface SecurityRule {
  readonly id: string;
  /** One line: what the rule requires and why. */
  readonly reason: string;
  check(stack: StackDocument): Finding[];
}

const TLS_CONDITION = (statement: Statement) =>
  statement.Effect === "Deny" &&
  String((statement.Condition?.Bool as Record<string, unknown> | undefined)?.["aws:SecureTransport"]) === "false";
const PUBLIC = (statement: Statement) => {
  const principal = statement.Principal as unknown;
  if (principal === "*") return true;
  const aws = (principal as { AWS?: string | string[] } | undefined)?.AWS;
  return listOf(aws).includes("*");
};
const CONFUSED_DEPUTY_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"];
const ADMIN_POLICIES = /(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
const SECRET_VALUE = /(AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[bp]-|ghp_[A-Za-z0-9]{20,}/;
const SUPPORTED_NODE_RUNTIMES = /^nodejs(2[2-9]|[3-9]\d)\.x$/;
const FOURTEEN_DAYS = 1_209_600;
/**
 * Actions IAM defines no resource type for, so AWS accepts only Resource "*" with them
 * (Service Authorization Reference). A statement of only these may say "*".
 */
export const ACTIONS_WITHOUT_RESOURCE_TYPES: readonly string[] = ["scheduler:ListSchedules", "scheduler:ListScheduleGroups"];

function parseJson(text: unknown): any {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Queues other queues send their repeatedly failing messages to. */
function deadLetterTargets(stack: StackDocument): string[] {
  return stack.ofType("aws_sqs_queue").flatMap(([, q]) => {
    const target = stack.resolve(parseJson(q.redrive_policy)?.deadLetterTargetArn);
    return target ? [target.address] : [];
  });
}

/** Dead-letter and failure queues: where schedules, async invocations and redrives put failures. */
function failureQueueAddresses(stack: StackDocument): Set<string> {
  const found = new Set(deadLetterTargets(stack));
  for (const [, schedule] of stack.ofType("aws_scheduler_schedule")) {
    const dlq = stack.resolve((schedule.target as any)?.dead_letter_config?.arn);
    if (dlq) found.add(dlq.address);
  }
  for (const [, config] of stack.ofType("aws_lambda_function_event_invoke_config")) {
    const destination = stack.resolve(config.destination_config?.on_failure?.destination);
    if (destination?.type === "aws_sqs_queue") found.add(destination.address);
  }
  return found;
}

/** Queues a Lambda event source mapping reads, as [address, body]. */
function consumedQueues(stack: StackDocument): Array<[string, any]> {
  const consumed = new Map<string, any>();
  for (const [, mapping] of stack.ofType("aws_lambda_event_source_mapping")) {
    const queue = stack.resolve(mapping.event_source_arn);
    if (queue?.type === "aws_sqs_queue") consumed.set(queue.address, queue.body);
  }
  return [...consumed];
}

/** The bucket a bucket-level resource applies to: the address its `bucket` points at. */
function bucketAddressOf(stack: StackDocument, body: any): string | undefined {
  return stack.resolve(body?.bucket)?.address;
}

/** Every resource of `settingType` that configures each bucket, keyed by bucket address. */
function settingsByBucket(stack: StackDocument, settingType: string): Map<string, any[]> {
  const byBucket = new Map<string, any[]>();
  for (const [, body] of stack.ofType(settingType)) {
    const bucket = bucketAddressOf(stack, body);
    if (bucket) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), body]);
  }
  return byBucket;
}

function everyBucket(stack: StackDocument, settingType: string, ok: (settings: any[]) => boolean, detail: string): Finding[] {
  const settings = settingsByBucket(stack, settingType);
  return stack
    .ofType("aws_s3_bucket")
    .filter(([address]) => !ok(settings.get(address) ?? []))
    .map(([address]) => ({ resource: address, detail }));
}

/** Resource policies attached to each target, keyed by the target's address. */
function resourcePoliciesByTarget(stack: StackDocument, policyType: string, targetField: string) {
  const byTarget = new Map<string, Statement[]>();
  const documents = new Map(policiesOf(stack).map((p) => [p.address, p.document]));
  for (const [address, body] of stack.ofType(policyType)) {
    const target = stack.resolve(body[targetField])?.address;
    if (target) byTarget.set(target, [...(byTarget.get(target) ?? []), ...((documents.get(address)?.Statement ?? []) as Statement[])]);
  }
  return byTarget;
}

function denyInsecureTransportRule(id: string, targetType: string, policyType: string, targetField: string, what: string): SecurityRule {
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

function noPublicAllowRule(id: string, policyType: string, what: string): SecurityRule {
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
function identityStatements(stack: StackDocument): Array<{ resource: string; statement: Statement }> {
  return policiesOf(stack)
    .filter((p) => p.kind === "identity")
    .flatMap((p) => ((p.document?.Statement ?? []) as Statement[]).map((statement) => ({ resource: p.address, statement })));
}

export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    id: "S3-01",
    reason: "S3 buckets must have versioning enabled, so overwritten or deleted objects can be recovered",
    check: (stack) =>
      everyBucket(
        stack,
        "aws_s3_bucket_versioning",
        (s) => s.some((v) => v.versioning_configuration?.status === "Enabled"),
        "no aws_s3_bucket_versioning with status Enabled",
      ),
  },
  {
    id: "S3-02",
    reason: "S3 buckets must encrypt objects at rest by default (SSE-S3 or SSE-KMS)",
    check: (stack) =>
      everyBucket(
        stack,
        "aws_s3_bucket_server_side_encryption_configuration",
        (s) =>
          s.some((e) =>
            listOf(e.rule).some((r: any) =>
              ["AES256", "aws:kms", "aws:kms:dsse"].includes(r?.apply_server_side_encryption_by_default?.sse_algorithm),
            ),
          ),
        "no default server-side encryption",
      ),
  },
  {
    id: "S3-03",
    reason: "S3 buckets must turn on all four public access blocks",
    check: (stack) =>
      everyBucket(
        stack,
        "aws_s3_bucket_public_access_block",
        (s) =>
          s.some(
            (b) =>
              b.block_public_acls === true &&
              b.block_public_policy === true &&
              b.ignore_public_acls === true &&
              b.restrict_public_buckets === true,
          ),
        "public access is not fully blocked",
      ),
  },
  {
    id: "S3-04",
    reason: "S3 buckets must deny requests without TLS in their bucket policy",
    check: (stack) => {
      const policies = resourcePoliciesByTarget(stack, "aws_s3_bucket_policy", "bucket");
      // The policy's `bucket` is the bucket's id, which resolves to the bucket itself.
      return stack
        .ofType("aws_s3_bucket")
        .filter(
          ([address]) =>
            !(policies.get(address) ?? []).some(
              (s) => TLS_CONDITION(s) && PUBLIC(s) && listOf(s.Action).some((a) => a === "s3:*" || a === "*"),
            ),
        )
        .map(([address]) => ({ resource: address, detail: "no Deny of s3:* for aws:SecureTransport = false" }));
    },
  },
  {
    id: "S3-05",
    reason: "S3 buckets must enforce bucket-owner object ownership (ACLs disabled)",
    check: (stack) =>
      everyBucket(
        stack,
        "aws_s3_bucket_ownership_controls",
        (s) => s.some((o) => listOf(o.rule).some((r: any) => r?.object_ownership === "BucketOwnerEnforced")),
        "object ownership is not BucketOwnerEnforced",
      ),
  },
  {
    id: "S3-06",
    reason: "S3 buckets must expire noncurrent versions and abort incomplete multipart uploads",
    check: (stack) =>
      everyBucket(
        stack,
        "aws_s3_bucket_lifecycle_configuration",
        (s) => {
          const rules = s.flatMap((l) => listOf(l.rule) as any[]).filter((r) => r?.status === "Enabled");
          return (
            rules.some((r) => listOf(r.noncurrent_version_expiration).length > 0) &&
            rules.some((r) => listOf(r.abort_incomplete_multipart_upload).length > 0)
          );
        },
        "no enabled lifecycle rule for noncurrent versions and incomplete uploads",
      ),
  },
  noPublicAllowRule("S3-07", "aws_s3_bucket_policy", "S3 bucket"),
  {
    id: "SNS-01",
    reason: "SNS topics must be encrypted at rest (kms_master_key_id)",
    check: (stack) =>
      stack
        .ofType("aws_sns_topic")
        .filter(([, t]) => !t.kms_master_key_id)
        .map(([resource]) => ({ resource, detail: "kms_master_key_id is not set" })),
  },
  denyInsecureTransportRule("SNS-02", "aws_sns_topic", "aws_sns_topic_policy", "arn", "SNS topics"),
  noPublicAllowRule("SNS-03", "aws_sns_topic_policy", "SNS topic"),
  {
    id: "SQS-01",
    reason: "SQS queues must be encrypted at rest (SSE-SQS or SSE-KMS)",
    check: (stack) =>
      stack
        .ofType("aws_sqs_queue")
        .filter(([, q]) => q.sqs_managed_sse_enabled !== true && !q.kms_master_key_id)
        .map(([resource]) => ({ resource, detail: "neither sqs_managed_sse_enabled nor kms_master_key_id is set" })),
  },
  denyInsecureTransportRule("SQS-02", "aws_sqs_queue", "aws_sqs_queue_policy", "queue_url", "SQS queues"),
  noPublicAllowRule("SQS-03", "aws_sqs_queue_policy", "SQS queue"),
  {
    id: "SQS-04",
    reason: "Dead-letter and failure queues must keep messages 14 days, the SQS maximum, so failures outlast a long weekend",
    check: (stack) =>
      [...failureQueueAddresses(stack)]
        .filter(
          (address) => Number(stack.resources.aws_sqs_queue[address.split(".")[1]].message_retention_seconds ?? 345_600) < FOURTEEN_DAYS,
        )
        .map((resource) => ({ resource, detail: "message_retention_seconds is below 1209600" })),
  },
  {
    id: "SQS-05",
    reason:
      "A queue a function consumes must set aside what keeps failing (a redrive policy to a dead-letter queue), unless it is itself a dead-letter or failure queue",
    check: (stack) => {
      const endOfLine = failureQueueAddresses(stack);
      return consumedQueues(stack)
        .filter(([address, queue]) => !endOfLine.has(address) && !parseJson(queue.redrive_policy)?.deadLetterTargetArn)
        .map(([resource]) => ({ resource, detail: "consumed by a Lambda event source but has no redrive_policy" }));
    },
  },
  {
    id: "LMB-01",
    reason: "Lambda functions must log to a log group the stack manages, with a retention period",
    check: (stack) => {
      const groups = new Map(stack.ofType("aws_cloudwatch_log_group").map(([address, g]) => [g.name as string, { address, g }]));
      return stack.ofType("aws_lambda_function").flatMap(([resource, fn]) => {
        const byConfig = stack.resolve(fn.logging_config?.log_group);
        const group = byConfig ? { g: byConfig.body } : groups.get(`/aws/lambda/${fn.function_name}`);
        if (!group) return [{ resource, detail: "no aws_cloudwatch_log_group for this function" }];
        if (!(Number(group.g.retention_in_days) > 0)) return [{ resource, detail: "its log group has no retention_in_days" }];
        return [];
      });
    },
  },
  {
    id: "LMB-02",
    reason: "Lambda functions that schedules invoke (asynchronously) must send failed events to an on-failure destination",
    check: (stack) => {
      const covered = new Set(
        stack
          .ofType("aws_lambda_function_event_invoke_config")
          .filter(([, c]) => c.destination_config?.on_failure?.destination)
          .map(([, c]) => stack.resolve(c.function_name)?.address),
      );
      const scheduled = new Set(stack.ofType("aws_scheduler_schedule").map(([, s]) => stack.resolve((s.target as any)?.arn)?.address));
      return stack
        .ofType("aws_lambda_function")
        .filter(([address]) => scheduled.has(address) && !covered.has(address))
        .map(([resource]) => ({ resource, detail: "invoked by schedules but has no event invoke config with an on_failure destination" }));
    },
  },
  {
    id: "LMB-03",
    reason: "Lambda functions must not be invocable by the public: no permission for * and no unauthenticated function URL",
    check: (stack) => [
      ...stack
        .ofType("aws_lambda_permission")
        .filter(
          ([, p]) =>
            p.principal === "*" ||
            (!p.source_arn && !p.source_account && !p.principal_org_id && String(p.principal).endsWith(".amazonaws.com")),
        )
        .map(([resource, p]) => ({ resource, detail: `principal ${p.principal} without source_arn or source_account` })),
      ...stack
        .ofType("aws_lambda_function_url")
        .filter(([, u]) => u.authorization_type !== "AWS_IAM")
        .map(([resource]) => ({ resource, detail: "function URL without AWS_IAM authorization" })),
    ],
  },
  {
    id: "LMB-04",
    reason: "Lambda environment variables must not hold secrets (use Secrets Manager or SSM and grant read access)",
    check: (stack) =>
      stack.ofType("aws_lambda_function").flatMap(([resource, fn]) =>
        Object.entries((fn.environment?.variables ?? {}) as Record<string, string>)
          .filter(([name, value]) => SECRET_NAME.test(name) || SECRET_VALUE.test(String(value)))
          .map(([name]) => ({ resource, detail: `environment variable ${name} looks like a secret` })),
      ),
  },
  {
    id: "LMB-05",
    reason: "Lambda functions must run on a supported Node.js runtime (nodejs22.x or later)",
    check: (stack) =>
      stack
        .ofType("aws_lambda_function")
        .filter(([, fn]) => !SUPPORTED_NODE_RUNTIMES.test(String(fn.runtime)))
        .map(([resource, fn]) => ({ resource, detail: `runtime ${fn.runtime}` })),
  },
  {
    id: "LMB-06",
    reason:
      "SQS event sources must report partial batch failures, cap their concurrency, and read a queue that hides a message six times the function's timeout",
    check: (stack) =>
      stack.ofType("aws_lambda_event_source_mapping").flatMap(([resource, mapping]) => {
        const queue = stack.resolve(mapping.event_source_arn);
        if (queue?.type !== "aws_sqs_queue") return [];
        const fn = stack.resolve(mapping.function_name)?.body;
        const findings: Array<{ resource: string; detail: string }> = [];
        if (!listOf(mapping.function_response_types).includes("ReportBatchItemFailures"))
          findings.push({ resource, detail: "function_response_types lacks ReportBatchItemFailures" });
        if (!(Number(listOf(mapping.scaling_config)[0]?.maximum_concurrency) >= 2))
          findings.push({ resource, detail: "no scaling_config.maximum_concurrency" });
        const timeout = Number(fn?.timeout ?? 3);
        if (Number(queue.body.visibility_timeout_seconds ?? 30) < 6 * timeout)
          findings.push({ resource, detail: `queue visibility timeout below 6 x the function's ${timeout} s timeout` });
        return findings;
      }),
  },
  {
    id: "KMS-01",
    reason: "KMS keys must rotate their key material yearly",
    check: (stack) =>
      stack
        .ofType("aws_kms_key")
        .filter(([, k]) => k.enable_key_rotation !== true)
        .map(([resource]) => ({ resource, detail: "enable_key_rotation is not true" })),
  },
  {
    id: "IAM-01",
    reason: "IAM statements must not allow wildcard actions (* or service:*)",
    check: (stack) =>
      identityStatements(stack).flatMap(({ resource, statement }) =>
        statement.Effect !== "Allow"
          ? []
          : [
              ...listOf(statement.Action)
                .filter((a) => a === "*" || a.endsWith(":*"))
                .map((a) => ({ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} allows ${a}` })),
              ...(statement.NotAction ? [{ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} allows NotAction` }] : []),
            ],
      ),
  },
  {
    id: "IAM-02",
    reason: "IAM statements must name their resources: no Resource * (except for actions IAM gives no resource type) and no NotResource",
    check: (stack) =>
      identityStatements(stack).flatMap(({ resource, statement }) =>
        statement.Effect !== "Allow" ||
        (listOf(statement.Action).length > 0 && listOf(statement.Action).every((a) => ACTIONS_WITHOUT_RESOURCE_TYPES.includes(a)))
          ? []
          : listOf(statement.Resource).includes("*") || statement.NotResource || listOf(statement.Resource).length === 0
            ? [{ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} does not name its resources` }]
            : [],
      ),
  },
  {
    id: "IAM-03",
    reason: "Roles must not have administrator, power-user or IAM-full-access policies",
    check: (stack) => [
      ...stack
        .ofType("aws_iam_role_policy_attachment")
        .filter(([, a]) => ADMIN_POLICIES.test(String(a.policy_arn)))
        .map(([resource, a]) => ({ resource, detail: `attaches ${a.policy_arn}` })),
      ...stack.ofType("aws_iam_role").flatMap(([resource, role]) =>
        listOf(role.managed_policy_arns)
          .filter((arn) => ADMIN_POLICIES.test(arn))
          .map((arn) => ({ resource, detail: `attaches ${arn}` })),
      ),
      ...identityStatements(stack)
        .filter(
          ({ statement }) =>
            statement.Effect === "Allow" && listOf(statement.Action).includes("*") && listOf(statement.Resource).includes("*"),
        )
        .map(({ resource, statement }) => ({ resource, detail: `statement ${statement.Sid ?? "(no Sid)"} allows * on *` })),
    ],
  },
  {
    id: "IAM-04",
    reason: "Trust policies for AWS services must carry confused-deputy conditions (aws:SourceAccount or aws:SourceArn)",
    check: (stack) =>
      policiesOf(stack)
        .filter((p) => p.kind === "trust")
        .flatMap((p) =>
          ((p.document?.Statement ?? []) as Statement[])
            .filter((s) => s.Effect === "Allow" && (s.Principal as { Service?: unknown } | undefined)?.Service !== undefined)
            .filter(
              (s) =>
                !Object.values(s.Condition ?? {}).some((block) => Object.keys(block).some((key) => CONFUSED_DEPUTY_KEYS.includes(key))),
            )
            .map((s) => ({
              resource: p.address,
              detail: `statement ${s.Sid ?? "(no Sid)"} trusts ${JSON.stringify((s.Principal as { Service: unknown }).Service)} without a source condition`,
            })),
        ),
  },
  {
    id: "IAM-05",
    reason: "iam:PassRole must name the roles and be limited with iam:PassedToService",
    check: (stack) =>
      identityStatements(stack)
        .filter(
          ({ statement }) =>
            statement.Effect === "Allow" &&
            listOf(statement.Action).some((a) => a.toLowerCase() === "iam:passrole" || a === "iam:*" || a === "*"),
        )
        .filter(
          ({ statement }) =>
            listOf(statement.Resource).includes("*") ||
            !Object.values(statement.Condition ?? {}).some((block) => "iam:PassedToService" in block),
        )
        .map(({ resource, statement }) => ({
          resource,
          detail: `statement ${statement.Sid ?? "(no Sid)"} passes roles without naming them and iam:PassedToService`,
        })),
  },
  {
    id: "IAM-06",
    reason: "Every policy must be literal JSON with statements, so it can be reviewed before apply",
    check: (stack) =>
      policiesOf(stack)
        .filter((p) => p.document === undefined)
        .map((p) => ({ resource: p.address, detail: "policy is not a literal JSON policy document" })),
  },
  {
    id: "SCH-01",
    reason: "Schedules must have a dead-letter queue, so invocations Scheduler cannot deliver are kept",
    check: (stack) =>
      stack
        .ofType("aws_scheduler_schedule")
        .filter(([, s]) => !(s.target as any)?.dead_letter_config?.arn)
        .map(([resource]) => ({ resource, detail: "target has no dead_letter_config" })),
  },
  {
    id: "SCH-02",
    reason: "Schedules must set a retry policy explicitly",
    check: (stack) =>
      stack
        .ofType("aws_scheduler_schedule")
        .filter(([, s]) => !(s.target as any)?.retry_policy)
        .map(([resource]) => ({ resource, detail: "target has no retry_policy" })),
  },
  {
    id: "SCH-03",
    reason:
      "A scheduler role may only invoke its schedules' targets and send to their dead-letter queues, and must trust scheduler.amazonaws.com for its schedule group",
    check: (stack) => {
      const findings: Finding[] = [];
      const allowedByRole = new Map<string, Set<string>>();
      for (const [, schedule] of stack.ofType("aws_scheduler_schedule")) {
        const target = schedule.target as any;
        const role = stack.resolve(target?.role_arn);
        if (!role) continue;
        const allowed = allowedByRole.get(role.address) ?? new Set<string>();
        allowed.add(target.arn);
        if (target.dead_letter_config?.arn) allowed.add(target.dead_letter_config.arn);
        allowedByRole.set(role.address, allowed);
      }
      const policies = policiesOf(stack);
      for (const [roleAddress, allowed] of allowedByRole) {
        const roleName = roleAddress.split(".")[1];
        const trust = policies.find((p) => p.address === roleAddress)?.document?.Statement as Statement[] | undefined;
        const trustsScheduler = (trust ?? []).some(
          (s) =>
            s.Effect === "Allow" &&
            listOf((s.Principal as { Service?: string | string[] } | undefined)?.Service).includes("scheduler.amazonaws.com") &&
            Object.values(s.Condition ?? {}).some((block) =>
              listOf((block as Record<string, string | string[]>)["aws:SourceArn"]).some(
                (arn) => stack.resolve(arn)?.type === "aws_scheduler_schedule_group",
              ),
            ),
        );
        if (!trustsScheduler)
          findings.push({ resource: roleAddress, detail: "does not trust scheduler.amazonaws.com with aws:SourceArn of a schedule group" });
        for (const [address, body] of stack.ofType("aws_iam_role_policy")) {
          if (stack.resolve(body.role)?.address !== `aws_iam_role.${roleName}`) continue;
          const statements = (policies.find((p) => p.address === address)?.document?.Statement ?? []) as Statement[];
          for (const statement of statements.filter((s) => s.Effect === "Allow")) {
            const outside = listOf(statement.Resource).filter((r) => !allowed.has(r));
            if (outside.length > 0)
              findings.push({
                resource: address,
                detail: `statement ${statement.Sid ?? "(no Sid)"} reaches beyond the schedules' targets: ${outside.join(", ")}`,
              });
          }
        }
      }
      return findings;
    },
  },
];

export const RULE_IDS: readonly string[] = SECURITY_RULES.map((rule) => rule.id);
