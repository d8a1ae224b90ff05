import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { EnvironmentConfig } from "../../../modules/config/schema";
import { validateEnvironment } from "../../../modules/config/validate";
import { checkStack } from "../../../modules/tooling/security/check";
import { StackDocument } from "../../../modules/tooling/security/stack-document";
import { environment, synthEnvironment } from "../../support/synth";

const PARTNER = "arn:aws:iam::210987654321:role/uploader";
const VENDOR = "arn:aws:iam::210987654321:role/vendor-b";
const ORGANIZATION = "o-abcdefghij";
const KEY = "arn:aws:kms:us-east-1:333333333333:key/11111111-2222-3333-4444-555555555555";
const prod = environment("prod");
const ANALYTICS = `arn:aws:iam::${prod.account}:role/analytics`;
const AUDITOR = "arn:aws:iam::444455556666:root";

// prod with a partner and a vendor writing in from another account, and readers in this account and another.
const validated = validateEnvironment({
  ...prod,
  storage: { ...prod.storage, kmsKeyArn: KEY },
  access: {
    organizationId: ORGANIZATION,
    producers: [
      { name: "partner-a", principals: [PARTNER], prefix: "partner-a/", requireKms: true },
      { name: "vendor-b", principals: [VENDOR], prefix: "vendor-b/" },
    ],
    readers: [
      { name: "analytics", principals: [ANALYTICS], prefixes: ["processed/", "reports/"] },
      { name: "auditor", principals: [AUDITOR], prefixes: ["reports/"] },
    ],
  },
});
if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
const config: EnvironmentConfig = validated.config;
const stack = synthEnvironment(config);
const bucket = `arn:aws:s3:::${stack.document.resource.aws_s3_bucket.data.bucket}`;
const bucketPolicy = JSON.parse(stack.document.resource.aws_s3_bucket_policy.data.policy.replaceAll("${aws_s3_bucket.data.arn}", bucket));
const managed = (address: string, name: string) => {
  const body = stack.document.resource.aws_iam_policy[address];
  return JSON.parse(body.for_each[name].policy);
};
/** What the principal's own account lets it do: everything (their side is not ours to limit). */
const theirSide = { name: "their-admin", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };

async function decide(
  principal: string,
  action: string,
  resource: string,
  options: { identity?: unknown; context?: Record<string, string> } = {},
): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: [options.identity ? { name: "attached", policy: options.identity } : theirSide],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: bucketPolicy,
      request: {
        principal,
        action,
        resource: { resource, accountId: prod.account },
        contextVariables: { "aws:SecureTransport": "true", "aws:PrincipalOrgID": ORGANIZATION, ...options.context },
      },
    } as Parameters<typeof runSimulation>[0],
    {},
  );
  if (result.resultType !== "single") throw new Error(JSON.stringify(result));
  return result.result.analysis.result;
}

