import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export interface Invocation {
  readonly ok: boolean;
  readonly result?: any;
  readonly error?: { name: string; message: string };
  /** How long the handler ran, and the process's peak resident memory. */
  readonly durationMs?: number;
  readonly maxRssMb?: number;
  /** Every JSON line the function wrote to stdout (logs and embedded metrics). */
  readonly lines: any[];
  readonly stderr: string;
}

export interface InvokeOptions {
  readonly remainingMs?: number;
  /** Called with the process running the handler (to kill it mid-run, say). */
  readonly onStart?: (child: ChildProcess) => void;
}

/**
 * Runs the bundled handler at `bundle` in its own Node process with only `env` (and PATH),
 * like a Lambda cold start. Used by the tests and the benchmarks.
 */
export function invokeBundled(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  options: InvokeOptions = {},
): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, "run-bundled-handler.js")], {
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
      const lines = stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line));
      if (!outcome) return resolve({ ok: false, error: { name: "ProcessError", message: stderr.trim() }, lines, stderr });
      resolve({ ...JSON.parse(outcome), lines, stderr });
    });
    child.stdin!.end(JSON.stringify({ bundle, event, remainingMs: options.remainingMs }));
  });
}
