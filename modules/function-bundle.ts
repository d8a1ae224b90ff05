import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { zipSync } from "fflate";

/** How the AWS SDK v3 reaches the function: inside the bundle, or from the Lambda runtime. */
export type SdkPackaging = "bundled" | "external";

export interface BundleOptions {
  /** @default "bundled" (see README, "Processor bundle", for the measurements behind it) */
  readonly sdk?: SdkPackaging;
  /** @default <project>/dist */
  readonly outRoot?: string;
  /** @default true */
  readonly minify?: boolean;
  /** Folder holding one folder per function. @default <project>/functions */
  readonly functionsRoot?: string;
}

export interface FunctionBundle {
  readonly name: string;
  /** dist/<name>/index.js, exporting `handler` */
  readonly scriptPath: string;
  /** dist/<name>.zip, byte-for-byte reproducible from the same sources */
  readonly zipPath: string;
  readonly zipBytes: number;
  readonly scriptBytes: number;
  /** Hex SHA-256 of the zip: the asset's identity. */
  readonly sha256Hex: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256. */
  readonly sha256Base64: string;
}

export const PROJECT_ROOT = resolve(__dirname, "..");

// Fixed zip entry time (local components, as zip stores local time) so zips do not
// change from build to build or machine to machine.
const ZIP_ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);

const cache = new Map<string, FunctionBundle>();

/**
 * Bundles functions/<name>/index.ts with esbuild for the Lambda Node.js 22 runtime on arm64 and
 * zips it reproducibly. Cached per process: every stack of one synth shares one build.
 */
export function bundleFunction(name: string, options: BundleOptions = {}): FunctionBundle {
  const sdk = options.sdk ?? "bundled";
  const minify = options.minify ?? true;
  const outRoot = options.outRoot ?? join(PROJECT_ROOT, "dist");
  const functionsRoot = options.functionsRoot ?? join(PROJECT_ROOT, "functions");
  const key = JSON.stringify([name, sdk, minify, outRoot, functionsRoot]);
  const cached = cache.get(key);
  if (cached) return cached;

  const result = buildSync({
    entryPoints: [join(functionsRoot, name, "index.ts")],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // ES module builds of the SDK tree-shake better than its CommonJS builds.
    mainFields: ["module", "main"],
    external: sdk === "external" ? ["@aws-sdk/*", "@smithy/*"] : [],
    minify,
    // The SDK loads node:http lazily with import(); as require() the bundle also loads in hosts
    // that run CommonJS without ES-module support (jest, tests that load it in-process).
    supported: { "dynamic-import": false },
    legalComments: "none",
    write: false,
    outfile: "index.js",
    logLevel: "silent",
  });
  const script = result.outputFiles[0].contents;
  const zip = zipSync({ "index.js": [script, { mtime: ZIP_ENTRY_TIME, level: 9 }] });
  const digest = createHash("sha256").update(zip).digest();

  const scriptPath = join(outRoot, name, "index.js");
  const zipPath = join(outRoot, `${name}.zip`);
  writeAtomically(scriptPath, script);
  writeAtomically(zipPath, zip);

  const bundle: FunctionBundle = {
    name,
    scriptPath,
    zipPath,
    zipBytes: zip.byteLength,
    scriptBytes: script.byteLength,
    sha256Hex: digest.toString("hex"),
    sha256Base64: digest.toString("base64"),
  };
  cache.set(key, bundle);
  return bundle;
}

// Parallel test workers build the same bundle: a rename never exposes a half-written file.
function writeAtomically(path: string, contents: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Every function the stacks deploy, bundled once. */
export function buildFunctionBundles(options: BundleOptions = {}) {
  return {
    processor: bundleFunction("processor", options),
    failureHandler: bundleFunction("failure-handler", options),
    scheduleApi: bundleFunction("schedule-api", options),
  };
}
