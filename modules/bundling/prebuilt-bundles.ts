import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionBundle } from "./function-bundle";

/** Function names and the file each zip has in a folder of prebuilt bundles. */
export const FUNCTION_ZIPS = {
  processor: "processor.zip",
  failureHandler: "failure-handler.zip",
  scheduleApi: "schedule-api.zip",
} as const;

/**
 * Where the installed package keeps the function zips built before it was packed: beside the
 * compiled modules (`lib/<flavour>/function-zips/`). A consumer's synth reads them from there
 * and copies them into its own output; nothing is built or written into the package.
 */
export const PREBUILT_DIRECTORY = join(__dirname, "..", "..", "function-zips");

export interface PrebuiltBundles {
  readonly processor: FunctionBundle;
  readonly failureHandler: FunctionBundle;
  readonly scheduleApi: FunctionBundle;
}

/** The prebuilt bundles in `directory`, or undefined when it does not hold all of them. */
export function prebuiltBundles(directory = PREBUILT_DIRECTORY): PrebuiltBundles | undefined {
  const paths = Object.values(FUNCTION_ZIPS).map((file) => join(directory, file));
  if (!paths.every((path) => existsSync(path))) return undefined;
  const bundle = (name: string, file: string): FunctionBundle => {
    const zipPath = join(directory, file);
    const zip = readFileSync(zipPath);
    const digest = createHash("sha256").update(zip).digest();
    return {
      name,
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
