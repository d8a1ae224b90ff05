import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSchedulesCommand, scheduleTable } from "../../scripts/schedules";
import { environment } from "../support/synth";

async function run(args: string[]) {
  let out = "";
  let err = "";
  const code = await runSchedulesCommand(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    now: () => new Date("2026-11-23T00:00:00Z"),
  });
  return { code, out, err };
}

describe("schedules command", () => {
  it("prints the next runs one UTC instant a line", async () => {
    expect(
      await run(["next", "cron(0 9 ? * MON-FRI *)", "--tz", "America/New_York", "--from", "2026-11-27T15:00:00Z", "--count", "2"]),
    ).toEqual({
      code: 0,
      out: "2026-11-30T14:00:00Z\n2026-12-01T14:00:00Z\n",
      err: "",
    });
  });

  it("exits 2 with the reason for an invalid expression or zone", async () => {
    expect(await run(["next", "cron(0 9 * * MON *)"])).toEqual({
      code: 2,
      out: "",
      err: "day-of-month and day-of-week cannot both be specified; use ? in one of them\n",
    });
    expect(await run(["next", "rate(1 hour)", "--tz", "Moon/Base"])).toMatchObject({
      code: 2,
      err: 'time zone "Moon/Base" is not an IANA time zone name\n',
    });
    expect((await run(["next", "rate(1 hour)", "--count", "zero"])).code).toBe(2);
  });

  it("exits 1 with the reason when a valid expression never fires, instead of printing nothing", async () => {
    expect(await run(["next", "cron(0 0 31 2 ? *)"])).toEqual({ code: 1, out: "", err: "never fires: February has no day 31\n" });
    expect(await run(["next", "cron(0 9 30 2 ? *)", "--tz", "Europe/Berlin"])).toEqual({
      code: 1,
      out: "",
      err: "never fires: February has no day 30\n",
    });
    expect(await run(["next", "cron(0 9 * * ? 2020-2024)"])).toEqual({
      code: 1,
      out: "",
      err: "never fires again: its years (2020-2024) are in the past\n",
    });
    expect(await run(["next", "at(2026-01-04T08:00:00)", "--tz", "Europe/London"])).toEqual({
      code: 1,
      out: "",
      err: "at(2026-01-04T08:00:00) in Europe/London is in the past (2026-01-04T08:00:00Z)\n",
    });
    expect(await run(["next", "at(2027-03-28T01:30:00)", "--tz", "Europe/London"])).toEqual({
      code: 1,
      out: "",
      err:
        "at(2027-03-28T01:30:00) falls in a daylight-saving gap of Europe/London: on 2027-03-28 its clocks go from 01:00 to 02:00, " +
        "so 01:30 never comes\n",
    });
    // The same years, read from before they end, still fire.
    expect(await run(["next", "cron(0 9 * * ? 2020-2024)", "--from", "2024-12-30T00:00:00Z"])).toEqual({
      code: 0,
      out: "2024-12-30T09:00:00Z\n2024-12-31T09:00:00Z\n",
      err: "",
    });
  });

  it("suggests the closest IANA names for a misspelt --tz", async () => {
    expect(await run(["next", "rate(1 hour)", "--tz", "Europe/Londn"])).toEqual({
      code: 2,
      out: "",
      err: 'time zone "Europe/Londn" is not an IANA time zone name; did you mean Europe/London?\n',
    });
    expect((await run(["next", "rate(1 hour)", "--tz", "Eastern"])).err).toBe(
      'time zone "Eastern" is not an IANA time zone name; did you mean Canada/Eastern or US/Eastern?\n',
    );
  });

  it("lists an environment's schedules with next runs in local time and UTC", async () => {
    const table = scheduleTable(environment("prod"), new Date("2026-11-23T00:00:00Z"), 2);
    expect(table).toContain("daily-report");
    expect(table).toContain("2026-11-23 09:00 EST (2026-11-23T14:00:00Z)");
    expect(table).toContain("2026-11-24 09:00 EST (2026-11-24T14:00:00Z)");
    expect((await run(["list", "prod"])).code).toBe(0);
    expect((await run(["list", "qa"])).code).toBe(2);
  });

  it("marks a next run on an excluded date as skipped, and lists each schedule's excluded dates", () => {
    const prod = environment("prod");
    const withHolidays = {
      ...prod,
      schedules: prod.schedules.map((s) => (s.name === "daily-report" ? { ...s, exclude: ["2026-12-24/2026-12-25", "2027-01-01"] } : s)),
    };
    const table = scheduleTable(withHolidays, new Date("2026-12-23T00:00:00Z"), 3);
    expect(table).toContain("2026-12-23 09:00 EST (2026-12-23T14:00:00Z)\n");
    expect(table).toContain("2026-12-24 09:00 EST (2026-12-24T14:00:00Z) skipped: 2026-12-24 is excluded\n");
    expect(table).toContain("2026-12-25 09:00 EST (2026-12-25T14:00:00Z) skipped: 2026-12-25 is excluded\n");
    expect(table.slice(table.indexOf("\n\nExcluded dates"))).toBe(
      "\n\nExcluded dates (local, no run then: recorded as skipped):\n" +
        "  daily-report (America/New_York): 2026-12-24/2026-12-25, 2027-01-01",
    );
    expect(scheduleTable(prod, new Date("2026-12-23T00:00:00Z"), 3)).not.toContain("Excluded dates");
  });

  it("marks next runs on excluded dates (--exclude, read in the zone) and refuses dates that are not", async () => {
    expect(
      await run([
        "next",
        "cron(0 22 * * ? *)",
        "--tz",
        "America/New_York",
        "--from",
        "2026-12-24T00:00:00Z",
        "--count",
        "3",
        "--exclude",
        "2026-12-25",
      ]),
    ).toEqual({
      code: 0,
      // 22:00 on the 25th in New York is 03:00 UTC on the 26th.
      out: "2026-12-24T03:00:00Z\n2026-12-25T03:00:00Z\n2026-12-26T03:00:00Z skipped: 2026-12-25 is excluded\n",
      err: "",
    });
    expect(await run(["next", "rate(1 day)", "--exclude", "2026-12-25,2026-02-30,2026-12-31/2026-12-30"])).toEqual({
      code: 2,
      out: "",
      err: "--exclude[1]: 2026-02-30 is not a date\n--exclude[2]: the range must run forwards: 2026-12-30 is before 2026-12-31\n",
    });
  });

  it("lists a module input file's schedules, with the exact missed-run window to paste as missed_run_alarm", async () => {
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
    const { code, out, err } = await run(["list", "--tfvars", path]);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toContain("2026-11-23 10:00 GMT+1 (2026-11-23T09:00:00Z)");
    expect(out).toContain("weekly    missed_run_alarm = { period_seconds = 86400, evaluation_periods = 7 }");
    expect(out).toContain("once      none (one-time)");
  });

  it("reads a module input file in HCL, as config check does", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "tfvars-")), "qa.tfvars");
    writeFileSync(
      path,
      `project_name = "acme"
environment  = "qa"
schedules = [
  { name = "hourly", expression = "rate(1 hour)", task = "data_processing" },
  { name = "weekly", expression = "cron(0 10 ? * MON *)", timezone = "Europe/Berlin", task = "notification" },
]
`,
    );
    const { code, out, err } = await run(["list", "--tfvars", path]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toContain("2026-11-23 10:00 GMT+1 (2026-11-23T09:00:00Z)");
    expect(out).toContain("weekly    missed_run_alarm = { period_seconds = 86400, evaluation_periods = 7 }");
    writeFileSync(path, "project_name = ");
    expect(await run(["list", "--tfvars", path])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^qa\.<root>: cannot read .*qa\.tfvars as HCL: /),
    });
  });

  it("warns of a module input file's one-time schedule gone by, and refuses one long gone", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "tfvars-")), "qa.tfvars.json");
    const inputs = (at: string) =>
      JSON.stringify({ project_name: "acme", environment: "qa", schedules: [{ name: "once", expression: `at(${at})`, task: "report" }] });
    writeFileSync(path, inputs("2026-11-20T08:00:00"));
    expect(await run(["list", "--tfvars", path])).toMatchObject({
      code: 0,
      err:
        "warning: qa.schedules[0].expression: at(2026-11-20T08:00:00) in UTC is in the past (2026-11-20T08:00:00Z); " +
        "remove the schedule by 2026-12-20, when the config starts refusing it\n",
    });
    writeFileSync(path, inputs("2026-01-20T08:00:00"));
    expect(await run(["list", "--tfvars", path])).toEqual({
      code: 1,
      out: "",
      err: "qa.schedules[0].expression: at(2026-01-20T08:00:00) in UTC is in the past (2026-01-20T08:00:00Z); remove the schedule\n",
    });
  });
});