describe("access: producers and readers", () => {
  const withKey = { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY };

  it("lets a producer in another account put, and abort, under its own prefix only", async () => {
    expect(await decide(PARTNER, "s3:PutObject", `${bucket}/incoming/partner-a/2026/orders.jsonl`, { context: withKey })).toBe("Allowed");
    expect(await decide(PARTNER, "s3:AbortMultipartUpload", `${bucket}/incoming/partner-a/big.jsonl`)).toBe("Allowed");
    for (const [action, resource] of [
      ["s3:PutObject", `${bucket}/incoming/vendor-b/x.jsonl`],
      ["s3:PutObject", `${bucket}/incoming/x.jsonl`],
      ["s3:PutObject", `${bucket}/processed/x.jsonl`],
      ["s3:GetObject", `${bucket}/incoming/partner-a/x.jsonl`],
      ["s3:DeleteObject", `${bucket}/incoming/partner-a/x.jsonl`],
      ["s3:PutObjectAcl", `${bucket}/incoming/partner-a/x.jsonl`],
      ["s3:ListBucket", bucket],
    ])
      expect({ action, resource, decision: await decide(PARTNER, action, resource, { context: withKey }) }).not.toMatchObject({
        decision: "Allowed",
      });
  });

  it("refuses the producer's upload without the bucket's key when requireKms, and outside the organization", async () => {
    expect(await decide(PARTNER, "s3:PutObject", `${bucket}/incoming/partner-a/x.jsonl`)).not.toBe("Allowed");
    const otherKey = { "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY.replace("1111", "9999") };
    expect(await decide(PARTNER, "s3:PutObject", `${bucket}/incoming/partner-a/x.jsonl`, { context: otherKey })).not.toBe("Allowed");
    const elsewhere = { ...withKey, "aws:PrincipalOrgID": "o-zzzzzzzzzz" };
    expect(await decide(PARTNER, "s3:PutObject", `${bucket}/incoming/partner-a/x.jsonl`, { context: elsewhere })).not.toBe("Allowed");
  });

  it("keeps a second producer out of the first's prefix", async () => {
    expect(await decide(VENDOR, "s3:PutObject", `${bucket}/incoming/vendor-b/x.jsonl`)).toBe("Allowed");
    expect(await decide(VENDOR, "s3:PutObject", `${bucket}/incoming/partner-a/x.jsonl`)).not.toBe("Allowed");
  });

  it("lets a reader of this account, through its managed policy, get and list what it was given and nothing else", async () => {
    const identity = managed("reader", "analytics");
    const as = (action: string, resource: string, context: Record<string, string> = {}) =>
      decide(ANALYTICS, action, resource, { identity, context });
    expect(await as("s3:GetObject", `${bucket}/processed/2026-11-23/orders.jsonl`)).toBe("Allowed");
    expect(await as("s3:GetObject", `${bucket}/reports/2026-11-23/daily.csv`)).toBe("Allowed");
    expect(await as("s3:ListBucket", bucket, { "s3:prefix": "processed/2026-11-23/" })).toBe("Allowed");
    // The bucket's key is the team's own: its key policy (not this stack's) must delegate to IAM for this statement to count.
    expect(identity.Statement).toContainEqual({
      Sid: "ReaderAnalyticsUseBucketKey",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [KEY],
    });
    for (const [action, resource, context] of [
      ["s3:GetObject", `${bucket}/quarantine/x.jsonl`, {}],
      ["s3:GetObject", `${bucket}/incoming/partner-a/x.jsonl`, {}],
      ["s3:ListBucket", bucket, { "s3:prefix": "incoming/" }],
      ["s3:ListBucket", bucket, {}],
      ["s3:PutObject", `${bucket}/processed/x.jsonl`, {}],
      ["s3:DeleteObject", `${bucket}/reports/x.csv`, {}],
    ] as const)
      expect({ action, resource, decision: await as(action, resource, context) }).not.toMatchObject({ decision: "Allowed" });
  });

  it("lets a reader in another account in through the bucket policy, to its prefixes only", async () => {
    expect(await decide(AUDITOR, "s3:GetObject", `${bucket}/reports/daily.csv`)).toBe("Allowed");
    expect(await decide(AUDITOR, "s3:ListBucket", bucket, { context: { "s3:prefix": "reports/" } })).toBe("Allowed");
    expect(await decide(AUDITOR, "s3:GetObject", `${bucket}/processed/x.jsonl`)).not.toBe("Allowed");
    expect(await decide(AUDITOR, "s3:PutObject", `${bucket}/reports/x.csv`)).not.toBe("Allowed");
  });

  it("gives managed policies only to principals in this account, and says where they are", () => {
    expect(Object.keys(stack.document.resource.aws_iam_policy.reader.for_each)).toEqual(["analytics"]);
    expect(stack.document.resource.aws_iam_policy.producer).toBeUndefined();
    expect(stack.document.resource.aws_iam_policy.reader.name).toBe(`${prod.projectName}-prod-reader-\${each.key}`);
    expect(stack.document.output.reader_policy_arns.value).toEqual({ analytics: '${aws_iam_policy.reader["analytics"].arn}' });
    expect(stack.document.output.producer_policy_arns.value).toEqual({});
  });

  it("keeps the bucket policy one resource, the TLS deny first, and passes every security rule", () => {
    expect(Object.keys(stack.document.resource.aws_s3_bucket_policy)).toEqual(["data"]);
    expect(bucketPolicy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "ProducerPartnerAUpload",
      "ProducerVendorBUpload",
      "ProducerPartnerARequireBucketKey",
      "ReaderAuditorRead",
      "ReaderAuditorList",
    ]);
    expect(checkStack(StackDocument.parse(stack.json), []).violations).toEqual([]);
  });
});

describe("access validation", () => {
  const problems = (access: unknown, extra: Record<string, unknown> = {}) =>
    validateEnvironment({ ...prod, ...extra, access }).problems.map((p) => `${p.path}: ${p.reason}`);

  it("names every field at fault, all at once", () => {
    const found = problems({
      organizationId: "org-1",
      producers: [
        { name: "partner", principals: ["*"], prefix: "../up/" },
        { name: "partner", principals: [PARTNER], prefix: "a/" },
        { name: "nested", principals: [PARTNER], prefix: "a/b/", requireKms: true },
      ],
      readers: [{ name: "bi", principals: [], prefixes: ["incoming/"] }],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^access\.organizationId: must be an AWS Organizations id/),
        expect.stringMatching(/^access\.producers\[0\]\.principals\[0\]: must be an IAM role, user or account-root ARN/),
        expect.stringMatching(/^access\.producers\[0\]\.prefix: must be a relative folder/),
        'access.producers[1].name: duplicates access.producers[0].name "partner"; names must be unique in access',
        'access.producers[2].prefix: "a/b/" and access.producers[1].prefix "a/" nest; producers\' prefixes never nest',
        "access.producers[2].requireKms: needs storage.kmsKeyArn: uploads can only be required to use the bucket's key if it has one",
        "access.readers[0].principals: must name at least one principal",
        expect.stringMatching(/^access\.readers\[0\]\.prefixes\[0\]: must be one of processed\/, quarantine\/, reports\/, archive\//),
      ]),
    );
  });

  it("lets principals of other accounts in only where the stack manages the bucket policy", () => {
    const found = problems(
      { producers: [{ name: "partner", principals: [PARTNER], prefix: "p/" }] },
      { adopt: { bucket: { name: "existing-bucket", manage: false } } },
    );
    expect(found).toEqual([expect.stringMatching(/^access\.producers\[0\]\.principals\[0\]: is in another account/)]);
  });
});
