import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { prod } from "../../environments/prod";
import { runConfigCommand } from "../../scripts/config";

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const code = await runConfigCommand(args, sink((t) => (stdout += t)) as any, sink((t) => (stderr += t)) as any);
  return { code, stdout, stderr };
}

const directory = mkdtempSync(join(tmpdir(), "config-check-"));
function file(name: string, contents: string): string {
  const path = join(directory, name);
  writeFileSync(path, contents);
  return path;
}

describe("config command", () => {
  it("dumps an environment as JSON that validates again", async () => {
    const { code, stdout } = await run(["dump", "prod"]);
    expect(code).toBe(0);
    const dumped = JSON.parse(stdout);
    expect(dumped).toMatchObject(prod);
    // With the defaults a file may leave out filled in, derived from the processor's size.
    expect(dumped.processor.concurrency).toBe(16);
    expect(dumped.alarms.workQueueAgeSeconds).toBe(3600);
    expect(dumped.fanOut).toEqual({
      maxConcurrency: 5,
      maxReceiveCount: 5,
      sourcesPerInvocation: 10_000,
      bytesPerInvocation: expect.any(Number),
    });
    expect(await run(["check", file("prod.json", stdout)])).toEqual({ code: 0, stdout: "ok\n", stderr: "" });
  });

  it("prints one problem a line and exits 1 for a broken config", async () => {
    const broken = structuredClone(prod) as any;
    broken.schedules[2].retry.maxAttempts = 200;
    broken.processor.timeoutSeconds = 0;
    const { code, stdout, stderr } = await run(["check", file("broken.json", JSON.stringify(broken))]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      "prod.schedules[2].retry.maxAttempts: must be an integer from 0 to 185, got 200",
      "prod.processor.timeoutSeconds: must be an integer from 1 to 900, got 0",
    ]);
  });

  it("prints a warning for a one-time schedule gone by and still says ok, within its 30 days", async () => {
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 19);
    const config = structuredClone(prod) as any;
    config.schedules.push({ ...config.schedules[0], name: "once-a-year", expression: `at(${tenDaysAgo})`, timezone: "UTC" });
    const { code, stdout, stderr } = await run(["check", file("gone-by.json", JSON.stringify(config))]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    // once-* is refused outright; the past at() only warned about.
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^warning: prod\.schedules\[3\]\.expression: at\(.*\) in UTC is in the past .*; remove the schedule by /),
      'prod.schedules[3].name: must not start with "once-", the scheduling API\'s prefix for the one-time schedules it creates and ' +
        'deletes, got "once-a-year"',
    ]);
    config.schedules[3].name = "yearly";
    const renamed = await run(["check", file("gone-by.json", JSON.stringify(config))]);
    expect({ code: renamed.code, stdout: renamed.stdout }).toEqual({ code: 0, stdout: "ok\n" });
    expect(renamed.stderr).toMatch(/^warning: prod\.schedules\[3\]\.expression: .* in the past /);
  });

  it("names the file when it is not JSON", async () => {
    const { code, stderr } = await run(["check", file("garbled.json", "{ name: ")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^garbled\.<root>: cannot read .*garbled\.json as JSON: /);
  });

  it("rejects an unknown environment and unknown commands", async () => {
    expect(await run(["dump", "qa"])).toMatchObject({ code: 2, stderr: 'no environment "qa"; known: dev, prod, staging\n' });
    expect((await run(["show", "prod"])).code).toBe(2);
  });
});

describe("config check of the Terraform module's inputs", () => {
  it("checks a tfvars file with the stacks' engine, naming fields as the module spells them", async () => {
    const inputs = {
      project_name: "acme",
      environment: "qa",
      schedules: [
        { name: "hourly", expression: "rate(1 hour)", task: "data_processing", payload: { required_fields: ["id"] } },
        {
          name: "leap",
          expression: "at(2027-02-29T10:00:00)",
          timezone: "Europe/Berlinn",
          task: "report",
          payload: { notify_on_sucess: true },
        },
        { name: "late", expression: "rate(1 hour)", task: "report", retry: { max_attempts: 200 } },
      ],
      notifications: { email: ["ops@example.com"] },
      processr: {},
    };
    const { code, stderr } = await run(["check", file("qa.tfvars.json", JSON.stringify(inputs))]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      "qa.schedules[1].payload.notify_on_sucess: unknown field",
      "qa.processr: unknown field",
      "qa.schedules[1].expression: at(2027-02-29T10:00:00): 2027-02-29 is not a calendar date",
      'qa.schedules[1].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "Europe/Berlinn"; ' +
        "did you mean Europe/Berlin?",
      "qa.schedules[2].retry.max_attempts: must be an integer from 0 to 185, got 200",
    ]);
  });

  it("refuses what AWS or the product would refuse later, counting only the tag the module adds (Name)", async () => {
    const inputs = {
      project_name: "acme",
      environment: "qa",
      tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, "v"])),
      schedules: [
        { name: "once-nightly", expression: "rate(1 day)", task: "report" },
        { name: "february", expression: "cron(0 0 31 2 ? *)", task: "report" },
        { name: "lent", expression: "cron(0 9 * * ? 2027)", task: "report", start_date: "2028-01-01T00:00:00Z" },
      ],
    };
    const { code, stderr } = await run(["check", file("qa.tfvars.json", JSON.stringify(inputs))]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      'qa.schedules[0].name: must not start with "once-", the scheduling API\'s prefix for the one-time schedules it creates and ' +
        'deletes, got "once-nightly"',
      "qa.tags: at most 50 tags fit on a resource and the product adds 1 (Name): 49 of your own at most, got 50",
      "qa.schedules[1].expression: never fires: February has no day 31",
      "qa.schedules[2].start_date: holds no run on or after startDate (2028-01-01T00:00:00Z): its last year, 2027, ends before it",
    ]);
  });

  it("reads a .tfvars file in HCL, as Terraform would", async () => {
    const hcl = `project_name = "acme"
environment  = "qa"
schedules = [
  { name = "hourly", expression = "rate(1 hour)", task = "data_processing" },
  { name = "daily", expression = "cron(0 9 * * ? *)", timezone = "Europe/Berln", task = "report" },
]
notifications = { email = ["ops@example.com"] }
`;
    const { code, stderr } = await run(["check", file("qa.tfvars", hcl)]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'qa.schedules[1].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "Europe/Berln"',
    );
  });

  it("accepts the inputs of the module's own example", async () => {
    const inputs = {
      project_name: "acme",
      environment: "qa",
      schedules: [{ name: "hourly-ingest", expression: "rate(1 hour)", task: "data_processing" }],
      notifications: { email: ["data-qa@example.com"] },
    };
    expect(await run(["check", file("ok.tfvars.json", JSON.stringify(inputs))])).toEqual({ code: 0, stdout: "ok\n", stderr: "" });
  });
});
