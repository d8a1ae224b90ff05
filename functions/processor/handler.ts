import type { StorageAndNotices } from "../commons/services";
import { S3Store } from "./protocol/s3-store";
import { createRuntime, type RuntimeDependencies, type TaskMap } from "./runtime/invocation";
import { INCOMING_LAYOUT } from "./sources/source-layout";
import { dataProcessingTask } from "./tasks/data-processing";
import { notificationTask } from "./tasks/notification";
import { reportTask } from "./tasks/report";

export { DEFAULT_CONCURRENCY, type InvocationContext, TIME_RESERVE_MS } from "./runtime/invocation";
export type { TaskOutcome } from "./runtime/scheduled-run";

/** Every task the processor runs, by the `task_type` a schedule sends. */
export const TASKS: TaskMap = {
  report: reportTask,
  data_processing: dataProcessingTask,
  notification: notificationTask,
};

export interface ProcessorDependencies
  extends StorageAndNotices,
    Omit<RuntimeDependencies, "store" | "tasks" | "layout" | keyof StorageAndNotices> {
  /** The tasks by name. @default TASKS */
  readonly tasks?: TaskMap;
}

/**
 * The processor: the built-in tasks on the run protocol, their sources in incoming/. This is
 * the one place that knows the tasks; everything below runs any task alike.
 */
export function createHandler(deps: ProcessorDependencies) {
  return createRuntime({
    ...deps,
    store: new S3Store(deps.s3, deps.bucket),
    tasks: deps.tasks ?? TASKS,
    layout: INCOMING_LAYOUT,
  });
}
