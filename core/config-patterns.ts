import type { PatternRule } from "./config-rules";

/**
 * Patterns only the config reads, never the functions: apart from core/config-rules.ts, which the
 * functions' bundles include (esbuild's minifier names symbols by the characters of the files it
 * reads, so any text added there changes their bundles). The module reads them in local.patterns.
 */
export const CONFIG_PATTERNS = {
  /** A schedule's excluded date: a day, or an inclusive range of days (core/excluded-dates.ts checks they are real and in order). */
  excludedDate: {
    pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$",
    rule: "must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd",
  },
  /** A schedule's target, by the service Scheduler invokes: each ARN of its own service. */
  lambdaFunctionArn: {
    pattern: "^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$",
    rule: "must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>, optionally :<alias or version>)",
  },
  sqsQueueArn: {
    pattern: "^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}(\\.fifo)?$",
    rule: "must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)",
  },
  stateMachineArn: {
    pattern: "^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$",
    rule: "must be a Step Functions state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)",
  },
  eventBusArn: {
    pattern: "^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$",
    rule: "must be an EventBridge event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)",
  },
  /** SQS's MessageGroupId: 1-128 of the printable ASCII characters. */
  messageGroupId: { pattern: "^[!-~]{1,128}$", rule: "must be 1-128 printable ASCII characters without spaces" },
} as const satisfies Record<string, PatternRule>;
