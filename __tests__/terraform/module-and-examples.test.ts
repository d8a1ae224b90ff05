import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { SCHEDULER_CONTEXT } from "../../core/schedule-input";
import { accessGrants } from "../../modules/constructs/support/access-grants";
import { synthesizeModule } from "../../modules/tooling/terraform-module/synthesize-module";
import { findTerraform, terraformCliEnv } from "../../scripts/lib/offline-terraform";
import { runTerraform, TerraformStepError } from "../../scripts/lib/terraform-runner";
import { ENVIRONMENTS, synthEnvironment } from "../support/synth";

const ROOT = resolve(__dirname, "..", "..");
const terraform = findTerraform();
if (!terraform) console.warn("terraform is not on PATH: skipping the Terraform module and the examples");
const describeWithTerraform = terraform ? describe : describe.skip;

/** Lock files the tests' inits wrote into the examples, removed when the file is done. */
const writtenLockFiles: string[] = [];
afterAll(() => {
  for (const path of writtenLockFiles) rmSync(path, { force: true });
});

/**
 * Terraform in `directory`, its .terraform kept in a temporary folder and its lock file removed
 * afterwards (so the examples stay clean, and the next init links the cached provider instead
 * of hashing 700 MB to check it against a lock file).
 */
function terraformIn(directory: string) {
  const env = { ...terraformCliEnv(), TF_DATA_DIR: mkdtempSync(join(tmpdir(), "tf-data-")) };
  const lockFile = join(directory, ".terraform.lock.hcl");
  if (!existsSync(lockFile)) writtenLockFiles.push(lockFile);
  return (step: "init" | "validate" | "plan" | "show" | "test", ...args: string[]) =>
    runTerraform(step, [step, "-no-color", ...args], directory, env);
}

const OFFLINE_PROVIDER = `provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}`;

