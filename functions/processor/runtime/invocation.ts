import { randomUUID } from "node:crypto";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DEFAULTS } from "../../../core/config-defaults";
import { FAN_OUT_SIZING } from "../../../core/fan-out-sizing";
import { describeIssue } from "../../../core/zod-messages";
import { InvalidEventError } from "../../commons/errors/invalid-event-error";
import { describeError, type Logger } from "../../commons/logger";
import { taskRunMetricLine } from "../../commons/metrics";
import { failureNotice, type Notice, publishNotice, type RunIdentity } from "../../commons/notices";
import { processEachRecord } from "../../commons/sqs-batch";
import { issueError, parseTaskEvent, type TaskEvent } from "../../commons/task-event";
import { annotateTrace } from "../../commons/tracing";
import type { FanOutSettings } from "../fan-out/fan-out";
import { isWorkBatch, parseWorkBatch, type WorkBatch } from "../fan-out/work-batch";
import { recordFailedAttempt } from "../protocol/failed-attempt";
import type { ObjectStore } from "../protocol/store";
import type { TaskDefinition } from "../protocol/task";
import type { SourceLayout } from "../sources/source-layout";
import { BatchShareDone } from "./for-each-source";
import { sendToFailureQueue } from "./rejection";
import { completeSpreadRun, type RunContext, runScheduled, type TaskOutcome } from "./scheduled-run";
import { runTask } from "./task-run";

// biome-ignore lint/suspicious/noExplicitAny: a map of tasks holds each task with its own payload type.
export type TaskMap = Readonly<Record<string, TaskDefinition<any>>>;

export interface RuntimeDependencies {
  readonly store: ObjectStore;
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly environment: string;
  readonly log: Logger;
  /** Where the embedded-metric line goes (stdout in Lambda). */
  readonly writeMetric: (line: string) => void;
  /** The tasks this function runs, by name. */
  readonly tasks: TaskMap;
  /** Where the tasks' sources wait, and where the protocol keeps what it knows of them. */
  readonly layout: SourceLayout;
  readonly now?: () => number;
  readonly sqs?: SQSClient;
  /** Where a rejected event goes: the queue Lambda's on-failure destination also fills. */
  readonly failureQueueUrl?: string;
  readonly fanOut?: FanOutSettings;
  /** Sources handled at once. @default 16 */
  readonly concurrency?: number;
  /** Memory the sources in flight may hold together. @default 512 MiB */
  readonly memoryBudgetBytes?: number;
  /** How long a crashed attempt keeps the run (or a source's claim) from the next one. @default 20 s */
  readonly leaseTtlMs?: number;
  /** The function's configured timeout: a short one keeps a smaller reserve. */
  readonly timeoutSeconds?: number;
  /** How long a failed source waits before its one more try. @default 500 ms */
  readonly sourceRetryPauseMs?: number;
  /** Own tasks: outputs may not be written where the product keeps its own objects. */
  readonly protectOutputs?: boolean;
}

/** The part of the Lambda context the runtime uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

const NO_DEADLINE: InvocationContext = { getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY };
/**
 * Stop starting new sources with less than this left: enough to finish the ones in flight and
 * write the record. A function whose whole timeout is short keeps half of it instead.
 */
export const TIME_RESERVE_MS = FAN_OUT_SIZING.reserveSeconds * 1000;
export const DEFAULT_CONCURRENCY = DEFAULTS.processor.concurrency;
const DEFAULT_MEMORY_BUDGET_BYTES = 512 * 1024 * 1024;

/**
 * A function that runs tasks: a scheduled event runs its task (once per scheduled run, however
 * often it is delivered); an SQS event carries batches of a spread run; a bare batch is a
 * replay of one. A scheduled event that can never run is rejected at once: announced, kept in
 * the failure queue, and not retried. The processor runs the built-in tasks with it, an own
 * task's function its one task.
 */
