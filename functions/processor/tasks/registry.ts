import type { TaskType } from "../../commons/task-event";
import { dataProcessingTask } from "./data-processing";
import { notificationTask } from "./notification";
import { reportTask } from "./report";
import type { Task } from "./task";

/** Every task the processor runs, by the `task_type` a schedule sends. */
export const TASKS: Readonly<Record<TaskType, Task>> = {
  data_processing: dataProcessingTask,
  report: reportTask,
  notification: notificationTask,
};
