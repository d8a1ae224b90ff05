import { partitionOf } from "../../../core/naming";
import { StackDocument as InstancesOf, parsePolicyText } from "../../../modules/tooling/security/stack-document";

/** An IAM policy document as the simulator reads it. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: ReadonlyArray<Record<string, unknown> & { Sid?: string; Effect: string }>;
}

/** A role of the stack, its identity policies resolved to the ARNs they will have once deployed. */
export interface AuditedRole {
  /** The role's Terraform name: aws_iam_role.<address>. */
  readonly address: string;
  readonly arn: string;
  readonly policies: ReadonlyArray<{ readonly name: string; readonly document: PolicyDocument }>;
}

/** The policies one stack will deploy, with every `${…}` reference resolved. */
export interface StackPolicies {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly roles: Readonly<Record<string, AuditedRole>>;
  /** Resource policies by the ARN of the resource they are attached to. */
  readonly resourcePolicies: Readonly<Record<string, PolicyDocument>>;
  /** ARNs and names of the stack's resources, by `<type>.<address>`. */
  readonly arnOf: (type: string, address: string) => string;
  readonly nameOf: (type: string, address: string) => string;
  /** A value of the stack with its references resolved. */
  readonly resolve: (value: string) => string;
  /** The resources of one type, by address (one a `for_each` instance: `task["ledger"]`). */
  readonly resources: (type: string) => Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The resources of one type as the stack declares them (a `for_each` resource once, with its map). */
  readonly declared: (type: string) => Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A resource's name in a reference: `processor`, or one instance of a `for_each` resource, `task["ledger"]`. */
export const REFERENCED_NAME = String.raw`[A-Za-z0-9_-]+(?:\["[^"]+"\])?`;

type Body = Record<string, unknown>;
interface StackDocument {
  readonly provider?: { aws?: Array<{ region?: string; allowed_account_ids?: string[] }> };
  readonly resource: Record<string, Record<string, Body>>;
}

/**
 * Reads a synthesized stack (cdk.tf.json) as AWS will see it after apply: each Terraform
 * reference in a policy (`${aws_sqs_queue.work.arn}`) becomes the ARN that resource gets,
 * computed from its name, the account and the region, as AWS forms ARNs.
 */
export function stackPolicies(stack: StackDocument, fallback: { account?: string; region?: string } = {}): StackPolicies {
  const provider = stack.provider?.aws?.[0] ?? {};
  const account = provider.allowed_account_ids?.[0] ?? fallback.account;
  const region = provider.region ?? fallback.region;
  if (!account || !region) throw new Error("the stack names no account (allowed_account_ids) or region: pass them");
  const partition = partitionOf(region);
  // Each `for_each` resource as its instances, `task["ledger"]`, with each.key and each.value filled in.
  const expanded = new InstancesOf(stack as ConstructorParameters<typeof InstancesOf>[0]);
  const resources: Record<string, Record<string, Body>> = Object.fromEntries(
    Object.keys(stack.resource).map((type) => [
      type,
      Object.fromEntries(expanded.ofType(type).map(([address, body]) => [address.slice(type.length + 1), body as Body])),
    ]),
  );
  const body = (type: string, address: string): Body => {
    const found = resources[type]?.[address];
    if (!found) throw new Error(`the stack has no ${type}.${address}`);
    return found;
  };
  const text = (value: unknown) => String(value);

  function nameOf(type: string, address: string): string {
    const b = body(type, address);
    const named = b.name ?? b.bucket ?? b.function_name;
    if (named === undefined) return address;
    return resolve(text(named));
  }

  function arnOf(type: string, address: string): string {
    const name = () => nameOf(type, address);
    const regional = (service: string, rest: string) => `arn:${partition}:${service}:${region}:${account}:${rest}`;
    switch (type) {
      case "aws_s3_bucket":
        return `arn:${partition}:s3:::${name()}`;
      case "aws_sns_topic":
        return regional("sns", name());
      case "aws_sqs_queue":
        return regional("sqs", name());
      case "aws_lambda_function":
        return regional("lambda", `function:${name()}`);
      case "aws_iam_role":
        return `arn:${partition}:iam::${account}:role/${name()}`;
      case "aws_cloudwatch_log_group":
        return regional("logs", `log-group:${name()}`);
      case "aws_kms_key":
        return regional("kms", `key/${address}`);
      case "aws_scheduler_schedule_group":
        return regional("scheduler", `schedule-group/${name()}`);
      default:
        throw new Error(`no ARN form for ${type}`);
    }
  }

  function attribute(type: string, address: string, attr: string): string {
    if (attr === "arn") return arnOf(type, address);
    if (type === "aws_sqs_queue" && attr === "url") return `https://sqs.${region}.amazonaws.com/${account}/${nameOf(type, address)}`;
    if (["id", "name", "bucket", "function_name"].includes(attr)) return nameOf(type, address);
    throw new Error(`cannot resolve ${type}.${address}.${attr}`);
  }

  function resolve(value: string): string {
    return value.replace(new RegExp(String.raw`\$\{([a-z0-9_]+)\.(${REFERENCED_NAME})\.([a-z_]+)\}`, "g"), (_, type, address, attr) =>
      attribute(type, address, attr),
    );
  }
  const parse = (policy: unknown) => parsePolicyText(resolve(text(policy))) as PolicyDocument;

  const roles: Record<string, AuditedRole> = {};
  for (const address of Object.keys(resources.aws_iam_role ?? {})) {
    roles[address] = { address, arn: arnOf("aws_iam_role", address), policies: [] };
  }
  for (const [address, policy] of Object.entries(resources.aws_iam_role_policy ?? {})) {
    const role = Object.values(roles).find((r) => resolve(text(policy.role)) === nameOf("aws_iam_role", r.address));
    if (!role) throw new Error(`aws_iam_role_policy.${address} is attached to no role of the stack`);
    roles[role.address] = { ...role, policies: [...role.policies, { name: resolve(text(policy.name)), document: parse(policy.policy) }] };
  }

  const resourcePolicies: Record<string, PolicyDocument> = {};
  const attached = (reference: unknown): string => {
    const match = new RegExp(String.raw`^\$\{([a-z0-9_]+)\.(${REFERENCED_NAME})\.[a-z_]+\}$`).exec(text(reference));
    if (!match) throw new Error(`a resource policy is attached to ${text(reference)}, which this audit cannot resolve`);
    return arnOf(match[1], match[2]);
  };
  for (const policy of Object.values(resources.aws_s3_bucket_policy ?? {}))
    resourcePolicies[attached(policy.bucket)] = parse(policy.policy);
  for (const policy of Object.values(resources.aws_sqs_queue_policy ?? {}))
    resourcePolicies[attached(policy.queue_url)] = parse(policy.policy);
  for (const policy of Object.values(resources.aws_sns_topic_policy ?? {})) resourcePolicies[attached(policy.arn)] = parse(policy.policy);
  for (const address of Object.keys(resources.aws_kms_key ?? {}))
    resourcePolicies[arnOf("aws_kms_key", address)] = parse(body("aws_kms_key", address).policy);

  return {
    account,
    region,
    partition,
    roles,
    resourcePolicies,
    arnOf,
    nameOf,
    resolve,
    resources: (type) => resources[type] ?? {},
    declared: (type) => stack.resource[type] ?? {},
  };
}
