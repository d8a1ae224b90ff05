import { randomBytes } from "node:crypto";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { Upload } from "@aws-sdk/lib-storage";
import { createS3Client, createSnsClient, createSqsClient } from "../../functions/commons/aws-clients";
import { startEmulatorProcess } from "../../scripts/lib/emulator-process";
import { type S3Proxy, type S3ProxyOptions, startS3Proxy } from "../../scripts/lib/s3-proxy";
import { SHARED_EMULATOR_ENV } from "./global-setup";

export const REGION = "us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** An S3/SNS/SQS emulator (fauxqs) in a child process, spoken to over HTTP like AWS. */
export interface Emulator {
  readonly endpoint: string;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** Environment that points the AWS SDK (and so the bundled function) at the emulator. */
  readonly awsEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The run's shared emulator (names are unique per file, so files never meet in it), or one of
 * this file's own when the run has none. Stopping the shared one is left to the run.
 */
export async function startEmulator(): Promise<Emulator> {
  const shared = process.env[SHARED_EMULATOR_ENV];
  const { endpoint, stop } = shared ? { endpoint: shared, stop: async () => undefined } : await startEmulatorProcess();
  const options = { endpoint, region: REGION, credentials };
  return {
    endpoint,
    s3: new S3Client(options),
    sns: new SNSClient(options),
    sqs: new SQSClient(options),
    awsEnv: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stop,
  };
}

/** The emulator behind the conditional/fault-injecting proxy, with clients configured as the functions' own. */
export interface ProxiedAws {
  readonly proxy: S3Proxy;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** Environment that points the bundled function at the proxy. */
  readonly awsEnv: Record<string, string>;
}

export async function startProxy(emulator: Emulator, options: Omit<S3ProxyOptions, "upstream"> = {}): Promise<ProxiedAws> {
  const proxy = await startS3Proxy({ upstream: emulator.endpoint, ...options });
  const overrides = { endpoint: proxy.endpoint, region: REGION, credentials };
  return {
    proxy,
    s3: createS3Client(overrides),
    sns: createSnsClient(overrides),
    sqs: createSqsClient(overrides),
    awsEnv: { ...emulator.awsEnv, AWS_ENDPOINT_URL: proxy.endpoint },
  };
}

export interface Sandbox {
  readonly bucket: string;
  readonly topicArn: string;
  /** Messages published to the topic, read through an SQS subscription. */
  notices(): Promise<Array<{ subject: string; message: string; attributes: Record<string, string> }>>;
}

let sandboxes = 0;
/** Tells this file's names from those of another file in the same worker (same pid). */
const FILE_TOKEN = randomBytes(3).toString("hex");

/** A fresh bucket and topic (with a queue subscribed to read what was published). */
export async function createSandbox(emulator: Emulator, name = "sandbox"): Promise<Sandbox> {
  sandboxes += 1;
  const id = `${name}-${process.pid}-${FILE_TOKEN}-${sandboxes}`;
  await emulator.s3.send(new CreateBucketCommand({ Bucket: id }));
  const { TopicArn } = await emulator.sns.send(new CreateTopicCommand({ Name: id }));
  const { QueueUrl } = await emulator.sqs.send(new CreateQueueCommand({ QueueName: id }));
  const { Attributes } = await emulator.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  await emulator.sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn }));
  const received: Array<{ subject: string; message: string; attributes: Record<string, string> }> = [];
  return {
    bucket: id,
    topicArn: TopicArn!,
    async notices() {
      for (;;) {
        const { Messages } = await emulator.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (!Messages || Messages.length === 0) break;
        for (const message of Messages) {
          const envelope = JSON.parse(message.Body!);
          const attributes = Object.fromEntries(
            Object.entries((envelope.MessageAttributes ?? {}) as Record<string, { Value: string }>).map(([k, v]) => [k, v.Value]),
          );
          received.push({ subject: envelope.Subject, message: envelope.Message, attributes });
        }
      }
      return received;
    },
  };
}

let queues = 0;

/** A fresh queue; returns its URL. */
export async function createQueue(emulator: Emulator, name = "queue", attributes: Record<string, string> = {}): Promise<string> {
  queues += 1;
  const { QueueUrl } = await emulator.sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-${process.pid}-${FILE_TOKEN}-${queues}`, Attributes: attributes }),
  );
  return QueueUrl!;
}

/** Every key under `prefix`, sorted. */
export async function keysUnder(emulator: Emulator, bucket: string, prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await emulator.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) keys.push(item.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Puts an object; large bodies go up in parts, as the emulator (like S3) caps one request. */
export async function putText(emulator: Emulator, bucket: string, key: string, body: string | Buffer): Promise<void> {
  if (Buffer.byteLength(body) <= 8 * 1024 * 1024) {
    await emulator.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
    return;
  }
  await new Upload({ client: emulator.s3, params: { Bucket: bucket, Key: key, Body: body }, partSize: 8 * 1024 * 1024 }).done();
}

export async function getText(emulator: Emulator, bucket: string, key: string): Promise<string> {
  const response = await emulator.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString("utf-8");
}

/** Every object in the bucket as key → body, for comparing whole-bucket states. */
export async function snapshot(emulator: Emulator, bucket: string): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await emulator.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const item of page.Contents ?? []) contents[item.Key!] = await getText(emulator, bucket, item.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return contents;
}

/**
 * A test file's emulator and proxy: started before its tests (handed to `started`), faults
 * cleared after each test, both stopped after the last.
 */
export function useProxiedEmulator(
  started: (aws: { emulator: Emulator; aws: ProxiedAws }) => void,
  options: Parameters<typeof startProxy>[1] = {},
): void {
  let emulator: Emulator | undefined;
  let aws: ProxiedAws | undefined;
  beforeAll(async () => {
    emulator = await startEmulator();
    aws = await startProxy(emulator, options);
    started({ emulator, aws });
  });
  afterEach(() => aws?.proxy.setFault(undefined));
  afterAll(async () => {
    await aws?.proxy.stop();
    await emulator?.stop();
  });
}
