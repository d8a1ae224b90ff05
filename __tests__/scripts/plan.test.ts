import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildApp } from "../../main";
import { findTerraform } from "../../scripts/lib/offline-terraform";
import { npmTookOffline } from "../../scripts/plan";

const ROOT = join(__dirname, "..", "..");
const tsx = join(ROOT, "node_modules", ".bin", "tsx");

/** Every file under `directory`, with its bytes. */
function tree(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(directory, path)] = readFileSync(path).toString("base64");
    }
  };
  walk(directory);
  return files;
}

describe("npm run plan", () => {
  it("refuses `npm run plan prod --offline` (npm took --offline for itself) with the spelling that works", () => {
    const run = spawnSync("npm", ["run", "--silent", "plan", "prod", "--offline"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("npm took --offline as its own option (npm_config_offline is set), so this plan would run online.");
    expect(run.stderr).toContain("To plan offline: npm run plan -- prod --offline");
  });

  it.each([
    [["prod"], { npm_config_offline: "true" }, true],
    [["prod", "--offline"], { npm_config_offline: "true" }, false],
    [["prod", "--online"], { npm_config_offline: "true" }, false],
    [["prod"], { npm_config_offline: "false" }, false],
    [["prod"], {}, false],
  ])("args %j with %j: npm took --offline is %s", (args, env, expected) => {
    expect(npmTookOffline(args, env)).toBe(expected);
  });

  (findTerraform() ? it : it.skip)(
    "plans --offline in a scratch copy: cdktf.out/stacks/<env> holds exactly what synth wrote",
    () => {
      const outdir = mkdtempSync(join(tmpdir(), "plan-offline-"));
      const run = spawnSync(tsx, ["scripts/plan.ts", "dev", "--offline"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CDKTF_OUTDIR: outdir },
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect(run.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to replace, 0 to destroy\./);
      const synthesized = mkdtempSync(join(tmpdir(), "plan-offline-synth-"));
      buildApp(synthesized, ["dev"]).synth();
      expect(Object.keys(tree(join(outdir, "stacks")))).toEqual(Object.keys(tree(join(synthesized, "stacks"))));
      expect(tree(join(outdir, "stacks", "dev"))).toEqual(tree(join(synthesized, "stacks", "dev")));
    },
    120_000,
  );
});
