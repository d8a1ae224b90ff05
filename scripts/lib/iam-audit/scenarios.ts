import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { resourceNames } from "../../../core/naming";
import { scheduleInput } from "../../../core/schedule-input";
import type { TaskType } from "../../../core/task-types";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { startEmulatorProcess } from "../emulator-process";
import { invokeBundledWarm } from "../invoke-bundled";
import { type LoggedRequest, startS3Proxy } from "../s3-proxy";
import { schedulerFake } from "./scheduler-fake";
import type { StackPolicies } from "./stack-policies";

/** What the scenarios need of an environment: its names, and the settings the functions are given. */
export interface AuditedEnvironment {
  readonly name: string;
  readonly projectName: string;
  readonly account: string;
  readonly region: string;
  readonly processor: { readonly timeoutSeconds: number };
  readonly scheduleApi: { readonly retry: { readonly maxAttempts: number; readonly maxEventAgeSeconds: number } };
}

/** A request one function made in one scenario. */
export interface RecordedRequest {
  /** The function's role: aws_iam_role.<role>. */
  readonly role: string;
  readonly scenario: string;
  readonly request: LoggedRequest;
}

const REGION = "us-east-1";
/** Each function signs with its own key id, so the proxy's log says who sent what. */
const SIGNERS = { processor: "AUDITPROCESSOR", failure_handler: "AUDITFAILUREHANDLER", schedule_api: "AUDITSCHEDULEAPI" } as const;
type FunctionRole = keyof typeof SIGNERS;
const setupCredentials = { accessKeyId: "AUDITSETUP", secretAccessKey: "audit" };

/**
 * Runs the deployed bundles of the three functions through the scenarios the test suite holds
 * them to (a data_processing run with bad records and its redelivery, a report, a digest, a
 * rejected event, a run fanned out over the work queue and a source cut into byte ranges, the
 * failure handler archiving from each failure queue, the scheduling API's create, list, show
 * and delete), against the emulator behind the recording proxy, under the environment's own
 * resource names. Returns every AWS request each function made.
 */
