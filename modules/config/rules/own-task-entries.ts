import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type CrossFieldRule, isRecord, itemsOf, type TaskLoader } from "./rule";

const PAYLOAD_JSON_OF_BUILT_IN = "is an own task's options; a built-in task takes payload";
const PAYLOAD_JSON_OBJECT = 'must be a JSON object such as jsonencode({ currency = "EUR" })';

/**
 * Each own task's entry is there and defines the task its key names, and each schedule's payload
 * is one that task's schema accepts: the schema runs when the config is validated, as it runs
 * before each run. Entries are loaded (esbuild, then the task's code) only where the construct or
 * the stacks pass their loader in. The module cannot run a task's schema: it checks that
 * `payload_json` is a JSON object on an own task's schedule, and the task checks the rest.
 */
export const ownTaskEntries: CrossFieldRule = {
  summary:
    "An own task's entry exists and defines the task its key names, and its schedules' payloads fit its schema (the module: " +
    "payload_json is a JSON object, on an own task's schedule).",
  check(config, context) {
    const { loadTask } = context;
    if (!loadTask || !isRecord(config.tasks)) return [];
    const found: Array<[string, string]> = [];
    const loaded = new Map<string, ReturnType<TaskLoader>>();
    for (const [name, task] of Object.entries(config.tasks)) {
      const entry = isRecord(task) ? task.entry : undefined;
      if (typeof entry !== "string" || entry.length === 0) continue; // the schema says why
      const path = resolve(entry);
      if (!existsSync(path)) {
        found.push([
          `tasks.${name}.entry`,
          `names no file: ${path} (a relative entry is read from the working directory ${process.cwd()})`,
        ]);
        continue;
      }
      try {
        const defined = loadTask(path);
        if (defined.name !== name)
          found.push([
            `tasks.${name}.entry`,
            `defines the task "${defined.name}", not "${name}": the key names the task its entry defines`,
          ]);
        else loaded.set(name, defined);
      } catch (error) {
        found.push([`tasks.${name}.entry`, (error as Error).message.replace(`${path}: `, "")]);
      }
    }
    itemsOf(config.schedules).forEach((schedule, index) => {
      if (!isRecord(schedule) || typeof schedule.task !== "string") return;
      const task = loaded.get(schedule.task);
      if (!task) return;
      for (const problem of task.payloadProblems(schedule.payload ?? {})) {
        const at = problem.indexOf(": ");
        found.push([`schedules[${index}].${problem.slice(0, at)}`, problem.slice(at + 2)]);
      }
    });
    return found;
  },
  hcl: [
    {
      variable: "schedules",
      // HCL evaluates both sides of || and &&: a schedule on a target (task null) reaches contains() as "".
      condition:
        'alltrue([for s in var.schedules : s.payload_json == null || !contains(local.built_in_tasks, s.task == null ? "" : s.task)])',
      message: `join("; ", [
        for i, s in var.schedules : format(local.payload_json_of_built_in, i, s.name)
        if s.payload_json != null && contains(local.built_in_tasks, s.task == null ? "" : s.task)
      ])`,
      locals: { payload_json_of_built_in: JSON.stringify(`schedules[%d].payload_json ${PAYLOAD_JSON_OF_BUILT_IN} (schedule %q)`) },
    },
    {
      variable: "schedules",
      condition: "alltrue([for s in var.schedules : s.payload_json == null || can(keys(jsondecode(s.payload_json)))])",
      message: `join(" ", [
        for i, s in var.schedules : format(local.payload_json_object, i, jsonencode(s.payload_json), s.name)
        if s.payload_json != null && !can(keys(jsondecode(s.payload_json)))
      ])`,
      locals: { payload_json_object: JSON.stringify(`schedules[%d].payload_json ${PAYLOAD_JSON_OBJECT}, got %s (schedule %q).`) },
    },
  ],
};
