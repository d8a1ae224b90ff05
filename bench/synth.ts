import { join } from "node:path";
import { environmentNames } from "../environments";
import { probe, run } from "./lib/processes";
import { repeat, type Summary, summarise } from "./lib/stats";

interface SynthProbe {
  importMs: number;
  synthMs: number;
  totalMs: number;
  maxRssMb: number;
}

const PROBE = join(__dirname, "probes", "synth.ts");

export async function benchSynth(runs: number) {
  const samples: SynthProbe[] = [];
  for (let i = 0; i < runs; i++) samples.push(await probe<SynthProbe>(PROBE, ["all"]));
  const inProcess = summarise(samples.map((s) => s.synthMs));
  const imports = summarise(samples.map((s) => s.importMs));
  const perEnvironment: Record<string, Summary> = {};
  for (const name of environmentNames())
    perEnvironment[name] = await repeat(runs, async () => (await probe<SynthProbe>(PROBE, ["env", name])).synthMs);
  const cli = await repeat(Math.min(runs, 3), async () => {
    const result = await run("npx", ["cdktf", "synth"], { env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    if (result.code !== 0) throw new Error(`cdktf synth failed:\n${result.stderr}`);
    return result.wallMs;
  });
  return { inProcessAllMs: inProcess, importMs: imports, perEnvironmentMs: perEnvironment, cdktfSynthCliMs: cli };
}

export async function benchScaling(runs: number) {
  const sizes = [10, 100, 1000];
  const results: Record<string, { synthMs: Summary; maxRssMb: Summary }> = {};
  for (const size of sizes) {
    const samples: SynthProbe[] = [];
    for (let i = 0; i < runs; i++) samples.push(await probe<SynthProbe>(PROBE, ["schedules", String(size)]));
    results[size] = { synthMs: summarise(samples.map((s) => s.synthMs)), maxRssMb: summarise(samples.map((s) => s.maxRssMb)) };
  }
  return { bySchedules: results, ratio1000to100: results[1000].synthMs.median / results[100].synthMs.median };
}
