import { SECURITY_RULE_IDS } from "../../config/security-rule-ids";
import { IAM_RULES } from "./rules/iam";
import { KMS_RULES } from "./rules/kms";
import { LAMBDA_RULES } from "./rules/lambda";
import { S3_RULES } from "./rules/s3";
import { SCHEDULER_RULES } from "./rules/scheduler";
import type { SecurityRule } from "./rules/shared";
import { SNS_RULES } from "./rules/sns";
import { SQS_RULES } from "./rules/sqs";

export { ACTIONS_WITHOUT_RESOURCE_TYPES, type Finding, type SecurityRule } from "./rules/shared";

/** Every security rule, one file a service under rules/, in the order reviews list them. */
export const SECURITY_RULES: readonly SecurityRule[] = [
  ...S3_RULES,
  ...SNS_RULES,
  ...SQS_RULES,
  ...LAMBDA_RULES,
  ...KMS_RULES,
  ...IAM_RULES,
  ...SCHEDULER_RULES,
];
/** Every rule's id (the config's list, which types SecurityRule.id; a test keeps the two equal). */
export const RULE_IDS: readonly string[] = SECURITY_RULE_IDS;
