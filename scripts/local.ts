import { openSync, writeFileSync, writeSync } from "node:fs";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { partitionOf, resourceNames } from "../core/naming";
import { scheduleInput } from "../core/schedule-input";
import { loadEnvironment } from "../environments/load";
import { TASK_TYPES, type TaskType } from "../functions/commons/task-event";
import { SOURCES_PER_BATCH } from "../functions/processor/fan-out/work-batch";
import { bundleFunction } from "../modules/bundling/function-bundle";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { startEmulatorProcess } from "./lib/emulator-process";
import { iamCallsOf } from "./lib/iam-audit/iam-calls";
import { runQueueWorkers } from "./lib/queue-workers";
import { type LoggedRequest, startS3Proxy } from "./lib/s3-proxy";

const USAGE =
  `usage: npm run local -- <env> <${TASK_TYPES.join("|")}> [--sources <n>] [--workers <k>] [--latency-ms <ms>] [--logs <file>] ` +
  "[--iam-calls <file>]";

/** Where the function's log lines go in a generated run: a file, or nowhere. */
function functionLogSink(path: string | undefined): typeof process.stdout.write {
  const fd = path ? openSync(path, "w") : undefined;
  return ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (fd !== undefined) writeSync(fd, typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
}

const SAMPLE_SOURCES: Record<string, string> = {
  "incoming/orders-eu.jsonl": [
    '{"id": "o-1", "amount": 19.99, "currency": "EUR", "customer": " Ada "}',
    '{"id": "o-2", "amount": 5, "currency": "EUR"}',
    "{this is not json",
    '{"id": "o-4", "currency": "EUR"}',
  ].join("\n"),
  "incoming/orders-us.jsonl": `${['{"id": "o-5", "amount": 12.5, "currency": "USD"}', "", '["an", "array"]'].join("\n")}\n`,
};

interface LocalOptions {
  readonly envName: string;
  readonly task: TaskType;
  /** Generate this many sources instead of the samples, and print one JSON summary line. */
  readonly sources?: number;
  /** Spread the run over the work queue and work it with this many concurrent invocations. */
  readonly workers?: number;
  readonly latencyMs: number;
  /** With --sources: where the function's own log lines go (else nowhere). */
  readonly logs?: string;
  /** Where to write every AWS call the processor made, in IAM's terms (one JSON object a line), for `npm run iam-audit`. */
  readonly iamCalls?: string;
}

/** The smallest value each numeric flag takes: a run of no sources or no workers is no run. */
const NUMERIC_FLAGS: Readonly<Record<string, { readonly min: number; readonly what: string }>> = {
  "--sources": { min: 1, what: "sources to generate" },
  "--workers": { min: 1, what: "concurrent workers" },
  "--latency-ms": { min: 0, what: "milliseconds of added latency" },
};

/** The options, or what is wrong with the arguments (a specific reason where there is one, else the usage). */
export function parseArgs(args: readonly string[]): LocalOptions | { readonly problem: string } {
  const [envName, task, ...rest] = args;
  if (!envName || !task) return { problem: USAGE };
  if (!(TASK_TYPES as readonly string[]).includes(task))
    return { problem: `unknown task ${JSON.stringify(task)}; known: ${TASK_TYPES.join(", ")}\n${USAGE}` };
  const flags: Record<string, number> = {};
  let logs: string | undefined;
  let iamCalls: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, text] = [rest[i], rest[i + 1]];
    if (flag === "--logs" && text) {
      logs = text;
      continue;
    }
    if (flag === "--iam-calls" && text) {
      iamCalls = text;
      continue;
    }
    const rule = NUMERIC_FLAGS[flag];
    if (!rule) return { problem: `unknown argument ${JSON.stringify(flag)}\n${USAGE}` };
    const value = Number(text);
    if (text === undefined || !Number.isInteger(value) || value < rule.min)
      return { problem: `${flag} takes the number of ${rule.what}, a whole number of ${rule.min} or more, got ${text ?? "nothing"}` };
    flags[flag] = value;
  }
  if ((flags["--sources"] !== undefined || flags["--workers"] !== undefined) && task !== "data_processing")
    return { problem: `--sources and --workers apply to data_processing only\n${USAGE}` };
  if (logs !== undefined && flags["--sources"] === undefined) return { problem: `--logs goes with --sources\n${USAGE}` };
  return {
    envName,
    task: task as TaskType,
    sources: flags["--sources"],
    workers: flags["--workers"],
    latencyMs: flags["--latency-ms"] ?? 0,
    logs,
    iamCalls,
  };
}

