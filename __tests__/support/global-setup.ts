import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Synthesizes the three shipped environments once for the whole test run; test files read the
 * stacks from SYNTH_OUTDIR instead of each synthesizing them again.
 */
export default async function globalSetup(): Promise<void> {
  const { buildApp } = await import("../../main");
  const outdir = mkdtempSync(join(tmpdir(), "scheduled-task-processing-synth-"));
  buildApp(outdir).synth();
  process.env.SYNTH_OUTDIR = outdir;
  // The workers, and the terraform they start, inherit this: the AWS provider builds its whole
  // schema at every start, and fewer garbage collections make that about a tenth faster.
  process.env.GOGC ??= "400";
}