export async function recordScenarios(config: AuditedEnvironment, stack: StackPolicies): Promise<RecordedRequest[]> {
  const names = resourceNames(config);
  const emulator = await startEmulatorProcess();
  const proxy = await startS3Proxy({ upstream: emulator.endpoint, versioning: true, answer: schedulerFake(stack.account, REGION) });
  const direct = { endpoint: emulator.endpoint, region: REGION, credentials: setupCredentials, forcePathStyle: true };
  const s3 = new S3Client(direct);
  const sns = new SNSClient(direct);
  const sqs = new SQSClient(direct);
  const recorded: RecordedRequest[] = [];
  try {
    await s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: names.topic }));
    const queue = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const queues = {
      failures: await queue(names.processorFailureQueue),
      work: await queue(names.workQueue),
      schedulerDlq: await queue(names.schedulerDeadLetterQueue),
      workDlq: await queue(names.workDeadLetterQueue),
    };
    // Uploads go through the proxy, whose versioning of incoming/ then knows them (signed by the set-up key: not recorded).
    const uploader = new S3Client({ ...direct, endpoint: proxy.endpoint });
    const put = (key: string, body: string) => uploader.send(new PutObjectCommand({ Bucket: names.bucket, Key: key, Body: body }));
    const arnOfQueue = (url: string) => `arn:aws:sqs:${REGION}:000000000000:${url.split("/").at(-1)}`;
    const env = (role: FunctionRole, own: Record<string, string>) => ({
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: SIGNERS[role],
      AWS_SECRET_ACCESS_KEY: "audit",
      ENVIRONMENT: config.name,
      ...own,
    });
    const processorEnv = (extra: Record<string, string> = {}) =>
      env("processor", {
        BUCKET_NAME: names.bucket,
        TOPIC_ARN: TopicArn!,
        FAILURE_QUEUE_URL: queues.failures,
        WORK_QUEUE_URL: queues.work,
        FUNCTION_TIMEOUT_SECONDS: String(config.processor.timeoutSeconds),
        ...extra,
      });
    const run = async (
      scenario: string,
      bundle: string,
      events: unknown[],
      environment: Record<string, string>,
      expect: { fails?: boolean } = {},
    ) => {
      const from = proxy.log.length;
      const outcomes = await invokeBundledWarm(bundleFunction(bundle).scriptPath, events, environment);
      const failed = outcomes.find((o) => !o.ok);
      if (failed && !expect.fails) throw new Error(`scenario "${scenario}" failed: ${failed.error?.name}: ${failed.error?.message}`);
      if (!failed && expect.fails) throw new Error(`scenario "${scenario}" was to fail, and did not`);
      for (const request of proxy.log.slice(from)) {
        const signer = Object.entries(SIGNERS).find(([, key]) => key === request.accessKeyId);
        if (signer) recorded.push({ role: signer[0], scenario, request });
      }
      return outcomes;
    };
    const event = (task: TaskType, overrides: Record<string, unknown> = {}) => ({
      ...scheduleInput({ name: `audit-${task.replace("_", "-")}`, task, payload: {} }, config.name),
      scheduled_time: "2026-11-23T10:00:00Z",
      execution_id: `a0d17000-0000-4000-8000-00000000000${["data_processing", "report", "notification"].indexOf(task) + 1}`,
      attempt_number: "1",
      ...overrides,
    });

    await put("incoming/orders.jsonl", '{"id":1}\n{"id":2}\nnot json\n');
    const processing = event("data_processing");
    await run("data_processing: records processed and quarantined, the source archived", "processor", [processing], processorEnv());
    await run("data_processing: the same event delivered again", "processor", [processing], processorEnv());
    // An object from before the bucket was versioned (version id "null"): read and deleted by key.
    await s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: "incoming/legacy.jsonl", Body: '{"id":9}\n' }));
    const legacy = event("data_processing", {
      execution_id: "a0d17000-0000-4000-8000-0000000000e1",
      scheduled_time: "2026-11-23T10:30:00Z",
    });
    await run("data_processing of an object from before versioning", "processor", [legacy], processorEnv());

    // Outputs streamed in parts: an upload that fails for good is aborted, then the run fails and is retried.
    const lines = (good: boolean) => `${(good ? '{"id":1,"pad":"' : '{"id":1,"pad":"').concat("x".repeat(200), good ? '"}' : '"')}\n`;
    for (const [output, good] of [
      ["processed", true],
      ["quarantine", false],
    ] as const) {
      // A small source finishes first: the retry finds it noted by the failed attempt and checks its claim.
      await put(`incoming/before-big-${output}.jsonl`, '{"id":2}\n');
      await put(`incoming/big-${output}.jsonl`, lines(good).repeat(40_000));
      proxy.setFault((r) =>
        r.action === "UploadPart" && r.key?.startsWith(`${output}/`) ? { kind: "error", status: 500, code: "InternalError" } : undefined,
      );
      const failing = event("data_processing", {
        execution_id: `a0d17000-0000-4000-8000-0000000000${output === "processed" ? "c1" : "c2"}`,
        scheduled_time: `2026-11-23T12:${output === "processed" ? "00" : "30"}:00Z`,
      });
      await run(`data_processing whose upload to ${output}/ fails`, "processor", [failing], processorEnv(), { fails: true });
      proxy.setFault(undefined);
      await run(`data_processing retried after the failed upload to ${output}/`, "processor", [failing], processorEnv());
    }

    // The archive copy is made but its answer lost: the retried copy finds the archive there (412) and checks it.
    await put("incoming/copied-once.jsonl", '{"id":3}\n');
    let lost = 0;
    proxy.setFault((r) =>
      r.action === "CopyObject" && r.key?.startsWith("archive/") && lost++ === 0
        ? { kind: "error", status: 500, code: "InternalError", when: "after" }
        : undefined,
    );
    const copied = event("data_processing", {
      execution_id: "a0d17000-0000-4000-8000-0000000000d1",
      scheduled_time: "2026-11-23T13:00:00Z",
    });
    await run("data_processing whose archive copy's answer is lost", "processor", [copied], processorEnv());
    proxy.setFault(undefined);

    await run("report", "processor", [event("report")], processorEnv());
    await run("notification digest", "processor", [event("notification")], processorEnv());
    await run("an event no task accepts, sent to the failure queue", "processor", [{ task_type: "defragment" }], processorEnv());

    for (let i = 0; i < 3; i++) await put(`incoming/fan/part-${i}.jsonl`, `{"id":${i}}\n`);
    await put("incoming/large.jsonl", `${'{"id":1,"note":"a line long enough to fill a few ranges"}\n'.repeat(60_000)}`);
    const fanned = event("data_processing", {
      execution_id: "a0d17000-0000-4000-8000-0000000000f1",
      scheduled_time: "2026-11-23T11:00:00Z",
    });
    const fanOutEnv = processorEnv({ FAN_OUT_MAX_SOURCES: "2", FAN_OUT_MAX_BYTES: String(1024 * 1024) });
    await run("data_processing spread over the work queue", "processor", [fanned], fanOutEnv);
    // Lambda's event source mapping would deliver these; its own calls are the platform's.
    for (let round = 0; round < 20; round++) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.work, MaxNumberOfMessages: 1 }));
      if (Messages.length === 0) break;
      const records = Messages.map((m) => ({ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body, attributes: {} }));
      const sqsEvent = { Records: records.map((r) => ({ ...r, eventSource: "aws:sqs", eventSourceARN: arnOfQueue(queues.work) })) };
      await run("a batch of the work queue, and the run completed by its last", "processor", [sqsEvent], fanOutEnv);
    }

    const failedMessages = [];
    for (const [origin, url] of Object.entries({ failures: queues.failures, schedulerDlq: queues.schedulerDlq, workDlq: queues.workDlq })) {
      if (origin !== "failures") await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(event("report")) }));
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      for (const m of Messages)
        failedMessages.push({
          messageId: m.MessageId,
          receiptHandle: m.ReceiptHandle,
          body: m.Body,
          attributes: { SentTimestamp: String(Date.now()), ApproximateReceiveCount: "1" },
          messageAttributes: {},
          eventSource: "aws:sqs",
          eventSourceARN: arnOfQueue(url),
        });
    }
    await run("failed events archived and announced, from each failure queue", "failure-handler", [{ Records: failedMessages }], {
      ...env("failure_handler", {
        BUCKET_NAME: names.bucket,
        TOPIC_ARN: TopicArn!,
        PROCESSOR_FAILURE_QUEUE_ARN: arnOfQueue(queues.failures),
        SCHEDULER_DEAD_LETTER_QUEUE_ARN: arnOfQueue(queues.schedulerDlq),
        WORK_DEAD_LETTER_QUEUE_ARN: arnOfQueue(queues.workDlq),
      }),
    });

    const http = (method: string, path: string, body?: unknown) => ({
      version: "2.0",
      rawPath: path,
      requestContext: { http: { method, path } },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await run(
      "the scheduling API: create, list, show and delete a one-time schedule",
      "schedule-api",
      [
        http("POST", "/schedules", { name: "audit", at: "2099-01-04T08:00:00", timezone: "UTC", task: "report" }),
        http("GET", "/schedules"),
        http("GET", "/schedules/once-audit"),
        http("DELETE", "/schedules/once-audit"),
      ],
      env("schedule_api", {
        SCHEDULE_GROUP: names.scheduleGroup,
        TARGET_ARN: stack.arnOf("aws_lambda_function", "processor"),
        SCHEDULER_ROLE_ARN: stack.arnOf("aws_iam_role", "scheduler"),
        DEAD_LETTER_QUEUE_ARN: stack.arnOf("aws_sqs_queue", "scheduler_dlq"),
        RETRY_MAX_ATTEMPTS: String(config.scheduleApi.retry.maxAttempts),
        RETRY_MAX_EVENT_AGE_SECONDS: String(config.scheduleApi.retry.maxEventAgeSeconds),
      }),
    );
    return recorded;
  } finally {
    s3.destroy();
    sns.destroy();
    sqs.destroy();
    await proxy.stop();
    await emulator.stop();
  }
}
