import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from "../../core/lambda-runtimes";
import type { FunctionBundle } from "./function-bundle";

/** Function names and the file each zip has in a folder of prebuilt bundles. */
export const FUNCTION_ZIPS = {
  processor: "processor.zip",
  failureHandler: "failure-handler.zip",
  scheduleApi: "schedule-api.zip",
} as const;

/**
 * Where the installed package keeps the function zips built before it was packed: beside the
 * compiled modules (`lib/<flavour>/function-zips/`, and those built for nodejs24.x in its
 * `node24/`). A consumer's synth reads them from there and copies them into its own output;
 * nothing is built or written into the package.
 */
export const PREBUILT_DIRECTORY = join(__dirname, "..", "..", "function-zips");

/** The folder of a runtime's zips under a folder of prebuilt bundles: itself for nodejs22.x, `node24/` for nodejs24.x. */
export function prebuiltFolder(runtime: LambdaRuntime, root = PREBUILT_DIRECTORY): string {
  return runtime === DEFAULT_LAMBDA_RUNTIME ? root : join(root, LAMBDA_RUNTIMES[runtime].esbuildTarget);
}

export interface PrebuiltBundles {
  readonly processor: FunctionBundle;
  readonly failureHandler: FunctionBundle;
  readonly scheduleApi: FunctionBundle;
}

/** The prebuilt bundles of a runtime, or undefined when its folder does not hold all of them. */
export function prebuiltBundles(runtime: LambdaRuntime = DEFAULT_LAMBDA_RUNTIME, root = PREBUILT_DIRECTORY): PrebuiltBundles | undefined {
  const directory = prebuiltFolder(runtime, root);
  const paths = Object.values(FUNCTION_ZIPS).map((file) => join(directory, file));
  if (!paths.every((path) => existsSync(path))) return undefined;
  const bundle = (name: string, file: string): FunctionBundle => {
    const zipPath = join(directory, file);
    const zip = readFileSync(zipPath);
    const digest = createHash("sha256").update(zip).digest();
    return {
      name,
      runtime,
      scriptPath: zipPath,
      zipPath,
      zipBytes: zip.byteLength,
      scriptBytes: 0,
      sha256Hex: digest.toString("hex"),
      sha256Base64: digest.toString("base64"),
    };
  };
  return {
    processor: bundle("processor", FUNCTION_ZIPS.processor),
    failureHandler: bundle("failure-handler", FUNCTION_ZIPS.failureHandler),
    scheduleApi: bundle("schedule-api", FUNCTION_ZIPS.scheduleApi),
  };
}
