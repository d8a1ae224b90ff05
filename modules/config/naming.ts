import type { EnvironmentConfig } from "./schema";

/** Names of the environment's AWS resources: `<projectName>-<env>-<role>`, unique per account. */
export interface ResourceNames {
  readonly prefix: string;
  readonly bucket: string;
  readonly topic: string;
  readonly processorFunction: string;
  readonly processorRole: string;
  readonly processorLogGroup: string;
  readonly processorFailureQueue: string;
  readonly scheduleGroup: string;
  readonly schedulerRole: string;
  readonly schedulerDeadLetterQueue: string;
}

export function resourceNames(
  config: Pick<EnvironmentConfig, "projectName" | "name" | "account">,
): ResourceNames {
  const prefix = `${config.projectName}-${config.name}`;
  const processorFunction = `${prefix}-processor`;
  return {
    prefix,
    // Bucket names are global: the account id keeps them unique across tenants.
    bucket: `${prefix}-data-${config.account}`,
    topic: `${prefix}-notifications`,
    processorFunction,
    processorRole: `${prefix}-processor`,
    processorLogGroup: `/aws/lambda/${processorFunction}`,
    processorFailureQueue: `${prefix}-processor-failures`,
    scheduleGroup: prefix,
    schedulerRole: `${prefix}-scheduler`,
    schedulerDeadLetterQueue: `${prefix}-scheduler-dlq`,
  };
}
