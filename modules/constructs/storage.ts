import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { BUCKET_LAYOUT, type BucketArea, type BucketUser, type PrefixAccess } from "../../core/bucket-layout";
import type { ProcessingSpec } from "./processing-spec";
import { pin } from "./support/addresses";
import {
  denyInsecureTransport,
  type OptionalStatement,
  type PolicyStatement,
  policyDocument,
  renderPolicyWith,
} from "./support/policy-document";
import { attributeOf, booleanOf, choose, countOf, mayExist, type Presence } from "./support/terraform-values";

export interface TaskStorageProps {
  readonly storage: ProcessingSpec["storage"];
  /** Producers' and readers' statements, after the bucket policy's own. */
  readonly accessStatements: ProcessingSpec["access"]["bucketStatements"];
  readonly partition: string;
  readonly preventDestroy: boolean;
}

const OBJECT_ACTIONS: Record<Exclude<PrefixAccess, "list" | "listVersions">, readonly string[]> = {
  read: ["s3:GetObject"],
  // Reading a named version: the archive copies exactly the version that was processed.
  readVersion: ["s3:GetObjectVersion"],
  write: ["s3:PutObject"],
  // Only where outputs are streamed in parts: a run that fails aborts its upload.
  abortUpload: ["s3:AbortMultipartUpload"],
  delete: ["s3:DeleteObject"],
  // Removing a named version for good: a processed upload leaves no history in incoming/.
  deleteVersion: ["s3:DeleteObjectVersion"],
};

/** Bucket-level listings, each scoped by s3:prefix to the areas marked for it. */
const LIST_ACTIONS = {
  list: { sid: "ListTaskPrefixes", action: "s3:ListBucket" },
  listVersions: { sid: "ListVersionsOfTaskPrefixes", action: "s3:ListBucketVersions" },
} as const;

/**
 * Each kind of access a prefix may be granted, in the order its statement is written: object
 * actions on the prefixes' keys, then the listings scoped by s3:prefix. The module writes the
 * same statements in HCL for its own tasks (templates/tasks.tf, rendered from these).
 */
export const GRANT_KINDS: ReadonlyArray<{
  readonly access: PrefixAccess;
  readonly sid: string;
  readonly actions: readonly string[];
  readonly listing: boolean;
}> = [
  ...(["read", "readVersion", "write", "abortUpload", "delete", "deleteVersion"] as const).map((access) => ({
    access,
    sid: `${capitalise(access)}TaskObjects`,
    actions: OBJECT_ACTIONS[access],
    listing: false,
  })),
  ...(["list", "listVersions"] as const).map((access) => ({
    access,
    sid: LIST_ACTIONS[access].sid,
    actions: [LIST_ACTIONS[access].action],
    listing: true,
  })),
];

/**
 * The task bucket: versioned, encrypted, private, owner-enforced, TLS only, with lifecycle
 * rules; never `force_destroy`, and `prevent_destroy` where the config asks. An existing bucket
 * can be adopted: used as it is (its owner keeps its settings) or managed from here.
 */
