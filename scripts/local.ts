import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { TASK_TYPES, type TaskType } from "../functions/commons/task-event";
import { loadEnvironment } from "../modules/config/load";
import { resourceNames } from "../modules/config/naming";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { bundleFunction } from "../modules/function-bundle";
import { scheduleInput } from "../modules/schedule-input";

const USAGE = `usage: npm run local -- <env> <${TASK_TYPES.join("|")}>`;

const SAMPLE_SOURCES: Record<string, string> = {
  "incoming/orders-eu.jsonl": [
    '{"id": "o-1", "amount": 19.99, "currency": "EUR", "customer": " Ada "}',
    '{"id": "o-2", "amount": 5, "currency": "EUR"}',
    "{this is not json",
    '{"id": "o-4", "currency": "EUR"}',
  ].join("\n"),
  "incoming/orders-us.jsonl": ['{"id": "o-5", "amount": 12.5, "currency": "USD"}', "", '["an", "array"]'].join("\n") + "\n",
};

/**
 * Runs one task of an environment locally: the bundled handler (the same zip the stack deploys)
 * against an in-process S3/SNS/SQS emulator seeded with sample data; prints what it wrote.
 */
async function main(args: string[]): Promise<number> {
  const [envName, task] = args;
  if (!envName || !task || !(TASK_TYPES as readonly string[]).includes(task)) {
    console.error(USAGE);
    return 2;
  }
  // This machine may run an older Node than Lambda's nodejs22.x; the SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const config = loadEnvironment(envName);
  const schedule = config.schedules.find((s) => s.task === task) ?? { name: `local-${task}`, task: task as TaskType, payload: {} };
  const { startFauxqs } = await import("fauxqs");
  const server = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });
  try {
    const credentials = { accessKeyId: "local", secretAccessKey: "local" };
    const aws = { endpoint: server.address, region: config.region, credentials };
    const s3 = new S3Client(aws);
    const sns = new SNSClient(aws);
    const sqs = new SQSClient(aws);
    const names = resourceNames(config);
    await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: names.topic }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "local-notices" }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn }));
    for (const [key, body] of Object.entries(SAMPLE_SOURCES)) await s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: key, Body: body }));

    Object.assign(process.env, {
      AWS_ENDPOINT_URL: server.address,
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      BUCKET_NAME: names.bucket,
      TOPIC_ARN: TopicArn,
      ENVIRONMENT: config.name,
    });
    const { handler } = require(bundleFunction("processor").scriptPath);
    const scheduledTime = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString().replace(".000Z", "Z");
    const eventFor = (task: TaskType, name: string, payload: Record<string, unknown> | undefined) => ({
      ...scheduleInput({ name, task, payload }, config.name),
      scheduled_time: scheduledTime,
      execution_id: `local-${Date.now()}`,
      attempt_number: "1",
    });
    // Reports and digests summarise processing runs, so process the sample data first.
    if (task !== "data_processing") {
      console.log("== data_processing (to give the report something to summarise)");
      await handler(eventFor("data_processing", "local-data-processing", {}), { getRemainingTimeInMillis: () => 900_000 });
    }
    console.log(`== ${task} (schedule ${schedule.name} of ${config.name})`);
    const outcome = await handler(eventFor(task as TaskType, schedule.name, schedule.payload), { getRemainingTimeInMillis: () => 900_000 });
    console.log(`\noutcome: ${JSON.stringify(outcome)}\n\nobjects in s3://${names.bucket}:`);
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: names.bucket }));
    for (const item of listing.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: item.Key }))).Body!.transformToString();
      console.log(`\n--- ${item.Key} (${item.Size} bytes)\n${body.split("\n").slice(0, 6).join("\n")}`);
    }
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    console.log(`\nnotices published to ${names.topic}:`);
    for (const message of Messages ?? []) {
      const envelope = JSON.parse(message.Body!);
      console.log(`\n--- ${envelope.Subject}\n${envelope.Message}`);
    }
    return 0;
  } finally {
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    if (error instanceof ConfigError) for (const problem of error.problems) console.error(formatProblem(problem));
    else console.error(error);
    process.exitCode = 1;
  },
);
