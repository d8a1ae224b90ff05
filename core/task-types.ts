/** The business tasks the processor runs, by the `task_type` a schedule sends. */
export const TASK_TYPES = ["report", "data_processing", "notification"] as const;
export type TaskType = (typeof TASK_TYPES)[number];
