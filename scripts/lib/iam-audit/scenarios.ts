import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { unzipSync } from "fflate";
import { resourceNames } from "../../../core/naming";
import { scheduleInput } from "../../../core/schedule-input";
import type { TaskType } from "../../../core/task-types";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { cachedTaskBundle } from "../../../modules/bundling/task-bundle-cache";
import { OWN_TASK_ADDRESS } from "../../../modules/constructs/own-task-functions";
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
  /** Its own tasks, each run from its entry's bundle under its function's role (aws_iam_role.task["<name>"]). */
  readonly tasks?: Readonly<Record<string, { readonly entry: string; readonly reads: readonly string[] }>>;
  /** Its schedules: an own task runs with the payload of the first schedule that names it. */
  readonly schedules?: ReadonlyArray<{ readonly name: string; readonly task?: string; readonly payload?: object }>;
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
const SIGNERS: Readonly<Record<string, string>> = {
  processor: "AUDITPROCESSOR",
  failure_handler: "AUDITFAILUREHANDLER",
  schedule_api: "AUDITSCHEDULEAPI",
};
type FunctionRole = string;
const setupCredentials = { accessKeyId: "AUDITSETUP", secretAccessKey: "audit" };

/**
 * Runs the deployed bundles of the three functions through the scenarios the test suite holds
 * them to (a data_processing run with bad records and its redelivery, a report, a digest, a
 * rejected event, a run fanned out over the work queue and a source cut into byte ranges, the
 * failure handler archiving from each failure queue, the scheduling API's create, list, show,
 * delete and run now), against the emulator behind the recording proxy, under the environment's own
 * resource names. Returns every AWS request each function made.
 */
