import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildExampleApp } from "../../examples/cdktf-app/main";
import { checkStack } from "../../modules/tooling/security/check";
import { StackDocument } from "../../modules/tooling/security/stack-document";
import { findTerraform } from "../../scripts/lib/offline-terraform";
import { type PlanResult, planStack, planStacksOffline, TerraformStepError } from "../../scripts/lib/terraform-runner";
import { ENVIRONMENTS } from "../support/synth";

const terraform = findTerraform();
if (!terraform) console.warn("terraform is not on PATH: skipping terraform validate and plan of the stacks");
const describeWithTerraform = terraform ? describe : describe.skip;

describeWithTerraform("terraform validate and offline plan", () => {
  // The run's shared synth (global-setup.ts), copied so terraform's files stay out of it.
  const workspace = mkdtempSync(join(tmpdir(), "terraform-plan-"));
  const stacks = ENVIRONMENTS.map((config) => {
    const directory = join(workspace, config.name);
    cpSync(join(process.env.SYNTH_OUTDIR!, "stacks", config.name), directory, { recursive: true });
    return { config, directory, document: JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8")) };
  });
  const results = new Map<string, PromiseSettledResult<PlanResult>>();
  let brokenStackFailure: unknown;
  // examples/cdktf-app: the construct in a team's own stack, under its provider and backend.
  const exampleApp = join(workspace, "example-app");
  // Its other stack: the queue one of its schedules sends to.
  const exampleQueueStack = join(workspace, "example-app-orders");
  let exampleAppPlan: PromiseSettledResult<PlanResult>;
  let exampleQueuePlan: PromiseSettledResult<PlanResult>;

  // The three stacks and the example app's in one Terraform run (most of a plan is the provider
  // starting up), and a broken stack planned alone beside them.
  beforeAll(async () => {
    const outdir = mkdtempSync(join(tmpdir(), "cdktf-app-"));
    buildExampleApp(outdir).synth();
    cpSync(join(outdir, "stacks", "analytics-qa"), exampleApp, { recursive: true });
    cpSync(join(outdir, "stacks", "orders-qa"), exampleQueueStack, { recursive: true });
    const broken = mkdtempSync(join(tmpdir(), "broken-stack-"));
    // Needs no provider: terraform finds it invalid without starting one.
    writeFileSync(join(broken, "main.tf.json"), JSON.stringify({ output: { broken: { value: "${local.missing}" } } }));
    const [[exampleResult, queueResult, ...settled], brokenResult] = await Promise.all([
      planStacksOffline([exampleApp, exampleQueueStack, ...stacks.map((s) => s.directory)]),
      planStack(broken, { offline: true }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    ]);
    brokenStackFailure = brokenResult;
    exampleAppPlan = exampleResult;
    exampleQueuePlan = queueResult;
    stacks.forEach(({ config }, i) => {
      results.set(config.name, settled[i]);
    });
  });

  describe.each(stacks.map((s) => [s.config.name, s] as const))("%s", (name, { config, document }) => {
    const plan = () => {
      const result = results.get(name)!;
      if (result.status === "rejected") throw result.reason;
      return result.value;
    };

    it("validates and plans without an AWS account", () => {
      expect(plan().plan.format_version).toBeDefined();
    });

    it("plans to create every synthesized resource (each for_each instance) and change nothing else", () => {
      const resourceCount = new StackDocument(document).all().length;
      const totals = plan().summary.reduce(
        (sum, s) => ({ create: sum.create + s.create, other: sum.other + s.update + s.replace + s.delete }),
        { create: 0, other: 0 },
      );
      expect(totals).toEqual({ create: resourceCount, other: 0 });
    });

    it("records the planned values reviewers read: names and schedule expressions", () => {
      const planned = plan().plan.planned_values.root_module.resources as Array<{ type: string; values: any }>;
      expect(planned.find((r) => r.type === "aws_s3_bucket")?.values.bucket).toBe(
        `${config.projectName}-${config.name}-data-${config.account}`,
      );
      const expressions = planned
        .filter((r) => r.type === "aws_scheduler_schedule")
        .map((r) => r.values.schedule_expression)
        .sort();
      expect(expressions).toEqual(config.schedules.map((s) => s.expression).sort());
      expect(JSON.parse(readFileSync(plan().planJsonFile, "utf8")).format_version).toBeDefined();
    });

    it("keeps the offline settings out of the product's own configuration", () => {
      expect(document.terraform.backend.s3).toBeDefined();
      expect(document.provider.aws[0]).not.toHaveProperty("skip_credentials_validation");
      expect(document.provider.aws[0].allowed_account_ids).toEqual([config.account]);
    });
  });

  it("plans the stacks in one Terraform run, each part addressed as its own plan would be", () => {
    const plans = [...stacks.map(({ config }) => results.get(config.name)!), exampleAppPlan].map(
      (r) => (r as PromiseFulfilledResult<PlanResult>).value,
    );
    expect(new Set(plans.map((p) => p.planFile)).size).toBe(1);
    const addresses = plans.flatMap((p) => p.plan.resource_changes.map((c: { address: string }) => c.address));
    expect(addresses.filter((a) => a.startsWith("module."))).toEqual([]);
    expect(addresses).toContain('aws_scheduler_schedule.tasks["daily-report"]');
  });

  it("places the construct in a team's own CDKTF stack, under its provider and backend (examples/cdktf-app)", () => {
    const document = JSON.parse(readFileSync(join(exampleApp, "cdk.tf.json"), "utf8"));
    expect(document.terraform.backend.s3.bucket).toBe("analytics-terraform-state");
    expect(document.resource.aws_s3_bucket.data.bucket).toBe("analytics-qa-data-123456789012");
    expect(checkStack(new StackDocument(document)).violations).toEqual([]);
  });

  it("plans the example app's stack (examples/cdktf-app) to create what it synthesized", () => {
    if (exampleAppPlan.status === "rejected") throw exampleAppPlan.reason;
    const created = exampleAppPlan.value.summary.reduce((sum, s) => sum + s.create, 0);
    expect(created).toBe(new StackDocument(JSON.parse(readFileSync(join(exampleApp, "cdk.tf.json"), "utf8"))).all().length);
    expect(exampleAppPlan.value.summary.every((s) => s.update + s.replace + s.delete === 0)).toBe(true);
  });

  it("plans the example app's schedule on its other stack's queue: that queue's ARN, and the role may send to it", () => {
    if (exampleAppPlan.status === "rejected") throw exampleAppPlan.reason;
    if (exampleQueuePlan.status === "rejected") throw exampleQueuePlan.reason;
    const after = (plan: PlanResult, address: string) =>
      plan.plan.resource_changes.find((c: { address: string }) => c.address === address).change.after;
    const queue = after(exampleQueuePlan.value, "aws_sqs_queue.orders");
    const schedule = after(exampleAppPlan.value, 'aws_scheduler_schedule.tasks["nightly-close"]');
    expect(schedule.target[0].arn).toBe(`arn:aws:sqs:eu-west-1:123456789012:${queue.name}`);
    expect(schedule.target[0].input).toBe('{"command":"close-day","scheduledTime":"<aws.scheduler.scheduled-time>"}');
  });

  it("plans the example app's own task: its function, and its schedule invoking that function with the task's event", () => {
    if (exampleAppPlan.status === "rejected") throw exampleAppPlan.reason;
    const change = (address: string) =>
      exampleAppPlan.status === "fulfilled" &&
      exampleAppPlan.value.plan.resource_changes.find((c: { address: string }) => c.address === address)?.change;
    expect(change('aws_lambda_function.task["ledger"]')).toMatchObject({
      actions: ["create"],
      after: { function_name: "analytics-qa-task-ledger", memory_size: 256, handler: "index.handler" },
    });
    const input = JSON.parse(change('aws_scheduler_schedule.tasks["ledger-hourly"]').after.target[0].input);
    expect(input).toMatchObject({ task_type: "ledger", schedule: "ledger-hourly", payload: { currency: "EUR" } });
    expect(change('aws_iam_role.task["ledger"]')).toMatchObject({ actions: ["create"] });
  });

  it("names the failing step and terraform's reason when a configuration is invalid", () => {
    const failure = brokenStackFailure as TerraformStepError;
    expect(failure).toBeInstanceOf(TerraformStepError);
    expect(failure.step).toBe("validate");
    expect(failure.message).toContain("Reference to undeclared local value");
  });

  it("says terraform is missing instead of failing obscurely", async () => {
    const failure = await planStack(stacks[0].directory, { offline: true, env: { ...process.env, PATH: "/nonexistent" } }).catch(
      (error) => error,
    );
    expect(failure).toMatchObject({ step: "locate", message: "terraform is not on PATH: install Terraform 1.10 or later" });
  });
});
