import { DEFAULTS } from "../../../core/config-defaults";
import { optionalEnv, requireEnv } from "../../commons/env";

/**
 * What a function that runs tasks reads from its environment, once per container: a missing
 * variable fails the cold start with its name. The constructs and the module set them all.
 */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const memoryMb = optionalNumber("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", env);
  return {
    environment: requireEnv("ENVIRONMENT", env),
    bucket: requireEnv("BUCKET_NAME", env),
    topicArn: requireEnv("TOPIC_ARN", env),
    failureQueueUrl: optionalEnv("FAILURE_QUEUE_URL", env),
    concurrency: optionalNumber("SOURCE_CONCURRENCY", env) ?? DEFAULTS.processor.concurrency,
    memoryMb,
    memoryBudgetBytes: memoryBudget(memoryMb),
    timeoutSeconds: optionalNumber("FUNCTION_TIMEOUT_SECONDS", env),
    leaseTtlMs: optionalNumber("RUN_LEASE_TTL_MS", env),
    sourceRetryPauseMs: optionalNumber("SOURCE_RETRY_PAUSE_MS", env),
  };
}

/** What sources in flight may hold: the function's memory less ~128 MB for the runtime and this code. */
function memoryBudget(memoryMb: number | undefined): number | undefined {
  return memoryMb === undefined ? undefined : Math.max(32, memoryMb - 128) * 1024 * 1024;
}

export function optionalNumber(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = optionalEnv(name, env);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`environment variable ${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}
