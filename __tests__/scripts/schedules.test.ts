import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSchedulesCommand, scheduleTable } from "../../scripts/schedules";
import { environment } from "../support/synth";

function run(args: string[]) {
  let out = "";
  let err = "";
  const code = runSchedulesCommand(args, { out: (t) => (out += t), err: (t) => (err += t), now: () => new Date("2026-11-23T00:00:00Z") });
  return { code, out, err };
}

describe("schedules command", () => {
  it("prints the next runs one UTC instant a line", () => {
    expect(run(["next", "cron(0 9 ? * MON-FRI *)", "--tz", "America/New_York", "--from", "2026-11-27T15:00:00Z", "--count", "2"])).toEqual({
      code: 0,
      out: "2026-11-30T14:00:00Z\n2026-12-01T14:00:00Z\n",
      err: "",
    });
  });

  it("exits 2 with the reason for an invalid expression or zone", () => {
    expect(run(["next", "cron(0 9 * * MON *)"])).toEqual({
      code: 2,
      out: "",
      err: "day-of-month and day-of-week cannot both be specified; use ? in one of them\n",
    });
    expect(run(["next", "rate(1 hour)", "--tz", "Moon/Base"])).toMatchObject({
      code: 2,
      err: 'time zone "Moon/Base" is not an IANA time zone name\n',
    });
    expect(run(["next", "rate(1 hour)", "--count", "zero"]).code).toBe(2);
  });

  it("lists an environment's schedules with next runs in local time and UTC", () => {
    const table = scheduleTable(environment("prod"), new Date("2026-11-23T00:00:00Z"), 2);
    expect(table).toContain("daily-report");
    expect(table).toContain("2026-11-23 09:00 EST (2026-11-23T14:00:00Z)");
    expect(table).toContain("2026-11-24 09:00 EST (2026-11-24T14:00:00Z)");
    expect(run(["list", "prod"]).code).toBe(0);
    expect(run(["list", "qa"]).code).toBe(2);
  });

  it("keeps its contract through npm run --silent", () => {
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
  });

  it("lists a module input file's schedules, with the exact missed-run window to paste as missed_run_alarm", () => {
    const path = join(mkdtempSync(join(tmpdir(), "tfvars-")), "qa.tfvars.json");
    writeFileSync(
      path,
      JSON.stringify({
        project_name: "acme",
        environment: "qa",
        schedules: [
          { name: "hourly", expression: "rate(1 hour)", task: "data_processing" },
          { name: "weekly", expression: "cron(0 10 ? * MON *)", timezone: "Europe/Berlin", task: "notification" },
          { name: "once", expression: "at(2027-01-04T08:00:00)", task: "data_processing" },
        ],
      }),
    );
    const { code, out } = run(["list", "--tfvars", path]);
    expect(code).toBe(0);
    expect(out).toContain("2026-11-23 10:00 GMT+1 (2026-11-23T09:00:00Z)");
    expect(out).toContain("weekly    missed_run_alarm = { period_seconds = 86400, evaluation_periods = 7 }");
    expect(out).toContain("once      none (one-time)");
  });
});
