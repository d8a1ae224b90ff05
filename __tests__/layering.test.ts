import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The folders a file's relative imports reach, as their first `depth` path segments. */
function importedFolders(file: string, depth = 1): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import\(|require\()\s*["']([^"']+)["']/g)]
    .map((m) => m[1])
    .filter((s) => s.startsWith("."));
  return specifiers.map((s) =>
    relative(ROOT, resolve(ROOT, dirname(file), s))
      .split("/")
      .slice(0, depth)
      .join("/"),
  );
}

function offendingImports(folder: string, allowed: readonly string[], depth: number): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importedFolders(file, depth)
      .filter((f) => !allowed.some((a) => f === a || (a.split("/").length < depth && f.startsWith(`${a}/`))))
      .map((f) => `${file} imports ${f}/`),
  );
}

/**
 * The library's layers: core/ (pure code) below both the constructs (modules/) and the
 * functions (functions/), which never import each other; so the functions bundle without
 * CDKTF, and the construct library ships without the functions' runtime code. The app layer
 * (environments/ with their loader, main.ts, scripts/) sits on top; no arrow runs back up.
 */
describe("layering", () => {
  it.each([
    ["core", ["core"]],
    ["functions", ["core", "functions"]],
    ["modules", ["core", "modules"]],
    // The app layer on top: the environments and their loader read the config schema below them.
    ["environments", ["environments", "modules"]],
  ])("%s/ imports only from %j", (folder, allowed) => {
    expect(offendingImports(folder, allowed, 1)).toEqual([]);
  });

  // Inside modules/: the config (schema, rules, defaults) at the bottom; the bundling of the
  // functions beside it; the constructs on both; the tooling (security analysis, cost, the
  // Terraform module's synthesis) on top, reading the constructs and never read by them.
  it.each([
    ["modules/config", ["core", "modules/config"]],
    ["modules/bundling", ["core", "modules/bundling"]],
    ["modules/constructs", ["core", "modules/config", "modules/bundling", "modules/constructs"]],
    ["modules/tooling", ["core", "modules/config", "modules/bundling", "modules/constructs", "modules/tooling"]],
  ])("%s/ imports only from %j", (folder, allowed) => {
    expect(offendingImports(folder, allowed, 2)).toEqual([]);
  });

  // Inside functions/processor/: the run protocol at the ground (the API a task calls, on a store
  // of a few I/O primitives), the exactly-once sources on it, the fan-out on both, the runtime
  // that runs any task on all three, and the tasks on top, written against the API alone, as a
  // team's own task is. Only handler.ts (and index.ts, the Lambda entry) know the tasks.
  const PROCESSOR = "functions/processor";
  const COMMON = ["core", "functions/commons"];
  it.each([
    ["records", ["core", `${PROCESSOR}/records`]],
    ["protocol", [...COMMON, `${PROCESSOR}/protocol`]],
    ["sources", [...COMMON, `${PROCESSOR}/protocol`, `${PROCESSOR}/sources`]],
    ["fan-out", [...COMMON, `${PROCESSOR}/protocol`, `${PROCESSOR}/sources`, `${PROCESSOR}/fan-out`]],
    ["runtime", [...COMMON, `${PROCESSOR}/protocol`, `${PROCESSOR}/sources`, `${PROCESSOR}/fan-out`, `${PROCESSOR}/runtime`]],
  ])(`${PROCESSOR}/%s/ imports only from %j`, (folder, allowed) => {
    expect(offendingImports(`${PROCESSOR}/${folder}`, allowed, 3)).toEqual([]);
  });

  it(`${PROCESSOR}/tasks/ imports the task API and nothing else of the processor`, () => {
    const allowed = ["core", `${PROCESSOR}/protocol/task`, `${PROCESSOR}/records`, `${PROCESSOR}/tasks`];
    expect(offendingImports(`${PROCESSOR}/tasks`, allowed, 4)).toEqual([]);
  });

  it(`${PROCESSOR}/ holds only its layers, and only handler.ts imports the tasks`, () => {
    expect(readdirSync(join(ROOT, PROCESSOR)).sort()).toEqual([
      "fan-out",
      "handler.ts",
      "index.ts",
      "protocol",
      "records",
      "runtime",
      "sources",
      "tasks",
    ]);
    const importers = sourceFiles("functions").filter(
      (file) => !file.startsWith(`${PROCESSOR}/tasks/`) && importedFolders(file, 3).includes(`${PROCESSOR}/tasks`),
    );
    expect(importers).toEqual([`${PROCESSOR}/handler.ts`]);
  });

  it("functions/ calls S3 through the run protocol's store alone (and the failure handler's one archive write)", () => {
    const direct = sourceFiles("functions").filter((file) =>
      /from "(@aws-sdk\/client-s3|[./]+\/commons\/s3-objects)"/.test(readFileSync(join(ROOT, file), "utf8")),
    );
    expect(direct.sort()).toEqual([
      "functions/commons/aws-clients.ts",
      "functions/commons/s3-objects.ts",
      "functions/commons/services.ts",
      "functions/failure-handler/handler.ts",
      `${PROCESSOR}/protocol/s3-store.ts`,
    ]);
  });

  it("modules/ holds only its layers", () => {
    expect(readdirSync(join(ROOT, "modules")).sort()).toEqual(["bundling", "config", "constructs", "tooling"]);
  });
});
