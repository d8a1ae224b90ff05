import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { buildFunctionBundles } from "../../../modules/bundling/function-bundle";
import type { EnvironmentFile } from "../../../modules/config/schema";
import { ConfigError } from "../../../modules/config/validate";
import { projectNameFrom, ScheduledTaskProcessing } from "../../../modules/constructs/scheduled-task-processing";

/**
 * The construct given only what a team must decide: a name, schedules (name, expression, task)
 * and who hears about them. Everything else defaults as the Terraform module does.
 */
const MINIMAL: EnvironmentFile = {
  name: "qa",
  schedules: [
    { name: "hourly-ingest", expression: "rate(1 hour)", task: "data_processing", payload: { requiredFields: ["id"] } },
    { name: "daily-report", expression: "cron(0 9 * * ? *)", task: "report" },
  ],
  notifications: { email: ["data@example.com"] },
};

describe("ScheduledTaskProcessing with a minimal config", () => {
  const bundles = buildFunctionBundles();
  const stack = new TerraformStack(Testing.app(), "Analytics_Stack");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const tasks = new ScheduledTaskProcessing(stack, "tasks", { config: MINIMAL, bundles });
  const document = JSON.parse(Testing.synth(stack));
  const resources = (type: string) => Object.values<any>(document.resource[type] ?? {});

  it("names the resources after the stack, and its bucket after the provider's account, read at plan time", () => {
    expect(tasks.config.projectName).toBe("analytics-stack");
    expect(resources("aws_lambda_function").map((f) => f.function_name)).toContain("analytics-stack-qa-processor");
    expect(resources("aws_s3_bucket")[0].bucket).toMatch(/^analytics-stack-qa-data-\$\{data\.aws_caller_identity\.\w+\.account_id\}$/);
    expect(Object.keys(document.data)).toEqual(expect.arrayContaining(["aws_caller_identity", "aws_region", "aws_partition"]));
  });

  it("fills in each schedule as the module does: UTC, enabled, no window, three retries within an hour", () => {
    // One resource over the schedules (for_each), each spec filled in.
    const [schedules] = resources("aws_scheduler_schedule");
    expect(Object.keys(schedules.for_each).sort()).toEqual(["daily-report", "hourly-ingest"]);
    for (const spec of Object.values<any>(schedules.for_each))
      expect(spec).toMatchObject({ timezone: "UTC", state: "ENABLED", flexibleMode: "OFF", retryAttempts: 3, maxEventAgeSeconds: 3600 });
  });

  it("fills in the processor, storage and alarms with the module's defaults", () => {
    const processor = resources("aws_lambda_function").find((f) => f.function_name.endsWith("-processor"));
    expect({ memory: processor.memory_size, timeout: processor.timeout }).toEqual({ memory: 512, timeout: 300 });
    expect(tasks.config.alarms.processorErrors).toBe(1);
    expect(tasks.config.storage.noncurrentVersionExpirationDays).toBe(30);
    expect(tasks.config.operations).toEqual({ email: ["data@example.com"], sms: [], https: [] });
  });

  it("needs the account when it grants access, since it sorts principals by account at synth", () => {
    const other = new TerraformStack(new App(), "other");
    const access = { readers: [{ name: "bi", principals: ["arn:aws:iam::210987654321:role/bi"], prefixes: ["reports/" as const] }] };
    expect(() => new ScheduledTaskProcessing(other, "tasks", { config: { ...MINIMAL, access }, bundles })).toThrow(ConfigError);
  });

  it("makes a valid project name of any stack name", () => {
    expect(projectNameFrom("Analytics_Stack")).toBe("analytics-stack");
    expect(projectNameFrom("42-orders--EU-")).toBe("orders-eu");
    expect(projectNameFrom("a-very-long-stack-name-for-the-team")).toBe("a-very-long-stack-name-f");
    expect(projectNameFrom("123")).toBe("tasks");
  });

  // An own task's name is any name (its payload any object), so the types take a built-in task's
  // misplaced payload field too: the config refuses it, with its path, when the construct is built.
  it("refuses a payload field of another task, naming the schedule's field", () => {
    const other = new TerraformStack(Testing.app(), "other");
    const report: NonNullable<EnvironmentFile["schedules"]>[number] = {
      name: "r",
      expression: "rate(1 day)",
      task: "report",
      payload: { prefix: "incoming/" },
    };
    expect(() => new ScheduledTaskProcessing(other, "tasks", { config: { ...MINIMAL, schedules: [report] }, bundles })).toThrow(
      "qa.schedules[0].payload.prefix: unknown field for task report",
    );
  });
});
