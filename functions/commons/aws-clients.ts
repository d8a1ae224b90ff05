import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

type HttpRequest = Parameters<NodeHttpHandler["handle"]>[0];
type HttpHandlerOptions = Parameters<NodeHttpHandler["handle"]>[1];

/**
 * Every call to AWS is bounded: a connection must open within 2 s and a socket may sit idle
 * (waiting for headers or for the next piece of a body) for at most 5 s. The SDK's standard
 * retry mode then tries twice more with exponential backoff and jitter, so a stalled request
 * ends in a clear TimeoutError within about 20 s, well inside the shortest useful Lambda timeout.
 *
 * One S3 call is allowed longer: completing a multipart upload joins every part, which S3 says
 * can take minutes for a large object (it sends whitespace meanwhile, an emulator may not).
 * Timing that out would abort an upload that is about to succeed.
 */
export const CLIENT_LIMITS = {
  connectionTimeoutMs: 2_000,
  socketIdleTimeoutMs: 5_000,
  completeUploadIdleTimeoutMs: 120_000,
  maxAttempts: 3,
} as const;

/** Endpoint, region or credentials to set explicitly (tests and local runs); Lambda needs none. */
export interface ClientOverrides {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A shorter idle limit, for tests that stall a request on purpose. */
  readonly socketIdleTimeoutMs?: number;
  /** A shorter idle limit for CompleteMultipartUpload, for the same tests. */
  readonly completeUploadIdleTimeoutMs?: number;
}

/** CompleteMultipartUpload is the only S3 call that POSTs to an object with an `uploadId`. */
function isCompleteMultipartUpload(request: HttpRequest): boolean {
  return request.method === "POST" && request.query?.uploadId !== undefined;
}

/** Sends CompleteMultipartUpload through a handler with the longer idle limit, all else through the usual one. */
class S3RequestHandler extends NodeHttpHandler {
  private readonly completion: NodeHttpHandler;

  constructor(overrides: ClientOverrides) {
    super(requestHandlerOptions(overrides));
    const { completeUploadIdleTimeoutMs = CLIENT_LIMITS.completeUploadIdleTimeoutMs } = overrides;
    this.completion = new NodeHttpHandler(requestHandlerOptions({ socketIdleTimeoutMs: completeUploadIdleTimeoutMs }));
  }

  override handle(request: HttpRequest, options?: HttpHandlerOptions) {
    return isCompleteMultipartUpload(request) ? this.completion.handle(request, options) : super.handle(request, options);
  }

  override destroy(): void {
    this.completion.destroy();
    super.destroy();
  }
}

/** What every client shares; `requestHandler` carries the idle limit. */
function clientConfig({ socketIdleTimeoutMs: _idle, completeUploadIdleTimeoutMs: _completion, ...overrides }: ClientOverrides) {
  return { ...overrides, maxAttempts: CLIENT_LIMITS.maxAttempts, retryMode: "standard" };
}

function requestHandlerOptions({ socketIdleTimeoutMs = CLIENT_LIMITS.socketIdleTimeoutMs }: ClientOverrides) {
  return { connectionTimeout: CLIENT_LIMITS.connectionTimeoutMs, socketTimeout: socketIdleTimeoutMs };
}

export function createS3Client(overrides: ClientOverrides = {}): S3Client {
  return new S3Client({ ...clientConfig(overrides), requestHandler: new S3RequestHandler(overrides) });
}

export function createSnsClient(overrides: ClientOverrides = {}): SNSClient {
  return new SNSClient({ ...clientConfig(overrides), requestHandler: requestHandlerOptions(overrides) });
}

/**
 * Requests go to the client's endpoint, not the host in the QueueUrl: in AWS they are the same
 * host, and an emulator's queue URLs (`sqs.<region>.127.0.0.1:<port>`) are not valid URLs at all.
 */
export function createSqsClient(overrides: ClientOverrides = {}): SQSClient {
  return new SQSClient({ ...clientConfig(overrides), useQueueUrlAsEndpoint: false, requestHandler: requestHandlerOptions(overrides) });
}
