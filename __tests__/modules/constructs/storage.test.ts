import { resourceNames } from "../../../core/naming";
import { ENVIRONMENTS, parsePolicy, referenced, resources, single, synthEnvironment } from "../../support/synth";

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("storage in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const bucketId = resources(stack, "aws_s3_bucket")[0][0];
  const bucketRef = `\${aws_s3_bucket.${bucketId}.id}`;

  it("names the bucket after project, environment and account", () => {
    const bucket = single(stack, "aws_s3_bucket");
    expect(bucket.bucket).toBe(`${config.projectName}-${config.name}-data-${config.account}`);
    expect(bucket.bucket).toBe(resourceNames(config).bucket);
    expect(bucket.force_destroy).not.toBe(true);
  });

  it("enables versioning", () => {
    const versioning = single(stack, "aws_s3_bucket_versioning");
    expect(versioning.bucket).toBe(bucketRef);
    expect(versioning.versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("encrypts with SSE-S3 when no KMS key is configured", () => {
    const encryption = single(stack, "aws_s3_bucket_server_side_encryption_configuration");
    expect(encryption.bucket).toBe(bucketRef);
    expect(encryption.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false }]);
  });

  it("blocks all four kinds of public access", () => {
    const block = single(stack, "aws_s3_bucket_public_access_block");
    expect(block).toMatchObject({
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("enforces bucket-owner object ownership (ACLs off)", () => {
    expect(single(stack, "aws_s3_bucket_ownership_controls")).toMatchObject({
      bucket: bucketRef,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("denies every request made without TLS, on the bucket and its objects", () => {
    const policy = single(stack, "aws_s3_bucket_policy");
    expect(policy.bucket).toBe(bucketRef);
    const arn = `\${aws_s3_bucket.${bucketId}.arn}`;
    expect(parsePolicy(policy.policy).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("expires noncurrent versions and aborts incomplete uploads after the configured days", () => {
    const lifecycle = single(stack, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.bucket).toBe(bucketRef);
    const byId = Object.fromEntries(lifecycle.rule.map((rule: any) => [rule.id, rule]));
    expect(byId["expire-noncurrent-versions"]).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: config.storage.noncurrentVersionExpirationDays }],
    });
    expect(byId["abort-incomplete-multipart-uploads"]).toMatchObject({
      status: "Enabled",
      abort_incomplete_multipart_upload: [{ days_after_initiation: config.storage.abortIncompleteMultipartUploadDays }],
    });
  });

  it("applies every bucket setting to this stack's bucket", () => {
    for (const type of [
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_public_access_block",
    ]) {
      expect(referenced(stack, single(stack, type).bucket).type).toBe("aws_s3_bucket");
    }
  });
});

describe("storage with a KMS key", () => {
  const kmsKeyArn = "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const base = ENVIRONMENTS.find((c) => c.name === "prod")!;
  const stack = synthEnvironment({ ...base, storage: { ...base.storage, kmsKeyArn } });

  it("uses SSE-KMS with that key and an S3 Bucket Key", () => {
    expect(single(stack, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: kmsKeyArn }, bucket_key_enabled: true },
    ]);
  });

  it("lets the processor use exactly that key", () => {
    const policy = parsePolicy(resources(stack, "aws_iam_role_policy").find(([id]) => id.startsWith("processor"))![1].policy);
    expect(policy.Statement.find((s) => s.Sid === "UseBucketKey")).toEqual({
      Sid: "UseBucketKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [kmsKeyArn],
    });
  });
});