describeWithTerraform("the Terraform module, from an HCL root", () => {
  // `terraform test` validates the configuration before it runs anything.
  it("validates, and applies twice in one root with a mock provider (terraform-module/examples/two-environments)", async () => {
    const run = terraformIn(join(ROOT, "terraform-module", "examples", "two-environments"));
    await run("init", "-input=false");
    expect(await run("test")).toContain("Success! 1 passed, 0 failed.");
  });

  it("refuses bad inputs at plan, each message naming the schedules at fault", async () => {
    const root = mkdtempSync(join(tmpdir(), "bad-inputs-"));
    const module = (name: string, inputs: string) =>
      `module "${name}" {\n  source = ${JSON.stringify(join(ROOT, "terraform-module"))}\n  project_name = "acme"\n  account_id = ` +
      `"123456789012"\n${inputs}\n}`;
    writeFileSync(
      join(root, "main.tf"),
      [
        OFFLINE_PROVIDER,
        module(
          "expressions",
          `  environment = "e1"
  schedules = [
    { name = "ok", expression = "rate(1 hour)", task = "report" },
    { name = "no-unit", expression = "rate(5)", task = "report" },
    { name = "zero", expression = "rate(0 hours)", task = "report" },
    { name = "plural-one", expression = "rate(1 hours)", task = "report" },
    { name = "five-fields", expression = "cron(0 9 * * ?)", task = "report" },
    { name = "both-days", expression = "cron(0 9 * * MON *)", task = "report" },
  ]`,
        ),
        module(
          "names",
          `  environment = "e2"
  schedules = [
    { name = "twice", expression = "rate(1 hour)", task = "report" },
    { name = "twice", expression = "rate(2 hours)", task = "report" },
    { name = "cleanup", expression = "rate(1 day)", task = "defragment" },
  ]`,
        ),
        module(
          "bounds",
          `  environment = "e3"
  schedules = [
    { name = "wide", expression = "rate(1 hour)", task = "report", flexible_window_minutes = 2000 },
    { name = "eager", expression = "rate(1 hour)", task = "report", retry = { max_attempts = 200 } },
    { name = "misplaced", expression = "rate(1 hour)", task = "report", payload = { prefix = "shop/" } },
  ]
  processor = { memory_mb = 64, log_level = "LOUD" }`,
        ),
        module("names_too", `  environment = "Prod EU"`),
        module(
          "access",
          `  environment = "e5"
  access = {
    organization_id = "org-1"
    producers = [
      { name = "Partner", principals = ["*"], prefix = "../up/" },
      { name = "outer", principals = ["arn:aws:iam::210987654321:role/a"], prefix = "a/", require_kms = true },
      { name = "inner", principals = ["arn:aws:iam::210987654321:role/b"], prefix = "a/b/" },
    ]
    readers = [{ name = "inner", principals = [], prefixes = ["incoming/"] }]
  }`,
        ),
        module(
          "refusals",
          `  environment = "e6"
  tags = { "cost center" = "Zoë Müller: 42 @ ops/eu", "team#1" = "a", "plain" = "a;b", "aws:owner" = "x" }
  schedules = [
    { name = "once-nightly", expression = "rate(1 day)", task = "report" },
    { name = "backwards", expression = "rate(1 day)", task = "report",
      start_date = "2027-06-01T00:00:00Z", end_date = "2027-01-01T00:00:00Z" },
    { name = "forwards", expression = "rate(1 day)", task = "report",
      start_date = "2027-01-01T00:00:00Z", end_date = "2027-06-01T00:00:00Z" },
  ]`,
        ),
        module("many_tags", `  environment = "e7"\n  tags = { for i in range(60) : "t\${i}" => "v" }`),
        module(
          "calendar",
          `  environment = "e4"
  schedules = [
    { name = "fine", expression = "cron(0/15 8-18 ? * MON-FRI,SUN 2027-2030)", timezone = "Asia/Kolkata", task = "report" },
    { name = "minute-61", expression = "cron(61 9 * * ? *)", task = "report" },
    { name = "hour-24", expression = "cron(0 24 * * ? *)", task = "report" },
    { name = "day-32", expression = "cron(0 9 32 * ? *)", task = "report" },
    { name = "month-13", expression = "cron(0 9 * 13 ? *)", task = "report" },
    { name = "weekday-8", expression = "cron(0 9 ? * 8 *)", task = "report" },
    { name = "sixth-monday", expression = "cron(0 9 ? * 2#6 *)", task = "report" },
    { name = "year-1969", expression = "cron(0 9 * * ? 1969)", task = "report" },
    { name = "last-friday", expression = "cron(0 9 ? * 6L *)", timezone = "Europe/Berln", task = "report" },
  ]`,
        ),
      ].join("\n\n"),
    );
    const run = terraformIn(root);
    await run("init", "-input=false");
    const failure = (await run("plan", "-input=false").catch((error) => error)) as TerraformStepError;
    expect(failure).toBeInstanceOf(TerraformStepError);
    const message = failure.output.replace(/\s+/g, " ");
    const expected = [
      'schedules[1].expression must be rate(N unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss), got "rate(5)" (schedule "no-unit").',
      'schedules[4].expression must be rate(N unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss), got "cron(0 9 * * ' +
        '?)" (schedule "five-fields").',
      'schedules[2].expression must be rate(N unit) with N >= 1, got "rate(0 hours)" (schedule "zero").',
      'schedules[3].expression must use the singular unit for 1 only (rate(1 hour), rate(2 hours)), got "rate(1 hours)" ' +
        '(schedule "plural-one").',
      'schedules[5].expression must have ? in exactly one of day-of-month and day-of-week, got "cron(0 9 * * MON *)" ' +
        '(schedule "both-days").',
      'schedules[1].name duplicates schedules[0].name "twice"; names must be unique in the schedule group',
      'schedules[2].task must be one of report, data_processing, notification, got "defragment" (schedule "cleanup").',
      'schedules[0].flexible_window_minutes must be 0 (off) or an integer from 1 to 1440, got 2000 (schedule "wide").',
      'schedules[1].retry.max_attempts must be an integer from 0 to 185, got 200 (schedule "eager").',
      'schedules[2].payload.prefix is not a field of task report (schedule "misplaced"); it belongs to data_processing',
      "processor.memory_mb must be an integer from 128 to 10240, got 64.",
      'processor.log_level must be one of DEBUG, INFO, WARN, ERROR, got "LOUD".',
      'environment must start with a lower-case letter and hold only a-z 0-9 -, got "Prod EU".',
      'schedules[1].expression cron minutes must be 0-59 with , - * /, got "cron(61 9 * * ? *)" (schedule "minute-61").',
      'schedules[2].expression cron hours must be 0-23 with , - * /, got "cron(0 24 * * ? *)" (schedule "hour-24").',
      'schedules[3].expression cron day-of-month must be 1-31 with , - * / ? L W, got "cron(0 9 32 * ? *)" (schedule "day-32").',
      'schedules[4].expression cron month must be 1-12 or JAN-DEC with , - * /, got "cron(0 9 * 13 ? *)" (schedule "month-13").',
      'schedules[5].expression cron day-of-week must be 1-7 or SUN-SAT with , - * / ? L #, got "cron(0 9 ? * 8 *)" ' +
        '(schedule "weekday-8"). ' +
        'schedules[6].expression cron day-of-week must be 1-7 or SUN-SAT with , - * / ? L #, got "cron(0 9 ? * 2#6 *)" ' +
        '(schedule "sixth-monday").',
      'schedules[7].expression cron year must be 1970-2199 with , - * /, got "cron(0 9 * * ? 1969)" (schedule "year-1969").',
      "schedules[8].timezone must be an IANA time zone name such as America/New_York (case-sensitive), got " +
        '"Europe/Berln" (schedule "last-friday").',
      "access.producers[0].name must start with a lower-case letter and hold only a-z 0-9 -, at most 32, got " +
        '"Partner" (producer "Partner").',
      "access names must be unique among producers and readers; repeated: inner.",
      "access.producers[0].principals[0] must be an IAM role, user or account-root ARN " +
        "(arn:aws:iam::<account>:role/<name>, :user/<name> or " +
        ':root), got "*" (producer "Partner").',
      'access.readers[0].principals must name at least one principal (reader "inner").',
      'access.producers[0].prefix must be a relative folder such as "partner-a/" (segments of A-Z a-z 0-9 _ . ! * \' ' +
        "( ) -, none starting " +
        'with "."), ending in "/", got "../up/" (producer "Partner").',
      'access.producers[2].prefix "a/b/" and access.producers[1].prefix "a/" share or nest; producers\' prefixes never do',
      'access.readers[0].prefixes[0] must be one of processed/, quarantine/, reports/, archive/, got "incoming/" (reader "inner").',
      'access.organization_id must be an AWS Organizations id such as o-a1b2c3d4e5, got "org-1".',
      'schedules[0].name must not start with "once-", the scheduling API\'s prefix for the one-time schedules it creates and deletes, ' +
        'got "once-nightly" (schedule "once-nightly").',
      'schedules[1].end_date must be after start_date (2027-06-01T00:00:00Z), got 2027-01-01T00:00:00Z (schedule "backwards")',
      'tags["aws:owner"] tag keys must be 1-128 characters and must not start with aws:.',
      'tags["team#1"] tag keys may hold only letters, digits, spaces and _ . : / = + - @, got "team#1".',
      'tags["plain"] tag values may hold only letters, digits, spaces and _ . : / = + - @, got "a;b".',
      "tags: at most 50 tags fit on a resource and the module adds 1 (Name): 49 of your own at most, got 60.",
    ];
    expect(expected.filter((text) => !message.includes(text))).toEqual([]);
    expect(message).not.toContain('(schedule "fine")');
    expect(message).not.toContain('(schedule "forwards")');
    expect(message).not.toContain('tags["cost center"]');
  });
});

