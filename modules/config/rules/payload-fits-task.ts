import { TASK_PAYLOAD_SCHEMAS } from "../../../core/task-payloads";
import { TASK_TYPES, type TaskType } from "../../../core/task-types";
import { describeIssue } from "../../../core/zod-messages";
import { formatPath } from "../path";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/**
 * A payload carries only its task's fields, each by the task's own schema (the one the processor
 * checks again when it runs: core/task-payloads.ts). The module's payload object has every
 * task's fields; it refuses those another task owns (`payload_tasks`, rendered from
 * PAYLOAD_TASKS in fields/schedules.ts, says which).
 */
export const payloadFitsTask: CrossFieldRule = {
  summary: "A schedule's payload holds only its task's fields, each valid for that task.",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index) => {
      if (!isRecord(schedule) || !isRecord(schedule.payload)) return [];
      if (typeof schedule.task !== "string" || !(TASK_TYPES as readonly string[]).includes(schedule.task)) return [];
      const parsed = TASK_PAYLOAD_SCHEMAS[schedule.task as TaskType].safeParse(schedule.payload, { error: describeIssue });
      return (parsed.success ? [] : parsed.error.issues).flatMap((issue) =>
        (issue.code === "unrecognized_keys" ? issue.keys : [undefined]).map((key): [string, string] => [
          formatPath(["schedules", index, "payload", ...issue.path, ...(key ? [key] : [])]),
          key ? `unknown field for task ${schedule.task}` : issue.message,
        ]),
      );
    });
  },
  hcl: {
    variable: "schedules",
    condition: `alltrue(flatten([
      for s in var.schedules : [for field, tasks in local.payload_tasks : s.payload[field] == null || contains(tasks, s.task)]
    ]))`,
    message: `join("; ", flatten([
      for i, s in var.schedules : [
        for field, tasks in local.payload_tasks : format(
          "schedules[%d].payload.%s is not a field of task %s (schedule %q); it belongs to %s", i, field, s.task, s.name, join(", ", tasks)
        ) if s.payload[field] != null && !contains(tasks, s.task)
      ]
    ]))`,
  },
};
