import { LambdaClient } from "@aws-sdk/client-lambda";
import { resourceNames } from "../core/naming";
import { runsWhat } from "../core/schedule-targets";
import { loadEnvironment } from "../environments/load";
import { type EnvironmentConfig, isTaskSchedule } from "../modules/config/schema";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { type CommandIo, parseCommandArgs, runAsProcess } from "./lib/run-history/command-line";
import { type Invoke, lambdaInvoker, manualEvent } from "./lib/run-history/fire";
import { startLocalProcessor } from "./lib/run-history/local-processor";
import { runFunctionOf } from "./lib/run-history/run-function";

const USAGE = "usage: npm run trigger -- <env> <schedule> [--local] [--bucket <name>]";

export interface TriggerDependencies extends CommandIo {
  /**
   * How the run is started; by default Lambda Invoke of the schedule's function (the processor or the own
   * task's), or its bundle here with --local.
   */
  readonly invoker?: Invoke;
  readonly loadEnvironment?: (name: string) => EnvironmentConfig;
}

/**
 * `npm run trigger`: runs a schedule now, recorded like a scheduled run under its own identity:
 * the schedule's event with this second as its scheduled time and an execution id
 * `manual-<uuid>`, sent to the processor as Scheduler sends it (or, with --local, run here by
 * the bundled processor against the emulator). Run now ignores the schedule's excluded dates.
 */
export async function runTriggerCommand(args: readonly string[], deps: TriggerDependencies): Promise<number> {
  const parsed = parseCommandArgs(args, ["--bucket"], ["--local"]);
  if ("problem" in parsed || parsed.positional.length !== 2) {
    deps.err(`${"problem" in parsed ? `${parsed.problem}\n` : ""}${USAGE}\n`);
    return 2;
  }
  const [envName, scheduleName] = parsed.positional;
  if (parsed.values["--bucket"] && !parsed.flags.has("--local")) {
    deps.err(`--bucket goes with --local: a run in AWS uses the bucket its processor is given\n${USAGE}\n`);
    return 2;
  }
  let config: EnvironmentConfig;
  try {
    config = (deps.loadEnvironment ?? loadEnvironment)(envName);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) deps.err(`${formatProblem(problem)}\n`);
    return error.exitCode;
  }
  const schedule = config.schedules.find((s) => s.name === scheduleName);
  if (!schedule) {
    deps.err(
      `${config.name} has no schedule ${JSON.stringify(scheduleName)}; its schedules: ${config.schedules.map((s) => s.name).join(", ")}\n`,
    );
    return 2;
  }
  if (!isTaskSchedule(schedule)) {
    deps.err(`${schedule.name} invokes ${runsWhat(schedule)}, not a task: run now runs tasks\n`);
    return 2;
  }
  const names = resourceNames(config);
  // A built-in task runs on the processor, an own task on its own function: the one Scheduler invokes for this schedule.
  const runs = runFunctionOf(config, schedule);
  const local = parsed.flags.has("--local")
    ? await startLocalProcessor({
        environment: config.name,
        region: config.region,
        bucket: parsed.values["--bucket"] ?? names.bucket,
        topicName: names.topic,
        timeoutSeconds: config.processor.timeoutSeconds,
        sourceConcurrency: config.processor.concurrency,
        log: deps.err,
        script: runs.localScript,
      })
    : undefined;
  try {
    const invoke = deps.invoker ?? local?.invoke ?? lambdaInvoker(new LambdaClient({ region: config.region }), runs.functionName);
    const event = manualEvent(schedule, config.name, deps.now());
    const answer = await invoke(event);
    deps.out(`${event.scheduled_time} ${event.execution_id} ${answer}\n`);
    deps.err(
      `ran ${schedule.name} now ${local ? `through ${runs.localDescription} here` : `on ${runs.functionName}`}; ` +
        `npm run runs -- ${config.name} --schedule ${schedule.name} lists it\n`,
    );
    return answer.startsWith("failed") ? 1 : 0;
  } finally {
    await local?.stop();
  }
}

if (require.main === module) runAsProcess("trigger", runTriggerCommand);