describeWithTerraform("the module's HCL and what it is rendered from", () => {
  // The construct's resources as CDKTF synthesized them (JSON syntax) beside the same variables and locals, and the HCL.
  it("plan the same resources with the same values, for inputs that use every part of the module", async () => {
    const synthesized = mkdtempSync(join(tmpdir(), "module-as-synthesized-"));
    for (const [path, contents] of (await synthesizeModule()).asSynthesized) {
      mkdirSync(dirname(join(synthesized, path)), { recursive: true });
      writeFileSync(join(synthesized, path), contents);
    }
    const inputs = `  project_name = "acme"
  environment  = "prod-eu"
  account_id   = "123456789012"
  tags         = { team = "data" }
  schedules = [
    { name = "hourly", expression = "rate(1 hour)", task = "data_processing", payload = { required_fields = ["id"], prefix = "a/" },
      flexible_window_minutes = 5, retry = { max_attempts = 20, max_event_age_seconds = 21600 } },
    { name = "daily", expression = "cron(0 9 * * ? *)", timezone = "Europe/Berlin", task = "report", payload = { period_hours = 24 } },
    { name = "weekly", expression = "cron(0 10 ? * MON *)", task = "notification",
      missed_run_alarm = { period_seconds = 86400, evaluation_periods = 7 } },
    { name = "once", expression = "at(2030-01-04T08:00:00)", task = "data_processing", enabled = false },
  ]
  notifications = { email = ["data@example.com"], sms = ["+15555550100"], https = ["https://hooks.example.com/tasks"] }
  operations    = { email = ["oncall@example.com"] }
  processor     = { memory_mb = 1024, timeout_seconds = 900, tracing = true, log_level = "DEBUG" }
  storage       = { kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  access = {
    organization_id = "o-abcdefghij"
    producers = [{ name = "partner-a", prefix = "p/", require_kms = true,
      principals = ["arn:aws:iam::210987654321:role/up", "arn:aws:iam::123456789012:role/up"] }]
    readers   = [{ name = "analytics", prefixes = ["reports/"],
      principals = ["arn:aws:iam::123456789012:role/bi", "arn:aws:iam::210987654321:root"] }]
  }`;
    const root = mkdtempSync(join(tmpdir(), "hcl-and-json-"));
    writeFileSync(
      join(root, "main.tf"),
      `${OFFLINE_PROVIDER}\n\nmodule "hcl" {\n  source = ${JSON.stringify(join(ROOT, "terraform-module"))}\n${inputs}\n}\n\n` +
        `module "json" {\n  source = ${JSON.stringify(synthesized)}\n${inputs}\n}\n`,
    );
    const run = terraformIn(root);
    await run("init", "-input=false");
    await run("plan", "-input=false", "-out=tfplan");
    const plan = JSON.parse(await run("show", "-json", "tfplan"));
    // JSON documents (policies, the dashboard) compare as what they say, not as the text jsonencode writes.
    const parsed = (value: unknown): unknown => {
      if (typeof value === "string" && /^[[{]/.test(value)) {
        try {
          return parsed(JSON.parse(value));
        } catch {
          return value;
        }
      }
      if (Array.isArray(value)) return value.map(parsed);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, parsed(v)]));
      return value;
    };
    const changes = (module: string) =>
      Object.fromEntries(
        plan.resource_changes
          .filter((c: { address: string }) => c.address.startsWith(`module.${module}.`))
          .map((c: { address: string; change: { actions: string[]; after: Record<string, unknown> } }) => {
            const { filename: _filename, ...after } = c.change.after;
            return [c.address.slice(`module.${module}.`.length), { actions: c.change.actions, after: parsed(after) }];
          }),
      );
    const [hcl, json] = [changes("hcl"), changes("json")];
    expect(Object.keys(hcl).length).toBeGreaterThan(60);
    expect(Object.keys(hcl).sort()).toEqual(Object.keys(json).sort());
    for (const address of Object.keys(json)) expect({ address, ...hcl[address] }).toEqual({ address, ...json[address] });
  });
});

