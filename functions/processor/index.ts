import { DEFAULTS } from "../../core/config-defaults";
import { fanOutDefaults } from "../../core/fan-out-sizing";
import { createS3Client, createSnsClient, createSqsClient } from "../commons/aws-clients";
import { optionalEnv, requireEnv } from "../commons/env";
import { createObservability, instrument } from "../commons/observability";
import { createHandler } from "./handler";

// Read once per container: a missing variable fails the cold start with its name.
const environment = requireEnv("ENVIRONMENT");
const observability = createObservability("processor");
observability.logger.appendPersistentKeys({ environment });
const workQueueUrl = optionalEnv("WORK_QUEUE_URL");
const concurrency = optionalNumber("SOURCE_CONCURRENCY") ?? DEFAULTS.processor.concurrency;
const memoryMb = optionalNumber("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
const timeoutSeconds = optionalNumber("FUNCTION_TIMEOUT_SECONDS");
// The constructs always set the fan-out limits; without them, the same sizing the config uses.
const fanOutFallback = fanOutDefaults({
  memoryMb: memoryMb ?? DEFAULTS.processor.memoryMb,
  timeoutSeconds: timeoutSeconds ?? DEFAULTS.processor.timeoutSeconds,
  concurrency,
});

const clients = { s3: createS3Client(), sns: createSnsClient(), sqs: createSqsClient() };

const processor = createHandler({
  ...clients,
  bucket: requireEnv("BUCKET_NAME"),
  topicArn: requireEnv("TOPIC_ARN"),
  failureQueueUrl: optionalEnv("FAILURE_QUEUE_URL"),
  environment,
  log: observability.log,
  concurrency,
  leaseTtlMs: optionalNumber("RUN_LEASE_TTL_MS"),
  sourceRetryPauseMs: optionalNumber("SOURCE_RETRY_PAUSE_MS"),
  memoryBudgetBytes: memoryBudget(memoryMb),
  timeoutSeconds,
  fanOut: workQueueUrl
    ? {
        queueUrl: workQueueUrl,
        maxSources: optionalNumber("FAN_OUT_MAX_SOURCES") ?? fanOutFallback.sourcesPerInvocation,
        maxBytes: optionalNumber("FAN_OUT_MAX_BYTES") ?? fanOutFallback.bytesPerInvocation,
      }
    : undefined,
  writeMetric: (line) => process.stdout.write(`${line}\n`),
});

export const handler = instrument(processor, observability, Object.values(clients));

/** What sources in flight may hold: the function's memory less ~128 MB for the runtime and this code. */
function memoryBudget(memoryMb: number | undefined): number | undefined {
  return memoryMb === undefined ? undefined : Math.max(32, memoryMb - 128) * 1024 * 1024;
}

function optionalNumber(name: string): number | undefined {
  const text = optionalEnv(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`environment variable ${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}
