import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetScheduleCommand, ListScheduleGroupsCommand, ListSchedulesCommand } from "@aws-sdk/client-scheduler";
import { SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { unzipSync } from "fflate";
import { currentRunStatus } from "../../../core/run-history";
import { SCHEDULER_CONTEXT } from "../../../core/schedule-input";
import { invokeBundled } from "../invoke-bundled";
import { type EmulatorClients, emulatorEnv } from "./emulator-aws";

/** A resource of `terraform show -json`'s state, at any module depth. */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
}

interface StateModule {
  readonly resources?: ReadonlyArray<StateResource & { readonly mode: string }>;
  readonly child_modules?: readonly StateModule[];
}

/** The managed resources of a state (`terraform show -json`), the root module's and every child's. */
export function stateResources(state: { values?: { root_module?: StateModule } }): StateResource[] {
  const walk = (module: StateModule | undefined): StateResource[] => [
    ...(module?.resources ?? []).filter((r) => r.mode === "managed"),
    ...(module?.child_modules ?? []).flatMap(walk),
  ];
  return walk(state.values?.root_module);
}

export interface FiredSchedule {
  readonly schedule: string;
  readonly group: string;
  readonly task: string;
  readonly scheduledTime: string;
  /** ENABLED or DISABLED: a disabled schedule is fired too, to prove the input it would deliver. */
  readonly state: string;
  /** What the processor returned the first time, and the second. */
  readonly first: string;
  readonly again: string;
  readonly checks: readonly string[];
}

export interface FiringReport {
  readonly fired: FiredSchedule[];
  readonly problems: string[];
}

interface FiringContext {
  readonly clients: EmulatorClients;
  readonly endpoint: string;
  readonly region: string;
  /** Where terraform ran: relative function zip paths in the state are relative to it. */
  readonly directory: string;
  readonly scratch: string;
  readonly state: StateResource[];
  readonly log: (line: string) => void;
}

/** Scheduler's time format, to the second: `2026-12-06T18:00:00Z`. */
function schedulerTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Every schedule of every group, as the API lists them. */
async function deployedSchedules(clients: EmulatorClients): Promise<Array<{ name: string; group: string }>> {
  const schedules: Array<{ name: string; group: string }> = [];
  let groupToken: string | undefined;
  do {
    const groups = await clients.scheduler.send(new ListScheduleGroupsCommand({ NextToken: groupToken }));
    for (const group of groups.ScheduleGroups ?? []) {
      let token: string | undefined;
      do {
        const page = await clients.scheduler.send(new ListSchedulesCommand({ GroupName: group.Name, NextToken: token }));
        for (const s of page.Schedules ?? []) schedules.push({ name: s.Name!, group: group.Name! });
        token = page.NextToken;
      } while (token);
    }
    groupToken = groups.NextToken;
  } while (groupToken);
  return schedules;
}

/**
 * Scheduler's substitution: the context attributes' placeholders replaced by literal text, and
 * nothing else. An input that carries a placeholder otherwise (`\u003caws.scheduler...` from
 * jsonencode) keeps it, as Scheduler would deliver it.
 */
export function substituteContext(input: string, context: { scheduledTime: string; executionId: string; attemptNumber: number }): string {
  return input
    .replaceAll(SCHEDULER_CONTEXT.scheduledTime, context.scheduledTime)
    .replaceAll(SCHEDULER_CONTEXT.executionId, context.executionId)
    .replaceAll(SCHEDULER_CONTEXT.attemptNumber, String(context.attemptNumber));
}

