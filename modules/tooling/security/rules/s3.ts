/** The security rules for S3 buckets. */
import { field, listOf, policiesOf, type StackDocument, type Statement } from "../stack-document";
import { everyBucket, noPublicAllowRule, PUBLIC, resourcePoliciesByTarget, type SecurityRule, TLS_CONDITION } from "./shared";

export const S3_RULES: readonly SecurityRule[] = [
  {
    id: "S3-01",
    reason: "S3 buckets must have versioning enabled, so overwritten or deleted objects can be recovered",
    check: (stack) =>
      everyBucket(
        stack,
        "aws_s3_bucket_versioning",
        (s) => s.some((v) => field(v, "versioning_configuration", "status") === "Enabled"),
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
            listOf(e.rule).some((r) =>
              ["AES256", "aws:kms", "aws:kms:dsse"].includes(String(field(r, "apply_server_side_encryption_by_default", "sse_algorithm"))),
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
        (s) => s.some((o) => listOf(o.rule).some((r) => field(r, "object_ownership") === "BucketOwnerEnforced")),
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
          const rules = s.flatMap((l) => listOf(l.rule)).filter((r) => field(r, "status") === "Enabled");
          return (
            rules.some((r) => listOf(field(r, "noncurrent_version_expiration")).length > 0) &&
            rules.some((r) => listOf(field(r, "abort_incomplete_multipart_upload")).length > 0)
          );
        },
        "no enabled lifecycle rule for noncurrent versions and incomplete uploads",
      ),
  },
  noPublicAllowRule("S3-07", "aws_s3_bucket_policy", "S3 bucket"),
  {
    id: "S3-08",
    reason:
      "An S3 bucket policy may let a principal in only under a prefix: objects under <bucket>/<prefix>*, and the bucket " +
      "itself only for listing with an s3:prefix condition, never the whole bucket",
    check: (stack) =>
      grantsOfBucketPolicies(stack).flatMap(({ address, statement }) => {
        const wide = listOf(statement.Resource).filter(
          (r) => /^arn:[^:]+:s3:::[^/]+\/\*$/.test(r) || (/^arn:[^:]+:s3:::[^/]+$/.test(r) && !prefixCondition(statement)),
        );
        return wide.map((r) => ({ resource: address, detail: `statement ${statement.Sid ?? "(no Sid)"} allows ${r} without a prefix` }));
      }),
  },
  {
    id: "S3-09",
    reason:
      "An S3 bucket policy lets a principal either write (a producer: s3:PutObject, s3:AbortMultipartUpload) or read (a reader: " +
      "s3:GetObject, s3:ListBucket), never both, and nothing else",
    check: (stack) => {
      const found: Array<{ resource: string; detail: string }> = [];
      const kinds = new Map<string, { address: string; writes: boolean; reads: boolean }>();
      for (const { address, statement } of grantsOfBucketPolicies(stack)) {
        const actions = listOf(statement.Action);
        const other = actions.filter((a) => !WRITES.includes(a) && !READS.includes(a));
        if (other.length > 0)
          found.push({ resource: address, detail: `statement ${statement.Sid ?? "(no Sid)"} allows ${other.join(", ")}` });
        for (const principal of principalsOf(statement)) {
          const kind = kinds.get(`${address} ${principal}`) ?? { address, writes: false, reads: false };
          kind.writes ||= actions.some((a) => WRITES.includes(a));
          kind.reads ||= actions.some((a) => READS.includes(a));
          kinds.set(`${address} ${principal}`, kind);
        }
      }
      for (const [key, kind] of kinds)
        if (kind.writes && kind.reads)
          found.push({
            resource: kind.address,
            detail: `${key.split(" ")[1]} may both write and read: a producer never reads, a reader never writes`,
          });
      return found;
    },
  },
];

const WRITES = ["s3:PutObject", "s3:AbortMultipartUpload"];
const READS = ["s3:GetObject", "s3:ListBucket"];

/** The Allow statements of the bucket policies that name principals, with the policy's address. */
function grantsOfBucketPolicies(stack: StackDocument): Array<{ address: string; statement: Statement }> {
  return policiesOf(stack)
    .filter((p) => p.address.startsWith("aws_s3_bucket_policy."))
    .flatMap((p) =>
      ((p.document?.Statement ?? []) as Statement[])
        .filter((s) => s.Effect === "Allow" && s.Principal !== undefined)
        .map((statement) => ({ address: p.address, statement })),
    );
}

function principalsOf(statement: Statement): string[] {
  const principal = statement.Principal;
  if (typeof principal === "string") return [principal];
  return listOf(field(principal, "AWS")).map(String);
}

function prefixCondition(statement: Statement): boolean {
  return Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).some((byKey) =>
    listOf(byKey["s3:prefix"]).some((prefix) => typeof prefix === "string" && prefix !== "*" && prefix.length > 0),
  );
}
