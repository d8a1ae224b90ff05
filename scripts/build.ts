import { relative } from "node:path";
import { bundleFunction, PROJECT_ROOT } from "../modules/function-bundle";

/** Writes the processor bundle to dist/processor/ (the same build the stacks deploy). */
const bundle = bundleFunction("processor");
console.log(`${relative(PROJECT_ROOT, bundle.scriptPath)}  ${(bundle.scriptBytes / 1024).toFixed(0)} KiB`);
console.log(`${relative(PROJECT_ROOT, bundle.zipPath)}  ${(bundle.zipBytes / 1024).toFixed(0)} KiB  sha256 ${bundle.sha256Hex}`);
