import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { LAMBDA_RUNTIME_NAMES, LAMBDA_RUNTIMES, type LambdaRuntime } from "../../core/lambda-runtimes";
import { refuseTaskName } from "../../core/task-types";
import { describeIssue } from "../../core/zod-messages";

/** The package's runtime entry: what a task file imports, and what its Lambda handler wraps it with. */
export const TASK_RUNTIME_MODULE = "scheduled-task-processing/task";

/** The Lambda runtimes an own task may use (processor.runtime's, core/lambda-runtimes.ts), and the Node release each bundle targets. */
export const TASK_RUNTIMES = Object.fromEntries(
  LAMBDA_RUNTIME_NAMES.map((runtime) => [runtime, LAMBDA_RUNTIMES[runtime].esbuildTarget]),
) as { readonly [R in LambdaRuntime]: (typeof LAMBDA_RUNTIMES)[R]["esbuildTarget"] };
export type TaskRuntime = LambdaRuntime;

export interface TaskBundleOptions {
  /** Where the zip goes. @default `<entry's name>.zip` beside the entry */
  readonly out?: string;
  /** The Lambda runtime the function runs on; the bundle targets its Node release. @default "nodejs22.x" */
  readonly runtime?: TaskRuntime;
  /**
   * The runtime entry the task is bundled with. @default `scheduled-task-processing/task` as the
   * entry's own folder resolves it (the installed package), else the one beside this module
   */
  readonly runtimeEntry?: string;
  /** @default true */
  readonly minify?: boolean;
}

