import { spawn } from "node:child_process";
import { join } from "node:path";
import { loadEnvironment } from "../../environments/load";
import { bundleFunction } from "../../modules/bundling/function-bundle";
import { invokeBundled } from "../../scripts/lib/invoke-bundled";
import { scheduledEvent } from "../../scripts/lib/run-history/fire";
import type { HistorySchedule } from "../../scripts/lib/run-history/schedule-times";
import type { ProxiedAws, Sandbox } from "./emulator";

const ROOT = join(__dirname, "..", "..");

/** dev's daily report: 09:00 in New York, Monday to Friday. */
export const DAILY_REPORT = loadEnvironment("dev").schedules.find((s) => s.name === "daily-report")! as HistorySchedule;
/** Monday 2026-11-16 to Saturday 2026-11-21: five scheduled times, 14:00 UTC (EST). */
export const WEEK = { from: "2026-11-16T00:00:00Z", to: "2026-11-21T00:00:00Z" };
export const WEEK_TIMES = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"].map((d) => `${d}T14:00:00Z`);

/** Runs the schedule's event for `time` through the bundled processor against the emulator, as Scheduler and Lambda would. */
export async function runAt(
  aws: ProxiedAws,
  sandbox: Sandbox,
  time: string,
  change: { executionId?: string; schedule?: HistorySchedule; extra?: Record<string, unknown>; env?: Record<string, string> } = {},
) {
  const event = {
    ...scheduledEvent(change.schedule ?? DAILY_REPORT, "dev", time, "backfill"),
    execution_id: change.executionId ?? "5a1e0000-0000-4000-8000-000000000001",
    ...change.extra,
  };
  return invokeBundled(bundleFunction("processor").scriptPath, event, {
    ...aws.awsEnv,
    BUCKET_NAME: sandbox.bucket,
    TOPIC_ARN: sandbox.topicArn,
    ENVIRONMENT: "dev",
    ...change.env,
  });
}

/**
 * An operator's command run as `npm run <command>` runs it, pointed at the emulator by
 * AWS_ENDPOINT_URL. Asynchronous: the proxy it talks to runs in this process.
 */
export function operatorCommand(
  aws: ProxiedAws,
  sandbox: Pick<Sandbox, "topicArn">,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", `${command}.ts`), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...aws.awsEnv, TOPIC_ARN: sandbox.topicArn, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The JSON lines of `runs --json`, by scheduled time. */
export function byTime(stdout: string): Record<string, any> {
  const lines = stdout
    .trim()
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
  return Object.fromEntries(lines.map((l) => [l.scheduledTime, l]));
}
