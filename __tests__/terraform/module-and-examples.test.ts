import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SCHEDULER_CONTEXT } from "../../core/schedule-input";
import { accessGrants } from "../../modules/constructs/support/access-grants";
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
  it("validates, and applies twice in one root with a mock provider (examples/terraform-module)", async () => {
    const run = terraformIn(join(ROOT, "examples", "terraform-module"));
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
    expect(message).toContain(
      "these schedules are not: no-unit (rate(5)), zero (rate(0 hours)), plural-one (rate(1 hours)), five-fields (cron(0 9 * * ?)), " +
        "both-days (cron(0 9 * * MON *)).",
    );
    expect(message).toContain("schedule names must be unique in the group; repeated: twice.");
    expect(message).toContain("task must be one of report, data_processing, notification; these schedules are not: cleanup (defragment).");
    expect(message).toContain(
      "flexible_window_minutes must be 0 (off) or an integer from 1 to 1440; these schedules are not: wide (2000).",
    );
    expect(message).toContain("retry.max_attempts must be an integer from 0 to 185; these schedules are not: eager (200).");
    expect(message).toContain("these schedules do not: misplaced.");
    expect(message).toContain("processor.memory_mb must be an integer from 128 to 10240, got 64.");
    expect(message).toContain("processor.log_level must be one of DEBUG, INFO, WARN, ERROR, got LOUD.");
    expect(message).toContain(
      'environment must start with a lower-case letter and hold only a-z 0-9 -, at most 16 characters, got "Prod EU".',
    );
    expect(message).toContain("cron minutes must be 0-59 with , - * /; these schedules are not: minute-61 (cron(61 9 * * ? *)).");
    expect(message).toContain("cron hours must be 0-23 with , - * /; these schedules are not: hour-24 (cron(0 24 * * ? *)).");
    expect(message).toContain("cron day-of-month must be 1-31 with , - * / ? L W; these schedules are not: day-32 (cron(0 9 32 * ? *)).");
    expect(message).toContain("cron month must be 1-12 or JAN-DEC with , - * /; these schedules are not: month-13 (cron(0 9 * 13 ? *)).");
    expect(message).toContain(
      "cron day-of-week must be 1-7 or SUN-SAT with , - * / ? L #; these schedules are not: weekday-8 (cron(0 9 ? * 8 *)), sixth-monday " +
        "(cron(0 9 ? * 2#6 *)).",
    );
    expect(message).toContain("cron year must be 1970-2199 with , - * /; these schedules are not: year-1969 (cron(0 9 * * ? 1969)).");
    expect(message).toContain(
      "timezone must be an IANA time zone name such as America/New_York; these schedules are not: last-friday (Europe/Berln).",
    );
    expect(message).toContain(
      "access names must start with a lower-case letter and hold only a-z 0-9 -, at most 32; these are not: Partner.",
    );
    expect(message).toContain("access names must be unique among producers and readers; repeated: inner.");
    expect(message).toContain("access principals must be an IAM role, user or account-root ARN");
    expect(message).toContain("these are not: *.");
    expect(message).toContain("every access producer and reader must name at least one principal; these are not: inner.");
    expect(message).toMatch(/access\.producers\[\]\.prefix must be a relative folder .*; these are not: Partner \(\.\.\/up\/\)\./);
    expect(message).toContain("access producers never share or nest prefixes; these are not: outer, inner.");
    expect(message).toContain(
      "access.readers[].prefixes must be one or more of processed/, quarantine/, reports/, archive/, each once; these are not: inner.",
    );
    expect(message).toContain("access.organization_id must be an AWS Organizations id such as o-a1b2c3d4e5.");
    expect(message).toContain(
      'schedule names must not start with "once-", the scheduling API\'s prefix for the one-time schedules it creates and deletes; ' +
        "these are not: once-nightly.",
    );
    expect(message).toContain(
      "end_date must be after start_date; these schedules are not: backwards (2027-06-01T00:00:00Z to 2027-01-01T00:00:00Z).",
    );
    expect(message).toContain("tag keys must be 1-128 characters and must not start with aws:; these are not: aws:owner.");
    expect(message).toContain(
      "tag keys and values may hold only letters, digits, spaces and _ . : / = + - @ (listed by key); these are not: plain, team#1.",
    );
    expect(message).toContain("tags: at most 50 tags fit on a resource and the product adds 1 (Name): 49 of your own at most, got 60.");
    expect(message).not.toContain("forwards (");
    expect(message).not.toContain("fine (");
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
      "access.producers[].require_kms needs storage.kms_key_arn: uploads can only be required to use the bucket's key if it has one.",
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
