import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export interface Invocation {
  readonly ok: boolean;
  readonly result?: any;
  readonly error?: { name: string; message: string };
  /** How long the handler ran, and the peak resident memory of the handler's process alone (its VmHWM). */
  readonly durationMs?: number;
  readonly maxRssMb?: number;
  /** The version of the Node that ran the handler (`24.11.0`). */
  readonly nodeVersion?: string;
  /** The awsRequestId of the Lambda context the handler was given. */
  readonly requestId?: string;
  /** When the invocation started and ended (epoch milliseconds). */
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Every JSON line the function wrote to stdout (logs and embedded metrics). */
  readonly lines: any[];
  readonly stderr: string;
}

export interface InvokeOptions {
  readonly remainingMs?: number;
  /** The `node` to run it with (say, the Node 24 a nodejs24.x bundle meets in Lambda). @default this process's */
  readonly node?: string;
  /** Called with the process running the handler (to kill it mid-run, say). */
  readonly onStart?: (child: ChildProcess) => void;
}

/**
 * Runs the bundled handler at `bundle` in its own Node process with only `env` (and PATH),
 * like a Lambda cold start. Used by the tests and the benchmarks.
 */
export async function invokeBundled(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  options: InvokeOptions = {},
): Promise<Invocation> {
  const { outcomes, stdout, stderr } = await runBundled(bundle, [event], env, options);
  return { ...outcomes[0], lines: jsonLines(stdout), stderr };
}

/**
 * Runs `events` one after another in one process, as one Lambda container would: a cold start,
 * then warm invocations. Each invocation's lines are those written while it ran.
 */
export async function invokeBundledWarm(
  bundle: string,
  events: readonly unknown[],
  env: Record<string, string>,
  options: InvokeOptions = {},
): Promise<Invocation[]> {
  const { outcomes, stdout, stderr } = await runBundled(bundle, events, env, options);
  const sections = stdout.split(/^--- invocation .*$/m).slice(1);
  return outcomes.map((outcome, index) => ({ ...outcome, lines: jsonLines(sections[index] ?? ""), stderr }));
}

/** The JSON lines of a function's stdout: its logs and embedded metrics. */
function jsonLines(stdout: string): any[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

/** What the runner reports of one invocation; its lines are split from stdout afterwards. */
type Outcome = Omit<Invocation, "lines" | "stderr">;

function runBundled(
  bundle: string,
  events: readonly unknown[],
  env: Record<string, string>,
  options: InvokeOptions,
): Promise<{ outcomes: Outcome[]; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [join(__dirname, "run-bundled-handler.js")], {
      env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1", ...env },
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let outcome = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk) => (outcome += chunk));
    child.on("error", reject);
    options.onStart?.(child);
    child.on("close", () => {
      if (!outcome) return resolve({ outcomes: [{ ok: false, error: { name: "ProcessError", message: stderr.trim() } }], stdout, stderr });
      resolve({ outcomes: JSON.parse(outcome), stdout, stderr });
    });
    child.stdin!.end(JSON.stringify({ bundle, events, remainingMs: options.remainingMs }));
  });
}
