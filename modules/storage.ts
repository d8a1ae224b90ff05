import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { BUCKET_LAYOUT, type BucketArea, type BucketUser, type PrefixAccess } from "../core/bucket-layout";
import { denyInsecureTransport, policyDocument, renderPolicy, type PolicyStatement } from "./iam/policy-document";

export interface TaskStorageProps {
  readonly bucketName: string;
  /** SSE-KMS with this key; @default SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteMultipartUploadDays: number;
}

const OBJECT_ACTIONS: Record<Exclude<PrefixAccess, "list">, readonly string[]> = {
  read: ["s3:GetObject"],
  // Reading a named version: the archive copies exactly the version that was processed.
  readVersion: ["s3:GetObjectVersion"],
  write: ["s3:PutObject", "s3:AbortMultipartUpload"],
  delete: ["s3:DeleteObject"],
};

/** The task bucket: versioned, encrypted, private, owner-enforced, TLS only, with lifecycle rules. */
export class TaskStorage extends Construct {
  readonly bucket: S3Bucket;
  readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: TaskStorageProps) {
    super(scope, id);
    this.kmsKeyArn = props.kmsKeyArn;
    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName });
    const bucket = this.bucket.id;

    new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          // S3 Bucket Keys cut KMS requests (and cost) by orders of magnitude.
          bucketKeyEnabled: props.kmsKeyArn !== undefined,
        },
      ],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPolicy(this, "policy", {
      bucket,
      policy: renderPolicy(
        policyDocument(denyInsecureTransport("s3", [this.bucket.arn, `${this.bucket.arn}/*`])),
      ),
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [
            { daysAfterInitiation: props.abortIncompleteMultipartUploadDays },
          ],
        },
      ],
      dependsOn: [this.bucket],
    });
  }

  get bucketName(): string {
    return this.bucket.bucket;
  }

  get bucketArn(): string {
    return this.bucket.arn;
  }

  /**
   * Statements granting `user` exactly the accesses BUCKET_LAYOUT lists for it: object actions
   * on each prefix, and s3:ListBucket only for the prefixes marked `list`.
   */
  accessStatements(user: BucketUser): PolicyStatement[] {
    const areas: readonly BucketArea[] = Object.values(BUCKET_LAYOUT);
    const granted = (area: BucketArea, access: PrefixAccess) => (area.access[user] ?? []).includes(access);
    const statements: PolicyStatement[] = [];
    for (const access of ["read", "readVersion", "write", "delete"] as const) {
      const prefixes = areas.filter((a) => granted(a, access));
      if (prefixes.length === 0) continue;
      statements.push({
        Sid: `${capitalise(access)}TaskObjects`,
        Effect: "Allow",
        Action: OBJECT_ACTIONS[access],
        Resource: prefixes.map((a) => `${this.bucket.arn}/${a.prefix}*`),
      });
    }
    const listed = areas.filter((a) => granted(a, "list"));
    if (listed.length > 0) statements.push({
      Sid: "ListTaskPrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [this.bucket.arn],
      Condition: { StringLike: { "s3:prefix": listed.map((a) => `${a.prefix}*`) } },
    });
    if (this.kmsKeyArn) {
      statements.push({
        Sid: "UseBucketKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: [this.kmsKeyArn],
      });
    }
    return statements;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
