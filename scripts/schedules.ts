import { excludedDateOf, excludedDatesProblems } from "../core/excluded-dates";
import { formatLocal, isIanaTimeZone, nextRuns, ScheduleExpressionError } from "../core/schedule-expression";
import { whyNeverFires, whyNoRunAfter } from "../core/schedule-expression/schedule-timing";
import { timeZoneSuggestion } from "../core/schedule-expression/time-zone-suggestions";
import { runsWhat } from "../core/schedule-targets";
import { loadEnvironment } from "../environments/load";
import { missedRunWindow } from "../modules/config/missed-run-window";
import type { EnvironmentConfig } from "../modules/config/schema";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { validateModuleInputs } from "../modules/tooling/terraform-module/module-inputs";
import { readConfigFile } from "./lib/config-file";
import { renderTable } from "./lib/table";

const USAGE = `usage: npm run --silent schedules -- next "<expression>" [--tz <IANA zone>] [--from <ISO-8601>] [--count <n>]
         [--exclude <date or range>,...]
       npm run schedules -- list <env>
       npm run schedules -- list --tfvars <file.tfvars.json>`;

/** `2026-11-23T14:00:00Z`: the output format of `next`, one instant a line. */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A schedule's excluded dates, where it has them. */
function excludedDatesOf(schedule: object): readonly string[] | undefined {
  const { exclude } = schedule as { exclude?: readonly string[] };
  return exclude && exclude.length > 0 ? exclude : undefined;
}

/** ` skipped: 2026-12-25 is excluded` after a run that falls on one of the schedule's excluded dates. */
function skippedMark(run: Date, timezone: string, exclude: readonly string[] | undefined): string {
  const excluded = excludedDateOf(run, timezone, exclude);
  return excluded ? ` skipped: ${excluded} is excluded` : "";
}

/**
 * The schedules of an environment with their next runs, in local time and UTC (a run on an
 * excluded date marked skipped), then each schedule's excluded dates.
 */
export function scheduleTable(config: EnvironmentConfig, from: Date, count = 3): string {
  const rows = config.schedules.map((schedule) => {
    const exclude = excludedDatesOf(schedule);
    const runs = nextRuns(schedule.expression, {
      timezone: schedule.timezone,
      from,
      count,
      startDate: schedule.startDate ? new Date(schedule.startDate) : undefined,
      endDate: schedule.endDate ? new Date(schedule.endDate) : undefined,
    });
    const shown =
      runs.length === 0
        ? "none (past or out of range)"
        : runs
            .map((r) => `${formatLocal(r.getTime(), schedule.timezone)} (${formatUtc(r)})${skippedMark(r, schedule.timezone, exclude)}`)
            .join("\n");
    return [schedule.name, schedule.expression, schedule.timezone, schedule.enabled ? "ENABLED" : "DISABLED", runsWhat(schedule), shown];
  });
  // One line per next run: continuation lines leave the other columns empty.
  const lines = rows.flatMap((row) =>
    row[5].split("\n").map((run, i) => (i === 0 ? [...row.slice(0, 5), run] : ["", "", "", "", "", run])),
  );
  const table = renderTable(["schedule", "expression", "time zone", "state", "task or target", "next runs: local (UTC)"], lines);
  const excluded = config.schedules.flatMap((s) => {
    const exclude = excludedDatesOf(s);
    return exclude ? [`  ${s.name} (${s.timezone}): ${exclude.join(", ")}`] : [];
  });
  return excluded.length === 0 ? table : `${table}\n\nExcluded dates (local, no run then: recorded as skipped):\n${excluded.join("\n")}`;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
}

