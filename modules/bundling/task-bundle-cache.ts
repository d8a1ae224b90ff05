import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { LambdaRuntime } from "../../core/lambda-runtimes";
import { bundleTask, type TaskBundle } from "./task-bundle";

export interface CachedTaskBundleOptions {
  /** The Lambda runtime the task's function runs on. */
  readonly runtime: LambdaRuntime;
  /** Where bundles and their build records are kept. @default a folder of this user's under the system's temporary folder */
  readonly cacheDirectory?: string;
}

/** What a task's bundle was built from: the options and a hash of each file esbuild read. */
interface BuildRecord {
  readonly options: string;
  readonly sources: Readonly<Record<string, string>>;
  readonly zipSha256Hex: string;
  readonly scriptBytes: number;
  readonly taskName: string;
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const memo = new Map<string, TaskBundle>();

/** The default cache: one folder a user, so two users of a machine never share (or block) one. */
export function defaultTaskCacheDirectory(): string {
  return join(tmpdir(), `scheduled-task-processing-${process.getuid?.() ?? "user"}`, "tasks");
}

/**
 * An own task's bundle for a stack (bundleTask), cached by content as the built-in functions'
 * bundles are (function-bundle.ts): once a process, and on disk while every file esbuild read
 * for it (the entry, what it imports, the package's runtime) is byte for byte what it was, so a
 * synth whose tasks did not change starts no esbuild for them. The zip is reproducible, so a
 * rebuild gives the same bytes.
 */
export function cachedTaskBundle(entry: string, options: CachedTaskBundleOptions): TaskBundle {
  const entryPath = resolve(entry);
  const directory = join(
    options.cacheDirectory ?? defaultTaskCacheDirectory(),
    `${basename(entryPath).replace(/\.[cm]?[jt]sx?$/, "")}-${sha256(`${entryPath}\n${options.runtime}`).slice(0, 16)}`,
  );
  const key = JSON.stringify([entryPath, options.runtime, directory]);
  const known = memo.get(key);
  if (known) return known;
  const zipPath = join(directory, `${basename(entryPath).replace(/\.[cm]?[jt]sx?$/, "")}.zip`);
  const recordPath = join(directory, "build-record.json");
  const optionsKey = JSON.stringify({ entry: entryPath, runtime: options.runtime, zip: "1980-01-01T00:00:00 local, level 9" });
  const bundle = reused(recordPath, optionsKey, zipPath) ?? built(entryPath, options.runtime, zipPath, recordPath, optionsKey);
  memo.set(key, bundle);
  return bundle;
}

function built(entryPath: string, runtime: LambdaRuntime, zipPath: string, recordPath: string, optionsKey: string): TaskBundle {
  const bundle = bundleTask(entryPath, { out: zipPath, runtime });
  const record: BuildRecord = {
    options: optionsKey,
    sources: Object.fromEntries(bundle.sources.map((path) => [path, sha256(readFileSync(path))])),
    zipSha256Hex: bundle.sha256Hex,
    scriptBytes: bundle.scriptBytes,
    taskName: bundle.taskName,
  };
  writeAtomically(recordPath, JSON.stringify(record, null, 1));
  return bundle;
}

/** The bundle on disk, if its record says it was built from exactly what is there now. */
function reused(recordPath: string, optionsKey: string, zipPath: string): TaskBundle | undefined {
  if (!existsSync(recordPath) || !existsSync(zipPath)) return undefined;
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordPath, "utf8")) as BuildRecord;
  } catch {
    return undefined;
  }
  if (record.options !== optionsKey) return undefined;
  for (const [path, hash] of Object.entries(record.sources)) if (!existsSync(path) || sha256(readFileSync(path)) !== hash) return undefined;
  const zip = readFileSync(zipPath);
  const digest = createHash("sha256").update(zip).digest();
  if (digest.toString("hex") !== record.zipSha256Hex) return undefined;
  return {
    zipPath,
    zipBytes: zip.byteLength,
    scriptBytes: record.scriptBytes,
    sha256Base64: digest.toString("base64"),
    sha256Hex: record.zipSha256Hex,
    taskName: record.taskName,
    sources: Object.keys(record.sources),
  };
}

// Parallel synths build the same bundle: a rename never exposes a half-written file.
function writeAtomically(path: string, contents: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}
