import { LOG_RETENTION_DAYS, RANGES } from "../../../core/config-rules";
import { fileExists, taskName, taskPrefix } from "./checks";
import type { ListField, MapField } from "./field";

function prefixes(what: string, description: string): ListField {
  return {
    kind: "list",
    itemName: "prefix",
    default: [],
    distinct: true,
    item: { kind: "string", checks: [taskPrefix], description: `A key prefix the task ${what}.` },
    description,
  };
}

/**
 * The environment's own tasks, by name: each a TypeScript entry file (the construct and the
 * stacks bundle it) or a zip the package's bundle command built (the module), the prefixes it
 * reads and writes, and its function's settings. Read when the resources are built, never by
 * the functions.
 */
export const tasksField: MapField = {
  kind: "map",
  itemName: "task",
  default: {},
  buildTimeOnly: true,
  description:
    "The environment's own tasks, by name (what schedules name in `task`): each runs in a Lambda function of its own with the " +
    "run protocol's guarantees (docs/own-tasks.md), granted the protocol's areas and exactly the prefixes it declares.",
  key: { kind: "string", checks: [taskName], description: "The task's name, as its entry's `defineTask({ name })` says it." },
  value: {
    kind: "object",
    typeName: "OwnTask",
    description: "One own task.",
    fields: {
      entry: {
        kind: "string",
        only: "config",
        nonEmpty: "must not be empty",
        description:
          "The task's entry file (its default export `defineTask({ ... })`), relative to the app's working directory as for " +
          "aws-cdk's NodejsFunction, or absolute; bundled with esbuild (the package's optional peer) at synth.",
      },
      zip: {
        kind: "string",
        only: "module",
        nonEmpty: "must not be empty",
        checks: [fileExists],
        description:
          "The task's bundle, as `npx scheduled-task-processing bundle <entry> --out <zip>` built it (run it before `terraform " +
          'plan`): a path Terraform reads, such as `"${path.root}/ledger.zip"`.',
      },
      reads: prefixes(
        "reads",
        "Prefixes in the environment's bucket its sources wait under (`ledger/in/`): read, listed with their versions, and " +
          "removed once archived.",
      ),
      writes: prefixes("writes", "Prefixes in the environment's bucket it writes its outputs under (`ledger/out/`)."),
      memoryMb: {
        kind: "integer",
        range: RANGES.memoryMb,
        optional: true,
        defaultText: "the processor's `memoryMb`",
        description: "Memory of the task's function, in MB.",
      },
      timeoutSeconds: {
        kind: "integer",
        range: RANGES.timeoutSeconds,
        optional: true,
        defaultText: "the processor's `timeoutSeconds`",
        description: "Timeout of one invocation of the task's function, in seconds.",
      },
      logRetentionDays: {
        kind: "number",
        oneOf: LOG_RETENTION_DAYS,
        what: "a CloudWatch Logs retention",
        optional: true,
        defaultText: "the processor's `logRetentionDays`",
        description: "Days the task's log group keeps events.",
      },
    },
  },
};