export async function runSchedulesCommand(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  if (command === "next") return next(rest, io);
  if (command === "list" && rest.length === 2 && rest[0] === "--tfvars") return listModuleInputs(rest[1], io);
  if (command === "list" && rest.length === 1) {
    try {
      io.out(`${scheduleTable(loadEnvironment(rest[0]), io.now())}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const problem of error.problems) io.err(`${formatProblem(problem)}\n`);
      return error.exitCode;
    }
  }
  io.err(`${USAGE}\n`);
  return 2;
}

/**
 * The schedules of a module input file, with their next runs and the exact missed-run window
 * (the module bounds it from the expression's shape; paste this as `missed_run_alarm` to use it).
 */
async function listModuleInputs(path: string, io: Io): Promise<number> {
  const file = await readConfigFile(path);
  if ("problem" in file) {
    io.err(`${file.problem}\n`);
    return 1;
  }
  const { raw } = file;
  const result = validateModuleInputs(raw, { now: io.now() });
  for (const warning of result.warnings) io.err(`warning: ${formatProblem(warning)}\n`);
  if (!result.ok) {
    for (const problem of result.problems) io.err(`${formatProblem(problem)}\n`);
    return 1;
  }
  const config = result.config;
  io.out(`${scheduleTable(config, io.now())}\n\nMissed-run alarms (exact windows):\n`);
  const rows = config.schedules.map((s) => {
    if (!s.enabled || s.expression.startsWith("at(")) return [s.name, s.enabled ? "none (one-time)" : "none (disabled)"];
    if (s.task === undefined) return [s.name, "none: a target's schedule (Scheduler's group alarms watch its delivery)"];
    const window = missedRunWindow(s, config.processor.timeoutSeconds);
    return [
      s.name,
      window
        ? `missed_run_alarm = { period_seconds = ${window.periodSeconds}, evaluation_periods = ${window.evaluationPeriods} }`
        : "none: runs further apart than CloudWatch's 7-day range",
    ];
  });
  io.out(`${renderTable(["schedule", "window"], rows)}\n`);
  return 0;
}

function next(args: readonly string[], io: Io): number {
  const [expression, ...flags] = args;
  const options: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) {
    const [flag, value] = [flags[i], flags[i + 1]];
    if (!["--tz", "--from", "--count", "--exclude"].includes(flag) || value === undefined) {
      io.err(`${USAGE}\n`);
      return 2;
    }
    options[flag] = value;
  }
  if (!expression) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  const from = options["--from"] ? new Date(options["--from"]) : io.now();
  if (Number.isNaN(from.getTime())) {
    io.err(`--from ${JSON.stringify(options["--from"])} is not an ISO-8601 instant\n`);
    return 2;
  }
  const count = options["--count"] ? Number(options["--count"]) : 5;
  if (!Number.isInteger(count) || count < 1) {
    io.err(`--count ${JSON.stringify(options["--count"])} must be a positive whole number\n`);
    return 2;
  }
  const timezone = options["--tz"] ?? "UTC";
  if (!isIanaTimeZone(timezone)) {
    io.err(`time zone ${JSON.stringify(timezone)} is not an IANA time zone name${timeZoneSuggestion(timezone)}\n`);
    return 2;
  }
  // Excluded dates, comma-separated as a schedule's `exclude` lists them: each day or range checked.
  const exclude = options["--exclude"]?.split(",").map((entry) => entry.trim());
  const problems = exclude ? excludedDatesProblems(exclude) : [];
  if (problems.length > 0) {
    for (const p of problems) io.err(`--exclude${p.index === undefined ? "" : `[${p.index}]`}: ${p.reason}\n`);
    return 2;
  }
  try {
    const runs = nextRuns(expression, { timezone, from, count });
    // A valid expression with nothing to print says why, and fails: February 31, a past at(), years gone by.
    const never = whyNeverFires({ expression, timezone });
    const reason = never?.reason ?? (runs.length === 0 ? whyNoRunAfter({ expression, timezone }, from)?.reason : undefined);
    if (reason) {
      io.err(`${reason}\n`);
      return 1;
    }
    for (const run of runs) io.out(`${formatUtc(run)}${skippedMark(run, timezone, exclude)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    io.err(`${error.reason}\n`);
    return 2;
  }
}

if (require.main === module) {
  void runSchedulesCommand(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    now: () => new Date(),
  }).then((code) => (process.exitCode = code));
}
