import { DEFAULTS } from "../../core/config-defaults";
import { fanOutDefaults } from "../../core/fan-out-sizing";
import { createS3Client, createSnsClient, createSqsClient } from "../commons/aws-clients";
import { optionalEnv } from "../commons/env";
import { createObservability, instrument } from "../commons/observability";
import { createHandler } from "./handler";
import { optionalNumber, runtimeSettingsFromEnv } from "./runtime/environment";

// Read once per container: a missing variable fails the cold start with its name.
const settings = runtimeSettingsFromEnv();
const observability = createObservability("processor");
observability.logger.appendPersistentKeys({ environment: settings.environment });
const workQueueUrl = optionalEnv("WORK_QUEUE_URL");
// The constructs always set the fan-out limits; without them, the same sizing the config uses.
const fanOutFallback = fanOutDefaults({
  memoryMb: settings.memoryMb ?? DEFAULTS.processor.memoryMb,
  timeoutSeconds: settings.timeoutSeconds ?? DEFAULTS.processor.timeoutSeconds,
  concurrency: settings.concurrency,
});

const clients = { s3: createS3Client(), sns: createSnsClient(), sqs: createSqsClient() };

const processor = createHandler({
  ...clients,
  ...settings,
  log: observability.log,
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
