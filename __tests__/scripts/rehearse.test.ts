import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environments } from "../../environments";
import { environmentNames } from "../../scripts/lib/rehearsal/targets";
import { missingTools, selectTargets } from "../../scripts/rehearse";

const ROOT = join(__dirname, "..", "..");

describe("npm run rehearse", () => {
  it("takes the environments from environments/index.ts, whatever their names", () => {
    expect(environmentNames()).toEqual(Object.keys(environments));
    expect(selectTargets(["--all"], ["dev", "qa-eu"])).toEqual({ names: ["dev", "qa-eu", "module", "package"] });
    expect(selectTargets(["qa-eu", "module"], ["dev", "qa-eu"])).toEqual({ names: ["qa-eu", "module"] });
  });

  it("refuses an unknown target, naming the known ones", () => {
    expect(selectTargets(["prd"], ["dev", "prod"])).toEqual({
      error:
        "unknown target prd; known: dev, prod, module, package\n" +
        "usage: npm run rehearse -- <env>... | module | package | --all [--report <file.json>]",
    });
    expect(selectTargets([], ["dev"])).toHaveProperty("error");
    expect(selectTargets(["--all", "dev"], ["dev"])).toHaveProperty("error");
  });

  it("names what is missing to rehearse here", () => {
    expect(missingTools({ PATH: "/nonexistent" })).toEqual([
      "terraform (1.11 or later)",
      'moto_server (pip install "moto[server]==5.2.1")',
    ]);
  });

  it("says it skipped, and exits 0, where moto_server is missing", () => {
    // Only node on PATH: neither terraform nor moto_server.
    const bin = mkdtempSync(join(tmpdir(), "no-tools-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/rehearse.ts", "--all"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: bin, HOME: process.env.HOME ?? "" },
    });
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({
      status: 0,
      stdout:
        'rehearsal skipped: terraform (1.11 or later) and moto_server (pip install "moto[server]==5.2.1") not on PATH ' +
        "(nothing was deployed)",
    });
  });
});
