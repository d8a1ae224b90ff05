import { checkStack } from "../../../../modules/tooling/security/check";
import { RULE_IDS, SECURITY_RULES } from "../../../../modules/tooling/security/rules";
import { StackDocument } from "../../../../modules/tooling/security/stack-document";
import { ENVIRONMENTS, environment, synthEnvironment } from "../../../support/synth";

/** A deep copy of prod's synthesized stack, to break on purpose. */
function prodDocument(): any {
  return JSON.parse(synthEnvironment(environment("prod")).json);
}
const first = (document: any, type: string): [string, any] => {
  const [name, body] = Object.entries(document.resource[type])[0];
  return [`${type}.${name}`, body];
};
/** The resource at the pinned address `type.name`. */
const under = (document: any, type: string, name: string): [string, any] => [`${type}.${name}`, document.resource[type][name]];
/** The resource of `type` whose `name` is `name`. */
const named = (document: any, type: string, name: string): [string, any] => {
  const [id, body] = Object.entries(document.resource[type] as Record<string, any>).find(([, b]) => b.name === name)!;
  return [`${type}.${id}`, body];
};
const policyOf = (body: any, field = "policy") => JSON.parse(body[field]);
const setPolicy = (body: any, policy: unknown, field = "policy") => (body[field] = JSON.stringify(policy));
const findingsOf = (document: any, rule: string) => checkStack(new StackDocument(document)).violations.filter((v) => v.rule === rule);

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("security rules on %s as synthesized", (_name, config) => {
  it("finds nothing to report", () => {
    const report = checkStack(StackDocument.parse(synthEnvironment(config).json), config.waivers);
    expect(report.violations).toEqual([]);
  });
});

