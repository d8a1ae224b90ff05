import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from "../../core/lambda-runtimes";

/** How the AWS SDK v3 reaches the function: inside the bundle, or from the Lambda runtime. */
export type SdkPackaging = "bundled" | "external";

export interface BundleOptions {
  /** The Lambda runtime it runs on: esbuild targets its Node major. @default "nodejs22.x" */
  readonly runtime?: LambdaRuntime;
  /** @default "bundled" (see docs/architecture.md, "The processor bundle", for the measurements behind it) */
  readonly sdk?: SdkPackaging;
  /** @default <project>/dist for nodejs22.x, <project>/dist/node24 for nodejs24.x */
  readonly outRoot?: string;
  /** @default true */
  readonly minify?: boolean;
  /** Folder holding one folder per function. @default <project>/functions */
  readonly functionsRoot?: string;
}

export interface FunctionBundle {
  readonly name: string;
  /** The Lambda runtime it was built for. */
  readonly runtime: LambdaRuntime;
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

export const PROJECT_ROOT = resolve(__dirname, "..", "..");

// Fixed zip entry time (local components, as zip stores local time) so zips do not
// change from build to build or machine to machine.
const ZIP_ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);

const cache = new Map<string, FunctionBundle>();

/**
 * What a bundle was built from: the build's options, the lockfile (which pins every package it
 * bundles) and a hash of each project source esbuild read. When all match, the zip on disk is
 * the zip a build would write, byte for byte.
 */
interface BuildRecord {
  readonly options: string;
  readonly lockfile: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly zipSha256Hex: string;
  readonly scriptBytes: number;
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const LOCKFILE = join(PROJECT_ROOT, "package-lock.json");

/** Where a runtime's bundles go by default: dist/ for nodejs22.x (as before runtimes were a setting), dist/node24/ for nodejs24.x. */
export function defaultOutRoot(runtime: LambdaRuntime): string {
  return runtime === DEFAULT_LAMBDA_RUNTIME
    ? join(PROJECT_ROOT, "dist")
    : join(PROJECT_ROOT, "dist", LAMBDA_RUNTIMES[runtime].esbuildTarget);
}

/**
 * Bundles functions/<name>/index.ts with esbuild for a Lambda Node.js runtime (its Node major is
 * esbuild's target) on arm64 and zips it reproducibly. Cached per process (every stack of one synth shares one build) and on
 * disk by content: when the sources, the lockfile and the options are those of the zip already
 * in dist/, it is reused without starting esbuild.
 */
export function bundleFunction(name: string, options: BundleOptions = {}): FunctionBundle {
  const runtime = options.runtime ?? DEFAULT_LAMBDA_RUNTIME;
  const sdk = options.sdk ?? "bundled";
  const minify = options.minify ?? true;
  const outRoot = options.outRoot ?? defaultOutRoot(runtime);
  const functionsRoot = options.functionsRoot ?? join(PROJECT_ROOT, "functions");
  const key = JSON.stringify([name, runtime, sdk, minify, outRoot, functionsRoot]);
  const cached = cache.get(key);
  if (cached) return cached;

  const scriptPath = join(outRoot, name, "index.js");
  const zipPath = join(outRoot, `${name}.zip`);
  const recordPath = join(outRoot, ".build-records", `${name}.json`);
  const buildOptions = {
    bundle: true,
    platform: "node",
    target: LAMBDA_RUNTIMES[runtime].esbuildTarget,
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
    metafile: true,
  } as const;
  // Everything that decides the output: a change to any of it (or to the zip format) rebuilds.
  const optionsKey = JSON.stringify({
    entry: relative(PROJECT_ROOT, join(functionsRoot, name, "index.ts")),
    buildOptions,
    zip: { mtime: "1980-01-01T00:00:00 local", level: 9 },
  });
  const reused = reuseBuild(recordPath, optionsKey, zipPath, scriptPath);
  if (reused) {
    const bundle = { name, runtime, scriptPath, zipPath, ...reused };
    cache.set(key, bundle);
    return bundle;
  }

  // Loaded only when a build is needed: esbuild's own start-up is most of a cached synth's cost.
  const { buildSync } = require("esbuild") as typeof import("esbuild");
  const result = buildSync({
    ...buildOptions,
    entryPoints: [join(functionsRoot, name, "index.ts")],
    mainFields: [...buildOptions.mainFields],
    external: [...buildOptions.external],
  });
  const script = result.outputFiles[0].contents;
  const { zipSync } = require("fflate") as typeof import("fflate");
  const zip = zipSync({ "index.js": [script, { mtime: ZIP_ENTRY_TIME, level: 9 }] });
  const digest = createHash("sha256").update(zip).digest();

  writeAtomically(scriptPath, script);
  writeAtomically(zipPath, zip);
  const sources = Object.keys(result.metafile!.inputs)
    .filter((input) => !input.includes("node_modules/"))
    .sort()
    .map((input) => [relative(PROJECT_ROOT, resolve(input)), sha256(readFileSync(resolve(input)))]);
  const record: BuildRecord = {
    options: optionsKey,
    lockfile: sha256(readFileSync(LOCKFILE)),
    sources: Object.fromEntries(sources),
    zipSha256Hex: digest.toString("hex"),
    scriptBytes: script.byteLength,
  };
  writeAtomically(recordPath, Buffer.from(JSON.stringify(record, null, 1)));

  const bundle: FunctionBundle = {
    name,
    runtime,
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

/** The bundle on disk, if its record says it was built from exactly what is here now. */
function reuseBuild(
  recordPath: string,
  optionsKey: string,
  zipPath: string,
  scriptPath: string,
): Omit<FunctionBundle, "name" | "runtime" | "scriptPath" | "zipPath"> | undefined {
  if (!existsSync(recordPath) || !existsSync(zipPath) || !existsSync(scriptPath)) return undefined;
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordPath, "utf8")) as BuildRecord;
  } catch {
    return undefined;
  }
  if (record.options !== optionsKey || record.lockfile !== sha256(readFileSync(LOCKFILE))) return undefined;
  for (const [path, hash] of Object.entries(record.sources)) {
    const absolute = resolve(PROJECT_ROOT, path);
    if (!existsSync(absolute) || sha256(readFileSync(absolute)) !== hash) return undefined;
  }
  const zip = readFileSync(zipPath);
  const digest = createHash("sha256").update(zip).digest();
  if (digest.toString("hex") !== record.zipSha256Hex) return undefined;
  return {
    zipBytes: zip.byteLength,
    scriptBytes: record.scriptBytes,
    sha256Hex: record.zipSha256Hex,
    sha256Base64: digest.toString("base64"),
  };
}

// Parallel test workers build the same bundle: a rename never exposes a half-written file.
function writeAtomically(path: string, contents: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Every function the stacks deploy, bundled once for `options.runtime`. */
export function buildFunctionBundles(options: BundleOptions = {}) {
  return {
    processor: bundleFunction("processor", options),
    failureHandler: bundleFunction("failure-handler", options),
    scheduleApi: bundleFunction("schedule-api", options),
  };
}