/** A deployed function, as Lambda would run it here: its bundle (checked against CodeSha256) and its environment. */
async function deployedFunction(context: FiringContext, functionArn: string) {
  const configuration = await context.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }));
  const name = configuration.FunctionName!;
  const resource = context.state.find((r) => r.type === "aws_lambda_function" && r.values.function_name === name);
  if (!resource) throw new Error(`${name}: not in the state`);
  const filename = String(resource.values.filename);
  const zipPath = isAbsolute(filename) ? filename : join(context.directory, filename);
  const zip = readFileSync(zipPath);
  const sha256 = createHash("sha256").update(zip).digest("base64");
  if (sha256 !== configuration.CodeSha256)
    throw new Error(`${name}: ${zipPath} (${sha256}) is not the code deployed (CodeSha256 ${configuration.CodeSha256})`);
  const unpacked = join(context.scratch, "functions", name);
  if (!existsSync(unpacked)) {
    for (const [path, bytes] of Object.entries(unzipSync(zip))) {
      mkdirSync(dirname(join(unpacked, path)), { recursive: true });
      writeFileSync(join(unpacked, path), bytes);
    }
  }
  const [module, exported] = (configuration.Handler ?? "index.handler").split(".");
  if (exported !== "handler") throw new Error(`${name}: handler ${configuration.Handler} is not <file>.handler`);
  // What Lambda sets for every function, then the function's own variables, then the way to the emulator.
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(configuration.MemorySize),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${configuration.Runtime}`,
    LAMBDA_TASK_ROOT: unpacked,
    TZ: ":UTC",
    ...configuration.Environment?.Variables,
    ...emulatorEnv(context.endpoint, context.region),
  };
  return { name, bundle: join(unpacked, `${module}.js`), env, timeoutMs: (configuration.Timeout ?? 3) * 1000 };
}

/** Every version of every object in the bucket, by key (the leases' bookkeeping left out). */
async function bucketContents(context: FiringContext, bucket: string): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await context.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    for (const v of page.Versions ?? []) if (!v.Key!.endsWith("/lease.json")) contents[`${v.Key} ${v.VersionId}`] = v.ETag ?? "";
    for (const m of page.DeleteMarkers ?? []) if (!m.Key!.endsWith("/lease.json")) contents[`${m.Key} ${m.VersionId}`] = "delete marker";
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return contents;
}

async function readText(context: FiringContext, bucket: string, key: string): Promise<string> {
  const object = await context.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString();
}

/** A queue subscribed to the notification topic: the notices, read through the API. */
async function noticeProbe(context: FiringContext, topicArn: string, name: string) {
  const { QueueUrl } = await context.clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await context.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  const { SubscriptionArn } = await context.clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes!.QueueArn }),
  );
  return {
    /** The notices since the last call (moto delivers to a queue inside Publish). */
    async take(): Promise<Array<{ subject: string; message: string }>> {
      const notices: Array<{ subject: string; message: string }> = [];
      for (;;) {
        const page = await context.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (!page.Messages?.length) return notices;
        for (const message of page.Messages) {
          const body = JSON.parse(message.Body!);
          notices.push({ subject: body.Subject, message: body.Message });
          await context.clients.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      }
    },
    async remove(): Promise<void> {
      await context.clients.sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      await context.clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
    },
  };
}

/** Good lines carrying every field the schedule requires, and one line that is not JSON. */
function uploadFor(requiredFields: readonly string[]): { body: string; good: number; bad: number } {
  const record = (id: number) => ({
    ...Object.fromEntries(requiredFields.map((f) => [f, `${f}-${id}`])),
    id,
    amount: id * 10,
    currency: "EUR",
  });
  return { body: `${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}\nnot json\n`, good: 2, bad: 1 };
}

const lineCount = (text: string) => text.split("\n").filter((line) => line !== "").length;

/**
 * Fires every deployed schedule as EventBridge Scheduler would: reads its target input back
 * (GetSchedule), substitutes the context attributes by literal text, and runs the target's
 * deployed bundle with the environment Lambda would give it (GetFunctionConfiguration), with an
 * upload waiting in incoming/ for a data_processing task. Then checks, through the API, the
 * run record, the outputs, the archive and the notice; fires the same scheduled time again and
 * checks that nothing changed. Data processing fires first, so reports and digests count it.
 */
export async function fireSchedules(context: FiringContext): Promise<FiringReport> {
  const problems: string[] = [];
  const fired: FiredSchedule[] = [];
  const schedules = await deployedSchedules(context.clients);
  const inState = context.state.filter((r) => r.type === "aws_scheduler_schedule");
  if (schedules.length !== inState.length) problems.push(`the API lists ${schedules.length} schedules, the state holds ${inState.length}`);

  const prepared = [];
  for (const { name, group } of schedules) {
    const schedule = await context.clients.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group }));
    const input = schedule.Target?.Input ?? "";
    // A schedule on a target outside the stack (a queue, a topic, ...) runs nothing of the product's here.
    if (!input.includes('"task_type"')) continue;
    const missing = Object.values(SCHEDULER_CONTEXT).filter((placeholder) => !input.includes(`"${placeholder}"`));
    if (missing.length > 0) {
      problems.push(
        `${group}/${name}: the input does not carry ${missing.join(", ")} as literal text, so Scheduler would not substitute it: ${input}`,
      );
      continue;
    }
    prepared.push({
      name,
      group,
      input,
      state: schedule.State ?? "ENABLED",
      target: schedule.Target!.Arn!,
      task: String(JSON.parse(input).task_type),
    });
  }
  const order = ["data_processing", "report", "notification"];
  prepared.sort((a, b) => order.indexOf(a.task) - order.indexOf(b.task) || a.name.localeCompare(b.name));

  const scheduledTime = schedulerTime(new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const probes = new Map<string, Awaited<ReturnType<typeof noticeProbe>>>();
  try {
    for (const { name, group, input, state, target, task } of prepared) {
      const fn = await deployedFunction(context, target);
      const bucket = fn.env.BUCKET_NAME;
      const topic = fn.env.TOPIC_ARN;
      if (!probes.has(topic)) probes.set(topic, await noticeProbe(context, topic, `rehearsal-notices-${probes.size}`));
      const probe = probes.get(topic)!;
      const fire = async (attemptNumber: number) => {
        const event = JSON.parse(substituteContext(input, { scheduledTime, executionId: randomUUID(), attemptNumber }));
        const run = await invokeBundled(fn.bundle, event, fn.env, { remainingMs: fn.timeoutMs });
        if (!run.ok)
          throw new Error(`${name}: the processor failed: ${run.error?.name}: ${run.error?.message}\n${run.stderr.slice(-2000)}`);
        return { event, result: run.result as { status: string } };
      };

      const checks: string[] = [];
      const payload = JSON.parse(input).payload ?? {};
      const upload = uploadFor(payload.requiredFields ?? []);
      const uploadKey = `incoming/${payload.prefix ?? ""}rehearsal-${name}.jsonl`;
      if (task === "data_processing")
        await context.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: uploadKey, Body: upload.body }));

      const first = await fire(1);
      const problem = (text: string) => problems.push(`${group}/${name}: ${text}`);
      if (first.result.status !== "completed") problem(`the first run ended ${first.result.status}, not completed`);
      const canonical = new Date(first.event.scheduled_time).toISOString().replace(".000Z", "Z");
      const recordKey = `runs/${task}/${canonical}/${name}.json`;
      const record = JSON.parse(await readText(context, bucket, recordKey));
      if (currentRunStatus(record.status) !== "completed") problem(`run record ${recordKey} says ${record.status}`);
      else checks.push(`run record ${recordKey}`);

      const contents = await bucketContents(context, bucket);
      const keys = [...new Set(Object.keys(contents).map((k) => k.slice(0, k.lastIndexOf(" "))))];
      if (task === "data_processing") {
        const stem = `rehearsal-${name}.`;
        const find = (prefix: string) => keys.find((k) => k.startsWith(prefix) && k.includes(stem));
        const [processed, quarantined, archived] = [find("processed/"), find("quarantine/"), find("archive/")];
        if (keys.includes(uploadKey)) problem(`${uploadKey} is still in incoming/`);
        if (!archived) problem(`no archive of ${uploadKey}`);
        if (!processed || lineCount(await readText(context, bucket, processed)) !== upload.good)
          problem(`processed/ does not hold the ${upload.good} good lines of ${uploadKey}`);
        if (!quarantined || lineCount(await readText(context, bucket, quarantined)) !== upload.bad)
          problem(`quarantine/ does not hold the ${upload.bad} bad line of ${uploadKey}`);
        checks.push(`${processed} (${upload.good} lines)`, `${quarantined} (${upload.bad})`, `${archived}`);
      }
      if (task === "report") {
        const report = keys.find((k) => k.startsWith("reports/") && k.endsWith(`/${name}.csv`));
        if (!report) problem("no report in reports/");
        else checks.push(report);
      }
      const notices = await probe.take();
      const expectsNotice = task === "notification" || payload.notifyOnSuccess !== false;
      const ours = notices.filter((n) => n.subject.includes(` ${name}`));
      if (expectsNotice && ours.length !== 1)
        problem(`${ours.length} notices, expected 1: ${JSON.stringify(notices.map((n) => n.subject))}`);
      if (!expectsNotice && ours.length !== 0) problem(`a notice although notifyOnSuccess is false: ${ours[0].subject}`);
      if (ours[0]) checks.push(`notice "${ours[0].subject}"`);

      const again = await fire(2);
      if (again.result.status !== "already_completed")
        problem(`the same scheduled time again ended ${again.result.status}, not already_completed`);
      const after = await bucketContents(context, bucket);
      const changed = [...new Set([...Object.keys(contents), ...Object.keys(after)])].filter((k) => contents[k] !== after[k]);
      if (changed.length > 0) problem(`firing the same time again changed ${changed.join(", ")}`);
      const repeated = await probe.take();
      if (repeated.length > 0) problem(`firing the same time again sent ${repeated.map((n) => n.subject).join(", ")}`);
      fired.push({ schedule: name, group, task, scheduledTime, state, first: first.result.status, again: again.result.status, checks });
      context.log(`fired ${group}/${name} (${task}) at ${scheduledTime}: ${first.result.status}, then ${again.result.status}`);
    }
  } finally {
    for (const probe of probes.values()) await probe.remove();
  }
  return { fired, problems };
}
