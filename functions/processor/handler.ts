import { describeError } from "../commons/logger";
import { taskRunMetricLine } from "../commons/metrics";
import type { StorageAndNotices } from "../commons/services";
import { parseTaskEvent, type TaskEvent } from "../commons/task-event";
import { failureNotice, publishNotice, type RunIdentity, successNotice } from "../commons/notices";
import { TASKS } from "./tasks/registry";
import type { Task, TaskOutcome } from "./tasks/task";

export interface ProcessorDependencies extends StorageAndNotices {
  /** Where the embedded-metric line goes (stdout in Lambda). */
  readonly writeMetric: (line: string) => void;
  readonly tasks?: Readonly<Record<string, Task>>;
  readonly now?: () => number;
}

/** The part of the Lambda context the processor uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

const NO_DEADLINE: InvocationContext = { getRemainingTimeInMillis: () => Number.POSITIVE_INFINITY };

/**
 * Validates the event, runs its task and reports: a success notice with the counts, or a
 * failure notice and a rethrow, so Lambda's retries and the on-failure destination keep the event.
 */
export function createHandler(deps: ProcessorDependencies) {
  const tasks = deps.tasks ?? TASKS;
  const now = deps.now ?? Date.now;

  return async function handler(rawEvent: unknown, invocation: InvocationContext = NO_DEADLINE): Promise<TaskOutcome> {
    const started = now();
    let event: TaskEvent | undefined;
    const identity = (): RunIdentity => identify(rawEvent, event, deps.environment);
    try {
      event = parseTaskEvent(rawEvent);
      const task = tasks[event.task_type];
      const log = deps.log.child({ task: event.task_type, schedule: event.schedule, execution_id: event.execution_id, scheduled_time: event.scheduled_time });
      const outcome = await task.run(event, {
        s3: deps.s3,
        sns: deps.sns,
        bucket: deps.bucket,
        topicArn: deps.topicArn,
        environment: deps.environment,
        log,
        remainingTimeMs: () => invocation.getRemainingTimeInMillis(),
      });
      const durationMs = now() - started;
      if (outcome.notify) await publishNotice(deps.sns, deps.topicArn, successNotice(identity(), outcome.status, outcome.counts));
      log.info("task finished", { status: outcome.status, counts: outcome.counts, written: outcome.written.length, duration_ms: durationMs });
      deps.writeMetric(
        taskRunMetricLine({ ...metricIdentity(identity()), succeeded: true, durationMs, recordsProcessed: outcome.recordsProcessed, recordsQuarantined: outcome.recordsQuarantined }, now()),
      );
      return outcome;
    } catch (error) {
      const durationMs = now() - started;
      const run = identity();
      deps.log.error("task failed", { ...run, error: describeError(error), duration_ms: durationMs });
      deps.writeMetric(taskRunMetricLine({ ...metricIdentity(run), succeeded: false, durationMs, recordsProcessed: 0, recordsQuarantined: 0 }, now()));
      try {
        await publishNotice(deps.sns, deps.topicArn, failureNotice(run, describeError(error)));
      } catch (publishError) {
        // The original error matters more: it is what the retries and the failure queue keep.
        deps.log.error("failure notice could not be published", { error: describeError(publishError) });
      }
      throw error;
    }
  };
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
