import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Notice, RunIdentity } from "../../commons/notices";
import type { StorageAndNotices } from "../../commons/services";
import type { TaskEvent, TaskType } from "../../commons/task-event";
import type { RunRecord } from "../run/run-record";

/** Where large runs spread their work, and how much one invocation takes on before it does. */
export interface FanOutSettings {
  readonly queueUrl: string;
  /** More sources than this in one run go to the queue. */
  readonly maxSources: number;
  /** More bytes than this in one run go to the queue; a single larger source is split. */
  readonly maxBytes: number;
  /** Whole sources a batch takes at most. @default 50 (SOURCES_PER_BATCH) */
  readonly sourcesPerBatch?: number;
}

/** What a task may use: clients, where to write, and how much time the invocation has left. */
export interface TaskContext extends StorageAndNotices {
  readonly remainingTimeMs: () => number;
  readonly now: () => number;
  /** Sources handled at once within one invocation. */
  readonly concurrency: number;
  /** Bytes of memory the sources in flight may hold together. */
  readonly memoryBudgetBytes: number;
  /** Set when the stack gave the processor a work queue. */
  readonly fanOut?: FanOutSettings;
  readonly sqs?: SQSClient;
  /** This invocation, for leases. */
  readonly attemptId: string;
  /** Stop starting new work when less than this is left. */
  readonly timeReserveMs: number;
  /** Whether there is time to wait for a source another run holds briefly. */
  readonly mayWait?: () => boolean;
  /** How long a failed source waits before its one more try in the same invocation. @default 500 ms */
  readonly sourceRetryPauseMs?: number;
}

/** The work is done: this record is kept and then announced once. */
export interface RecordResult {
  readonly kind: "record";
  readonly record: Omit<RunRecord, "published">;
}

/** The work continues on the queue; the last batch to finish completes the run. */
export interface InProgressResult {
  readonly kind: "in_progress";
  readonly counts: Readonly<Record<string, number>>;
  /** How many batches the run was spread over. */
  readonly batches: number;
}

export interface Task {
  readonly type: TaskType;
  /** Does the run's work. `previous` is what an earlier attempt of the same run recorded. */
  run(event: TaskEvent, context: TaskContext, previous?: RunRecord): Promise<RecordResult | InProgressResult>;
  /** What to announce once the record is kept; undefined to announce nothing. */
  notice(record: RunRecord, run: RunIdentity, payload: Record<string, unknown>): Notice | undefined;
}

export interface TaskOutcome {
  /**
   * completed / partial / incomplete: this attempt finished the run and announced it.
   * skipped: the scheduled time fell on an excluded date; recorded, counted, nothing done.
   * already_completed: an earlier attempt had; nothing was redone or announced again.
   * unchanged: a partial run's rerun found nothing more it could do.
   * fanned_out: the work continues on the queue. rejected: the event can never run.
   */
  readonly status: "completed" | "partial" | "incomplete" | "skipped" | "already_completed" | "unchanged" | "fanned_out" | "rejected";
  readonly recordsProcessed: number;
  readonly recordsQuarantined: number;
  readonly counts: Readonly<Record<string, number>>;
  /** What was wrong with a rejected event. */
  readonly error?: { readonly name: string; readonly message: string; readonly field?: string };
}
