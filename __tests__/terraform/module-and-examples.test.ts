import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { SCHEDULER_CONTEXT } from "../../core/schedule-input";
import { defaultTargetInput } from "../../core/schedule-targets";
import { cachedTaskBundle } from "../../modules/bundling/task-bundle-cache";
import { accessGrants } from "../../modules/constructs/support/access-grants";
import { targetStatements } from "../../modules/constructs/support/target-grants";
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
    const directory = join(ROOT, "terraform-module", "examples", "two-environments");
    // The example's own task, bundled first as its comment says (npx scheduled-task-processing bundle ... --out ledger.zip).
    const zip = join(directory, "ledger.zip");
    cpSync(cachedTaskBundle(join(ROOT, "examples", "own-task", "ledger.ts"), { runtime: "nodejs22.x" }).zipPath, zip);
    try {
      const run = terraformIn(directory);
      await run("init", "-input=false");
      expect(await run("test")).toContain("Success! 1 passed, 0 failed.");
    } finally {
      rmSync(zip, { force: true });
    }
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
        module("old_runtime", `  environment = "e9"\n  processor = { runtime = "nodejs20.x" }`),
        module(
          "targets",
          `  environment = "e10"
  schedules = [
    { name = "none", expression = "rate(1 hour)" },
    { name = "both", expression = "rate(1 hour)", task = "report", target = { sqs = "arn:aws:sqs:eu-west-1:210987654321:orders" } },
    { name = "two", expression = "rate(1 hour)",
      target = { sqs = "arn:aws:sqs:eu-west-1:210987654321:orders", lambda = "arn:aws:lambda:eu-west-1:123456789012:function:f" } },
    { name = "group", expression = "rate(1 hour)", target = { sqs = "arn:aws:sqs:eu-west-1:210987654321:orders", message_group_id = "g" } },
    { name = "fifo", expression = "rate(1 hour)", target = { sqs = "arn:aws:sqs:eu-west-1:210987654321:orders.fifo" } },
    { name = "bus", expression = "rate(1 hour)",
      target = { event_bus = "arn:aws:events:eu-west-1:123456789012:event-bus/default", source = "aws.ec2" } },
    { name = "key", expression = "rate(1 hour)", input = "not json", target = {
      lambda      = "arn:aws:lambda:eu-west-1:123456789012:function:f",
      kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    } },
    { name = "wrong-arn", expression = "rate(1 hour)", target = { sqs = "arn:aws:sns:eu-west-1:123456789012:topic" } },
    { name = "task-fields", expression = "rate(1 hour)", target = { sns = "arn:aws:sns:eu-west-1:123456789012:topic" },
      payload = { period_hours = 2 }, exclude = ["2026-12-25"], missed_run_alarm = { period_seconds = 3600, evaluation_periods = 2 } },
    { name = "fine-target", expression = "rate(1 hour)",
      target = { step_functions = "arn:aws:states:eu-west-1:123456789012:stateMachine:m" },
      input = "{\\"attempt\\": <aws.scheduler.attempt-number>}" },
  ]`,
        ),
        module(
          "exclusions",
          `  environment = "e8"
  schedules = [
    { name = "holidays", expression = "cron(0 9 * * ? *)", task = "report",
      exclude = ["2026-12-25", "2028-02-29", "2026-12-26/2026-12-24", "2027-02-29", "Dec 25", "2026-02-28/2026-02-30"] },
    { name = "every-day", expression = "cron(0 9 * * ? *)", task = "report", exclude = [for i in range(367) : "2026-01-01"] },
  ]`,
        ),
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
      'schedules[0].exclude[2] must be a range that runs forwards, its first day then its last, got "2026-12-26/2026-12-24" ' +
        '(schedule "holidays").',
      'schedules[0].exclude[3] must name real calendar dates, got "2027-02-29" (schedule "holidays").',
      'schedules[0].exclude[5] must name real calendar dates, got "2026-02-28/2026-02-30" (schedule "holidays").',
      'schedules[0].exclude[4] must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got "Dec 25" (schedule "holidays").',
      'schedules[1].exclude must hold at most 366 entries, got 367 (schedule "every-day").',
      "processor.runtime nodejs20.x is deprecated: Lambda deprecated it on 2026-04-30 and blocks creating functions on it from " +
        "2026-08-31 and updating them from 2026-09-30; use nodejs22.x or nodejs24.x.",
      'schedules[0].task is required: a schedule runs a task or invokes a target (schedule "none")',
      'schedules[1].target cannot be given with task: a schedule runs a task or invokes a target, not both (schedule "both")',
      'schedules[2].target must name one of lambda, sqs, sns, step_functions, event_bus, got lambda and sqs (schedule "two")',
      'schedules[3].target.message_group_id is only for a FIFO queue (a name ending in .fifo), not a standard queue (schedule "group")',
      'schedules[4].target.message_group_id is required for a FIFO queue (.fifo) (schedule "fifo")',
      'schedules[5].target.detail_type is required with event_bus (schedule "bus")',
      'schedules[5].target.source must not start with "aws." (the sources of AWS services\' own events), got "aws.ec2" (schedule "bus").',
      "schedules[6].input must be JSON for a target of lambda, step_functions or event_bus (Scheduler's context attributes count as " +
        'values) (schedule "key")',
      'schedules[6].target.kms_key_arn is only for a target of sqs or sns (schedule "key")',
      "schedules[7].target.sqs must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>), " +
        'got "arn:aws:sns:eu-west-1:123456789012:topic" ' +
        '(schedule "wrong-arn").',
      "schedules[8].exclude needs a task: the processor keeps excluded dates, and a target's runs do not pass through it " +
        '(schedule "task-fields")',
      "schedules[8].missed_run_alarm needs a task: it watches the processor's runs, and a target's schedule has none (schedule " +
        '"task-fields")',
      'schedules[8].payload is a task\'s options; a target takes input (schedule "task-fields")',
    ];
    expect(expected.filter((text) => !message.includes(text))).toEqual([]);
    expect(message).not.toContain('(schedule "fine")');
    expect(message).not.toContain('(schedule "forwards")');
    expect(message).not.toContain('tags["cost center"]');
    expect(message).not.toMatch(/exclude\[[01]\] /);
    expect(message).not.toContain('(schedule "fine-target")');
  });
});

