import { environments } from "../../../environments";
import { dev } from "../../../environments/dev";
import { loadEnvironments } from "../../../environments/load";
import { prod } from "../../../environments/prod";
import { ConfigError, formatProblem, validateEnvironment } from "../../../modules/config/validate";

type Mutable = any;
const broken = (change: (config: Mutable) => void): Mutable => {
  const config = structuredClone(prod) as Mutable;
  change(config);
  return config;
};
/** The clock of the cases below: rules about the past read it, so they hold on any day the tests run. */
const NOW = new Date("2026-12-06T12:00:00Z");
const problemsOf = (raw: unknown, expectedName?: string, now?: Date) => {
  const result = validateEnvironment(raw, { expectedName, now });
  return result.ok ? [] : result.problems.map(formatProblem);
};
const tagsNamed = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag-${i}`, "x"]));
const TAG_CHARACTERS = "may hold only letters, digits, spaces and _ . : / = + - @";

describe("environment configs as shipped", () => {
  it.each(Object.entries(environments))("%s is valid", (name, raw) => {
    expect(problemsOf(raw, name)).toEqual([]);
  });
});

describe("validateEnvironment", () => {
  const cases: Array<[string, (c: Mutable) => void, string]> = [
    ["name", (c) => (c.name = "Prod env"), 'Prod env.name: must start with a lower-case letter and hold only a-z 0-9 -, got "Prod env"'],
    ["name length", (c) => (c.name = "a-very-long-environment"), "a-very-long-environment.name: must be at most 16 characters, got 23"],
    ["account", (c) => (c.account = "12345"), 'prod.account: must be a 12-digit AWS account id, got "12345"'],
    ["account type", (c) => (c.account = 333333333333), "prod.account: must be a string, got number 333333333333"],
    ["region", (c) => (c.region = "us-east"), 'prod.region: must be an AWS region such as us-east-1, got "us-east"'],
    [
      "projectName case",
      (c) => (c.projectName = "Scheduler"),
      'prod.projectName: must start with a lower-case letter, end with a letter or digit and hold only a-z 0-9 -, got "Scheduler"',
    ],
    ["projectName length", (c) => (c.projectName = "a".repeat(25)), "prod.projectName: must be at most 24 characters, got 25"],
    ["tag value type", (c) => (c.tags.owner = 7), "prod.tags.owner: must be a string, got number 7"],
    [
      "tag key prefix",
      (c) => (c.tags["aws:owner"] = "x"),
      "prod.tags.aws:owner: tag keys must be 1-128 characters and must not start with aws:",
    ],
    ["backend bucket", (c) => (c.backend.bucket = "State_Bucket"), 'prod.backend.bucket: must be an S3 bucket name, got "State_Bucket"'],
    ["backend key", (c) => (c.backend.key = "/state"), "prod.backend.key: must be a non-empty key that does not start with /"],
    [
      "kms key",
      (c) => (c.storage.kmsKeyArn = "alias/mine"),
      'prod.storage.kmsKeyArn: must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "alias/mine"',
    ],
    [
      "noncurrent days",
      (c) => (c.storage.noncurrentVersionExpirationDays = 0),
      "prod.storage.noncurrentVersionExpirationDays: must be an integer from 1 to 3650, got 0",
    ],
    [
      "email",
      (c) => (c.notifications.email[1] = "not-an-address"),
      'prod.notifications.email[1]: must be an email address, got "not-an-address"',
    ],
    [
      "sms",
      (c) => (c.notifications.sms[0] = "555-0100"),
      'prod.notifications.sms[0]: must be an E.164 phone number such as +15555550100, got "555-0100"',
    ],
    [
      "https",
      (c) => (c.notifications.https[0] = "http://hooks.example.com/x"),
      'prod.notifications.https[0]: must be an https:// URL, got "http://hooks.example.com/x"',
    ],
    ["memory low", (c) => (c.processor.memoryMb = 64), "prod.processor.memoryMb: must be an integer from 128 to 10240, got 64"],
    ["memory fraction", (c) => (c.processor.memoryMb = 512.5), "prod.processor.memoryMb: must be an integer from 128 to 10240, got 512.5"],
    ["timeout", (c) => (c.processor.timeoutSeconds = 901), "prod.processor.timeoutSeconds: must be an integer from 1 to 900, got 901"],
    [
      "retention",
      (c) => (c.processor.logRetentionDays = 10),
      "prod.processor.logRetentionDays: must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, " +
        "731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 10",
    ],
    ["async retries", (c) => (c.processor.asyncRetries = 3), "prod.processor.asyncRetries: must be an integer from 0 to 2, got 3"],
    ["unknown field", (c) => (c.processor.memoryMB = 512), "prod.processor.memoryMB: unknown field"],
    ["concurrency", (c) => (c.processor.concurrency = 0), "prod.processor.concurrency: must be an integer from 1 to 64, got 0"],
    [
      "fan-out concurrency",
      (c) => (c.fanOut = { maxConcurrency: 1, maxReceiveCount: 5 }),
      "prod.fanOut.maxConcurrency: must be an integer from 2 to 1000, got 1",
    ],
    [
      "fan-out receives",
      (c) => (c.fanOut = { maxConcurrency: 5, maxReceiveCount: 0 }),
      "prod.fanOut.maxReceiveCount: must be an integer from 1 to 1000, got 0",
    ],
    [
      "fan-out bytes",
      (c) => (c.fanOut = { maxConcurrency: 5, maxReceiveCount: 5, bytesPerInvocation: 1000 }),
      "prod.fanOut.bytesPerInvocation: must be an integer from 1048576 to 1099511627776, got 1000",
    ],
    [
      "work queue age",
      (c) => (c.alarms.workQueueAgeSeconds = 30),
      "prod.alarms.workQueueAgeSeconds: must be an integer from 60 to 1209600, got 30",
    ],
    [
      "protection",
      (c) => (c.protection = { preventDestroy: "yes" }),
      'prod.protection.preventDestroy: must be a boolean, got string "yes"',
    ],
    [
      "destroy waiver address",
      (c) => (c.destroyWaivers = [{ address: "the bucket", reason: "migrating to a new bucket" }]),
      'prod.destroyWaivers[0].address: must be a Terraform resource address such as aws_sqs_queue.work, got "the bucket"',
    ],
    [
      "destroy waiver reason",
      (c) => (c.destroyWaivers = [{ address: "aws_sqs_queue.work", reason: "ok" }]),
      "prod.destroyWaivers[0].reason: must explain why the destroy is intended (10 characters or more)",
    ],
    [
      "schedule name",
      (c) => (c.schedules[0].name = "daily report"),
      'prod.schedules[0].name: must be 1-64 characters of 0-9 A-Z a-z _ . -, got "daily report"',
    ],
    [
      "schedule name length",
      (c) => (c.schedules[0].name = "x".repeat(65)),
      `prod.schedules[0].name: must be 1-64 characters of 0-9 A-Z a-z _ . -, got "${"x".repeat(65)}"`,
    ],
    [
      "duplicate name",
      (c) => (c.schedules[2].name = "daily-report"),
      'prod.schedules[2].name: duplicates schedules[0].name "daily-report"; names must be unique in the schedule group',
    ],
    [
      "expression kind",
      (c) => (c.schedules[1].expression = "every hour"),
      'prod.schedules[1].expression: must be cron(...), rate(...) or at(...), got "every hour"',
    ],
    [
      "cron days",
      (c) => (c.schedules[1].expression = "cron(0 9 * * MON *)"),
      "prod.schedules[1].expression: day-of-month and day-of-week cannot both be specified; use ? in one of them",
    ],
    [
      "rate unit",
      (c) => (c.schedules[1].expression = "rate(1 hours)"),
      "prod.schedules[1].expression: rate(1 hours) must use the singular unit: rate(1 hour)",
    ],
    [
      "timezone",
      (c) => (c.schedules[0].timezone = "Mars/Olympus_Mons"),
      'prod.schedules[0].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "Mars/Olympus_Mons"',
    ],
    [
      "timezone case",
      (c) => (c.schedules[0].timezone = "america/new_york"),
      'prod.schedules[0].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "america/new_york"; ' +
        "did you mean America/New_York?",
    ],
    [
      "timezone offset",
      (c) => (c.schedules[0].timezone = "+05:00"),
      'prod.schedules[0].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "+05:00"',
    ],
    [
      "task",
      (c) => (c.schedules[0].task = "cleanup"),
      'prod.schedules[0].task: must name a built-in task (report, data_processing, notification) or one of tasks (none), got "cleanup"',
    ],
    ["enabled", (c) => (c.schedules[0].enabled = "yes"), 'prod.schedules[0].enabled: must be a boolean, got string "yes"'],
    [
      "flexible window",
      (c) => (c.schedules[0].flexibleWindowMinutes = 1441),
      "prod.schedules[0].flexibleWindowMinutes: must be 0 (off) or an integer from 1 to 1440, got 1441",
    ],
    [
      "max attempts",
      (c) => (c.schedules[2].retry.maxAttempts = 186),
      "prod.schedules[2].retry.maxAttempts: must be an integer from 0 to 185, got 186",
    ],
    [
      "max event age",
      (c) => (c.schedules[2].retry.maxEventAgeSeconds = 59),
      "prod.schedules[2].retry.maxEventAgeSeconds: must be an integer from 60 to 86400, got 59",
    ],
    [
      "start date",
      (c) => (c.schedules[0].startDate = "2027-01-01"),
      'prod.schedules[0].startDate: must be an RFC 3339 instant such as 2027-01-01T00:00:00Z, got "2027-01-01"',
    ],
    [
      "end before start",
      (c) => Object.assign(c.schedules[0], { startDate: "2027-06-01T00:00:00Z", endDate: "2027-01-01T00:00:00Z" }),
      "prod.schedules[0].endDate: must be after startDate (2027-06-01T00:00:00Z), got 2027-01-01T00:00:00Z",
    ],
    [
      "timezone misspelt",
      (c) => (c.schedules[0].timezone = "Europe/Londn"),
      'prod.schedules[0].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "Europe/Londn"; ' +
        "did you mean Europe/London?",
    ],
    [
      "timezone city only",
      (c) => (c.schedules[0].timezone = "Sao Paulo"),
      'prod.schedules[0].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "Sao Paulo"; ' +
        "did you mean America/Sao_Paulo?",
    ],
    [
      "region that does not exist",
      (c) => (c.region = "us-east-9"),
      'prod.region: must be an AWS region that exists (commercial, China or GovCloud) such as us-east-1, got "us-east-9"',
    ],
    [
      "isolated region",
      (c) => (c.region = "us-iso-east-1"),
      'prod.region: must be an AWS region that exists (commercial, China or GovCloud) such as us-east-1, got "us-iso-east-1"',
    ],
    [
      "backend region",
      (c) => (c.backend.region = "eu-west-9"),
      'prod.backend.region: must be an AWS region that exists (commercial, China or GovCloud) such as us-east-1, got "eu-west-9"',
    ],
    [
      "schedule named with the API's prefix",
      (c) => (c.schedules[0].name = "once-daily"),
      'prod.schedules[0].name: must not start with "once-", the scheduling API\'s prefix for the one-time schedules it creates and ' +
        'deletes, got "once-daily"',
    ],
    [
      "60 tags",
      (c) => (c.tags = tagsNamed(60)),
      "prod.tags: at most 50 tags fit on a resource and the product adds 4 (project, environment, managed-by, Name): " +
        "46 of your own at most, got 60",
    ],
    [
      "200,000 tags",
      (c) => (c.tags = tagsNamed(200_000)),
      "prod.tags: at most 50 tags fit on a resource and the product adds 4 (project, environment, managed-by, Name): " +
        "46 of your own at most, got 200000",
    ],
    ["tag key characters", (c) => (c.tags["team#1"] = "x"), `prod.tags.team#1: tag keys ${TAG_CHARACTERS}, got "team#1"`],
    ["tag value characters", (c) => (c.tags.owner = "a;b"), `prod.tags.owner: tag values ${TAG_CHARACTERS}, got "a;b"`],
    ["tag value apostrophe", (c) => (c.tags.owner = "Zoë's team"), `prod.tags.owner: tag values ${TAG_CHARACTERS}, got "Zoë's team"`],
    [
      "cron on February 31",
      (c) => (c.schedules[0].expression = "cron(0 0 31 2 ? *)"),
      "prod.schedules[0].expression: never fires: February has no day 31",
    ],
    [
      "cron on February 30 or 31",
      (c) => (c.schedules[0].expression = "cron(0 9 30,31 FEB ? *)"),
      "prod.schedules[0].expression: never fires: February has no day 30 or 31",
    ],
    [
      "cron on day 31 of 30-day months",
      (c) => (c.schedules[0].expression = "cron(0 9 31 4,6,9,11 ? *)"),
      "prod.schedules[0].expression: never fires: April, June, September and November have no day 31",
    ],
    [
      "cron on February 29 without a leap year",
      (c) => (c.schedules[0].expression = "cron(0 9 29 2 ? 2029-2031)"),
      "prod.schedules[0].expression: never fires: February has no day 29 in 2029-2031 (no leap year)",
    ],
    [
      "cron on a fifth Monday of February 2027",
      (c) => (c.schedules[0].expression = "cron(0 9 ? 2 MON#5 2027)"),
      "prod.schedules[0].expression: never fires: no day in 2027 matches month 2 and day-of-week MON#5",
    ],
    [
      "cron only at a time daylight saving skips",
      (c) => (c.schedules[0].expression = "cron(30 2 14 3 ? 2027)"),
      "prod.schedules[0].expression: never fires: each of its times falls in a daylight-saving gap of America/New_York",
    ],
    [
      "cron years wholly in the past",
      (c) => (c.schedules[0].expression = "cron(0 9 * * ? 2020-2024)"),
      "prod.schedules[0].expression: never fires again: its years (2020-2024) are in the past; remove the schedule",
    ],
    [
      "window with no run",
      (c) =>
        Object.assign(c.schedules[0], {
          expression: "cron(0 9 1 * ? *)",
          startDate: "2027-03-02T00:00:00Z",
          endDate: "2027-03-20T00:00:00Z",
        }),
      "prod.schedules[0].endDate: holds no run between startDate (2027-03-02T00:00:00Z) and endDate (2027-03-20T00:00:00Z): " +
        "its first run from startDate is 2027-04-01T13:00:00Z",
    ],
    [
      "start after the last year",
      (c) => Object.assign(c.schedules[0], { expression: "cron(0 9 * * ? 2027)", startDate: "2028-01-02T00:00:00Z" }),
      "prod.schedules[0].startDate: holds no run on or after startDate (2028-01-02T00:00:00Z): its last year, 2027, ends before it",
    ],
    [
      "end date in the past",
      (c) => (c.schedules[1].endDate = "2025-01-01T00:00:00Z"),
      "prod.schedules[1].endDate: is in the past (2025-01-01T00:00:00Z): the schedule never fires again; remove the schedule",
    ],
    [
      "at() in the past",
      (c) => (c.schedules[0].expression = "at(2025-06-01T09:00:00)"),
      "prod.schedules[0].expression: at(2025-06-01T09:00:00) in America/New_York is in the past (2025-06-01T13:00:00Z); " +
        "remove the schedule",
    ],
    [
      "at() in a daylight-saving gap",
      (c) => (c.schedules[0].expression = "at(2027-03-14T02:30:00)"),
      "prod.schedules[0].expression: at(2027-03-14T02:30:00) falls in a daylight-saving gap of America/New_York: on 2027-03-14 its " +
        "clocks go from 02:00 to 03:00, so 02:30 never comes",
    ],
    [
      "payload field",
      (c) => (c.schedules[1].payload = { requiredField: ["id"] }),
      "prod.schedules[1].payload.requiredField: unknown field for task data_processing",
    ],
    [
      "payload value",
      (c) => (c.schedules[0].payload = { periodHours: 0 }),
      "prod.schedules[0].payload.periodHours: must be an integer from 1 to 8784 (a leap year), got 0",
    ],
    [
      "payload prefix",
      (c) => (c.schedules[1].payload = { prefix: "../runs/" }),
      'prod.schedules[1].payload.prefix: must be a relative prefix under incoming/ without "..", got "../runs/"',
    ],
    [
      "deprecated runtime",
      (c) => (c.processor.runtime = "nodejs20.x"),
      "prod.processor.runtime: nodejs20.x is deprecated: Lambda deprecated it on 2026-04-30 and blocks creating functions on it from " +
        "2026-08-31 and updating them from 2026-09-30; use nodejs22.x or nodejs24.x",
    ],
    [
      "older runtime",
      (c) => (c.processor.runtime = "nodejs16.x"),
      "prod.processor.runtime: nodejs16.x is deprecated: Lambda deprecated it on 2024-06-12 and blocks creating and updating functions " +
        "on it; use nodejs22.x or nodejs24.x",
    ],
    [
      "unknown runtime",
      (c) => (c.processor.runtime = "python3.13"),
      'prod.processor.runtime: must be one of nodejs22.x, nodejs24.x, got "python3.13"',
    ],
    [
      "excluded date's shape",
      (c) => (c.schedules[0].exclude = ["2026-12-25", "Dec 26"]),
      'prod.schedules[0].exclude[1]: must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got "Dec 26"',
    ],
    [
      "excluded date that is not one",
      (c) => (c.schedules[0].exclude = ["2027-02-29"]),
      "prod.schedules[0].exclude[0]: 2027-02-29 is not a date",
    ],
    [
      "excluded range that runs backwards",
      (c) => (c.schedules[0].exclude = ["2026-12-26/2026-12-24"]),
      "prod.schedules[0].exclude[0]: the range must run forwards: 2026-12-24 is before 2026-12-26",
    ],
    [
      "excluded dates past the limit",
      (c) => (c.schedules[0].exclude = Array.from({ length: 367 }, () => "2026-12-25")),
      "prod.schedules[0].exclude: must hold at most 366 entries, got 367",
    ],
  ];

  it.each(cases)("reports a bad %s with its path and reason", (_rule, change, message) => {
    expect(problemsOf(broken(change), undefined, NOW)).toEqual([message]);
  });

  it("accepts a leap day, a one-day range and as many excluded entries as a leap year has days", () => {
    const config = broken((c) => {
      c.schedules[0].exclude = ["2028-02-29", "2026-12-25/2026-12-25", "2026-12-24/2027-01-02"];
      c.schedules[1].exclude = Array.from({ length: 366 }, (_, day) => new Date(Date.UTC(2028, 0, 1 + day)).toISOString().slice(0, 10));
    });
    expect(problemsOf(config, undefined, NOW)).toEqual([]);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(
      broken((c) => {
        c.account = "1";
        c.processor.memoryMb = 1;
        c.schedules[2].retry.maxAttempts = 500;
        c.schedules[1].name = c.schedules[0].name;
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'prod.account: must be a 12-digit AWS account id, got "1"',
        "prod.processor.memoryMb: must be an integer from 128 to 10240, got 1",
        "prod.schedules[2].retry.maxAttempts: must be an integer from 0 to 185, got 500",
        'prod.schedules[1].name: duplicates schedules[0].name "daily-report"; names must be unique in the schedule group',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it("requires of this repository's environment files what the construct defaults: backend, projectName, account, region", () => {
    const { backend: _b, projectName: _p, account: _a, region: _r, ...rest } = structuredClone(prod) as Mutable;
    const result = validateEnvironment(rest, { expectedName: "prod", requireBackend: true });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "prod.backend: is required: the environment's stack keeps its state there",
      "prod.projectName: is required",
      "prod.account: is required",
      "prod.region: is required",
    ]);
    expect(problemsOf(rest, "prod")).toEqual([]);
  });

  it("refuses a reader prefix given twice, naming the repeat", () => {
    const config = broken((c) => {
      c.access = { readers: [{ name: "bi", principals: ["arn:aws:iam::222222222222:role/bi"], prefixes: ["reports/", "reports/"] }] };
    });
    expect(problemsOf(config, undefined, NOW)).toEqual(['prod.access.readers[0].prefixes[1]: repeats "reports/"']);
  });

  it("accepts the regions of China and GovCloud, and tags in any script up to the limit", () => {
    const config = broken((c) => {
      c.region = "cn-northwest-1";
      c.backend.region = "us-gov-west-1";
      c.tags = { ...tagsNamed(44), Kostenstelle: "Zoë Müller: 42 @ ops/eu", 部署: "開発 + 運用" };
    });
    expect(problemsOf(config, undefined, NOW)).toEqual([]);
    expect(problemsOf({ ...config, tags: { ...config.tags, one: "too many" } }, undefined, NOW)).toEqual([
      "prod.tags: at most 50 tags fit on a resource and the product adds 4 (project, environment, managed-by, Name): " +
        "46 of your own at most, got 47",
    ]);
  });

  it("reports every refusal of a config at once, each with its path", () => {
    const problems = problemsOf(
      broken((c) => {
        c.region = "us-east-9";
        c.tags = { ...tagsNamed(59), "bad;key": "x" };
        c.schedules[0].name = "once-report";
        c.schedules[0].expression = "cron(0 0 31 2 ? *)";
        c.schedules[1].expression = "at(2026-01-01T00:00:00)";
        c.schedules[2].timezone = "America/Chicgo";
      }),
      undefined,
      NOW,
    );
    expect(problems).toEqual([
      'prod.region: must be an AWS region that exists (commercial, China or GovCloud) such as us-east-1, got "us-east-9"',
      `prod.tags.bad;key: tag keys ${TAG_CHARACTERS}, got "bad;key"`,
      'prod.schedules[0].name: must not start with "once-", the scheduling API\'s prefix for the one-time schedules it creates and ' +
        'deletes, got "once-report"',
      'prod.schedules[2].timezone: must be an IANA time zone name such as America/New_York (case-sensitive), got "America/Chicgo"; ' +
        "did you mean America/Chicago?",
      "prod.tags: at most 50 tags fit on a resource and the product adds 4 (project, environment, managed-by, Name): " +
        "46 of your own at most, got 60",
      "prod.schedules[0].expression: never fires: February has no day 31",
      "prod.schedules[1].expression: at(2026-01-01T00:00:00) in UTC is in the past (2026-01-01T00:00:00Z); remove the schedule",
    ]);
  });

  it("requires the name to match the file the config lives in", () => {
    expect(problemsOf(prod, "staging")).toEqual(['staging.name: must be "staging" to match environments/staging.ts, got "prod"']);
  });

  it("rejects a config that is not an object", () => {
    expect(problemsOf([])).toEqual(["<unnamed>.<root>: must be an object, got an array"]);
  });
});

describe("a schedule that has fired for the last time", () => {
  // dev's one-time backfill: at(2027-01-04T08:00:00) in Europe/London (GMT in January).
  const validateDevOn = (now: string) => validateEnvironment(dev, { expectedName: "dev", now: new Date(now) });
  const reason = "at(2027-01-04T08:00:00) in Europe/London is in the past (2027-01-04T08:00:00Z)";

  it("is fine before it fires", () => {
    expect(validateDevOn("2027-01-04T07:59:00Z")).toMatchObject({ ok: true, problems: [], warnings: [] });
  });

  it("is a warning for 30 days after it fires: the next plan still works", () => {
    const result = validateDevOn("2027-01-05T08:00:00Z");
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatProblem)).toEqual([
      `dev.schedules[3].expression: ${reason}; remove the schedule by 2027-02-03, when the config starts refusing it`,
    ]);
    expect(validateDevOn("2027-02-03T07:59:00Z").ok).toBe(true);
  });

  it("is refused after those 30 days", () => {
    const result = validateDevOn("2027-02-03T08:00:00Z");
    expect(result.problems.map(formatProblem)).toEqual([`dev.schedules[3].expression: ${reason}; remove the schedule`]);
    expect(result.warnings).toEqual([]);
  });

  it("is printed by the loader as a warning on its way to the stacks", () => {
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 19);
    const source = structuredClone(dev) as Mutable;
    source.schedules[3].expression = `at(${tenDaysAgo})`;
    source.schedules[3].timezone = "UTC";
    const warnings: string[] = [];
    const [config] = loadEnvironments(["dev"], { dev: source }, (problem) => warnings.push(formatProblem(problem)));
    expect(config.schedules[3].expression).toBe(`at(${tenDaysAgo})`);
    expect(warnings).toEqual([
      expect.stringMatching(/^dev\.schedules\[3\]\.expression: at\(.*\) in UTC is in the past .*; remove the schedule by /),
    ]);
  });
});

