import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { startEmulatorProcess } from "../emulator-process";
import { startS3Proxy } from "../s3-proxy";
import type { Invoke } from "./fire";

export interface LocalProcessorOptions {
  readonly environment: string;
  readonly region: string;
  readonly bucket: string;
  /** The notification topic's name, created on the endpoint when TOPIC_ARN does not name one. */
  readonly topicName: string;
  readonly timeoutSeconds: number;
  readonly sourceConcurrency: number;
  /** Where the function's own log lines go (they are not the command's output). */
  readonly log: (text: string) => void;
  /** The bundled script to run; by default the processor's (an own task's: its function's script). */
  readonly script?: () => string;
}

export interface LocalProcessor {
  readonly invoke: Invoke;
  /** The S3/SNS endpoint the processor runs against (behind the conditional-request proxy). */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * The bundled processor (the code the stack deploys) run in this process, as `npm run local`
 * runs it: against AWS_ENDPOINT_URL when it is set (an emulator the caller runs), else an
 * emulator started here, always behind the proxy that keeps S3's conditional requests (which
 * the emulator ignores), so a run is exactly once here as in AWS. The bucket is created where
 * it is missing, and the topic is TOPIC_ARN's or the environment's own, created if need be.
 * For tests and emulators: it never reaches AWS unless AWS_ENDPOINT_URL says so.
 */
export async function startLocalProcessor(options: LocalProcessorOptions): Promise<LocalProcessor> {
  const given = process.env.AWS_ENDPOINT_URL;
  const emulator = given ? undefined : await startEmulatorProcess();
  const upstream = given ?? emulator!.endpoint;
  const proxy = await startS3Proxy({ upstream });
  const credentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
  };
  const direct = { endpoint: upstream, region: options.region, credentials, forcePathStyle: true };
  const s3 = new S3Client(direct);
  const sns = new SNSClient(direct);
  try {
    await s3
      .send(new HeadBucketCommand({ Bucket: options.bucket }))
      .catch(() => s3.send(new CreateBucketCommand({ Bucket: options.bucket })));
    const topicArn = process.env.TOPIC_ARN ?? (await sns.send(new CreateTopicCommand({ Name: options.topicName }))).TopicArn!;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: options.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      BUCKET_NAME: options.bucket,
      TOPIC_ARN: topicArn,
      ENVIRONMENT: options.environment,
      SOURCE_CONCURRENCY: String(options.sourceConcurrency),
      FUNCTION_TIMEOUT_SECONDS: String(options.timeoutSeconds),
    });
  } finally {
    s3.destroy();
    sns.destroy();
  }
  // Loaded at the first run, after the environment above is set: the bundle reads it once, as in Lambda.
  let handler: ((event: unknown, context: unknown) => Promise<unknown>) | undefined;
  const invoke: Invoke = async (event) => {
    handler ??= require((options.script ?? (() => bundleFunction("processor").scriptPath))()).handler as NonNullable<typeof handler>;
    const started = Date.now();
    const context = { getRemainingTimeInMillis: () => options.timeoutSeconds * 1000 - (Date.now() - started) };
    // The function logs to stdout, as in Lambda; here that is the command's own output, so its lines go aside.
    const stdoutWrite = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      options.log(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      (rest.find((r) => typeof r === "function") as (() => void) | undefined)?.();
      return true;
    }) as typeof process.stdout.write;
    try {
      const outcome = await handler(event, context);
      return String((outcome as { status?: unknown })?.status ?? "done");
    } catch (error) {
      return `failed: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? String(error)}`;
    } finally {
      process.stdout.write = stdoutWrite;
    }
  };
  return {
    invoke,
    endpoint: proxy.endpoint,
    async stop() {
      await proxy.stop();
      await emulator?.stop();
    },
  };
}
