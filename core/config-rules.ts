/**
 * The vocabulary of the config's rules, as plain data: patterns, lengths, ranges and word lists.
 * The field descriptions (modules/config/fields/) give each field its rule from here; the zod
 * schema and the Terraform module's `validation` blocks are both rendered from them, so the
 * stacks and an HCL root refuse the same values with the same words.
 *
 * Patterns are written in the subset of regular-expression syntax that JavaScript and RE2
 * (Terraform's `regex`) read the same way: no lookaround, no backreferences.
 */

/** A value's shape, and what the message says it must be. */
export interface PatternRule {
  readonly pattern: string;
  readonly rule: string;
}

/** An inclusive integer range. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** What a schedule name may hold, as EventBridge Scheduler allows it. */
export const SCHEDULE_NAME_CHARACTERS = "0-9 A-Z a-z _ . -";
export const MAX_SCHEDULE_NAME_LENGTH = 64;

export const PATTERNS = {
  scheduleName: {
    pattern: `^[0-9A-Za-z_.-]{1,${MAX_SCHEDULE_NAME_LENGTH}}$`,
    rule: `must be 1-${MAX_SCHEDULE_NAME_LENGTH} characters of ${SCHEDULE_NAME_CHARACTERS}`,
  },
  environmentName: { pattern: "^[a-z][a-z0-9-]*$", rule: "must start with a lower-case letter and hold only a-z 0-9 -" },
  projectName: {
    pattern: "^[a-z][a-z0-9-]*[a-z0-9]$",
    rule: "must start with a lower-case letter, end with a letter or digit and hold only a-z 0-9 -",
  },
  account: { pattern: "^[0-9]{12}$", rule: "must be a 12-digit AWS account id" },
  /** The shape of a region's name; REGIONS below says which regions exist. */
  region: { pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", rule: "must be an AWS region such as us-east-1" },
  email: { pattern: String.raw`^[^\s@]+@[^\s@]+\.[^\s@]+$`, rule: "must be an email address" },
  e164: { pattern: String.raw`^\+[1-9][0-9]{1,14}$`, rule: "must be an E.164 phone number such as +15555550100" },
  httpsUrl: { pattern: String.raw`^https://[^/\s]+`, rule: "must be an https:// URL" },
  snsTopicArn: {
    pattern: "^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$",
    rule: "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)",
  },
  kmsKeyArn: {
    pattern: "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$",
    rule: "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
  },
  s3BucketName: { pattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", rule: "must be an S3 bucket name" },
  /** A Terraform resource address, optionally indexed: aws_s3_bucket.data, aws_scheduler_schedule.tasks["daily"]. */
  resourceAddress: {
    pattern: String.raw`^(module\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.)*[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]+\])?$`,
    rule: "must be a Terraform resource address such as aws_sqs_queue.work",
  },
  /** Who may be granted access to the data: an IAM role, an IAM user or a whole account, never `*`. */
  principalArn: {
    pattern: "^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]{1,512}|user/[A-Za-z0-9+=,.@_/-]{1,512})$",
    rule: "must be an IAM role, user or account-root ARN (arn:aws:iam::<account>:role/<name>, :user/<name> or :root)",
  },
  organizationId: { pattern: "^o-[a-z0-9]{10,32}$", rule: "must be an AWS Organizations id such as o-a1b2c3d4e5" },
  accessName: { pattern: "^[a-z][a-z0-9-]{0,31}$", rule: "must start with a lower-case letter and hold only a-z 0-9 -, at most 32" },
  /** A folder under incoming/: relative, ending in "/", no segment starting with "." (so no "..") */
  producerPrefix: {
    pattern: "^([A-Za-z0-9_!*'()-][A-Za-z0-9_.!*'()-]*/)+$",
    rule:
      'must be a relative folder such as "partner-a/" (segments of A-Z a-z 0-9 _ . ! * \' ( ) -, none starting with "."), ' +
      'ending in "/"',
  },
  rfc3339: {
    pattern: String.raw`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`,
    rule: "must be an RFC 3339 instant such as 2027-01-01T00:00:00Z",
  },
} as const satisfies Record<string, PatternRule>;

/** Longest values, in characters. */
export const MAX_LENGTHS = {
  environmentName: 16,
  projectName: 24,
  scheduleDescription: 512,
  tagKey: 128,
  tagValue: 256,
} as const;

// This file imports nothing: the functions' bundles read it, and esbuild inlines the constants
// of a module without imports (a bundle stays byte for byte the same when rules are added here).

/**
 * A region must exist: a name of the right shape such as us-east-9 is not enough. The regions,
 * by partition, are listed in core/aws-regions.ts (AWS_REGIONS).
 */
export const REGIONS = {
  rule: "must be an AWS region that exists (commercial, China or GovCloud) such as us-east-1",
} as const;

/**
 * Schedule names the config may not start with: the scheduling API's prefix for the one-time
 * schedules it creates (ONE_TIME_SCHEDULE_PREFIX, core/naming.ts, which the API and its IAM
 * policy read). The API lists, shows and deletes every schedule of its group with that prefix,
 * so a config schedule named so could be deleted behind Terraform's back.
 */
export const RESERVED_SCHEDULE_NAME = {
  why: "the scheduling API's prefix for the one-time schedules it creates and deletes",
} as const;

/** The words for the reserved prefix, as every message says them. */
export function describeReservedScheduleName(prefix: string): string {
  return `must not start with "${prefix}", ${RESERVED_SCHEDULE_NAME.why}`;
}

/** AWS's tag rules (the Resource Groups Tagging API's, which every service here follows), and the tags the product adds. */
export const TAGS = {
  /** Tags one resource may carry, counting those the product adds. */
  maxPerResource: 50,
  /**
   * Letters and digits of any script, spaces, and _ . : / = + - @, for keys and values alike. Read
   * with the `u` flag in JavaScript (\p{...} classes); RE2 reads it as it is. (A plain literal, not
   * String.raw: the functions' bundles import this file, and esbuild drops only literals they leave unused.)
   */
  characters: {
    pattern: "^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$",
    rule: "may hold only letters, digits, spaces and _ . : / = + - @",
  },
  reservedKeyPrefix: "aws:",
  /** Keys the repository's stacks add to every resource as the provider's default tags (task-processing-stack.ts). */
  stackKeys: ["project", "environment", "managed-by"],
  /** Keys a resource sets itself, in the stacks and the module alike: the schedule group's Name (schedules.ts). */
  resourceKeys: ["Name"],
} as const;

/**
 * Days a schedule that has fired for the last time (an at() gone by, an endDate or a last year
 * in the past) is only warned about before the config refuses it: an environment's plan keeps
 * working the day after its one-time schedule fires, and its owners have a month to remove it.
 */
export const ENDED_SCHEDULE_GRACE_DAYS = 30;

/** A reason (a waiver's, a destroy's) must say something. */
export const MIN_REASON_LENGTH = 10;

/** Integer ranges, as AWS accepts them or as this product bounds them. */
export const RANGES = {
  /** A schedule's flexible window when on; 0 turns it off. */
  flexibleWindowMinutes: { min: 1, max: 1440 },
  retryMaxAttempts: { min: 0, max: 185 },
  retryMaxEventAgeSeconds: { min: 60, max: 86400 },
  memoryMb: { min: 128, max: 10240 },
  timeoutSeconds: { min: 1, max: 900 },
  asyncRetries: { min: 0, max: 2 },
  concurrency: { min: 1, max: 64 },
  noncurrentVersionExpirationDays: { min: 1, max: 3650 },
  abortIncompleteMultipartUploadDays: { min: 1, max: 365 },
  /** Alarm thresholds counted in events per 5 minutes. */
  alarmEvents: { min: 1, max: 1000 },
  durationPercentOfTimeout: { min: 10, max: 100 },
  workQueueAgeSeconds: { min: 60, max: 1_209_600 },
  fanOutMaxConcurrency: { min: 2, max: 1000 },
  maxReceiveCount: { min: 1, max: 1000 },
  sourcesPerInvocation: { min: 1, max: 1_000_000 },
  bytesPerInvocation: { min: 1_048_576, max: 1_099_511_627_776 },
  periodHours: { min: 1, max: 8784 },
} as const satisfies Record<string, IntegerRange>;

/** Retention values that CloudWatch Logs' PutRetentionPolicy accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The outputs a reader may be given: everything the processing writes, nothing it reads. */
export const READER_PREFIXES = ["processed/", "quarantine/", "reports/", "archive/"] as const;

/** Powertools Logger's levels, as POWERTOOLS_LOG_LEVEL takes them. */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;

/** The words for a range, as every message and description says it. */
export function describeRange({ min, max }: IntegerRange): string {
  return `an integer from ${min} to ${max}`;
}