describeWithTerraform("the module's own tasks, from an HCL root", () => {
  // A root of its own: Terraform runs a validation that reads another input (here tasks) only once every
  // validation that reads one input alone has passed, so these messages never come with those above.
  it("refuses a schedule naming no built-in or own task at plan, beside a schedule on a target (whose task is null)", async () => {
    const root = mkdtempSync(join(tmpdir(), "own-task-inputs-"));
    writeFileSync(
      join(root, "main.tf"),
      `${OFFLINE_PROVIDER}

module "tasks" {
  source       = ${JSON.stringify(join(ROOT, "terraform-module"))}
  project_name = "acme"
  account_id   = "123456789012"
  environment  = "e11"
  schedules = [
    { name = "cleanup", expression = "rate(1 day)", task = "defragment" },
    { name = "to-queue", expression = "rate(1 day)", target = { sqs = "arn:aws:sqs:eu-west-1:210987654321:orders" } },
  ]
}
`,
    );
    const run = terraformIn(root);
    await run("init", "-input=false");
    const failure = (await run("plan", "-input=false").catch((error) => error)) as TerraformStepError;
    expect(failure).toBeInstanceOf(TerraformStepError);
    const message = failure.output.replace(/\s+/g, " ");
    expect(message).toContain(
      "schedules[0].task must name a built-in task (report, data_processing, notification) or one of tasks (none), " +
        'got "defragment" (schedule "cleanup").',
    );
    expect(message).not.toContain('(schedule "to-queue")');
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
    { name = "holidays", expression = "cron(0 7 * * ? *)", task = "report", exclude = ["2026-12-24/2026-12-26"] },
    { name = "to-queue", expression = "rate(1 hour)", input = "tick <aws.scheduler.scheduled-time>", target = {
      sqs = "arn:aws:sqs:eu-west-1:210987654321:orders.fifo", message_group_id = "orders",
      kms_key_arn = "arn:aws:kms:eu-west-1:210987654321:key/11111111-2222-3333-4444-555555555555"
    } },
    { name = "to-bus", expression = "rate(1 day)",
      target = { event_bus = "arn:aws:events:eu-west-1:123456789012:event-bus/default", detail_type = "tick", source = "acme" } },
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
            { name: "holidays", expression: "cron(0 9 * * ? *)", timezone: "Europe/Berlin", task: "report", exclude: ["2026-12-25"] },
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

    it("sends a schedule's excluded dates and zone in its input, and nothing more for a schedule without them", () => {
      const input = (name: string) => JSON.parse(plannedAfter(`module.t.aws_scheduler_schedule.tasks["${name}"]`).target[0].input);
      expect(input("holidays")).toMatchObject({ timezone: "Europe/Berlin", exclude: ["2026-12-25"] });
      expect(Object.keys(input("daily")).sort()).toEqual(
        ["attempt_number", "environment", "execution_id", "payload", "schedule", "scheduled_time", "task_type"].sort(),
      );
    });
  });
});