export function createRuntime(deps: RuntimeDependencies) {
  const { tasks } = deps;
  const taskNames = Object.keys(tasks) as unknown as readonly [string, ...string[]];
  const now = deps.now ?? Date.now;

  async function handler(rawEvent: SQSEvent, invocation?: InvocationContext): Promise<SQSBatchResponse>;
  async function handler(rawEvent: unknown, invocation?: InvocationContext): Promise<TaskOutcome>;
  async function handler(rawEvent: unknown, invocation: InvocationContext = NO_DEADLINE): Promise<TaskOutcome | SQSBatchResponse> {
    if (isSqsEvent(rawEvent)) return handleQueue(rawEvent, invocation);
    if (isWorkBatch(rawEvent)) return handleBareBatch(rawEvent, invocation);
    return handleScheduled(rawEvent, invocation);
  }

  const timeReserveMs = deps.timeoutSeconds ? Math.min(TIME_RESERVE_MS, (deps.timeoutSeconds * 1000) / 2) : TIME_RESERVE_MS;

  function runContext(invocation: InvocationContext, attemptId = randomUUID()): RunContext {
    const remainingTimeMs = () => invocation.getRemainingTimeInMillis();
    return {
      ...deps,
      now,
      concurrency: deps.concurrency ?? DEFAULT_CONCURRENCY,
      memoryBudgetBytes: deps.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
      attemptId,
      remainingTimeMs,
      timeReserveMs,
      mayWait: () => remainingTimeMs() > timeReserveMs,
      mayStart: () => remainingTimeMs() > timeReserveMs,
    };
  }

  /**
   * Batches of spread runs from the work queue. A message that can never run (not JSON, not a
   * valid batch, no run spread over the queue) is rejected as a scheduled event is, and
   * deleted; any other failure leaves it for SQS to deliver again.
   */
  async function handleQueue(event: SQSEvent, invocation: InvocationContext): Promise<SQSBatchResponse> {
    const context = runContext(invocation);
    return processEachRecord(
      event,
      async (record) => {
        const started = now();
        let raw: unknown = record.body;
        try {
          raw = JSON.parse(record.body) as unknown;
          const batch = parseWorkBatch(raw);
          const outcome = await runBatch(context, batch);
          deps.log.info("batch finished", { message_id: record.messageId, batch: batch.index, of: batch.of, outcome });
        } catch (error) {
          const invalid = error instanceof SyntaxError ? new InvalidEventError("<message>", "must be a JSON batch") : error;
          if (invalid instanceof InvalidEventError && deps.failureQueueUrl && deps.sqs) {
            await reject(raw, invalid, identify(batchEventOf(raw), undefined, deps.environment), started);
            return;
          }
          deps.log.error("batch failed; SQS will deliver it again", { message_id: record.messageId, error: describeError(error) });
          throw error;
        }
      },
      deps.log,
    );
  }

  /** A batch invoked on its own (a replay of one from the work dead-letter queue). */
  async function handleBareBatch(rawEvent: unknown, invocation: InvocationContext): Promise<TaskOutcome> {
    const started = now();
    try {
      const batch = parseWorkBatch(rawEvent);
      await runBatch(runContext(invocation), batch);
      return { status: "fanned_out", recordsProcessed: 0, recordsQuarantined: 0, counts: { batch: batch.index } };
    } catch (error) {
      if (error instanceof InvalidEventError)
        return reject(rawEvent, error, identify(batchEventOf(rawEvent), undefined, deps.environment), started);
      throw error;
    }
  }

  /**
   * A worker's share of a spread run: the task runs, and its forEachSource does the batch's
   * sources with the task's own work; then, if every batch is finished, the run is completed.
   */
  async function runBatch(context: RunContext, batch: WorkBatch): Promise<"processed" | "already_processed"> {
    const task = taskOf(batch.event.task_type, "event.task_type");
    const payload = parsePayload(task, batch.event.payload);
    let outcome: "processed" | "already_processed" | undefined;
    try {
      await runTask(context, task, batch.event, payload, { kind: "batch", batch });
    } catch (error) {
      if (!(error instanceof BatchShareDone)) throw error;
      outcome = error.outcome;
    }
    if (outcome === undefined) throw new Error(`task ${task.name} did not hand its sources to forEachSource with spread`);
    await completeSpreadRun(context, task, batch, payload);
    return outcome;
  }

  async function handleScheduled(rawEvent: unknown, invocation: InvocationContext): Promise<TaskOutcome> {
    const started = now();
    const attemptId = randomUUID();
    let event: TaskEvent | undefined;
    const identity = (): RunIdentity => identify(rawEvent, event, deps.environment);
    try {
      event = parseTaskEvent(rawEvent, taskNames);
      const task = taskOf(event.task_type, "task_type");
      const payload = parsePayload(task, event.payload);
      const context = runContext(invocation, attemptId);
      // The run's identity on every line of this invocation (Powertools clears it after), and on its trace.
      deps.log.appendKeys({
        task: event.task_type,
        schedule: event.schedule,
        execution_id: event.execution_id,
        scheduled_time: event.scheduled_time,
        attempt: Number(event.attempt_number ?? 1),
        attempt_id: context.attemptId,
      });
      deps.log.setCorrelationId(event.execution_id);
      annotateTrace({ task: event.task_type, schedule: event.schedule });
      return await runScheduled(context, task, event, payload, identity);
    } catch (error) {
      if (error instanceof InvalidEventError) {
        // A payload its task refuses: the run is known (the event's own fields passed), and it failed for good.
        if (event) await recordFailedAttempt({ ...deps, now }, event, attemptId, error);
        return reject(rawEvent, error, identity(), started);
      }
      const durationMs = now() - started;
      const run = identity();
      deps.log.error("task failed", { ...run, error: describeError(error), duration_ms: durationMs });
      deps.writeMetric(
        taskRunMetricLine({ ...metricIdentity(run), succeeded: false, durationMs, recordsProcessed: 0, recordsQuarantined: 0 }, now()),
      );
      // So that history tells this time failed, not missed (core/run-history.ts).
      if (event) await recordFailedAttempt({ ...deps, now }, event, attemptId, error);
      await announceFailure(failureNotice(run, describeError(error)));
      throw error;
    }
  }

  function taskOf(name: string, field: string): TaskDefinition<unknown> {
    const task = Object.hasOwn(tasks, name) ? tasks[name] : undefined;
    if (!task) throw new InvalidEventError(field, `unknown task ${JSON.stringify(name)}: this function runs ${taskNames.join(", ")}`);
    return task;
  }

  /** The original error matters more than a failed notice: it is what the retries and the failure queue keep. */
  async function announceFailure(notice: Notice): Promise<void> {
    try {
      await publishNotice(deps.sns, deps.topicArn, notice);
    } catch (publishError) {
      deps.log.error("failure notice could not be published", { error: describeError(publishError) });
    }
  }

  /**
   * An event that can never run (bad field, unknown task, impossible time): retrying it would
   * only fail again, so it goes straight to the failure queue, in the shape of Lambda's own
   * on-failure records, and the invocation succeeds. Without a failure queue, or should the
   * queue refuse it, the error is thrown instead, and Lambda's retries and destination keep
   * the event: a rejected event is never only logged.
   */
  async function reject(rawEvent: unknown, error: InvalidEventError, run: RunIdentity, started: number): Promise<TaskOutcome> {
    deps.writeMetric(
      taskRunMetricLine(
        { ...metricIdentity(run), succeeded: false, durationMs: now() - started, recordsProcessed: 0, recordsQuarantined: 0 },
        now(),
      ),
    );
    if (!deps.failureQueueUrl || !deps.sqs) {
      deps.log.error("event rejected: it can never run; no failure queue is configured, so it is thrown for Lambda to keep", {
        ...run,
        field: error.field,
        error: describeError(error),
      });
      await announceFailure(failureNotice(run, describeError(error)));
      throw error;
    }
    deps.log.error("event rejected: it can never run, so it is not retried", { ...run, field: error.field, error: describeError(error) });
    const { archivedEvent } = await sendToFailureQueue(
      { store: deps.store, sqs: deps.sqs, failureQueueUrl: deps.failureQueueUrl, now },
      rawEvent,
      error,
      run,
    );
    await announceFailure(failureNotice(run, describeError(error), false, archivedEvent));
    return {
      status: "rejected",
      recordsProcessed: 0,
      recordsQuarantined: 0,
      counts: {},
      error: { name: error.name, message: error.message, field: error.field },
    };
  }

  return handler;
}

