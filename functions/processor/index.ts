import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { requireEnv } from "../commons/env";
import { createLogger } from "../commons/logger";
import { createHandler } from "./handler";

// Read once per container: a missing variable fails the cold start with its name.
const environment = requireEnv("ENVIRONMENT");
const log = createLogger({ environment, function: "processor" });

export const handler = createHandler({
  s3: new S3Client({}),
  sns: new SNSClient({}),
  bucket: requireEnv("BUCKET_NAME"),
  topicArn: requireEnv("TOPIC_ARN"),
  environment,
  log,
  writeMetric: (line) => process.stdout.write(`${line}\n`),
});
