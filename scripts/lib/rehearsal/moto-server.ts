import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { findExecutable } from "../offline-terraform";

/** The moto release the rehearsal's known emulator differences were read from. */
export const MOTO_VERSION = "5.2.1";

/** moto's server (`moto_server`, from `pip install "moto[server]"`) on PATH, or undefined. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable("moto_server", env);
}

export interface MotoServer {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly pid: number;
  /** The account STS answers with (MOTO_ACCOUNT_ID): the stack's own, so allowed_account_ids holds. */
  readonly accountId: string;
  /** Where the server's own log goes. */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Servers still running, stopped by pid if the rehearsal exits without stopping them. */
const running = new Map<number, ChildProcess>();
process.once("exit", () => {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** A port nothing listens on now (the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts moto's server on loopback, on a free port, answering as `accountId`, and waits until
 * it answers. Each target gets its own: its own account, and nothing of another target in it.
 */
export async function startMotoServer(accountId: string, logFile: string, env: NodeJS.ProcessEnv = process.env): Promise<MotoServer> {
  const executable = findMotoServer(env);
  if (!executable) throw new Error("moto_server is not on PATH");
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const log = createWriteStream(logFile);
  const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], {
    env: { ...env, MOTO_ACCOUNT_ID: accountId },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`moto_server did not start: ${executable}`);
  running.set(pid, child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => running.delete(pid));

  const deadline = Date.now() + 60_000;
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}):\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s`);
    }
    ready = await fetch(`${endpoint}/moto-api/`).then(
      () => true,
      () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200)),
    );
  }
  return {
    endpoint,
    pid,
    accountId,
    logFile,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, "SIGTERM");
      const killed = setTimeout(() => process.kill(pid, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(killed);
    },
  };
}
