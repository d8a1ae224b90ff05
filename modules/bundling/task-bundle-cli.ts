#!/usr/bin/env node
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { bundleTask, TASK_RUNTIMES, TaskBundleError, type TaskRuntime } from "./task-bundle";

const USAGE = `Usage: scheduled-task-processing bundle <entry> [--out <zip>] [--runtime ${Object.keys(TASK_RUNTIMES).join(" | ")}]

Bundles a task's entry file (its default export: defineTask({ name, payload?, run })) into a
Lambda zip whose handler is index.handler, for the Terraform module or any function that runs it.
  --out       where the zip goes (default: the entry's name with .zip, beside it)
  --runtime   the function's Lambda runtime; the bundle targets its Node release (default: nodejs22.x)`;

/** `scheduled-task-processing bundle ./ledger.ts --out ledger.zip`: the package's command line. */
export function main(args: readonly string[], print: (line: string) => void = console.log): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    print(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const [command, entry, ...rest] = positionals;
  if (command !== "bundle" || !entry || rest.length > 0) {
    print(command === "bundle" && !entry ? `bundle needs the task's entry file\n\n${USAGE}` : USAGE);
    return 2;
  }
  const runtime = values.runtime as TaskRuntime | undefined;
  if (runtime !== undefined && !(runtime in TASK_RUNTIMES)) {
    print(`--runtime must be one of ${Object.keys(TASK_RUNTIMES).join(", ")}, got ${JSON.stringify(runtime)}`);
    return 2;
  }
  try {
    const bundle = bundleTask(entry, { out: values.out, runtime });
    print(
      `bundled task ${bundle.taskName} into ${relative(process.cwd(), bundle.zipPath) || bundle.zipPath} ` +
        `(${bundle.zipBytes} bytes, handler index.handler, ${runtime ?? "nodejs22.x"}, sha256 ${bundle.sha256Base64})`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof TaskBundleError) && !isBuildFailure(error)) throw error;
    print(`could not bundle ${entry}: ${(error as Error).message}`);
    return 1;
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { out: { type: "string" }, runtime: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
}

/** esbuild's own failure (a syntax error in the task, an import it cannot resolve): its message says where. */
function isBuildFailure(error: unknown): boolean {
  return Array.isArray((error as { errors?: unknown })?.errors);
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
