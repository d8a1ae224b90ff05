import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface EmulatorProcess {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL or a client's endpoint. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the S3/SNS/SQS emulator (fauxqs, ES-module only) in its own process and waits for its
 * address. Used by the tests and the benchmarks; `nodeArgs` let a benchmark give it more heap.
 */
export async function startEmulatorProcess(nodeArgs: readonly string[] = []): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, "fauxqs-server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line).address));
    child.once("exit", (code) => reject(new Error(`emulator exited early with code ${code}`)));
  });
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
