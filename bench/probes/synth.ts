// Probe run in a fresh process: synthesizes environments and reports import and synth times.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { peakRssMb } from "../../scripts/lib/peak-rss.js";

const started = performance.now();
async function main() {
  const [mode, arg] = process.argv.slice(2);
  const { buildApp } = await import("../../main");
  const { App } = await import("cdktf");
  const { TaskProcessingStack } = await import("../../modules/constructs/task-processing-stack");
  const { buildFunctionBundles } = await import("../../modules/bundling/function-bundle");
  const { loadEnvironment } = await import("../../environments/load");
  const { validateEnvironment } = await import("../../modules/config/validate");
  const imported = performance.now();
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  if (mode === "all") buildApp(outdir).synth();
  else if (mode === "env") buildApp(outdir, [arg]).synth();
  else if (mode === "schedules") {
    // One environment with `arg` schedules, spread over cron and rate expressions.
    const base = loadEnvironment("prod");
    const count = Number(arg);
    const schedules = Array.from({ length: count }, (_, i) => ({
      ...base.schedules[i % base.schedules.length],
      name: `scale-${i}`,
      expression: i % 2 === 0 ? `cron(${i % 60} ${i % 24} * * ? *)` : `rate(${(i % 12) + 2} hours)`,
    }));
    const result = validateEnvironment({ ...base, schedules }, { expectedName: "prod" });
    if (!result.ok) throw new Error(result.problems.map((p) => p.reason).join("; "));
    const app = new App({ outdir });
    new TaskProcessingStack(app, { config: result.config, bundles: buildFunctionBundles() });
    app.synth();
  }
  const done = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      importMs: imported - started,
      synthMs: done - imported,
      totalMs: done - started,
      maxRssMb: peakRssMb(),
    })}\n`,
  );
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
