/** The business tasks the processor runs, by the `task_type` a schedule sends. */
export const TASK_TYPES = ["report", "data_processing", "notification"] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/**
 * An own task's name (`defineTask({ name })`, the config's `tasks` keys, a schedule's `task`):
 * it names keys (`runs/<name>/`, `claims/<name>/`, `archive/<name>/`), the metric dimension
 * `task` and the task's function, so it is short and plain. The built-in tasks' names are taken.
 */
export const TASK_NAME = {
  pattern: "^[a-z][a-z0-9_-]{0,31}$",
  rule: "1-32 characters of a-z 0-9 _ -, starting with a letter",
} as const;

/** Why `name` cannot name an own task, or undefined when it can. */
export function refuseTaskName(name: unknown): string | undefined {
  if (typeof name !== "string" || !new RegExp(TASK_NAME.pattern).test(name))
    return `must be ${TASK_NAME.rule}, got ${JSON.stringify(name) ?? String(name)}`;
  if ((TASK_TYPES as readonly string[]).includes(name))
    return `must not be a built-in task's name (${TASK_TYPES.join(", ")}), got "${name}"`;
  return undefined;
}
