import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { Logger } from "./logger";

/** What the processor and the failure handler both work with: the bucket, the topic, a logger. */
export interface StorageAndNotices {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly bucket: string;
  readonly topicArn: string;
  readonly environment: string;
  readonly log: Logger;
}
