import type { EnvironmentConfig } from "../../config/schema";
import { type PolicyDocument, type PolicyStatement, policyDocument } from "./policy-document";

type Access = NonNullable<EnvironmentConfig["access"]>;

/** What `access` grants: statements for the bucket policy, and a managed policy per producer and reader in this account. */
export interface AccessGrants {
  readonly bucketStatements: readonly PolicyStatement[];
  readonly producerPolicies: Readonly<Record<string, PolicyDocument>>;
  readonly readerPolicies: Readonly<Record<string, PolicyDocument>>;
}

/** Where the grants point. */
export interface AccessTarget {
  readonly account: string;
  readonly bucketArn: string;
  /** The bucket's KMS key, when it has one. */
  readonly kmsKeyArn?: string;
}

/** `partner-uploads` → `PartnerUploads`: a name as a statement id may spell it (as HCL's title() does). */
export function sidOf(name: string): string {
  return name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

export const PRODUCER_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload"] as const;

/**
 * The grants of `access`, as the Terraform module computes them too (module-spec's access
 * locals): a producer may put (and abort its uploads) under incoming/<prefix> only, a reader
 * may get under its prefixes and list only them. Principals in other accounts are named in the
 * bucket policy (with aws:PrincipalOrgID when an organization is given); those of this account
 * get a managed policy, with the bucket key's GenerateDataKey or Decrypt where there is a key.
 * requireKms denies every principal of the producer an upload without the bucket's key.
 */
export function accessGrants(access: Access | undefined, target: AccessTarget): AccessGrants {
  const producerPolicies: Record<string, PolicyDocument> = {};
  const readerPolicies: Record<string, PolicyDocument> = {};
  const split = (principals: readonly string[]) => ({
    others: principals.filter((p) => p.split(":")[4] !== target.account),
    own: principals.filter((p) => p.split(":")[4] === target.account),
  });
  const inOrganization = access?.organizationId ? { StringEquals: { "aws:PrincipalOrgID": access.organizationId } } : undefined;
  const principal = (arns: readonly string[]) => ({ AWS: [...arns] });
  // Grouped by kind, in the order the module's HCL lists them: uploads, key guards, reads, lists.
  const uploads: PolicyStatement[] = [];
  const guards: PolicyStatement[] = [];
  const reads: PolicyStatement[] = [];
  const lists: PolicyStatement[] = [];

  for (const producer of access?.producers ?? []) {
    const sid = `Producer${sidOf(producer.name)}`;
    const resources = [`${target.bucketArn}/incoming/${producer.prefix}*`];
    const { others, own } = split(producer.principals);
    const upload: PolicyStatement = { Sid: `${sid}Upload`, Effect: "Allow", Action: [...PRODUCER_ACTIONS], Resource: resources };
    if (others.length > 0)
      uploads.push({ ...upload, Principal: principal(others), ...(inOrganization ? { Condition: inOrganization } : {}) });
    if (producer.requireKms && target.kmsKeyArn)
      guards.push({
        Sid: `${sid}RequireBucketKey`,
        Effect: "Deny",
        Principal: principal(producer.principals),
        Action: ["s3:PutObject"],
        Resource: resources,
        Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": target.kmsKeyArn } },
      });
    if (own.length > 0)
      producerPolicies[producer.name] = policyDocument(
        upload,
        ...(target.kmsKeyArn
          ? [{ Sid: `${sid}UseBucketKey`, Effect: "Allow" as const, Action: ["kms:GenerateDataKey"], Resource: [target.kmsKeyArn] }]
          : []),
      );
  }

  for (const reader of access?.readers ?? []) {
    const sid = `Reader${sidOf(reader.name)}`;
    const read: PolicyStatement = {
      Sid: `${sid}Read`,
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: reader.prefixes.map((prefix) => `${target.bucketArn}/${prefix}*`),
    };
    const list: PolicyStatement = {
      Sid: `${sid}List`,
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [target.bucketArn],
      Condition: { StringLike: { "s3:prefix": reader.prefixes.map((prefix) => `${prefix}*`) } },
    };
    const { others, own } = split(reader.principals);
    if (others.length > 0) {
      reads.push({ ...read, Principal: principal(others), ...(inOrganization ? { Condition: inOrganization } : {}) });
      lists.push({ ...list, Principal: principal(others), Condition: { ...list.Condition, ...inOrganization } });
    }
    if (own.length > 0)
      readerPolicies[reader.name] = policyDocument(
        read,
        list,
        ...(target.kmsKeyArn
          ? [{ Sid: `${sid}UseBucketKey`, Effect: "Allow" as const, Action: ["kms:Decrypt"], Resource: [target.kmsKeyArn] }]
          : []),
      );
  }
  return { bucketStatements: [...uploads, ...guards, ...reads, ...lists], producerPolicies, readerPolicies };
}
