import { createS3Client, createSnsClient } from "../commons/aws-clients";
import { optionalEnv, requireEnv } from "../commons/env";
import { createLogger } from "../commons/logger";
import { createFailureHandler } from "./handler";

const environment = requireEnv("ENVIRONMENT");

export const handler = createFailureHandler({
  s3: createS3Client(),
  sns: createSnsClient(),
  bucket: requireEnv("BUCKET_NAME"),
  topicArn: requireEnv("TOPIC_ARN"),
  environment,
  processorFailureQueueArn: requireEnv("PROCESSOR_FAILURE_QUEUE_ARN"),
  schedulerDeadLetterQueueArn: requireEnv("SCHEDULER_DEAD_LETTER_QUEUE_ARN"),
  workDeadLetterQueueArn: optionalEnv("WORK_DEAD_LETTER_QUEUE_ARN"),
  log: createLogger({ environment, function: "failure-handler" }),
});
