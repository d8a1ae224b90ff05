import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentNames, environmentsIn } from "../../environments";

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "environments-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

describe("environments are the files in environments/", () => {
  it("finds the shipped ones, in order, without the loader", () => {
    expect(environmentNames()).toEqual(["dev", "prod", "staging"]);
  });

  it("takes any new file, by its default export, an export named after it, or its only export", () => {
    const folder = folderWith({
      "qa.js": 'exports.qa = { name: "qa" }; exports.helper = 1;',
      "perf.js": 'exports.default = { name: "perf" };',
      "sandbox-eu.js": 'exports.config = { name: "sandbox-eu" };',
      "index.js": "exports.ignored = 1;",
      "load.js": "exports.ignored = 1;",
      "notes.md": "not code",
    });
    expect(environmentsIn(folder)).toEqual({
      perf: { name: "perf" },
      qa: { name: "qa" },
      "sandbox-eu": { name: "sandbox-eu" },
    });
  });

  it("names the file that exports no config it can tell apart", () => {
    const folder = folderWith({ "qa.js": "exports.a = {}; exports.b = {};" });
    expect(() => environmentsIn(folder)).toThrow(/qa\.js: export the environment's config as default or as "qa" \(found: a, b\)/);
  });
});
