import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

/** Files in this folder that are not environments. */
const NOT_ENVIRONMENTS = new Set(["index", "load"]);

/**
 * The config an environment file exports: its default export, else the export named after the
 * file (`export const qa` in qa.ts), else its only export.
 */
function exportedConfig(file: string, exports: Record<string, unknown>): unknown {
  const name = basename(file).replace(/\.[cm]?[jt]s$/, "");
  if (exports.default !== undefined) return exports.default;
  if (name in exports) return exports[name];
  const values = Object.values(exports);
  if (values.length === 1) return values[0];
  throw new Error(`${file}: export the environment's config as default or as "${name}" (found: ${Object.keys(exports).join(", ")})`);
}

/**
 * Every environment's config as written, keyed by the file it lives in (not yet validated):
 * each `environments/<name>.ts` is one, so adding a file is all a new environment takes.
 * Ordered by name (code point order, as `LC_ALL=C sort` orders them), so every command lists them alike.
 */
export function environmentsIn(folder: string): Readonly<Record<string, unknown>> {
  const names = readdirSync(folder)
    .filter((file) => /^[^.].*\.[cm]?[jt]s$/.test(file) && !file.endsWith(".d.ts") && !file.endsWith(".test.ts"))
    .map((file) => ({ file, name: file.replace(/\.[cm]?[jt]s$/, "") }))
    .filter(({ name }) => !NOT_ENVIRONMENTS.has(name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: Record<string, unknown> = {};
  for (const { file, name } of names) {
    found[name] = exportedConfig(file, require(join(folder, file)) as Record<string, unknown>);
  }
  return found;
}

export const environments: Readonly<Record<string, unknown>> = environmentsIn(__dirname);

/** The names of the environments in this folder, in order. */
export function environmentNames(): readonly string[] {
  return Object.keys(environments);
}
