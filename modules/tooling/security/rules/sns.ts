/** The security rules for SNS topics. */
import { denyInsecureTransportRule, noPublicAllowRule, type SecurityRule } from "./shared";

export const SNS_RULES: readonly SecurityRule[] = [
  {
    id: "SNS-01",
    reason: "SNS topics must be encrypted at rest (kms_master_key_id)",
    check: (stack) =>
      stack
        .ofType("aws_sns_topic")
        .filter(([, t]) => !t.kms_master_key_id)
        .map(([resource]) => ({ resource, detail: "kms_master_key_id is not set" })),
  },
  denyInsecureTransportRule("SNS-02", "aws_sns_topic", "aws_sns_topic_policy", "arn", "SNS topics"),
  noPublicAllowRule("SNS-03", "aws_sns_topic_policy", "SNS topic"),
];
