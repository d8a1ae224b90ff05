import "@microsoft/jest-sarif";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prod } from "../../environments/prod";
import { SECURITY_RULES } from "../../modules/tooling/security/rules";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeValidSarifLog(): R;
    }
  }
}

const ROOT = join(__dirname, "..", "..");
const directory = mkdtempSync(join(tmpdir(), "commands-"));
function file(name: string, contents: string): string {
  const path = join(directory, name);
  writeFileSync(path, contents);
  return path;
}

/**
 * The commands as a user runs them, each in processes of its own (npm, node, tsx): their exit
 * codes and streams. The same commands' behaviour is tested in process beside each command.
 */
describe("npm run schedules", () => {
  it("keeps its contract through npm run --silent", async () => {
    const result = spawnSync(
      "npm",
      ["run", "--silent", "schedules", "--", "next", "rate(1 day)", "--from", "2026-11-23T00:00:00Z", "--count", "2"],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("2026-11-24T00:00:00Z\n2026-11-25T00:00:00Z\n");
    const invalid = spawnSync("npm", ["run", "--silent", "schedules", "--", "next", "rate(0 days)"], { encoding: "utf8" });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('rate value "0" must be a positive whole number');
    const never = spawnSync("npm", ["run", "--silent", "schedules", "--", "next", "cron(0 0 31 2 ? *)"], { encoding: "utf8" });
    expect({ status: never.status, stdout: never.stdout, stderr: never.stderr }).toEqual({
      status: 1,
      stdout: "",
      stderr: "never fires: February has no day 31\n",
    });
  });
});

describe("npm run config", () => {
  it("keeps its contract through npm run --silent", async () => {
    const dumped = execFileSync("npm", ["run", "--silent", "config", "--", "dump", "staging"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    expect(JSON.parse(dumped).name).toBe("staging");
    const broken = { ...prod, account: "12" };
    const result = spawnSync("npm", ["run", "--silent", "config", "--", "check", file("cli.json", JSON.stringify(broken))], {
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    const problems = result.stderr.split("\n").filter((line) => line.startsWith("prod."));
    expect(problems).toEqual(['prod.account: must be a 12-digit AWS account id, got "12"']);
  });
});

describe("npm run review", () => {
  it("npm run review -- prod --format sarif writes a schema-valid SARIF 2.1.0 log describing every rule", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "review.ts"), "prod", "--format", "sarif"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const log = JSON.parse(run.stdout);
    expect(log).toBeValidSarifLog();
    expect(log.version).toBe("2.1.0");
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(SECURITY_RULES.map((r) => r.id));
    for (const rule of rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.help.text).toContain("Fix:");
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
    expect(log.runs[0].results).toEqual([]);
  });
});

describe("npm run rehearse", () => {
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
