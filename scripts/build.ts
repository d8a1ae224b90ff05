import { relative } from "node:path";
import { buildFunctionBundles, PROJECT_ROOT } from "../modules/bundling/function-bundle";

/** Writes each function's bundle to dist/<function>/index.js and dist/<function>.zip (the builds the stacks deploy). */
for (const bundle of Object.values(buildFunctionBundles())) {
  console.log(`${relative(PROJECT_ROOT, bundle.scriptPath)}  ${(bundle.scriptBytes / 1024).toFixed(0)} KiB`);
  console.log(`${relative(PROJECT_ROOT, bundle.zipPath)}  ${(bundle.zipBytes / 1024).toFixed(0)} KiB  sha256 ${bundle.sha256Hex}`);
}
