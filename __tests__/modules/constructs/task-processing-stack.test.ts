import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ENVIRONMENTS,
  environment,
  named,
  referenced,
  referenceTo,
  resources,
  synthEnvironment,
  withLedgerTask,
} from "../../support/synth";

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("stack %s", (_name, config) => {
  const stack = synthEnvironment(config);

  it("pins the provider to the environment's region and account and tags everything", () => {
    expect(stack.document.provider.aws).toEqual([
      {
        region: config.region,
        allowed_account_ids: [config.account],
        default_tags: [{ tags: { ...config.tags, project: config.projectName, environment: config.name, "managed-by": "cdktf" } }],
      },
    ]);
    // The full address: OpenTofu and provider mirrors read a bare "aws" as another provider.
    expect(stack.document.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "5.100.0" });
  });

  it("keeps state in the configured S3 backend, encrypted, with S3-native locking", () => {
    expect(stack.document.terraform.backend).toEqual({
      s3: { ...config.backend, encrypt: true, use_lockfile: true },
    });
  });

  it("uses no data sources, so a plan never needs to read AWS first", () => {
    expect(stack.document.data ?? {}).toEqual({});
  });

  const outputs: Record<string, [type: string, attribute: string]> = {
    bucket_name: ["aws_s3_bucket", "bucket"],
    bucket_arn: ["aws_s3_bucket", "arn"],
    notification_topic_arn: ["aws_sns_topic", "arn"],
    processor_function_name: ["aws_lambda_function", "function_name"],
    operations_topic_arn: ["aws_sns_topic", "arn"],
    failure_handler_function_arn: ["aws_lambda_function", "arn"],
    schedule_api_function_arn: ["aws_lambda_function", "arn"],
    schedule_api_url: ["aws_lambda_function_url", "function_url"],
    processor_function_arn: ["aws_lambda_function", "arn"],
    schedule_group_name: ["aws_scheduler_schedule_group", "name"],
    schedule_group_arn: ["aws_scheduler_schedule_group", "arn"],
  };

  it.each(Object.entries(outputs))("outputs %s from the right resource", (name, [type, attribute]) => {
    const output = stack.document.output[name];
    expect(output.description).toEqual(expect.any(String));
    const target = referenced(stack, output.value);
    expect([target.type, target.attribute]).toEqual([type, attribute]);
  });

  it("outputs the roles and queues by their purpose", () => {
    const body = (name: string) => referenced(stack, stack.document.output[name].value).body;
    expect(body("processor_role_arn").name).toBe(`${config.projectName}-${config.name}-processor`);
    expect(body("scheduler_role_arn").name).toBe(`${config.projectName}-${config.name}-scheduler`);
    expect(body("processor_failure_queue_url").name).toBe(`${config.projectName}-${config.name}-processor-failures`);
    expect(body("processor_failure_queue_arn").name).toBe(`${config.projectName}-${config.name}-processor-failures`);
    expect(body("scheduler_dead_letter_queue_url").name).toBe(`${config.projectName}-${config.name}-scheduler-dlq`);
    expect(body("scheduler_dead_letter_queue_arn").name).toBe(`${config.projectName}-${config.name}-scheduler-dlq`);
  });

  it("outputs a map of schedule name to schedule ARN", () => {
    expect(stack.document.output.schedule_arns.value).toBe(
      "${{ for name, schedule in aws_scheduler_schedule.tasks : name => schedule.arn }}",
    );
    expect(Object.keys(stack.document.resource.aws_scheduler_schedule.tasks.for_each).sort()).toEqual(
      config.schedules.map((s) => s.name).sort(),
    );
  });

  it("puts the environment in every account-wide name, so environments can share an account", () => {
    const names = [
      ...resources(stack, "aws_iam_role").map(([, r]) => r.name),
      ...resources(stack, "aws_sqs_queue").map(([, r]) => r.name),
      ...resources(stack, "aws_sns_topic").map(([, r]) => r.name),
      ...resources(stack, "aws_lambda_function").map(([, r]) => r.function_name),
      ...resources(stack, "aws_scheduler_schedule_group").map(([, r]) => r.name),
      ...resources(stack, "aws_s3_bucket").map(([, r]) => r.bucket),
    ];
    expect(names).toHaveLength(15);
    for (const name of names) expect(name.startsWith(`${config.projectName}-${config.name}`)).toBe(true);
  });
});

