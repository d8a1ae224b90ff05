import type { SecurityRuleId } from "../../config/security-rule-ids";
/**
 * How to fix what each security rule finds: the help text code scanning shows beside a
 * finding (SARIF's `help`), and the level a finding has. Every rule fails the review unless a
 * waiver accepts it, so every rule is an error.
 */
export interface RuleHelp {
  readonly fix: string;
  readonly level: "error" | "warning" | "note";
  /** The environment's config field that decides what the rule checks, where one does. */
  readonly configField?: string;
}

/** One entry per rule in SECURITY_RULES (a test keeps the two in step). */
// Every rule has its help: a rule added without it does not compile.
export const RULE_HELP: Readonly<Record<SecurityRuleId, RuleHelp>> = {
  "S3-01": {
    level: "error",
    fix:
      "Add an aws_s3_bucket_versioning resource for the bucket with status Enabled (the storage construct does this for the task " +
      "bucket).",
  },
  "S3-02": {
    level: "error",
    configField: "storage.kmsKeyArn",
    fix:
      "Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm AES256, or aws:kms with the bucket's key " +
      "(storage.kmsKeyArn).",
  },
  "S3-03": {
    level: "error",
    fix:
      "Add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and " +
      "restrict_public_buckets all true.",
  },
  "S3-04": {
    level: "error",
    fix: "Give the bucket a policy that denies s3:* to every principal when aws:SecureTransport is false, on the bucket and its objects.",
  },
  "S3-05": {
    level: "error",
    fix: "Add an aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced (this disables ACLs).",
  },
  "S3-06": {
    level: "error",
    configField: "storage.noncurrentVersionExpirationDays",
    fix:
      "Add lifecycle rules: noncurrent_version_expiration (storage.noncurrentVersionExpirationDays) and " +
      "abort_incomplete_multipart_upload (storage.abortIncompleteMultipartUploadDays).",
  },
  "S3-07": { level: "error", fix: "Name the principals in the bucket policy by ARN (roles or accounts); never Allow to * or AWS: *." },
  "S3-08": {
    level: "error",
    configField: "access",
    fix: "Grant producers and readers through access in the config (each under a prefix), not with statements on the whole bucket.",
  },
  "S3-09": {
    level: "error",
    configField: "access",
    fix: "Give a principal either a producer's access (put under incoming/<prefix>) or a reader's (get and list its prefixes), not both.",
  },
  "SNS-01": {
    level: "error",
    fix: "Set kms_master_key_id on the topic (the operations key, or alias/aws/sns where no service publishes to it).",
  },
  "SNS-02": {
    level: "error",
    fix: "Give the topic a policy that denies sns:Publish (and the topic's other actions) when aws:SecureTransport is false.",
  },
  "SNS-03": {
    level: "error",
    fix: "Name the principals in the topic policy (the stack's roles, or a service with aws:SourceAccount); never Allow to *.",
  },
  "SQS-01": { level: "error", fix: "Set sqs_managed_sse_enabled = true, or kms_master_key_id, on the queue." },
  "SQS-02": { level: "error", fix: "Give the queue a policy that denies sqs:* when aws:SecureTransport is false." },
  "SQS-03": {
    level: "error",
    fix: "Name the principals in the queue policy (the stack's roles, or a service with aws:SourceArn); never Allow to *.",
  },
  "SQS-04": { level: "error", fix: "Set message_retention_seconds = 1209600 (14 days) on every dead-letter and failure queue." },
  "SQS-05": {
    level: "error",
    fix: "Give the consumed queue a redrive_policy whose deadLetterTargetArn is a dead-letter queue, with a maxReceiveCount.",
  },
  "LMB-01": {
    level: "error",
    configField: "processor.logRetentionDays",
    fix:
      "Create the function's log group /aws/lambda/<name> in the stack with retention_in_days (processor.logRetentionDays), and " +
      "point logging_config at it.",
  },
  "LMB-02": {
    level: "error",
    configField: "processor.asyncRetries",
    fix: "Add an aws_lambda_function_event_invoke_config with destination_config.on_failure to the failure queue.",
  },
  "LMB-03": {
    level: "error",
    fix: "Remove the aws_lambda_permission for principal *, or give the function URL authorization_type AWS_IAM.",
  },
  "LMB-04": {
    level: "error",
    fix:
      "Keep the secret in Secrets Manager or SSM Parameter Store, pass its name in the environment, and grant the function read " +
      "access to it.",
  },
  "LMB-05": { level: "error", fix: "Set runtime = nodejs22.x (or a later supported Node.js runtime)." },
  "LMB-06": {
    level: "error",
    fix:
      "On the event source mapping set function_response_types = [ReportBatchItemFailures] and scaling_config.maximum_concurrency; " +
      "give the queue a visibility timeout of six times the function's timeout.",
  },
  "KMS-01": { level: "error", fix: "Set enable_key_rotation = true on the key." },
  "IAM-01": { level: "error", fix: "List the actions the code calls (for example s3:GetObject) instead of * or service:*." },
  "IAM-02": {
    level: "error",
    fix:
      "Name the resources the statement applies to by ARN, derived from the resources it grants; use * only for actions IAM defines " +
      "no resource type for.",
  },
  "IAM-03": { level: "error", fix: "Detach the managed policy and grant only the actions and resources the role needs." },
  "IAM-04": {
    level: "error",
    fix:
      "Add Condition StringEquals aws:SourceAccount = <account> (and aws:SourceArn where the service supports it) to the trust " +
      "statement.",
  },
  "IAM-05": { level: "error", fix: "Name the passed roles by ARN and add Condition StringEquals iam:PassedToService = <the service>." },
  "IAM-06": {
    level: "error",
    fix: "Write the policy as literal JSON (jsonencode or a policy document) with a Statement list, not a value computed at apply.",
  },
  "SCH-01": {
    level: "error",
    configField: "schedules",
    fix: "Give each schedule's target a dead_letter_config with the scheduler dead-letter queue's ARN.",
  },
  "SCH-02": {
    level: "error",
    configField: "schedules",
    fix: "Give each schedule's target a retry_policy with maximum_retry_attempts and maximum_event_age_in_seconds (schedules[].retry).",
  },
  "SCH-03": {
    level: "error",
    fix:
      "Limit the scheduler role to the one action each target needs on that target (lambda:InvokeFunction, sqs:SendMessage, " +
      "sns:Publish, states:StartExecution, events:PutEvents), kms:GenerateDataKey and kms:Decrypt on the key of an encrypted " +
      "queue or topic target, and sqs:SendMessage on the dead-letter queues; trust scheduler.amazonaws.com with " +
      "aws:SourceAccount and aws:SourceArn of the schedule group.",
  },
};