/** Each generated source: three good lines and one bad, so both outputs are exercised. */
function generatedSource(index: number): string {
  return (
    [0, 1, 2].map((n) => JSON.stringify({ id: `${index}-${n}`, amount: index * 3 + n, currency: "EUR" })).join("\n") +
    `\nnot json ${index}\n`
  );
}

/**
 * Runs one task of an environment locally: the bundled handler (the same code the stack
 * deploys) against the S3/SNS/SQS emulator, behind the proxy that keeps S3's conditional
 * requests and adds latency. With --workers the run is spread over a real SQS queue and
 * worked by that many concurrent invocations, as Lambda's event source would.
 */
async function main(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if ("problem" in options) {
    console.error(options.problem);
    return 2;
  }
  // This machine may run an older Node than Lambda's nodejs22.x; the SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const config = loadEnvironment(options.envName);
  const emulator = await startEmulatorProcess();
  const proxy = await startS3Proxy({ upstream: emulator.endpoint, latencyMs: options.latencyMs });
  try {
    const credentials = { accessKeyId: "local", secretAccessKey: "local" };
    const direct = { endpoint: emulator.endpoint, region: config.region, credentials };
    const s3 = new S3Client(direct);
    const sns = new SNSClient(direct);
    const sqs = new SQSClient(direct);
    const names = resourceNames(config);
    await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: names.topic }));
    const { QueueUrl: noticesUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "local-notices" }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: noticesUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn }));
    const { QueueUrl: workUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: names.workQueue, Attributes: { VisibilityTimeout: "60" } }),
    );

    const seeded =
      options.sources === undefined
        ? Object.entries(SAMPLE_SOURCES)
        : Array.from(
            { length: options.sources },
            (_, i) => [`incoming/generated/s-${String(i).padStart(6, "0")}.jsonl`, generatedSource(i)] as const,
          );
    for (let i = 0; i < seeded.length; i += 64) {
      await Promise.all(
        seeded.slice(i, i + 64).map(([key, body]) => s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: key, Body: body }))),
      );
    }

    Object.assign(process.env, {
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      BUCKET_NAME: names.bucket,
      TOPIC_ARN: TopicArn,
      ENVIRONMENT: config.name,
      SOURCE_CONCURRENCY: String(config.processor.concurrency),
      WORK_QUEUE_URL: workUrl,
      // --workers spreads the run whatever its size: the scheduled invocation only plans it.
      FAN_OUT_MAX_SOURCES: String(options.workers ? SOURCES_PER_BATCH : config.fanOut.sourcesPerInvocation),
      FAN_OUT_MAX_BYTES: String(config.fanOut.bytesPerInvocation),
    });
    // With --sources stdout carries the one summary line: the function's own log lines are set
    // aside (to --logs <file> when given), so a run that succeeds prints nothing else.
    const summaryOut = process.stdout.write.bind(process.stdout);
    if (options.sources !== undefined) process.stdout.write = functionLogSink(options.logs);
    const { handler } = require(bundleFunction("processor").scriptPath);
    const scheduledTime = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString().replace(".000Z", "Z");
    const eventFor = (task: TaskType, name: string, payload: object | undefined) => ({
      ...scheduleInput({ name, task, payload }, config.name),
      scheduled_time: scheduledTime,
      execution_id: `local-${Date.now()}`,
      attempt_number: "1",
    });
    const invocation = () => {
      const started = Date.now();
      return { getRemainingTimeInMillis: () => config.processor.timeoutSeconds * 1000 - (Date.now() - started) };
    };
    const schedule = config.schedules.find((s) => s.task === options.task) ?? {
      name: `local-${options.task}`,
      task: options.task,
      payload: {},
    };

    if (options.sources !== undefined) {
      proxy.log.length = 0;
      const started = performance.now();
      const outcome = await handler(eventFor("data_processing", schedule.name, schedule.payload), invocation());
      const workers =
        outcome.status === "fanned_out"
          ? await runQueueWorkers({
              sqs,
              queueUrl: workUrl!,
              handler,
              workers: options.workers ?? 1,
              invocationMs: config.processor.timeoutSeconds * 1000,
              deadlineMs: 3_600_000,
            })
          : undefined;
      const ms = performance.now() - started;
      const record = JSON.parse(
        await (
          await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: `runs/data_processing/${scheduledTime}/${schedule.name}.json` }))
        ).Body!.transformToString(),
      );
      const totals = record.totals ?? {};
      const runsBytes = proxy.log.filter((r) => (r.key ?? "").startsWith("runs/")).reduce((sum, r) => sum + r.bytes, 0);
      summaryOut(
        `${JSON.stringify({
          environment: config.name,
          status: record.status,
          sources: totals.sources,
          lines: totals.lines,
          processed: totals.processed,
          quarantined: totals.quarantined,
          workers: options.workers ?? 0,
          invocations: 1 + (workers?.invocations ?? 0),
          latency_ms: options.latencyMs,
          ms: Math.round(ms),
          ms_per_source: Number((ms / Math.max(1, options.sources)).toFixed(2)),
          runs_bytes_per_source: Math.round(runsBytes / Math.max(1, options.sources)),
          requests_per_source: Number((proxy.log.length / Math.max(1, options.sources)).toFixed(2)),
        })}\n`,
      );
      return record.status === "completed" && totals.sources === options.sources ? 0 : 1;
    }

    // Reports and digests summarise processing runs, so process the sample data first.
    if (options.task !== "data_processing") {
      console.log("== data_processing (to give the report something to summarise)");
      await handler(eventFor("data_processing", "local-data-processing", {}), invocation());
    }
    console.log(`== ${options.task} (schedule ${schedule.name} of ${config.name})`);
    const outcome = await handler(eventFor(options.task, schedule.name, schedule.payload), invocation());
    if (outcome.status === "fanned_out") await runQueueWorkers({ sqs, queueUrl: workUrl!, handler, workers: 2 });
    console.log(`\noutcome: ${JSON.stringify(outcome)}\n\nobjects in s3://${names.bucket}:`);
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: names.bucket }));
    for (const item of listing.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: item.Key }))).Body!.transformToString();
      console.log(`\n--- ${item.Key} (${item.Size} bytes)\n${body.split("\n").slice(0, 6).join("\n")}`);
    }
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: noticesUrl, MaxNumberOfMessages: 10 }));
    console.log(`\nnotices published to ${names.topic}:`);
    for (const message of Messages ?? []) {
      const envelope = JSON.parse(message.Body!);
      console.log(`\n--- ${envelope.Subject}\n${envelope.Message}`);
    }
    return 0;
  } finally {
    if (options.iamCalls) writeIamCalls(options.iamCalls, proxy.log, config);
    await proxy.stop();
    await emulator.stop();
  }
}

/** The processor's calls (everything that went through the proxy) in IAM's terms, placed in the environment's account. */
function writeIamCalls(path: string, log: readonly LoggedRequest[], config: { account: string; region: string }): void {
  const where = { account: config.account, region: config.region, partition: partitionOf(config.region) };
  const calls = log.flatMap((request) => iamCallsOf(request, "processor", "npm run local", where));
  writeFileSync(path, calls.map((call) => `${JSON.stringify(call)}\n`).join(""));
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      // One line saying why, not a stack trace.
      if (error instanceof ConfigError) for (const problem of error.problems) console.error(formatProblem(problem));
      else console.error(`npm run local failed: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? String(error)}`);
      process.exitCode = error instanceof ConfigError ? error.exitCode : 1;
    },
  );
