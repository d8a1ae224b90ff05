import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorProcess, startEmulatorProcess } from "../../scripts/lib/emulator-process";

/** Where the run's shared emulator listens, for every worker (see emulator.ts). */
export const SHARED_EMULATOR_ENV = "TEST_EMULATOR_ENDPOINT";

/** Read by global-teardown.ts, which runs in this same process. */
export const sharedEmulator: { current?: EmulatorProcess } = ((
  globalThis as { __sharedEmulator?: { current?: EmulatorProcess } }
).__sharedEmulator ??= {});

/**
 * Once for the whole test run: synthesizes the three shipped environments (test files read the
 * stacks from SYNTH_OUTDIR instead of each synthesizing them again) and starts one S3/SNS/SQS
 * emulator that every test file shares.
 */
export default async function globalSetup(): Promise<void> {
  const emulator = startEmulatorProcess();
  const { buildApp } = await import("../../main");
  const outdir = mkdtempSync(join(tmpdir(), "scheduled-task-processing-synth-"));
  buildApp(outdir).synth();
  process.env.SYNTH_OUTDIR = outdir;
  sharedEmulator.current = await emulator;
  process.env[SHARED_EMULATOR_ENV] = sharedEmulator.current.endpoint;
  // The workers, and the terraform they start, inherit this: the AWS provider builds its whole
  // schema at every start, and fewer garbage collections make that about a tenth faster.
  process.env.GOGC ??= "400";
}
