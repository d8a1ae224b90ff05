import { MAX_FUNCTION_NAME_LENGTH, ownTaskFunctionName } from "../../../core/naming";
import { overlapProblems } from "../../../core/own-task-access";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

const READ_TWICE = "must not overlap another task's reads: two tasks would take the same sources";

/**
 * What an own task declares, across its fields and across tasks: its outputs never come back as
 * its sources (core/own-task-access.ts, overlapProblems), two tasks never read the same
 * sources (each would archive and remove what the other still waits for), and its function's
 * name `<project>-<env>-task-<name>` fits Lambda's 64 characters. Each prefix on its own is the
 * field's check (fields/checks.ts, taskPrefix).
 */
export const ownTaskDeclarations: CrossFieldRule = {
  summary:
    "An own task's writes stay apart from its reads, no two tasks read overlapping prefixes, and its function's name fits 64 characters.",
  check(config) {
    const tasks = isRecord(config.tasks) ? Object.entries(config.tasks).filter(([, t]) => isRecord(t)) : [];
    const found: Array<[string, string]> = [];
    const reads = (task: unknown) => itemsOf(isRecord(task) ? task.reads : undefined);
    for (const [name, task] of tasks) {
      for (const problem of overlapProblems(reads(task), itemsOf((task as Record<string, unknown>).writes))) {
        const at = problem.indexOf(": ");
        found.push([`tasks.${name}.${problem.slice(0, at)}`, problem.slice(at + 2)]);
      }
    }
    tasks.forEach(([name, task], t) => {
      reads(task).forEach((prefix, r) => {
        if (typeof prefix !== "string") return;
        const earlier = tasks
          .slice(0, t)
          .flatMap(([other, o]) => reads(o).map((p, i) => ({ other, p, i })))
          .find(({ p }) => typeof p === "string" && (p.startsWith(prefix) || prefix.startsWith(p)));
        if (earlier)
          found.push([
            `tasks.${name}.reads[${r}]`,
            `${READ_TWICE} (tasks.${earlier.other}.reads[${earlier.i}], "${earlier.p}"), got "${prefix}"`,
          ]);
      });
    });
    const { projectName, name: environment } = config;
    if (typeof projectName === "string" && typeof environment === "string")
      for (const [name] of tasks) {
        const functionName = ownTaskFunctionName(`${projectName}-${environment}`, name);
        if (functionName.length > MAX_FUNCTION_NAME_LENGTH)
          found.push([
            `tasks.${name}`,
            `makes the function name "${functionName}" (${functionName.length} characters), over Lambda's ` +
              `${MAX_FUNCTION_NAME_LENGTH}: shorten the task's, the project's or the environment's name`,
          ]);
      }
    return found;
  },
  hcl: [
    {
      variable: "tasks",
      condition:
        "alltrue(flatten([for name, t in var.tasks : [for r in t.reads : [for w in t.writes : !startswith(r, w) && !startswith(w, r)]]]))",
      message: `join(" ", flatten([for name, t in var.tasks : [for r, read in t.reads : [
        for w, write in t.writes : format(local.task_writes_its_reads, name, w, r, read, write)
        if startswith(read, write) || startswith(write, read)
      ]]]))`,
      locals: {
        task_writes_its_reads: JSON.stringify(
          `tasks[%q].writes[%d] must not overlap reads[%d] (%q): the task's outputs would come back as its sources, got %q.`,
        ),
      },
    },
    {
      variable: "tasks",
      condition: `alltrue(flatten([
        for x, a in keys(var.tasks) : [for y, b in keys(var.tasks) : [
          for ra in var.tasks[a].reads : [for rb in var.tasks[b].reads : y <= x || !(startswith(ra, rb) || startswith(rb, ra))]
        ]]
      ]))`,
      message: `join(" ", flatten([for x, a in keys(var.tasks) : [for y, b in keys(var.tasks) : [for i, ra in var.tasks[a].reads : [
        for j, rb in var.tasks[b].reads : format(local.tasks_read_twice, b, j, a, i, ra, rb)
        if x < y && (startswith(ra, rb) || startswith(rb, ra))
      ]]]]))`,
      locals: { tasks_read_twice: JSON.stringify(`tasks[%q].reads[%d] ${READ_TWICE} (tasks[%q].reads[%d], %q), got %q.`) },
    },
    {
      variable: "tasks",
      condition: `alltrue([
        for name in keys(var.tasks) : length("\${var.project_name}-\${var.environment}-task-\${name}") <= ${MAX_FUNCTION_NAME_LENGTH}
      ])`,
      message: `join(" ", [for f in [for name in keys(var.tasks) : [name, "\${var.project_name}-\${var.environment}-task-\${name}"]] :
        format(local.task_function_name_too_long, f[0], f[1], length(f[1])) if length(f[1]) > ${MAX_FUNCTION_NAME_LENGTH}
      ])`,
      locals: {
        task_function_name_too_long: JSON.stringify(
          `tasks[%q] makes the function name %q (%d characters), over Lambda's ${MAX_FUNCTION_NAME_LENGTH}: ` +
            "shorten the task's, the project's or the environment's name.",
        ),
      },
    },
  ],
};