describeWithTerraform("the module's access grants", () => {
  // The same producers and readers, given to the module and to the stacks' code: the same statements.
  const account = "123456789012";
  const key = `arn:aws:kms:eu-west-1:${account}:key/11111111-2222-3333-4444-555555555555`;
  const access = {
    organizationId: "o-abcdefghij",
    producers: [
      {
        name: "partner-a",
        principals: ["arn:aws:iam::210987654321:role/uploader", `arn:aws:iam::${account}:role/local`],
        prefix: "partner-a/",
        requireKms: true,
      },
    ],
    readers: [
      {
        name: "analytics",
        principals: [`arn:aws:iam::${account}:role/analytics`, "arn:aws:iam::210987654321:root"],
        prefixes: ["processed/", "reports/"] as Array<"processed/" | "reports/">,
      },
    ],
  };
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;

  // A check across inputs: Terraform runs it after the single-input checks, so it has a root of its own.
  it("refuses require_kms without the bucket's key, at plan", async () => {
    const root = mkdtempSync(join(tmpdir(), "access-kms-"));
    writeFileSync(
      join(root, "main.tf"),
      `${OFFLINE_PROVIDER}\n\nmodule "t" {\n  source = ${JSON.stringify(join(ROOT, "terraform-module"))}\n  project_name = "acme"\n` +
        `  environment = "qa"\n  account_id = "${account}"\n  access = { producers = [{ name = "p", principals = ` +
        `["arn:aws:iam::210987654321:role/a"], prefix = "a/", require_kms = true }] }\n}\n`,
    );
    const run = terraformIn(root);
    await run("init", "-input=false");
    const failure = (await run("plan", "-input=false").catch((error) => error)) as TerraformStepError;
    expect(failure).toBeInstanceOf(TerraformStepError);
    expect(failure.output.replace(/\s+/g, " ")).toContain(
      "access.producers[0].require_kms needs storage.kms_key_arn: uploads can only be required to use the bucket's key if it has one",
    );
  });

  describe("planned with producers, readers and schedules", () => {
    // One plan serves both checks: most of a plan is the provider starting.
    let changes: Array<{ address: string; change: { after: Record<string, any> } }>;
    const plannedAfter = (address: string) => changes.find((c) => c.address === address)!.change.after;
    // A payload text that jsonencode escapes: it must reach the processor as configured, and the context
    // attributes as Scheduler reads them.
    const awkwardPrefix = "a<b>&c\\d\\u003c/";
    beforeAll(async () => {
      const root = mkdtempSync(join(tmpdir(), "access-"));
      const hcl = (value: unknown): string => JSON.stringify(value).replace(/"([a-zA-Z_]+)":/g, "$1 = ");
      writeFileSync(
        join(root, "main.tf"),
        `${OFFLINE_PROVIDER}\n\nmodule "t" {\n  source = ${JSON.stringify(join(ROOT, "terraform-module"))}\n` +
          `  project_name = "acme"\n  environment = "qa"\n  account_id = "${account}"\n  storage = { kms_key_arn = "${key}" }\n` +
          `  access = ${hcl({
            organization_id: access.organizationId,
            producers: access.producers.map(({ requireKms, ...p }) => ({ ...p, require_kms: requireKms })),
            readers: access.readers,
          })}\n` +
          `  schedules = ${hcl([
            { name: "ingest", expression: "rate(1 hour)", task: "data_processing", payload: { prefix: awkwardPrefix } },
            { name: "daily", expression: "cron(0 9 * * ? *)", task: "report" },
          ])}\n}\n`,
      );
      const run = terraformIn(root);
      await run("init", "-input=false");
      await run("plan", "-input=false", "-out=tfplan");
      changes = JSON.parse(await run("show", "-json", "tfplan")).resource_changes;
    });

    it("plans the bucket policy and the managed policies the stacks would build", () => {
      const bucketArn = `arn:aws:s3:::acme-qa-data-${account}`;
      const expected = accessGrants(access, { account, bucketArn, kmsKeyArn: key });
      const planned = JSON.parse(plannedAfter("module.t.aws_s3_bucket_policy.data[0]").policy);
      expect(sorted(planned.Statement.slice(1))).toEqual(sorted(expected.bucketStatements));
      expect(sorted(JSON.parse(plannedAfter('module.t.aws_iam_policy.reader["analytics"]').policy))).toEqual(
        sorted(expected.readerPolicies.analytics),
      );
      expect(sorted(JSON.parse(plannedAfter('module.t.aws_iam_policy.producer["partner-a"]').policy))).toEqual(
        sorted(expected.producerPolicies["partner-a"]),
      );
    });

    it("plans each schedule's input with Scheduler's context attributes as literal text, and the payload as configured", () => {
      for (const name of ["ingest", "daily"]) {
        const input: string = plannedAfter(`module.t.aws_scheduler_schedule.tasks["${name}"]`).target[0].input;
        for (const placeholder of Object.values(SCHEDULER_CONTEXT)) expect(input).toContain(`"${placeholder}"`);
        expect(JSON.parse(input)).toMatchObject({ schedule: name, environment: "qa", scheduled_time: SCHEDULER_CONTEXT.scheduledTime });
      }
      expect(JSON.parse(plannedAfter('module.t.aws_scheduler_schedule.tasks["ingest"]').target[0].input).payload).toEqual({
        prefix: awkwardPrefix,
      });
    });
  });
});

