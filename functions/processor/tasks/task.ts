import type { StorageAndNotices } from "../../commons/services";
import type { TaskEvent, TaskType } from "../../commons/task-event";

/** What a task may use: clients, where to write, and how much time the invocation has left. */
export interface TaskContext extends StorageAndNotices {
  readonly remainingTimeMs: () => number;
}

export interface TaskOutcome {
  /** `already_completed`: an earlier run of the same event finished; nothing was redone. */
  readonly status: "completed" | "partial" | "already_completed";
  readonly recordsProcessed: number;
  readonly recordsQuarantined: number;
  /** Figures for the success notice and the log line. */
  readonly counts: Readonly<Record<string, number>>;
  /** Keys this run wrote. */
  readonly written: readonly string[];
  /** Publish a success notice (the notification task publishes its digest itself). */
  readonly notify: boolean;
}

export interface Task {
  readonly type: TaskType;
  run(event: TaskEvent, context: TaskContext): Promise<TaskOutcome>;
}