describe("defaults", () => {
  it("accepts a config with only the core keys and fills in storage, on-call targets, alarms and API retries", () => {
    const { storage: _s, operations: _o, alarms: _a, scheduleApi: _p, ...core } = structuredClone(prod) as Mutable;
    const result = validateEnvironment(core, { expectedName: "prod" });
    expect(result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.config.storage).toEqual({ noncurrentVersionExpirationDays: 30, abortIncompleteMultipartUploadDays: 7 });
    expect(result.config.operations).toEqual(prod.notifications);
    expect(result.config.alarms.processorErrors).toBe(1);
    expect(result.config.scheduleApi).toEqual({ retry: { maxAttempts: 3, maxEventAgeSeconds: 3600 } });
  });
});

describe("loadEnvironments", () => {
  it("returns every environment in environments/, by name", () => {
    expect(loadEnvironments().map((c) => c.name)).toEqual(["dev", "prod", "staging"]);
  });

  it("throws one ConfigError listing the problems of every environment", () => {
    const sources = { dev: broken((c) => ((c.name = "dev"), (c.account = "x"))), prod: broken((c) => (c.region = "nowhere")) };
    let thrown: unknown;
    try {
      loadEnvironments(["dev", "prod", "qa"], sources);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.map(formatProblem)).toEqual([
      'dev.account: must be a 12-digit AWS account id, got "x"',
      'prod.region: must be an AWS region such as us-east-1, got "nowhere"',
      'no environment "qa"; known: dev, prod',
    ]);
  });
});