describeWithTerraform("examples", () => {
  it("are formatted as terraform fmt writes them, and so is the module (terraform fmt -check -recursive)", () => {
    for (const directory of ["terraform-module", "examples"]) {
      const check = spawnSync(terraform!, ["fmt", "-check", "-recursive", "-list=true", directory], {
        cwd: ROOT,
        encoding: "utf8",
        env: terraformCliEnv(),
      });
      expect({ directory, status: check.status, unformatted: check.stdout.trim() }).toEqual({ directory, status: 0, unformatted: "" });
    }
  });

  it("plans without credentials, as the module's README shows (terraform-module/examples/plan-without-credentials)", async () => {
    const directory = join(ROOT, "terraform-module", "examples", "plan-without-credentials");
    // No credentials anywhere: only the provider settings and account_id of the example.
    const env = Object.fromEntries(Object.entries(terraformCliEnv()).filter(([name]) => !name.startsWith("AWS_")));
    const data = mkdtempSync(join(tmpdir(), "tf-data-"));
    const inData = (...args: string[]) => runTerraform(args[0] as "init", [...args, "-no-color"], directory, { ...env, TF_DATA_DIR: data });
    writtenLockFiles.push(join(directory, ".terraform.lock.hcl"));
    await inData("init", "-input=false");
    await inData("plan", "-input=false", `-out=${join(data, "tfplan")}`);
    const plan = JSON.parse(await inData("show", "-json", join(data, "tfplan")));
    const bucket = plan.resource_changes.find((c: { address: string }) => c.address === "module.tasks.aws_s3_bucket.data[0]");
    expect(bucket.change.after.bucket).toBe("acme-ci-data-123456789012");
    expect(
      plan.resource_changes.filter((c: { address: string }) => c.address.startsWith("module.tasks.aws_scheduler_schedule.tasks")),
    ).toHaveLength(2);
  });

  it("reads a stack's outputs through terraform_remote_state (examples/remote-state)", async () => {
    const directory = join(ROOT, "examples", "remote-state");
    const used = [...readFileSync(join(directory, "main.tf"), "utf8").matchAll(/local\.tasks\.(\w+)/g)].map((m) => m[1]);
    const outputs = Object.keys(synthEnvironment(ENVIRONMENTS.find((c) => c.name === "prod")!).document.output);
    expect(used.filter((name) => !outputs.includes(name))).toEqual([]);
    const run = terraformIn(directory);
    await run("init", "-input=false");
    expect(await run("test")).toContain("Success! 1 passed, 0 failed.");
  });
});
