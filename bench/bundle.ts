import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bundleFunction, PROJECT_ROOT, type SdkPackaging } from "../modules/bundling/function-bundle";
import { run } from "./lib/processes";
import { summarise } from "./lib/stats";

/** The processor as released in 0.2.0, before Powertools: the load-time baseline, built from git. */
export const BASELINE = { ref: "002b627", label: "0.2.0, before Powertools," } as const;

const LOAD_ENV = {
  ...process.env,
  ENVIRONMENT: "bench",
  BUCKET_NAME: "b",
  TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:t",
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

/** Milliseconds to `require` a script in a fresh Node process. */
async function loadMs(script: string): Promise<number> {
  const result = await run(
    process.execPath,
    ["-e", `const t=performance.now();require(${JSON.stringify(script)});console.log(performance.now()-t)`],
    { env: LOAD_ENV },
  );
  if (result.code !== 0) throw new Error(result.stderr);
  return Number(result.stdout.trim());
}

/** The baseline's sources (functions/ and core/ at BASELINE.ref), bundled with today's options and lockfile. */
function baselineBundle(): ReturnType<typeof bundleFunction> | undefined {
  const source = join(PROJECT_ROOT, "bench", ".work", "baseline-src");
  rmSync(source, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  try {
    const archive = execFileSync("git", ["archive", BASELINE.ref, "functions", "core"], { cwd: PROJECT_ROOT, maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", source], { input: archive });
  } catch {
    return undefined; // a clone without that history: the baseline is reported as not measured
  }
  return bundleFunction("processor", {
    functionsRoot: join(source, "functions"),
    outRoot: join(PROJECT_ROOT, "bench", ".work", "baseline"),
  });
}

/**
 * The processor bundle's size and its cold module-load time in a fresh Node process, with the
 * AWS SDK bundled and with it external (then loaded from node_modules, as the runtime's would
 * be); and the bundled one against the 0.2.0 baseline, loaded in alternating pairs so the
 * machine's drift cancels out of the ratio.
 */
export async function benchBundle(runs: number) {
  const results: Record<string, unknown> = {};
  const scripts: Record<string, string> = {};
  const baseline = baselineBundle();
  const variants: Array<[string, ReturnType<typeof bundleFunction> | undefined]> = [
    ...(["bundled", "external"] as SdkPackaging[]).map((sdk): [string, ReturnType<typeof bundleFunction>] => [
      sdk,
      bundleFunction("processor", { sdk, outRoot: join(PROJECT_ROOT, "bench", ".work", sdk) }),
    ]),
    ["baseline", baseline],
  ];
  for (const [name, bundle] of variants) {
    if (!bundle) continue;
    // Inside the project, so an external SDK resolves from node_modules.
    scripts[name] = join(PROJECT_ROOT, "dist", `bench-load-${name}.js`);
    copyFileSync(bundle.scriptPath, scripts[name]);
    results[name] = { scriptKiB: bundle.scriptBytes / 1024, zipKiB: bundle.zipBytes / 1024 };
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(scripts).map((name) => [name, []]));
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(scripts)) times[name].push(await loadMs(scripts[name]));
    if (scripts.baseline) ratios.push(times.bundled[i] / times.baseline[i]);
  }
  for (const name of Object.keys(scripts)) {
    rmSync(scripts[name]);
    results[name] = { ...(results[name] as object), coldModuleLoadMs: summarise(times[name]) };
  }
  if (ratios.length > 0) results.againstBaseline = { ref: BASELINE.ref, label: BASELINE.label, pairRatios: summarise(ratios) };
  return results;
}
