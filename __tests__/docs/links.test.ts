import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { brokenLinks } from "../../scripts/lib/doc-links";

const ROOT = resolve(__dirname, "..", "..");

/**
 * Pages other branches are writing, linked from the docs already. A link to one of them passes
 * while the file does not exist. When a branch that adds one lands, remove it from this list
 * (the second test fails until then): its links, and their anchors, are then checked as any.
 */
const PENDING = new Set<string>([]);

/** Every file of the repository as GitHub will have it: tracked, or new and not ignored. */
const repositoryFiles = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter((file) => file && existsSync(join(ROOT, file)));
const markdownFiles = repositoryFiles.filter((file) => file.toLowerCase().endsWith(".md"));

describe("the documentation's links", () => {
  it("checks the README, every page under docs/, the CHANGELOG, the module's README and the benchmark results", () => {
    expect(markdownFiles).toEqual(
      expect.arrayContaining([
        "README.md",
        "CHANGELOG.md",
        "terraform-module/README.md",
        "bench/RESULTS.md",
        "docs/getting-started.md",
        "docs/operations.md",
      ]),
    );
  });

  it("resolves every relative link to a file or folder, and every #anchor to a heading of its file", () => {
    expect(brokenLinks({ root: ROOT, files: markdownFiles, known: new Set(repositoryFiles), pending: PENDING })).toEqual([]);
  });

  it("lists as pending only pages that do not exist yet", () => {
    const landed = [...PENDING].filter((page) => existsSync(join(ROOT, page)));
    expect(landed).toEqual([]);
  });
});
