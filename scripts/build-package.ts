import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LAMBDA_RUNTIME_NAMES } from "../core/lambda-runtimes";
import { buildFunctionBundles, PROJECT_ROOT } from "../modules/bundling/function-bundle";
import { FUNCTION_ZIPS, prebuiltFolder } from "../modules/bundling/prebuilt-bundles";
import { buildTaskRuntime } from "./lib/task-runtime";

/**
 * Builds what `npm pack` ships (run by `prepack`): the construct library compiled once from
 * index.ts to JavaScript with `.d.ts` in lib/cdktf/, the function zips prebuilt beside it for each runtime (a
 * consumer's synth needs neither esbuild nor the AWS SDK, and writes nothing into the
 * package), and the same compiled files with the framework's modules renamed for CDK Terrain
 * in lib/cdktn/ (`cdktf` → `cdktn`, `@cdktf/provider-aws` → `@cdktn/provider-aws`): one source,
 * two builds, since one build cannot serve both frameworks' classes. Beside them, lib/task/: the
 * runtime entry own tasks import (`scheduled-task-processing/task`), one file for both
 * frameworks, and the `bundle` command (bin) that packs a task into a Lambda zip.
 */
export const LIBRARY_ROOT = join(PROJECT_ROOT, "lib");
const FLAVOURS = { cdktf: join(LIBRARY_ROOT, "cdktf"), cdktn: join(LIBRARY_ROOT, "cdktn") } as const;

/** The module names the CDK Terrain build reads instead, in compiled JavaScript and declarations alike. */
export function renameForCdkTerrain(code: string): string {
  return code
    .replace(/(["'])cdktf(\/[^"']*)?\1/g, "$1cdktn$2$1")
    .replace(/(["'])@cdktf\/provider-aws(\/[^"']*)?\1/g, "$1@cdktn/provider-aws$2$1");
}

export function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export function buildPackage(): void {
  rmSync(LIBRARY_ROOT, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(PROJECT_ROOT, "tsconfig.package.json")], {
    stdio: "inherit",
  });
  if (tsc.status !== 0) throw new Error(`tsc failed with exit code ${tsc.status}`);
  // Each runtime's build, so a consumer's config picks its runtime without esbuild (nodejs24.x's in node24/).
  for (const runtime of LAMBDA_RUNTIME_NAMES) {
    const bundles = buildFunctionBundles({ runtime });
    const zips = prebuiltFolder(runtime, join(FLAVOURS.cdktf, "function-zips"));
    mkdirSync(zips, { recursive: true });
    copyFileSync(bundles.processor.zipPath, join(zips, FUNCTION_ZIPS.processor));
    copyFileSync(bundles.failureHandler.zipPath, join(zips, FUNCTION_ZIPS.failureHandler));
    copyFileSync(bundles.scheduleApi.zipPath, join(zips, FUNCTION_ZIPS.scheduleApi));
  }
  cpSync(FLAVOURS.cdktf, FLAVOURS.cdktn, { recursive: true });
  for (const file of filesUnder(FLAVOURS.cdktn).filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))) {
    writeFileSync(file, renameForCdkTerrain(readFileSync(file, "utf8")));
  }
  buildTaskRuntime(join(LIBRARY_ROOT, "task"));
}

if (require.main === module) {
  buildPackage();
  console.log(`built ${LIBRARY_ROOT}: cdktf/ and cdktn/ (compiled with .d.ts, function zips beside them), task/ (the own-task runtime)`);
}