describeWithTerraform("the module's schedules on targets outside it", () => {
  const queue = "arn:aws:sqs:eu-west-1:210987654321:orders.fifo";
  const key = "arn:aws:kms:eu-west-1:210987654321:key/11111111-2222-3333-4444-555555555555";
  const bus = "arn:aws:events:eu-west-1:123456789012:event-bus/default";
  const topic = "arn:aws:sns:eu-west-1:123456789012:alerts";
  const fn = "arn:aws:lambda:eu-west-1:123456789012:function:reindex";
  // Text jsonencode would escape, and template syntax: the input reaches Scheduler as written.
  const topicInput = "a<b> & ${not a template} at <aws.scheduler.scheduled-time>";
  let plan: { resource_changes: Array<{ address: string; change: { after: Record<string, any> } }>; planned_values: any };
  const after = (address: string) => plan.resource_changes.find((c) => c.address === address)!.change.after;

  beforeAll(async () => {
    // A copy of the module with its statement list as an output: the role's policy is unknown at plan (it names the processor).
    const copy = mkdtempSync(join(tmpdir(), "module-copy-"));
    cpSync(join(ROOT, "terraform-module"), copy, { recursive: true, filter: (source) => !source.includes(".terraform") });
    writeFileSync(join(copy, "test_outputs.tf"), 'output "target_statements" { value = local.schedule_target_statements }\n');
    const root = mkdtempSync(join(tmpdir(), "targets-"));
    const hcl = (value: unknown): string =>
      JSON.stringify(value)
        .replace(/"([a-z_]+)":/g, "$1 = ")
        .replace(/\$\{/g, "$$${");
    writeFileSync(
      join(root, "main.tf"),
      `${OFFLINE_PROVIDER}\n\nmodule "t" {\n  source = ${JSON.stringify(copy)}\n  project_name = "acme"\n  environment = "qa"\n` +
        `  account_id = "123456789012"\n  schedules = ${hcl([
          { name: "daily", expression: "cron(0 9 * * ? *)", task: "report" },
          { name: "to-queue", expression: "rate(1 hour)", target: { sqs: queue, message_group_id: "orders", kms_key_arn: key } },
          { name: "to-topic", expression: "rate(1 day)", target: { sns: topic }, input: topicInput },
          { name: "to-function", expression: "rate(1 day)", target: { lambda: fn } },
          { name: "to-bus", expression: "rate(1 day)", target: { event_bus: bus, detail_type: "tick", source: "acme.tasks" } },
        ])}\n}\n\noutput "target_statements" { value = module.t.target_statements }\n`,
    );
    const run = terraformIn(root);
    await run("init", "-input=false");
    await run("plan", "-input=false", "-out=tfplan");
    plan = JSON.parse(await run("show", "-json", "tfplan"));
  });

  it("plans each schedule on its target's ARN with its service's parameters, and the input as given or the default", () => {
    const target = (name: string) => after(`module.t.aws_scheduler_schedule.tasks["${name}"]`).target[0];
    expect(target("to-queue")).toMatchObject({ arn: queue, sqs_parameters: [{ message_group_id: "orders" }], eventbridge_parameters: [] });
    expect(target("to-queue").input).toBe(defaultTargetInput("to-queue", "qa"));
    expect(target("to-bus")).toMatchObject({ arn: bus, eventbridge_parameters: [{ detail_type: "tick", source: "acme.tasks" }] });
    expect(target("to-topic")).toMatchObject({ arn: topic, input: topicInput, sqs_parameters: [] });
    expect(target("to-function").arn).toBe(fn);
    expect(target("daily").sqs_parameters).toEqual([]);
    const missed = plan.resource_changes.filter((c) => c.address.startsWith("module.t.aws_cloudwatch_metric_alarm.missed_run"));
    expect(missed.map((c) => c.address)).toEqual(['module.t.aws_cloudwatch_metric_alarm.missed_run["daily"]']);
  });

  it("grants the scheduler role the statements the stacks would: one action a service on its targets, and the queue's key", () => {
    const planned = plan.planned_values.outputs.target_statements.value;
    expect(planned).toEqual(
      targetStatements([{ sqs: queue, messageGroupId: "orders", kmsKeyArn: key }, { sns: topic }, { lambda: fn }, { eventBus: bus }]),
    );
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
