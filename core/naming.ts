/** One-time schedules the scheduling API creates carry this prefix, and the API may only touch those. */
export const ONE_TIME_SCHEDULE_PREFIX = "once-";

/** Names of the environment's AWS resources: `<projectName>-<env>-<role>`, unique per account. */
export interface ResourceNames {
  readonly prefix: string;
  readonly bucket: string;
  readonly topic: string;
  readonly processorFunction: string;
  readonly processorFailureQueue: string;
  readonly scheduleGroup: string;
  readonly schedulerRole: string;
  readonly schedulerDeadLetterQueue: string;
  readonly workQueue: string;
  readonly workDeadLetterQueue: string;
  readonly failureHandlerFunction: string;
  readonly scheduleApiFunction: string;
  readonly operationsTopic: string;
  readonly operationsKeyAlias: string;
  /** Every alarm of the stack is named `<alarmPrefix><what>`. */
  readonly alarmPrefix: string;
  readonly dashboard: string;
}

/** The ARN partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function resourceNames(config: { readonly projectName: string; readonly name: string; readonly account: string }): ResourceNames {
  const prefix = `${config.projectName}-${config.name}`;
  // Bucket names are global: the account id keeps them unique across tenants.
  return namesFromPrefix(prefix, `${prefix}-data-${config.account}`);
}

/** Every name from the prefix (`<projectName>-<env>`, or an expression that yields it) and the bucket's name. */
export function namesFromPrefix(prefix: string, bucket: string): ResourceNames {
  return {
    prefix,
    bucket,
    topic: `${prefix}-notifications`,
    processorFunction: `${prefix}-processor`,
    processorFailureQueue: `${prefix}-processor-failures`,
    scheduleGroup: prefix,
    schedulerRole: `${prefix}-scheduler`,
    schedulerDeadLetterQueue: `${prefix}-scheduler-dlq`,
    workQueue: `${prefix}-work`,
    workDeadLetterQueue: `${prefix}-work-dlq`,
    failureHandlerFunction: `${prefix}-failure-handler`,
    scheduleApiFunction: `${prefix}-schedule-api`,
    operationsTopic: `${prefix}-operations`,
    operationsKeyAlias: `${prefix}-operations`,
    alarmPrefix: `${prefix}-`,
    dashboard: prefix,
  };
}

/** Lambda's (and IAM's, for a role) longest name: an own task's function and role are named alike. */
export const MAX_FUNCTION_NAME_LENGTH = 64;

/** An own task's function (and its role and log group): `<projectName>-<env>-task-<task>`, apart from the product's own names. */
export function ownTaskFunctionName(prefix: string, task: string): string {
  return `${prefix}-task-${task}`;
}