export async function recordScenarios(config: AuditedEnvironment, stack: StackPolicies): Promise<RecordedRequest[]> {
  const names = resourceNames(config);
  const emulator = await startEmulatorProcess();
  // A schedule as Terraform makes it, for the scheduling API to run now.
  const terraformSchedule = {
    Name: "audit-daily",
    GroupName: names.scheduleGroup,
    Target: {
      Arn: stack.arnOf("aws_lambda_function", "processor"),
      Input: JSON.stringify(scheduleInput({ name: "audit-daily", task: "report", payload: {} }, config.name)),
    },
  };
  const proxy = await startS3Proxy({
    upstream: emulator.endpoint,
    // incoming/ and each own task's sources are versioned, as in the stack's bucket.
    versioning: ["incoming/", ...Object.values(config.tasks ?? {}).flatMap((t) => t.reads)],
    answer: schedulerFake(stack.account, REGION, [terraformSchedule]),
  });
  const direct = { endpoint: emulator.endpoint, region: REGION, credentials: setupCredentials, forcePathStyle: true };
  const s3 = new S3Client(direct);
  const sns = new SNSClient(direct);
  const sqs = new SQSClient(direct);
  const recorded: RecordedRequest[] = [];
  // The product's functions' signers, and one for each own task's role.
  const signers: Record<string, string> = { ...SIGNERS };
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
      AWS_ACCESS_KEY_ID: signers[role],
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
    /** One scenario: an invocation, what it is for, and whether it is to fail (then be retried). */
    interface Scenario {
      readonly scenario: string;
      readonly event: unknown;
      readonly fails?: boolean;
    }
    // Scenarios run as warm invocations of one process (Lambda's container) where they can; each
    // request is the scenario's whose invocation was running when it arrived.
    const run = async (bundle: string, scenarios: readonly Scenario[], environment: Record<string, string>) => {
      const from = proxy.log.length;
      const events = scenarios.map((s) => s.event);
      const script = bundle.endsWith(".js") ? bundle : bundleFunction(bundle).scriptPath;
      const outcomes = await invokeBundledWarm(script, events, environment);
      outcomes.forEach((outcome, index) => {
        const { scenario, fails } = scenarios[index] ?? { scenario: "(cold start)" };
        if (!outcome.ok && !fails) throw new Error(`scenario "${scenario}" failed: ${outcome.error?.name}: ${outcome.error?.message}`);
        if (outcome.ok && fails) throw new Error(`scenario "${scenario}" was to fail, and did not`);
      });
      for (const request of proxy.log.slice(from)) {
        const signer = Object.entries(signers).find(([, key]) => key === request.accessKeyId);
        if (!signer) continue;
        const index = outcomes.findIndex((o) => request.at >= (o.startedAt ?? 0) && request.at <= (o.endedAt ?? 0));
        recorded.push({ role: signer[0], scenario: scenarios[index]?.scenario ?? "(between invocations)", request });
      }
      return outcomes;
    };
    let runs = 0;
    /** An event of a run of its own (its own scheduled time), limited to one folder of incoming/. */
    const event = (task: TaskType, prefix?: string) => {
      runs += 1;
      return {
        ...scheduleInput({ name: `audit-${task.replace("_", "-")}`, task, payload: prefix ? { prefix } : {} }, config.name),
        scheduled_time: new Date(Date.UTC(2026, 10, 23, 0, runs)).toISOString().replace(".000Z", "Z"),
        execution_id: `a0d17000-0000-4000-8000-${String(runs).padStart(12, "0")}`,
        attempt_number: "1",
      };
    };

    await put("incoming/orders/day-1.jsonl", '{"id":1}\n{"id":2}\nnot json\n');
    // An object from before the bucket was versioned (version id "null"): read and deleted by key.
    await s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: "incoming/legacy/old.jsonl", Body: '{"id":9}\n' }));
    // Outputs streamed in parts (sources over 8 MiB): an upload that fails for good is aborted, the
    // run is recorded without that source (counted as a failed attempt in its claim), and its
    // rerun finds the small source the first attempt finished and checks its claim.
    const padded = (good: boolean) => `{"id":1,"pad":"${"x".repeat(200)}${good ? '"}' : '"'}\n`;
    for (const [output, good] of [
      ["processed", true],
      ["quarantine", false],
    ] as const) {
      await put(`incoming/fail-${output}/small.jsonl`, '{"id":2}\n');
      await put(`incoming/fail-${output}/big.jsonl`, padded(good).repeat(40_000));
    }
    // Failing until the upload is aborted twice: the first try, and the one more the invocation gives it.
    const aborted = new Map<string, number>();
    // The archive copy is made but its answer lost: the retried copy finds the archive (412) and checks it.
    await put("incoming/lost-answer/source.jsonl", '{"id":3}\n');
    let answersLost = 0;
    proxy.setFault((r) => {
      if (r.action === "AbortMultipartUpload" && r.key) aborted.set(r.key.split("/")[0], (aborted.get(r.key.split("/")[0]) ?? 0) + 1);
      const failing = /^(processed|quarantine)\//.exec(r.key ?? "")?.[1];
      if (r.action === "UploadPart" && failing && r.key?.includes(`fail-${failing}`) && (aborted.get(failing) ?? 0) < 2)
        return { kind: "error", status: 500, code: "InternalError" };
      if (r.action === "CopyObject" && r.key?.startsWith("archive/") && r.key.includes("lost-answer") && answersLost++ === 0)
        return { kind: "error", status: 500, code: "InternalError", when: "after" };
      return undefined;
    });
    const processing = event("data_processing", "orders/");
    const failingProcessed = event("data_processing", "fail-processed/");
    const failingQuarantine = event("data_processing", "fail-quarantine/");
    await run(
      "processor",
      [
        { scenario: "data_processing: records processed and quarantined, the source archived", event: processing },
        { scenario: "data_processing: the same event delivered again", event: processing },
        { scenario: "data_processing of an object from before versioning", event: event("data_processing", "legacy/") },
        { scenario: "data_processing whose upload to processed/ fails", event: failingProcessed },
        { scenario: "data_processing rerun after the failed upload to processed/", event: failingProcessed },
        { scenario: "data_processing whose upload to quarantine/ fails", event: failingQuarantine },
        { scenario: "data_processing rerun after the failed upload to quarantine/", event: failingQuarantine },
        { scenario: "data_processing whose archive copy's answer is lost", event: event("data_processing", "lost-answer/") },
        { scenario: "report", event: event("report") },
        { scenario: "notification digest", event: event("notification") },
        { scenario: "an event no task accepts, sent to the failure queue", event: { task_type: "defragment" } },
        {
          scenario: "an event too large for the failure queue, kept whole under failed/ and sent cut down",
          event: { ...event("report"), payload: { note: "x".repeat(300 * 1024) } },
        },
      ],
      processorEnv(),
    );
    proxy.setFault(undefined);

    for (let i = 0; i < 3; i++) await put(`incoming/fan/part-${i}.jsonl`, `{"id":${i}}\n`);
    await put("incoming/fan/large.jsonl", `${'{"id":1,"note":"a line long enough to fill a few ranges"}\n'.repeat(60_000)}`);
    const fanOutEnv = processorEnv({ FAN_OUT_MAX_SOURCES: "2", FAN_OUT_MAX_BYTES: String(1024 * 1024) });
    await run(
      "processor",
      [{ scenario: "data_processing spread over the work queue", event: event("data_processing", "fan/") }],
      fanOutEnv,
    );
    // Lambda's event source mapping would deliver these (its own calls are the platform's), one batch an invocation.
    const batches: Scenario[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.work, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) break;
      for (const m of Messages) {
        const record = { messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body, attributes: {} };
        const sqsEvent = { Records: [{ ...record, eventSource: "aws:sqs", eventSourceARN: arnOfQueue(queues.work) }] };
        batches.push({ scenario: "a batch of the work queue, and the run completed by its last", event: sqsEvent });
      }
    }
    if (batches.length === 0) throw new Error("the fanned-out run sent no batch to the work queue");
    await run("processor", batches, fanOutEnv);

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
    await run(
      "failure-handler",
      [{ scenario: "failed events archived and announced, from each failure queue", event: { Records: failedMessages } }],
      {
        ...env("failure_handler", {
          BUCKET_NAME: names.bucket,
          TOPIC_ARN: TopicArn!,
          PROCESSOR_FAILURE_QUEUE_ARN: arnOfQueue(queues.failures),
          SCHEDULER_DEAD_LETTER_QUEUE_ARN: arnOfQueue(queues.schedulerDlq),
          WORK_DEAD_LETTER_QUEUE_ARN: arnOfQueue(queues.workDlq),
        }),
      },
    );

    const http = (method: string, path: string, body?: unknown) => ({
      version: "2.0",
      rawPath: path,
      requestContext: { http: { method, path } },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await run(
      "schedule-api",
      [
        {
          scenario: "the scheduling API creates a one-time schedule",
          event: http("POST", "/schedules", { name: "audit", at: "2099-01-04T08:00:00", timezone: "UTC", task: "report" }),
        },
        { scenario: "the scheduling API lists its schedules", event: http("GET", "/schedules") },
        { scenario: "the scheduling API shows one", event: http("GET", "/schedules/once-audit") },
        { scenario: "the scheduling API deletes one", event: http("DELETE", "/schedules/once-audit") },
        { scenario: "the scheduling API runs a schedule now", event: http("POST", "/runs", { schedule: "audit-daily" }) },
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

    // Each own task: its bundle (as the stack deploys it) under its function's role, through what its runtime does.
    for (const [index, [task, { entry, reads }]] of Object.entries(config.tasks ?? {}).entries()) {
      const role = `${OWN_TASK_ADDRESS}[${JSON.stringify(task)}]`;
      signers[role] = `AUDITTASK${index}`;
      const payload = config.schedules?.find((s) => s.task === task)?.payload ?? {};
      const at = (minute: number) => ({
        ...scheduleInput({ name: `audit-${task}`, task, payload }, config.name),
        scheduled_time: new Date(Date.UTC(2026, 10, 24, 0, minute)).toISOString().replace(".000Z", "Z"),
        execution_id: `a0d17000-0000-4000-9000-${String(minute).padStart(12, "0")}`,
        attempt_number: "1",
      });
      // A source the task takes (a line of JSON), one it cannot (then set aside after its third failed run),
      // one whose archive copy's answer is lost (the retried copy finds the archive and checks it), and one
      // from before the bucket was versioned (read and deleted by key).
      for (const prefix of reads) {
        const entry = `${JSON.stringify({ account: "A-1", amount: 1, currency: "EUR" })}\n`;
        await put(`${prefix}audit-good.jsonl`, entry);
        await put(`${prefix}audit-bad.jsonl`, "not json\n");
        await put(`${prefix}audit-lost-answer.jsonl`, entry);
        await s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: `${prefix}audit-legacy.jsonl`, Body: entry }));
      }
      let taskAnswersLost = 0;
      proxy.setFault((r) =>
        r.action === "CopyObject" && r.key?.startsWith(`archive/${task}/`) && r.key.includes("lost-answer") && taskAnswersLost++ === 0
          ? { kind: "error", status: 500, code: "InternalError", when: "after" }
          : undefined,
      );
      const zip = cachedTaskBundle(entry, { runtime: "nodejs22.x" }).zipPath;
      const script = join(mkdtempSync(join(tmpdir(), "audit-task-")), "index.js");
      writeFileSync(script, unzipSync(readFileSync(zip))["index.js"]);
      await run(
        script,
        [
          { scenario: `own task ${task}: its sources handled, archived or failed`, event: at(1) },
          { scenario: `own task ${task}: the same scheduled time again`, event: at(1) },
          { scenario: `own task ${task}: the next run, the failing source tried again`, event: at(2) },
          { scenario: `own task ${task}: a third run, the failing source set aside`, event: at(3) },
          {
            scenario: `own task ${task}: an event for another task, too large for the failure queue, kept under failed/`,
            event: { ...at(4), task_type: "another-task", payload: { note: "x".repeat(300 * 1024) } },
          },
        ],
        env(role, {
          BUCKET_NAME: names.bucket,
          TOPIC_ARN: TopicArn!,
          FAILURE_QUEUE_URL: queues.failures,
          FUNCTION_TIMEOUT_SECONDS: String(config.processor.timeoutSeconds),
          SOURCE_RETRY_PAUSE_MS: "1",
        }),
      );
    }
    return recorded;
  } finally {
    s3.destroy();
    sns.destroy();
    sqs.destroy();
    await proxy.stop();
    await emulator.stop();
  }
}
