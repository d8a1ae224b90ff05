import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

/**
 * Every call to AWS is bounded: a connection must open within 2 s and a socket may sit idle
 * (waiting for headers or for the next piece of a body) for at most 5 s. The SDK's standard
 * retry mode then tries twice more with exponential backoff and jitter, so a stalled request
 * ends in a clear TimeoutError within about 20 s, well inside the shortest useful Lambda timeout.
 */
export const CLIENT_LIMITS = {
  connectionTimeoutMs: 2_000,
  socketIdleTimeoutMs: 5_000,
  maxAttempts: 3,
} as const;

/** Endpoint, region or credentials to set explicitly (tests and local runs); Lambda needs none. */
export interface ClientOverrides {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A shorter idle limit, for tests that stall a request on purpose. */
  readonly socketIdleTimeoutMs?: number;
}

function clientConfig({ socketIdleTimeoutMs = CLIENT_LIMITS.socketIdleTimeoutMs, ...overrides }: ClientOverrides) {
  return {
    ...overrides,
    maxAttempts: CLIENT_LIMITS.maxAttempts,
    retryMode: "standard",
    requestHandler: { connectionTimeout: CLIENT_LIMITS.connectionTimeoutMs, socketTimeout: socketIdleTimeoutMs },
  };
}

export function createS3Client(overrides: ClientOverrides = {}): S3Client {
  return new S3Client(clientConfig(overrides));
}

export function createSnsClient(overrides: ClientOverrides = {}): SNSClient {
  return new SNSClient(clientConfig(overrides));
}

export function createSqsClient(overrides: ClientOverrides = {}): SQSClient {
  return new SQSClient(clientConfig(overrides));
}
