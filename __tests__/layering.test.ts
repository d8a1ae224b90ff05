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

/** Top-level folders a file's relative imports reach. */
function importedFolders(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]).filter((s) => s.startsWith("."));
  return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).split("/")[0]);
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
    const offending = sourceFiles(folder).flatMap((file) =>
      importedFolders(file)
        .filter((f) => !allowed.includes(f))
        .map((f) => `${file} imports ${f}/`),
    );
    expect(offending).toEqual([]);
  });
});
