/**
 * The security rules' ids, which a config's `waivers` name. The rules themselves
 * (modules/tooling/security/rules/) are typed by this list, so the config can check a waiver
 * without importing the analyser above it.
 */
export const SECURITY_RULE_IDS = [
  "S3-01",
  "S3-02",
  "S3-03",
  "S3-04",
  "S3-05",
  "S3-06",
  "S3-07",
  "S3-08",
  "S3-09",
  "SNS-01",
  "SNS-02",
  "SNS-03",
  "SQS-01",
  "SQS-02",
  "SQS-03",
  "SQS-04",
  "SQS-05",
  "LMB-01",
  "LMB-02",
  "LMB-03",
  "LMB-04",
  "LMB-05",
  "LMB-06",
  "KMS-01",
  "IAM-01",
  "IAM-02",
  "IAM-03",
  "IAM-04",
  "IAM-05",
  "IAM-06",
  "SCH-01",
  "SCH-02",
  "SCH-03",
] as const;

export type SecurityRuleId = (typeof SECURITY_RULE_IDS)[number];