describe("fan-out defaults", () => {
  it("derive each invocation's share from the processor's memory and timeout", () => {
    const [dev, prodConfig] = loadEnvironments(["dev", "prod"]);
    expect(dev.processor.concurrency).toBe(16);
    expect(prodConfig.processor.concurrency).toBe(16);
    // dev: (60 s - 30 s reserve) / 2 = 15 s of planned work, 16 at a time, 0.3 s a source
    expect(dev.fanOut.sourcesPerInvocation).toBe(800);
    expect(dev.fanOut.bytesPerInvocation).toBe(Math.floor(15 * 10 * 1024 * 1024 * (256 / 1769)));
    expect(prodConfig.fanOut.sourcesPerInvocation).toBe(10_000);
  });

  it("let a file set them itself", () => {
    const result = validateEnvironment(
      { ...structuredClone(prod), fanOut: { maxConcurrency: 20, maxReceiveCount: 3, sourcesPerInvocation: 50 } },
      { expectedName: "prod" },
    );
    expect(result.ok && result.config.fanOut).toEqual({
      maxConcurrency: 20,
      maxReceiveCount: 3,
      sourcesPerInvocation: 50,
      bytesPerInvocation: expect.any(Number),
    });
  });
});

describe("a schedule on a target outside the stack", () => {
  const queue = "arn:aws:sqs:eu-west-1:210987654321:orders";
  const bus = "arn:aws:events:eu-west-1:123456789012:event-bus/default";
  const fn = "arn:aws:lambda:eu-west-1:123456789012:function:reindex";
  const key = "arn:aws:kms:eu-west-1:210987654321:key/11111111-2222-3333-4444-555555555555";
  const withSchedule = (schedule: Record<string, unknown>) =>
    broken((c) => (c.schedules = [{ name: "external", expression: "rate(1 hour)", ...schedule }]));

  it("accepts each kind with its parameters, and an input with Scheduler's context attributes as values", () => {
    for (const schedule of [
      { target: { lambda: `${fn}:live` } },
      { target: { sqs: queue, kmsKeyArn: key }, input: "plain text for a queue" },
      { target: { sqs: `${queue}.fifo`, messageGroupId: "orders-1" } },
      { target: { sns: "arn:aws:sns:eu-west-1:123456789012:alerts", kmsKeyArn: key } },
      {
        target: { stepFunctions: "arn:aws:states:eu-west-1:123456789012:stateMachine:close-books" },
        input: '{"attempt": <aws.scheduler.attempt-number>, "at": "<aws.scheduler.scheduled-time>"}',
      },
      { target: { eventBus: bus, detailType: "tick", source: "acme.tasks" }, input: '{"at": "<aws.scheduler.scheduled-time>"}' },
    ])
      expect(problemsOf(withSchedule(schedule), undefined, NOW)).toEqual([]);
  });

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ["neither task nor target", {}, ["prod.schedules[0].task: is required: a schedule runs a task or invokes a target"]],
    [
      "both task and target",
      { task: "report", target: { sqs: queue } },
      ["prod.schedules[0].target: cannot be given with task: a schedule runs a task or invokes a target, not both"],
    ],
    [
      "two services",
      { target: { sqs: queue, lambda: fn } },
      ["prod.schedules[0].target: must name one of lambda, sqs, sns, stepFunctions, eventBus, got lambda and sqs"],
    ],
    ["no service", { target: {} }, ["prod.schedules[0].target: must name one of lambda, sqs, sns, stepFunctions, eventBus, got none"]],
    [
      "an ARN of another service",
      { target: { sqs: "arn:aws:sns:eu-west-1:123456789012:alerts" } },
      [
        "prod.schedules[0].target.sqs: must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>), " +
          'got "arn:aws:sns:eu-west-1:123456789012:alerts"',
      ],
    ],
    [
      "a message group for a standard queue",
      { target: { sqs: queue, messageGroupId: "g" } },
      ["prod.schedules[0].target.messageGroupId: is only for a FIFO queue (a name ending in .fifo), not a standard queue"],
    ],
    [
      "a FIFO queue without a group",
      { target: { sqs: `${queue}.fifo` } },
      ["prod.schedules[0].target.messageGroupId: is required for a FIFO queue (.fifo)"],
    ],
    [
      "an event bus without detail-type and with an AWS source",
      { target: { eventBus: bus, source: "aws.ec2" } },
      [
        'prod.schedules[0].target.source: must not start with "aws." (the sources of AWS services\' own events), got "aws.ec2"',
        "prod.schedules[0].target.detailType: is required with eventBus",
      ],
    ],
    [
      "a key for a function",
      { target: { lambda: fn, kmsKeyArn: key } },
      ["prod.schedules[0].target.kmsKeyArn: is only for a target of sqs or sns"],
    ],
    [
      "text for a function",
      { target: { lambda: fn }, input: "not json" },
      [
        "prod.schedules[0].input: must be JSON for a target of lambda, stepFunctions or eventBus " +
          "(Scheduler's context attributes count as values)",
      ],
    ],
    [
      "a list for an event bus",
      { target: { eventBus: bus, detailType: "t", source: "s" }, input: "[1]" },
      ["prod.schedules[0].input: must be a JSON object for an eventBus target: it is the event's detail"],
    ],
    [
      "a task's payload and excluded dates",
      { target: { sqs: queue }, payload: { periodHours: 2 }, exclude: ["2026-12-25"] },
      [
        "prod.schedules[0].payload: is a task's options; a target takes input",
        "prod.schedules[0].exclude: needs a task: the processor keeps excluded dates, and a target's runs do not pass through it",
      ],
    ],
    ["an input for a task", { task: "report", input: "{}" }, ["prod.schedules[0].input: is a target's; a task takes payload"]],
  ];

  it.each(cases)("is refused with %s, naming the field", (_case, schedule, messages) => {
    expect(problemsOf(withSchedule(schedule), undefined, NOW)).toEqual(messages);
  });
});
