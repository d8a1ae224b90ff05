import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bundleFunction, PROJECT_ROOT, type SdkPackaging } from "../modules/bundling/function-bundle";
import { run } from "./lib/processes";
import { repeat } from "./lib/stats";

/**
 * The processor bundle's size and its cold module-load time in a fresh Node process, with the
 * AWS SDK bundled and with it external (then loaded from node_modules, as the runtime's would be).
 */
export async function benchBundle(runs: number) {
  const results: Record<string, unknown> = {};
  for (const sdk of ["bundled", "external"] as SdkPackaging[]) {
    const bundle = bundleFunction("processor", { sdk, outRoot: join(PROJECT_ROOT, "bench", ".work", sdk) });
    // Inside the project, so an external SDK resolves from node_modules.
    const script = join(PROJECT_ROOT, "dist", `bench-load-${sdk}.js`);
    copyFileSync(bundle.scriptPath, script);
    const env = {
      ...process.env,
      ENVIRONMENT: "bench",
      BUCKET_NAME: "b",
      TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:t",
      AWS_REGION: "us-east-1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    const loadMs = await repeat(runs, async () => {
      const result = await run(
        process.execPath,
        ["-e", `const t=performance.now();require(${JSON.stringify(script)});console.log(performance.now()-t)`],
        { env },
      );
      if (result.code !== 0) throw new Error(result.stderr);
      return Number(result.stdout.trim());
    });
    rmSync(script);
    results[sdk] = { scriptKiB: bundle.scriptBytes / 1024, zipKiB: bundle.zipBytes / 1024, coldModuleLoadMs: loadMs };
  }
  return results;
}
