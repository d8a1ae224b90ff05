import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { environmentNames } from "../environments";
import { buildApp } from "../main";
import { findTerraform } from "../scripts/lib/offline-terraform";
import { prepareStack, runTerraform } from "../scripts/lib/terraform-runner";
import { repeat, type Summary } from "./lib/stats";

/** terraform validate and offline plan of each environment, after one init. */
export async function benchTerraform(runs: number) {
  if (!findTerraform()) return { skipped: "terraform is not on PATH" };
  const outdir = mkdtempSync(join(tmpdir(), "bench-terraform-"));
  buildApp(outdir).synth();
  const results: Record<string, { validateMs: Summary; planMs: Summary }> = {};
  for (const name of environmentNames()) {
    const directory = join(outdir, "work", name);
    cpSync(join(outdir, "stacks", name), directory, { recursive: true });
    const env = await prepareStack(directory, { offline: true });
    const timed = (args: string[]) => async () => {
      const started = performance.now();
      await runTerraform(args[0] as "validate" | "plan", args, directory, env);
      return performance.now() - started;
    };
    results[name] = {
      validateMs: await repeat(runs, timed(["validate", "-no-color"])),
      planMs: await repeat(runs, timed(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"])),
    };
  }
  return results;
}
