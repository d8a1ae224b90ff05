import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { ownTaskFunctionName, resourceNames } from "../../../core/naming";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { cachedTaskBundle } from "../../../modules/bundling/task-bundle-cache";
import { type EnvironmentConfig, isOwnTaskSchedule, type TaskScheduleConfig } from "../../../modules/config/schema";

/** Where a task schedule's runs happen: the processor for a built-in task, the task's own function for an own task. */
export interface RunFunction {
  /** The Lambda function Scheduler invokes for this schedule, which backfill and run now invoke too. */
  readonly functionName: string;
  /** What runs with --local, for the operator's messages: "the bundled processor", "the own task ledger's bundle". */
  readonly localDescription: string;
  /** The bundled script that function runs, to run it here (--local): built or read from the bundle cache. */
  localScript(): string;
}

export function runFunctionOf(config: EnvironmentConfig, schedule: TaskScheduleConfig): RunFunction {
  const names = resourceNames(config);
  if (!isOwnTaskSchedule(schedule))
    return {
      functionName: names.processorFunction,
      localDescription: "the bundled processor",
      localScript: () => bundleFunction("processor").scriptPath,
    };
  const task = schedule.task;
  return {
    functionName: ownTaskFunctionName(names.prefix, task),
    localDescription: `the own task ${task}'s bundle`,
    localScript() {
      const declared = config.tasks[task];
      if (!declared?.entry) throw new Error(`${config.name} declares no entry for the task ${task}: it cannot run here`);
      // The zip the stack deploys, its one file unpacked for this process to load.
      const zip = cachedTaskBundle(declared.entry, { runtime: config.processor.runtime }).zipPath;
      const script = join(mkdtempSync(join(tmpdir(), `task-${task}-`)), "index.js");
      writeFileSync(script, unzipSync(readFileSync(zip))["index.js"]);
      return script;
    },
  };
}

/** Every function an operator may start runs on: the processor and each own task's. */
export function runFunctionNames(
  config: Parameters<typeof resourceNames>[0] & { readonly tasks?: Readonly<Record<string, unknown>> },
): string[] {
  const names = resourceNames(config);
  return [names.processorFunction, ...Object.keys(config.tasks ?? {}).map((task) => ownTaskFunctionName(names.prefix, task))];
}
