import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
/** Biome's line width; its formatter wraps code but never splits a string, so this test holds strings to it too. */
const LINE_WIDTH = 140;

describe("source style", () => {
  it(`keeps every line of TypeScript within ${LINE_WIDTH} characters`, () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((file) => file && !file.startsWith("terraform-module/"));
    const long = files.flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), "utf8");
      } catch {
        return []; // deleted in the work tree
      }
      return text.split("\n").flatMap((line, i) => ([...line].length > LINE_WIDTH ? [`${file}:${i + 1}`] : []));
    });
    expect(long).toEqual([]);
  });
});
