import { createS3Client, createSnsClient } from "../commons/aws-clients";
import { optionalEnv, requireEnv } from "../commons/env";
import { createObservability, instrument } from "../commons/observability";
import { createFailureHandler } from "./handler";

const environment = requireEnv("ENVIRONMENT");
const observability = createObservability("failure-handler");
observability.logger.appendPersistentKeys({ environment });
const clients = { s3: createS3Client(), sns: createSnsClient() };

const failureHandler = createFailureHandler({
  ...clients,
  bucket: requireEnv("BUCKET_NAME"),
  topicArn: requireEnv("TOPIC_ARN"),
  environment,
  processorFailureQueueArn: requireEnv("PROCESSOR_FAILURE_QUEUE_ARN"),
  schedulerDeadLetterQueueArn: requireEnv("SCHEDULER_DEAD_LETTER_QUEUE_ARN"),
  workDeadLetterQueueArn: optionalEnv("WORK_DEAD_LETTER_QUEUE_ARN"),
  log: observability.log,
});

export const handler = instrument(failureHandler, observability, Object.values(clients));
