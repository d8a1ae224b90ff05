import { LambdaClient } from "@aws-sdk/client-lambda";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import { resourceNames } from "../core/naming";
import { runsWhat } from "../core/schedule-targets";
import { loadEnvironment } from "../environments/load";
import { type EnvironmentConfig, isTaskSchedule } from "../modules/config/schema";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { type CommandIo, operatorClients, parseCommandArgs, parseInstant, runAsProcess } from "./lib/run-history/command-line";
import {
  BACKFILL_INVOCATIONS_PER_SECOND,
  backfillTimes,
  fireAtRate,
  type Invoke,
  lambdaInvoker,
  scheduledEvent,
} from "./lib/run-history/fire";
import { startLocalProcessor } from "./lib/run-history/local-processor";
import { readHistory } from "./lib/run-history/read-history";
import { historyNotes } from "./lib/run-history/render-text";
import { runFunctionOf } from "./lib/run-history/run-function";

const USAGE =
  "usage: npm run backfill -- <env> --schedule <name> --from <iso> --to <iso> [--dry-run] [--include-failed] [--local] [--bucket <name>]";

export interface BackfillDependencies extends CommandIo {
  /** The clients to read history with; by default the SDK's usual chain in the environment's region. */
  readonly clients?: (region: string) => { s3: S3Client; scheduler?: SchedulerClient };
  /**
   * How a run is started; by default Lambda Invoke of the schedule's function (the processor or the own
   * task's), or its bundle here with --local.
   */
  readonly invoker?: Invoke;
  readonly loadEnvironment?: (name: string) => EnvironmentConfig;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * `npm run backfill`: fires each time a schedule missed in the window (and with
 * --include-failed each one that failed) as Scheduler would have: the schedule's event, that
 * scheduled time, an execution id `backfill-<uuid>`. Exactly-once makes a second backfill, or
 * one that meets a live run, harmless: a run already done is not done again.
 *
 * stdout carries one line a time: the time alone with --dry-run, else the time, the execution
 * id and what the processor said. Everything else goes to stderr.
 */
export async function runBackfillCommand(args: readonly string[], deps: BackfillDependencies): Promise<number> {
  const parsed = parseCommandArgs(args, ["--schedule", "--from", "--to", "--bucket"], ["--dry-run", "--include-failed", "--local"]);
  if ("problem" in parsed || parsed.positional.length !== 1) {
    deps.err(`${"problem" in parsed ? `${parsed.problem}\n` : ""}${USAGE}\n`);
    return 2;
  }
  const missing = ["--schedule", "--from", "--to"].filter((option) => parsed.values[option] === undefined);
  if (missing.length > 0) {
    deps.err(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} required\n${USAGE}\n`);
    return 2;
  }
  const from = parseInstant("--from", parsed.values["--from"]);
  const to = parseInstant("--to", parsed.values["--to"]);
  for (const problem of [from, to].filter((d): d is { problem: string } => "problem" in d)) deps.err(`${problem.problem}\n`);
  if ("problem" in from || "problem" in to) return 2;
  if (from.getTime() > to.getTime()) {
    deps.err(`--from (${from.toISOString()}) must not be after --to (${to.toISOString()})\n`);
    return 2;
  }
  let config: EnvironmentConfig;
  try {
    config = (deps.loadEnvironment ?? loadEnvironment)(parsed.positional[0]);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) deps.err(`${formatProblem(problem)}\n`);
    return error.exitCode;
  }
  const schedule = config.schedules.find((s) => s.name === parsed.values["--schedule"]);
  if (!schedule) {
    deps.err(
      `${config.name} has no schedule ${JSON.stringify(parsed.values["--schedule"])}; its schedules: ` +
        `${config.schedules.map((s) => s.name).join(", ")}\n`,
    );
    return 2;
  }
  if (!isTaskSchedule(schedule)) {
    deps.err(`${schedule.name} invokes ${runsWhat(schedule)}, not a task: it has no runs to backfill\n`);
    return 2;
  }
  const names = resourceNames(config);
  // A built-in task runs on the processor, an own task on its own function: the one Scheduler invokes for this schedule.
  const runs = runFunctionOf(config, schedule);
  const bucket = parsed.values["--bucket"] ?? names.bucket;
  const local = parsed.flags.has("--local")
    ? await startLocalProcessor({
        environment: config.name,
        region: config.region,
        bucket,
        topicName: names.topic,
        timeoutSeconds: config.processor.timeoutSeconds,
        sourceConcurrency: config.processor.concurrency,
        log: deps.err,
        script: runs.localScript,
      })
    : undefined;
  try {
    // With --local, history is read where the processor runs (the variables above now say where).
    const { s3, scheduler } = (deps.clients ?? operatorClients)(config.region);
    const now = deps.now();
    const history = await readHistory({
      s3,
      scheduler,
      bucket,
      groupName: names.scheduleGroup,
      schedules: config.schedules.filter(isTaskSchedule),
      only: schedule.name,
      window: { from, to },
      now,
    });
    for (const note of historyNotes(history)) deps.err(`note: ${note}\n`);
    const entries = history.schedules.find((s) => s.name === schedule.name)?.entries ?? [];
    const targets = backfillTimes(entries, parsed.flags.has("--include-failed"));
    const counts =
      `${targets.filter((t) => t.state === "missed").length} missed` +
      (parsed.flags.has("--include-failed") ? `, ${targets.filter((t) => t.state === "failed").length} failed` : "");
    if (parsed.flags.has("--dry-run")) {
      for (const target of targets) deps.out(`${target.scheduledTime}\n`);
      deps.err(`would fire ${targets.length} time${targets.length === 1 ? "" : "s"} of ${schedule.name} (${counts}); fired nothing\n`);
      return 0;
    }
    const invoke = deps.invoker ?? local?.invoke ?? lambdaInvoker(new LambdaClient({ region: config.region }), runs.functionName);
    const events = targets.map((target) => scheduledEvent(schedule, config.name, target.scheduledTime, "backfill"));
    // Runs here are awaited one by one; Lambda's are paced, since each starts a run of its own.
    const perSecond = local ? Number.POSITIVE_INFINITY : BACKFILL_INVOCATIONS_PER_SECOND;
    let failed = 0;
    await fireAtRate(
      events,
      invoke,
      perSecond,
      (event, answer) => {
        if (answer.startsWith("failed")) failed++;
        deps.out(`${event.scheduled_time} ${event.execution_id} ${answer}\n`);
      },
      deps.sleep,
    );
    deps.err(
      `fired ${targets.length} time${targets.length === 1 ? "" : "s"} of ${schedule.name} (${counts}) ` +
        `${local ? `through ${runs.localDescription} here` : `to ${runs.functionName}`}` +
        `${failed > 0 ? `; ${failed} of them failed` : ""}\n`,
    );
    return failed > 0 ? 1 : 0;
  } finally {
    await local?.stop();
  }
}

if (require.main === module) runAsProcess("backfill", runBackfillCommand);