export interface TaskBundle {
  /** The zip: `index.js` alone, whose `handler` export is the function's handler (`index.handler`). */
  readonly zipPath: string;
  readonly zipBytes: number;
  readonly scriptBytes: number;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256 (and Terraform's source_code_hash). */
  readonly sha256Base64: string;
  readonly sha256Hex: string;
  /** The task's name, read from the entry's default export. */
  readonly taskName: string;
  /** Every file esbuild read to build it (absolute paths): a bundle is the same while they are. */
  readonly sources: readonly string[];
}

/** A task as its entry file defines it, loaded to read its name and check payloads (the config does, at synth). */
export interface LoadedTask {
  readonly name: string;
  /** zod's safeParse (or its like), when the task declares a payload schema. */
  readonly payload?: { safeParse(value: unknown, params?: unknown): { success: boolean; error?: { issues: PayloadIssue[] } } };
}

interface PayloadIssue {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

// Fixed zip entry time (local components, as zip stores local time): the same sources make the same zip.
const ZIP_ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** A task could not be bundled: the entry is missing, its default export is no task, or esbuild is not installed. */
export class TaskBundleError extends Error {
  override readonly name = "TaskBundleError";
}

/**
 * Bundles a task's entry file (its default export `defineTask({ ... })`) with the package's
 * runtime into a Lambda zip, as `npx scheduled-task-processing bundle` does: esbuild, one
 * CommonJS `index.js` for the runtime's Node release (its AWS SDK and Powertools inside), zipped
 * with a fixed entry time, so the same sources give the same zip on any machine. esbuild is
 * the package's optional peer: the app installs it to bundle tasks.
 */
export function bundleTask(entry: string, options: TaskBundleOptions = {}): TaskBundle {
  const entryPath = resolve(entry);
  const runtime = options.runtime ?? "nodejs22.x";
  const target = TASK_RUNTIMES[runtime];
  if (!target) throw new TaskBundleError(`runtime must be one of ${Object.keys(TASK_RUNTIMES).join(", ")}, got ${JSON.stringify(runtime)}`);
  const task = loadTask(entry, options);
  const esbuild = loadEsbuild(entryPath);
  const runtimeEntry = runtimeEntryFor(entryPath, options.runtimeEntry);
  const result = esbuild.buildSync({
    stdin: {
      contents: [
        `import * as entry from ${JSON.stringify(entryPath)};`,
        `import { createTaskHandler } from ${JSON.stringify(TASK_RUNTIME_MODULE)};`,
        "export const handler = createTaskHandler(entry.default ?? entry);",
      ].join("\n"),
      resolveDir: dirname(entryPath),
      sourcefile: "task-handler.js",
      loader: "js",
    },
    // The task's own import of the runtime and the handler's are one module.
    alias: { [TASK_RUNTIME_MODULE]: runtimeEntry },
    bundle: true,
    platform: "node",
    target,
    format: "cjs",
    mainFields: ["module", "main"],
    minify: options.minify ?? true,
    legalComments: "none",
    supported: { "dynamic-import": false },
    write: false,
    outfile: "index.js",
    logLevel: "silent",
    metafile: true,
  });
  const script = result.outputFiles[0].contents;
  // esbuild names its inputs relative to its working directory; the handler's own lines (stdin) are no file.
  const sources = Object.keys(result.metafile?.inputs ?? {})
    .map((input) => resolve(input))
    .filter((path) => existsSync(path))
    .sort();
  const { zipSync } = require("fflate") as typeof import("fflate");
  const zip = zipSync({ "index.js": [script, { mtime: ZIP_ENTRY_TIME, level: 9 }] });
  const zipPath = resolve(options.out ?? `${entryPath.replace(/\.[cm]?[jt]s$/, "")}.zip`);
  mkdirSync(dirname(zipPath), { recursive: true });
  const temporary = `${zipPath}.${process.pid}.tmp`;
  writeFileSync(temporary, zip);
  renameSync(temporary, zipPath);
  const digest = createHash("sha256").update(zip).digest();
  return {
    zipPath,
    zipBytes: zip.byteLength,
    scriptBytes: script.byteLength,
    sha256Base64: digest.toString("base64"),
    sha256Hex: digest.toString("hex"),
    taskName: task.name,
    sources,
  };
}

/**
 * The task an entry file defines, loaded on its own (bundled for Node without the Lambda
 * handler, so nothing reads the function's environment): its name, checked, and its payload
 * schema, for the config to check schedules' payloads with.
 */
export function loadTask(entry: string, options: Pick<TaskBundleOptions, "runtimeEntry"> = {}): LoadedTask {
  const entryPath = resolve(entry);
  if (!existsSync(entryPath)) throw new TaskBundleError(`task entry ${entry} does not exist`);
  const esbuild = loadEsbuild(entryPath);
  const scratch = mkdtempSync(join(tmpdir(), "task-entry-"));
  const outfile = join(scratch, "entry.js");
  try {
    esbuild.buildSync({
      entryPoints: [entryPath],
      alias: { [TASK_RUNTIME_MODULE]: runtimeEntryFor(entryPath, options.runtimeEntry) },
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile,
      logLevel: "silent",
    });
    const loaded = require(outfile) as { default?: unknown };
    const task = (loaded.default ?? loaded) as Partial<LoadedTask> & { run?: unknown };
    if (typeof task !== "object" || task === null || typeof task.name !== "string" || typeof task.run !== "function")
      throw new TaskBundleError(`${entry} must export its task as the default export: export default defineTask({ name, payload?, run })`);
    const refused = refuseTaskName(task.name);
    if (refused) throw new TaskBundleError(`${entry}: the task's name ${refused}`);
    return { name: task.name, ...(task.payload ? { payload: task.payload } : {}) };
  } catch (error) {
    throw error instanceof TaskBundleError ? error : new TaskBundleError(`${entry} could not be loaded: ${(error as Error).message}`);
  } finally {
    delete require.cache[outfile];
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What is wrong with a schedule's payload for `task`, as `payload.<field>: <reason>` lines; none when it fits. */
export function payloadProblems(task: LoadedTask, payload: unknown): string[] {
  if (!task.payload)
    return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? [] : ["payload: must be an object"];
  const result = task.payload.safeParse(payload, { error: describeIssue });
  if (result.success) return [];
  return (result.error?.issues ?? []).map((issue) => {
    const key = issue.code === "unrecognized_keys" && issue.keys?.length ? [issue.keys[0]] : [];
    const path = [...issue.path, ...key].map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".");
    const field = ["payload", path].filter(Boolean).join(".").replace(/\.\[/g, "[");
    return `${field}: ${issue.code === "unrecognized_keys" ? "unknown field" : issue.message}`;
  });
}

/** esbuild from the task's app (or this package's tree): bundling a task needs it, nothing else does. */
function loadEsbuild(entryPath: string): typeof import("esbuild") {
  for (const from of [dirname(entryPath), process.cwd(), __dirname]) {
    try {
      return require(require.resolve("esbuild", { paths: [from] })) as typeof import("esbuild");
    } catch {
      // not installed there: try the next place
    }
  }
  throw new TaskBundleError(
    "bundling a task needs esbuild, an optional peer of scheduled-task-processing: install it in the app (npm install --save-dev esbuild)",
  );
}

/** The runtime entry: the one given, the installed package's as the entry's folder resolves it, or the one beside this module. */
function runtimeEntryFor(entryPath: string, given: string | undefined): string {
  if (given) return resolve(given);
  try {
    return require.resolve(TASK_RUNTIME_MODULE, { paths: [dirname(entryPath)] });
  } catch {
    // Compiled into lib/cdktf/modules/bundling/ (or lib/cdktn/…), the runtime is lib/task/index.js.
    const beside = join(__dirname, "..", "..", "..", "task", "index.js");
    if (existsSync(beside)) return beside;
    throw new TaskBundleError(
      `${TASK_RUNTIME_MODULE} cannot be found from ${dirname(entryPath)}: install scheduled-task-processing in the app`,
    );
  }
}

/**
 * What the config's validation loads own tasks with (modules/config's TaskLoader): an entry's task,
 * its name and the problems of a payload. Each entry is loaded once per loader.
 */
export function taskLoader(): (entry: string) => { readonly name: string; payloadProblems(payload: unknown): string[] } {
  const loaded = new Map<string, LoadedTask>();
  return (entry) => {
    const path = resolve(entry);
    const task = loaded.get(path) ?? loadTask(path);
    loaded.set(path, task);
    return { name: task.name, payloadProblems: (payload) => payloadProblems(task, payload) };
  };
}