export class TaskStorage extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly created: Presence;
  private readonly kmsKey: ProcessingSpec["storage"]["kmsKey"];

  constructor(scope: Construct, id: string, props: TaskStorageProps) {
    super(scope, id);
    const { bucket: adoptable, kmsKey } = props.storage;
    this.kmsKey = kmsKey;
    this.created = adoptable.create;
    // A bucket created here is referred to (readable in reviews, ordered by Terraform); any other by name.
    this.bucketName = adoptable.create === true ? attributeOf("aws_s3_bucket.data", "bucket") : adoptable.name;
    this.bucketArn = adoptable.create === true ? attributeOf("aws_s3_bucket.data", "arn") : `arn:${props.partition}:s3:::${adoptable.name}`;
    if (!mayExist(adoptable.create)) return;

    const count = countOf(adoptable.create);
    const bucket = pin(
      // force_destroy stays unset (false): deleting a bucket that still holds objects fails.
      new S3Bucket(this, "bucket", { bucket: adoptable.name, count, lifecycle: { preventDestroy: props.preventDestroy } }),
      "data",
      "storage/bucket",
    );
    if (adoptable.importId) bucket.importFrom(adoptable.importId);
    const bucketId = attributeOf("aws_s3_bucket.data", "id", adoptable.create);

    pin(
      new S3BucketVersioningA(this, "versioning", { bucket: bucketId, count, versioningConfiguration: { status: "Enabled" } }),
      "data",
      "storage/versioning",
    );
    pin(
      new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
        bucket: bucketId,
        count,
        rule: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: choose(kmsKey.presence, "aws:kms", "AES256"),
              kmsMasterKeyId: kmsKey.presence === false ? undefined : choose(kmsKey.presence, kmsKey.arn, "${null}"),
            },
            // S3 Bucket Keys cut KMS requests (and cost) by orders of magnitude.
            bucketKeyEnabled: booleanOf(kmsKey.presence),
          },
        ],
      }),
      "data",
      "storage/encryption",
    );
    const publicAccessBlock = pin(
      new S3BucketPublicAccessBlock(this, "public-access-block", {
        bucket: bucketId,
        count,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
      "data",
      "storage/public-access-block",
    );
    pin(
      new S3BucketOwnershipControls(this, "ownership", { bucket: bucketId, count, rule: { objectOwnership: "BucketOwnerEnforced" } }),
      "data",
      "storage/ownership",
    );
    pin(
      new S3BucketPolicy(this, "policy", {
        bucket: bucketId,
        count,
        policy: renderPolicyWith(
          policyDocument(denyInsecureTransport("s3", [this.bucketArn, `${this.bucketArn}/*`])),
          props.accessStatements,
        ),
        dependsOn: [publicAccessBlock],
      }),
      "data",
      "storage/policy",
    );
    pin(
      new S3BucketLifecycleConfiguration(this, "lifecycle", {
        bucket: bucketId,
        count,
        rule: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: [{ prefix: "" }],
            noncurrentVersionExpiration: [{ noncurrentDays: props.storage.noncurrentVersionExpirationDays }],
            expiration: [{ expiredObjectDeleteMarker: true }],
          },
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: [{ prefix: "" }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.storage.abortIncompleteMultipartUploadDays }],
          },
        ],
        dependsOn: [bucket],
      }),
      "data",
      "storage/lifecycle",
    );
  }

  /**
   * Statements granting `user` exactly the accesses BUCKET_LAYOUT lists for it: object actions
   * on each prefix, s3:ListBucket (s3:ListBucketVersions) only for the prefixes marked `list`
   * (`listVersions`), and the bucket's KMS key
   * when it has one (`optional`: present only when the key is).
   */
  accessStatements(user: BucketUser): { statements: PolicyStatement[]; optional: OptionalStatement[] } {
    const areas: readonly BucketArea[] = Object.values(BUCKET_LAYOUT);
    return {
      statements: this.prefixStatements(areas.map((area) => ({ prefix: area.prefix, access: area.access[user] ?? [] }))),
      optional: this.keyStatements(),
    };
  }

  /**
   * Statements granting exactly these accesses on these prefixes (an own task's, core/own-task-access.ts):
   * object actions on each prefix, and s3:ListBucket (s3:ListBucketVersions) scoped by s3:prefix.
   */
  prefixStatements(grants: ReadonlyArray<{ readonly prefix: string; readonly access: readonly PrefixAccess[] }>): PolicyStatement[] {
    return GRANT_KINDS.flatMap(({ access, sid, actions, listing }): PolicyStatement[] => {
      const prefixes = grants.filter((g) => g.access.includes(access)).map((g) => g.prefix);
      if (prefixes.length === 0) return [];
      return listing
        ? [
            {
              Sid: sid,
              Effect: "Allow",
              Action: [...actions],
              Resource: [this.bucketArn],
              Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
            },
          ]
        : [{ Sid: sid, Effect: "Allow", Action: [...actions], Resource: prefixes.map((p) => `${this.bucketArn}/${p}*`) }];
    });
  }

  /** The bucket's KMS key, for a function that reads or writes its objects: present only when the key is. */
  keyStatements(): OptionalStatement[] {
    const optional: OptionalStatement[] =
      this.kmsKey.presence === false
        ? []
        : [
            {
              presence: this.kmsKey.presence,
              statement: {
                Sid: "UseBucketKey",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: [this.kmsKey.arn],
              },
            },
          ];
    return optional;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