/** For each rule: how to break prod's stack so the rule must fire, and on which resource. */
const breakages: Record<string, (document: any) => string> = {
  "S3-01": (d) => (delete d.resource.aws_s3_bucket_versioning, first(d, "aws_s3_bucket")[0]),
  "S3-02": (d) => (delete d.resource.aws_s3_bucket_server_side_encryption_configuration, first(d, "aws_s3_bucket")[0]),
  "S3-03": (d) => ((first(d, "aws_s3_bucket_public_access_block")[1].restrict_public_buckets = false), first(d, "aws_s3_bucket")[0]),
  "S3-04": (d) => {
    const [, policy] = first(d, "aws_s3_bucket_policy");
    setPolicy(policy, { Version: "2012-10-17", Statement: [] });
    return first(d, "aws_s3_bucket")[0];
  },
  "S3-05": (d) => ((first(d, "aws_s3_bucket_ownership_controls")[1].rule.object_ownership = "ObjectWriter"), first(d, "aws_s3_bucket")[0]),
  "S3-06": (d) => {
    const [, lifecycle] = first(d, "aws_s3_bucket_lifecycle_configuration");
    lifecycle.rule = lifecycle.rule.filter((r: any) => !r.noncurrent_version_expiration);
    return first(d, "aws_s3_bucket")[0];
  },
  "S3-07": (d) => {
    const [address, policy] = first(d, "aws_s3_bucket_policy");
    const document = policyOf(policy);
    document.Statement.push({ Sid: "Oops", Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::x/*"] });
    setPolicy(policy, document);
    return address;
  },
  "S3-08": (d) => {
    const [address, policy] = first(d, "aws_s3_bucket_policy");
    const document = policyOf(policy);
    const partner = { AWS: ["arn:aws:iam::210987654321:role/uploader"] };
    document.Statement.push({
      Sid: "PartnerAll",
      Effect: "Allow",
      Principal: partner,
      Action: ["s3:PutObject"],
      Resource: ["arn:aws:s3:::x/*"],
    });
    setPolicy(policy, document);
    return address;
  },
  "S3-09": (d) => {
    const [address, policy] = first(d, "aws_s3_bucket_policy");
    const document = policyOf(policy);
    const partner = { AWS: ["arn:aws:iam::210987654321:role/uploader"] };
    document.Statement.push(
      { Sid: "Upload", Effect: "Allow", Principal: partner, Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::x/incoming/p/*"] },
      { Sid: "AlsoRead", Effect: "Allow", Principal: partner, Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::x/processed/*"] },
    );
    setPolicy(policy, document);
    return address;
  },
  "SNS-01": (d) => (delete first(d, "aws_sns_topic")[1].kms_master_key_id, first(d, "aws_sns_topic")[0]),
  "SNS-02": (d) => {
    const [, policy] = first(d, "aws_sns_topic_policy");
    const document = policyOf(policy);
    document.Statement = document.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
    setPolicy(policy, document);
    return first(d, "aws_sns_topic")[0];
  },
  "SNS-03": (d) => {
    const [address, policy] = first(d, "aws_sns_topic_policy");
    const document = policyOf(policy);
    document.Statement[0].Principal = { AWS: "*" };
    setPolicy(policy, document);
    return address;
  },
  "SQS-01": (d) => {
    const [address, queue] = first(d, "aws_sqs_queue");
    delete queue.sqs_managed_sse_enabled;
    return address;
  },
  "SQS-02": (d) => {
    const [, policy] = first(d, "aws_sqs_queue_policy");
    setPolicy(policy, { Version: "2012-10-17", Statement: [] });
    return d.resource.aws_sqs_queue && `aws_sqs_queue.${/\$\{aws_sqs_queue\.([^.]+)\./.exec(policy.queue_url)![1]}`;
  },
  "SQS-03": (d) => {
    const [address, policy] = first(d, "aws_sqs_queue_policy");
    const document = policyOf(policy);
    document.Statement.push({ Sid: "Open", Effect: "Allow", Principal: "*", Action: ["sqs:SendMessage"], Resource: ["x"] });
    setPolicy(policy, document);
    return address;
  },
  "SQS-04": (d) => {
    const [address, queue] = named(d, "aws_sqs_queue", "scheduler-prod-work-dlq");
    queue.message_retention_seconds = 345_600;
    return address;
  },
  "SQS-05": (d) => {
    const [address, queue] = named(d, "aws_sqs_queue", "scheduler-prod-work");
    delete queue.redrive_policy;
    return address;
  },
  "LMB-01": (d) => (
    (under(d, "aws_cloudwatch_log_group", "processor")[1].retention_in_days = 0), under(d, "aws_lambda_function", "processor")[0]
  ),
  "LMB-02": (d) => (delete d.resource.aws_lambda_function_event_invoke_config, under(d, "aws_lambda_function", "processor")[0]),
  "LMB-03": (d) => {
    d.resource.aws_lambda_permission = { open: { function_name: "x", action: "lambda:InvokeFunction", principal: "*" } };
    return "aws_lambda_permission.open";
  },
  "LMB-04": (d) => {
    const [address, fn] = first(d, "aws_lambda_function");
    fn.environment.variables.DB_PASSWORD = "hunter2";
    return address;
  },
  "LMB-05": (d) => {
    const [address, fn] = first(d, "aws_lambda_function");
    fn.runtime = "nodejs16.x";
    return address;
  },
  "LMB-06": (d) => {
    const [address, mapping] = Object.entries(d.resource.aws_lambda_event_source_mapping as Record<string, any>)
      .map(([name, body]): [string, any] => [`aws_lambda_event_source_mapping.${name}`, body])
      .find(([, m]) => m.batch_size === 1)!;
    delete mapping.function_response_types;
    return address;
  },
  "KMS-01": (d) => {
    const [address, key] = first(d, "aws_kms_key");
    key.enable_key_rotation = false;
    return address;
  },
  "IAM-01": (d) => {
    const [address, policy] = first(d, "aws_iam_role_policy");
    const document = policyOf(policy);
    document.Statement[0].Action = ["s3:*"];
    setPolicy(policy, document);
    return address;
  },
  "IAM-02": (d) => {
    const [address, policy] = first(d, "aws_iam_role_policy");
    const document = policyOf(policy);
    document.Statement[0].Resource = "*";
    setPolicy(policy, document);
    return address;
  },
  "IAM-03": (d) => {
    const [, role] = first(d, "aws_iam_role");
    d.resource.aws_iam_role_policy_attachment = { admin: { role: "x", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } };
    void role;
    return "aws_iam_role_policy_attachment.admin";
  },
  "IAM-04": (d) => {
    const [address, role] = first(d, "aws_iam_role");
    const trust = policyOf(role, "assume_role_policy");
    delete trust.Statement[0].Condition;
    setPolicy(role, trust, "assume_role_policy");
    return address;
  },
  "IAM-05": (d) => {
    const [address, policy] = first(d, "aws_iam_role_policy");
    const document = policyOf(policy);
    document.Statement.push({ Sid: "Pass", Effect: "Allow", Action: ["iam:PassRole"], Resource: ["arn:aws:iam::1:role/x"] });
    setPolicy(policy, document);
    return address;
  },
  "IAM-06": (d) => {
    const [address, policy] = first(d, "aws_iam_role_policy");
    policy.policy = "${data.aws_iam_policy_document.x.json}";
    return address;
  },
  // Schedules are one for_each resource: findings name each instance.
  "SCH-01": (d) => {
    const [address, schedule] = first(d, "aws_scheduler_schedule");
    delete schedule.target.dead_letter_config;
    return `${address}["daily-report"]`;
  },
  "SCH-02": (d) => {
    const [address, schedule] = first(d, "aws_scheduler_schedule");
    delete schedule.target.retry_policy;
    return `${address}["daily-report"]`;
  },
  "SCH-03": (d) => {
    const schedulerRole = Object.entries(d.resource.aws_iam_role).find(([, r]: any) =>
      r.assume_role_policy.includes("scheduler.amazonaws.com"),
    )![0];
    const trust = JSON.parse(d.resource.aws_iam_role[schedulerRole].assume_role_policy);
    trust.Statement[0].Principal.Service = "events.amazonaws.com";
    d.resource.aws_iam_role[schedulerRole].assume_role_policy = JSON.stringify(trust);
    return `aws_iam_role.${schedulerRole}`;
  },
};

describe("each security rule catches a deliberately broken stack", () => {
  it("has a breakage for every rule", () => {
    expect(Object.keys(breakages).sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(SECURITY_RULES.map((rule) => [rule.id, rule.reason] as const))("%s: %s", (id) => {
    const document = prodDocument();
    const offender = breakages[id](document);
    const findings = findingsOf(document, id);
    expect(findings.map((f) => f.resource)).toContain(offender);
    for (const finding of findings) expect(finding.detail.length).toBeGreaterThan(0);
  });

  it("SCH-03 also catches a scheduler role that may reach beyond its targets", () => {
    const document = prodDocument();
    const [address, policy] = Object.entries(document.resource.aws_iam_role_policy).find(([, p]: any) =>
      p.policy.includes("InvokeProcessor"),
    ) as [string, any];
    const statements = JSON.parse(policy.policy);
    statements.Statement[0].Resource.push("arn:aws:lambda:us-east-1:333333333333:function:someone-else");
    policy.policy = JSON.stringify(statements);
    expect(findingsOf(document, "SCH-03").map((f) => f.resource)).toEqual([`aws_iam_role_policy.${address}`]);
  });
});

describe("waivers", () => {
  it("accept a violation only for the waived rule and resource, with the reason kept", () => {
    const document = prodDocument();
    const offender = breakages["LMB-05"](document);
    const report = checkStack(new StackDocument(document), [
      { rule: "LMB-05", resource: offender, reason: "pinned until the vendor SDK supports Node 22" },
      { rule: "S3-01", reason: "nothing matches this one" },
    ]);
    expect(report.violations).toEqual([]);
    expect(report.waived).toEqual([
      expect.objectContaining({ rule: "LMB-05", resource: offender, waivedBecause: "pinned until the vendor SDK supports Node 22" }),
    ]);
    expect(report.unusedWaivers).toEqual([{ rule: "S3-01", reason: "nothing matches this one" }]);
  });
});