describe("differences between environments", () => {
  const [dev, staging, prod] = (["dev", "staging", "prod"] as const).map(environment);
  const expressionOf = (config: typeof dev, name: string) => config.schedules.find((s) => s.name === name)?.expression;
  const synthesizedExpression = (config: typeof dev, name: string) =>
    resources(synthEnvironment(config), "aws_scheduler_schedule")
      .map(([, s]) => s)
      .find((s) => s.name === name)?.schedule_expression;

  it("runs data processing at a different frequency in each environment", () => {
    const rates = [dev, staging, prod].map((c) => synthesizedExpression(c, "data-processing"));
    expect(rates).toEqual(["rate(6 hours)", "rate(2 hours)", "rate(1 hour)"]);
    expect(rates).toEqual([dev, staging, prod].map((c) => expressionOf(c, "data-processing")));
  });

  it("notifies different targets in each environment", () => {
    const subscriptions = (c: typeof dev) => {
      const stack = synthEnvironment(c);
      const topic = referenceTo(stack, "aws_sns_topic", "notifications", "arn");
      return resources(stack, "aws_sns_topic_subscription").filter(([, s]) => s.topic_arn === topic);
    };
    const targets = [dev, staging, prod].map((c) =>
      subscriptions(c)
        .map(([, s]) => s.endpoint)
        .sort()
        .join(","),
    );
    expect(new Set(targets).size).toBe(3);
    expect(
      subscriptions(prod)
        .map(([, s]) => s.protocol)
        .sort(),
    ).toEqual(["email", "email", "https", "sms"]);
  });

  it("is strictest in prod: longest log retention, most retries", () => {
    const retention = [dev, staging, prod].map(
      (c) => named(synthEnvironment(c), "aws_cloudwatch_log_group", "processor")[1].retention_in_days,
    );
    expect(retention[0]).toBeLessThan(retention[1]);
    expect(retention[1]).toBeLessThan(retention[2]);
    const asyncRetries = [dev, staging, prod].map(
      (c) => resources(synthEnvironment(c), "aws_lambda_function_event_invoke_config")[0][1].maximum_retry_attempts,
    );
    expect(asyncRetries).toEqual([0, 1, 2]);
    const scheduleRetries = (c: typeof dev) =>
      Math.min(...resources(synthEnvironment(c), "aws_scheduler_schedule").map(([, s]) => s.target.retry_policy.maximum_retry_attempts));
    expect(scheduleRetries(prod)).toBeGreaterThan(
      Math.max(
        ...resources(synthEnvironment(staging), "aws_scheduler_schedule").map(([, s]) => s.target.retry_policy.maximum_retry_attempts),
      ),
    );
  });

  it("has one-time, cron and rate schedules across the environments", () => {
    const kinds = new Set(ENVIRONMENTS.flatMap((c) => c.schedules.map((s) => s.expression.slice(0, s.expression.indexOf("(")))));
    expect([...kinds].sort()).toEqual(["at", "cron", "rate"]);
  });
});

describe("synthesis of an app of environments", () => {
  // The repository's app skips CDKTF's preparing pass (it only looks for references across
  // stacks); an app with another kind of stack in it runs it. Both must write the same stacks:
  // prod's, and one with an own task and a schedule on a queue elsewhere.
  it("writes each environment's stack as the full two-pass synthesis does", () => {
    const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
    const { buildFunctionBundles } = require("../../../modules/bundling/function-bundle");
    const { TaskProcessingStack } = require("../../../modules/constructs/task-processing-stack");
    // dev's schedules and more: prod, the largest shipped stack, stands for the others.
    const configs = [environment("prod"), withLedgerTask("own-task")];
    const synthesize = (withOtherStack: boolean) => {
      const app = new App({ outdir: mkdtempSync(join(tmpdir(), "two-pass-")) });
      const stacks = configs.map(
        (config) => new TaskProcessingStack(app, { config, bundles: buildFunctionBundles({ runtime: config.processor.runtime }) }),
      );
      if (withOtherStack) new TerraformStack(app, "other");
      const prepared = jest.spyOn(TerraformStack.prototype, "prepareStack");
      app.synth();
      const fullPasses = prepared.mock.calls.length;
      prepared.mockRestore();
      return { fullPasses, stacks: stacks.map((stack) => readFileSync(join(app.outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) };
    };
    const skipped = synthesize(false);
    const full = synthesize(true);
    expect(skipped.fullPasses).toBe(0);
    expect(full.fullPasses).toBe(configs.length + 1);
    expect(skipped.stacks).toEqual(full.stacks);
    expect(Object.keys(JSON.parse(skipped.stacks.at(-1)!).resource.aws_lambda_function)).toContain("task");
  });
});
