import { writeFileSync } from "node:fs";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import { ONE_TIME_SCHEDULE_PREFIX, resourceNames } from "../core/naming";
import { loadEnvironment } from "../environments/load";
import { type EnvironmentConfig, isTaskSchedule } from "../modules/config/schema";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { type CommandIo, operatorClients, parseCommandArgs, parseInstant, runAsProcess } from "./lib/run-history/command-line";
import { readHistory } from "./lib/run-history/read-history";
import { historyHtml } from "./lib/run-history/render-html";
import { historyJsonLines, historyNotes, historyTable } from "./lib/run-history/render-text";
import type { Window } from "./lib/run-history/schedule-times";

const USAGE = "usage: npm run runs -- <env> [--schedule <name>] [--from <iso>] [--to <iso>] [--bucket <name>] [--json] [--html <file>]";

/** The default window: the last 7 days. */
export const DEFAULT_WINDOW_DAYS = 7;

export interface RunsDependencies extends CommandIo {
  /** The clients to read with; by default the SDK's usual chain in the environment's region. */
  readonly clients?: (region: string) => { s3: S3Client; scheduler?: SchedulerClient };
  readonly loadEnvironment?: (name: string) => EnvironmentConfig;
}

/** What a command's options say about a window: --from and --to, or the last `days` days. */
export function windowOf(values: Readonly<Record<string, string>>, now: Date, days: number): Window | { problem: string } {
  const to = values["--to"] ? parseInstant("--to", values["--to"]) : now;
  if ("problem" in to) return to;
  const from = values["--from"] ? parseInstant("--from", values["--from"]) : new Date(to.getTime() - days * 86_400_000);
  if ("problem" in from) return from;
  if (from.getTime() > to.getTime()) return { problem: `--from (${from.toISOString()}) must not be after --to (${to.toISOString()})` };
  return { from, to };
}

/**
 * `npm run runs`: every time each schedule of an environment should have fired in the window,
 * beside what the bucket records for it, and the runs that were not scheduled.
 */
export async function runRunsCommand(args: readonly string[], deps: RunsDependencies): Promise<number> {
  const parsed = parseCommandArgs(args, ["--schedule", "--from", "--to", "--bucket", "--html"], ["--json"]);
  if ("problem" in parsed || parsed.positional.length !== 1) {
    deps.err(`${"problem" in parsed ? `${parsed.problem}\n` : ""}${USAGE}\n`);
    return 2;
  }
  const now = deps.now();
  const window = windowOf(parsed.values, now, DEFAULT_WINDOW_DAYS);
  if ("problem" in window) {
    deps.err(`${window.problem}\n`);
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
  const only = parsed.values["--schedule"];
  if (only && !only.startsWith(ONE_TIME_SCHEDULE_PREFIX) && !config.schedules.some((s) => s.name === only)) {
    deps.err(
      `${config.name} has no schedule ${JSON.stringify(only)}; its schedules: ${config.schedules.map((s) => s.name).join(", ")} ` +
        `(and the scheduling API's ${ONE_TIME_SCHEDULE_PREFIX}*)\n`,
    );
    return 2;
  }
  const names = resourceNames(config);
  const bucket = parsed.values["--bucket"] ?? names.bucket;
  const { s3, scheduler } = (deps.clients ?? operatorClients)(config.region);
  const history = await readHistory({
    s3,
    scheduler,
    bucket,
    groupName: names.scheduleGroup,
    // A target's schedule leaves no run record: its history is Scheduler's metrics.
    schedules: config.schedules.filter(isTaskSchedule),
    only,
    window,
    now,
  });
  for (const note of historyNotes(history)) deps.err(`note: ${note}\n`);
  if (parsed.flags.has("--json")) deps.out(historyJsonLines(history));
  else
    deps.out(
      `Runs of ${config.name} from s3://${bucket}, ${window.from.toISOString()} to ${window.to.toISOString()}\n\n` +
        `${historyTable(history)}\n`,
    );
  const html = parsed.values["--html"];
  if (html) {
    writeFileSync(html, historyHtml(history, { environment: config.name, window, generatedAt: now }));
    deps.err(`wrote the grid of runs to ${html}\n`);
  }
  return 0;
}

if (require.main === module) runAsProcess("runs", runRunsCommand);