/** A schedule's payload through its task's schema; a failure names the field under `payload`. */
export function parsePayload<P>(task: TaskDefinition<P>, payload: unknown): P {
  if (!task.payload) return payload as P;
  const result = task.payload.safeParse(payload, { error: describeIssue });
  if (result.success) return result.data;
  throw issueError(result.error.issues[0] ?? { path: [], message: "is not valid" }, "payload");
}

function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown })?.Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as { eventSource?: unknown })?.eventSource === "aws:sqs";
}

/** The scheduled event inside something that claims to be a batch. */
function batchEventOf(raw: unknown): unknown {
  return typeof raw === "object" && raw !== null ? (raw as { event?: unknown }).event : undefined;
}

/** Best-effort identity of a run, even from an event that failed validation. */
function identify(raw: unknown, event: TaskEvent | undefined, environment: string): RunIdentity {
  const fields = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value.slice(0, 200) : undefined);
  return {
    environment,
    task: event?.task_type ?? text(fields.task_type) ?? "unknown",
    schedule: event?.schedule ?? text(fields.schedule) ?? "unknown",
    scheduledTime: event?.scheduled_time ?? text(fields.scheduled_time),
    executionId: event?.execution_id ?? text(fields.execution_id),
    attempt: event?.attempt_number,
  };
}

function metricIdentity(run: RunIdentity) {
  return { task: run.task, environment: run.environment, schedule: run.schedule };
}
