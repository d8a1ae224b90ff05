import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { TerraformStack, Testing } from "cdktf";
import { SCHEDULER_CONTEXT } from "../../../core/schedule-input";
import type { EnvironmentConfig } from "../../../modules/config/schema";
import { validateEnvironment } from "../../../modules/config/validate";
import { ScheduledTaskProcessing } from "../../../modules/constructs/scheduled-task-processing";
import { checkStack } from "../../../modules/tooling/security/check";
import { StackDocument } from "../../../modules/tooling/security/stack-document";
import { evaluateCalls } from "../../../scripts/lib/iam-audit/audit";
import { platformCalls } from "../../../scripts/lib/iam-audit/platform-calls";
import { stackPolicies } from "../../../scripts/lib/iam-audit/stack-policies";
import { environment, named, parsePolicy, referenceTo, resources, synthEnvironment } from "../../support/synth";

const QUEUE = "arn:aws:sqs:us-east-1:210987654321:orders.fifo";
const QUEUE_KEY = "arn:aws:kms:us-east-1:210987654321:key/11111111-2222-3333-4444-555555555555";
const TOPIC = "arn:aws:sns:us-east-1:111111111111:alerts";
const FUNCTION = "arn:aws:lambda:us-east-1:111111111111:function:reindex";
const MACHINE = "arn:aws:states:us-east-1:111111111111:stateMachine:close-books";
const BUS = "arn:aws:events:us-east-1:111111111111:event-bus/default";

/** dev with a schedule on each kind of target beside its own task schedules. */
function withTargets(): EnvironmentConfig {
  const dev = environment("dev");
  const result = validateEnvironment({
    ...dev,
    schedules: [
      ...dev.schedules,
      { name: "to-queue", expression: "rate(1 hour)", target: { sqs: QUEUE, messageGroupId: "orders", kmsKeyArn: QUEUE_KEY } },
      { name: "to-topic", expression: "rate(1 day)", target: { sns: TOPIC }, input: "nightly ${not a template} %{nor this}" },
      { name: "to-function", expression: "cron(0 3 * * ? *)", target: { lambda: FUNCTION } },
      {
        name: "to-machine",
        expression: "rate(7 days)",
        target: { stepFunctions: MACHINE },
        input: '{"attempt": <aws.scheduler.attempt-number>}',
      },
      { name: "to-bus", expression: "rate(1 day)", target: { eventBus: BUS, detailType: "tick", source: "acme.tasks" } },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe("schedules on targets outside the stack", () => {
  const config = withTargets();
  const stack = synthEnvironment(config);
  const schedule = (name: string) => resources(stack, "aws_scheduler_schedule").find(([key]) => key === `tasks["${name}"]`)![1];
  const forEach = stack.document.resource.aws_scheduler_schedule.tasks.for_each;
  const dlqArn = referenceTo(stack, "aws_sqs_queue", "scheduler_dlq", "arn");

  it("are instances of the same schedule resource, in the same group, with the same role, retries and dead-letter queue", () => {
    for (const name of ["to-queue", "to-topic", "to-function", "to-machine", "to-bus"])
      expect(schedule(name)).toMatchObject({
        group_name: "${aws_scheduler_schedule_group.tasks.name}",
        target: { role_arn: "${aws_iam_role.scheduler.arn}", dead_letter_config: { arn: dlqArn }, retry_policy: expect.any(Object) },
      });
  });

  it("invoke each its own ARN, with its service's parameters, and the processor stays the task schedules' target", () => {
    expect([QUEUE, TOPIC, FUNCTION, MACHINE, BUS]).toEqual(
      ["to-queue", "to-topic", "to-function", "to-machine", "to-bus"].map((name) => schedule(name).target.arn),
    );
    expect(schedule("daily-report").target.arn).toBe(referenceTo(stack, "aws_lambda_function", "processor", "arn"));
    expect(forEach["to-queue"].sqsMessageGroupIds).toEqual(["orders"]);
    expect(forEach["to-bus"].eventBridgeParameters).toEqual([{ detailType: "tick", source: "acme.tasks" }]);
    for (const name of ["to-topic", "to-function", "to-machine", "daily-report"]) {
      expect(forEach[name].sqsMessageGroupIds).toEqual([]);
      expect(forEach[name].eventBridgeParameters).toEqual([]);
    }
    // Blocks only where a schedule has them: dynamic blocks over those lists.
    expect(stack.document.resource.aws_scheduler_schedule.tasks.target.dynamic).toEqual({
      sqs_parameters: { for_each: "${each.value.sqsMessageGroupIds}", content: { message_group_id: "${sqs_parameters.value}" } },
      eventbridge_parameters: {
        for_each: "${each.value.eventBridgeParameters}",
        content: { detail_type: "${eventbridge_parameters.value.detailType}", source: "${eventbridge_parameters.value.source}" },
      },
    });
  });

  it("send the input as given, its context attributes and its text literal, or their identity with the context attributes", () => {
    expect(forEach["to-topic"].input).toBe("nightly $${not a template} %%{nor this}");
    expect(forEach["to-machine"].input).toBe('{"attempt": <aws.scheduler.attempt-number>}');
    expect(JSON.parse(forEach["to-queue"].input)).toEqual({
      environment: "dev",
      schedule: "to-queue",
      scheduled_time: SCHEDULER_CONTEXT.scheduledTime,
      execution_id: SCHEDULER_CONTEXT.executionId,
      attempt_number: SCHEDULER_CONTEXT.attemptNumber,
    });
  });

  it("let the scheduler role do on each target the one action it needs, and use the key of the encrypted queue", () => {
    expect(parsePolicy(named(stack, "aws_iam_role_policy", "scheduler")[1].policy).Statement).toEqual([
      {
        Sid: "InvokeProcessor",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [referenceTo(stack, "aws_lambda_function", "processor", "arn")],
      },
      { Sid: "SendUndeliveredToDeadLetterQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlqArn] },
      { Sid: "InvokeTargetFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [FUNCTION] },
      { Sid: "SendToTargetQueues", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [QUEUE] },
      { Sid: "PublishToTargetTopics", Effect: "Allow", Action: ["sns:Publish"], Resource: [TOPIC] },
      { Sid: "StartTargetStateMachines", Effect: "Allow", Action: ["states:StartExecution"], Resource: [MACHINE] },
      { Sid: "PutEventsOnTargetBuses", Effect: "Allow", Action: ["events:PutEvents"], Resource: [BUS] },
      { Sid: "UseTargetKeys", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [QUEUE_KEY] },
    ]);
  });

  it("get no missed-run alarm (no run record to watch): Scheduler's group alarms watch their delivery", () => {
    const missed = Object.keys(stack.document.resource.aws_cloudwatch_metric_alarm.missed_run?.for_each ?? {}).sort();
    expect(missed).toEqual(["daily-report", "data-processing", "weekly-notification"]);
    const groupAlarms = resources(stack, "aws_cloudwatch_metric_alarm")
      .map(([, alarm]) => alarm)
      .filter((alarm) => alarm.namespace === "AWS/Scheduler");
    expect(groupAlarms.map((alarm) => alarm.metric_name).sort()).toEqual([
      "InvocationDroppedCount",
      "InvocationThrottleCount",
      "TargetErrorCount",
    ]);
    for (const alarm of groupAlarms) expect(alarm.dimensions).toEqual({ ScheduleGroup: "scheduler-dev" });
  });

  it("pass the security rules", () => {
    expect(checkStack(new StackDocument(stack.document as never), config.waivers ?? []).violations).toEqual([]);
  });

  it("are covered by the IAM audit: Scheduler's call on each target, and on the queue's key, is allowed by its statement", async () => {
    const policies = stackPolicies(stack.document as never);
    const audit = await evaluateCalls(policies, platformCalls(policies));
    const scheduler = audit.roles.find((role) => role.role === "scheduler")!;
    const calls = scheduler.calls.map((call) => [call.action, call.resource, call.allowed, call.allowedBy.join(",")]);
    expect(calls).toEqual(
      expect.arrayContaining([
        ["sqs:SendMessage", QUEUE, true, "scheduler-invoke-target/SendToTargetQueues"],
        ["kms:GenerateDataKey", QUEUE_KEY, true, "scheduler-invoke-target/UseTargetKeys"],
        ["kms:Decrypt", QUEUE_KEY, true, "scheduler-invoke-target/UseTargetKeys"],
        ["sns:Publish", TOPIC, true, "scheduler-invoke-target/PublishToTargetTopics"],
        ["lambda:InvokeFunction", FUNCTION, true, "scheduler-invoke-target/InvokeTargetFunctions"],
        ["states:StartExecution", MACHINE, true, "scheduler-invoke-target/StartTargetStateMachines"],
        ["events:PutEvents", BUS, true, "scheduler-invoke-target/PutEventsOnTargetBuses"],
      ]),
    );
    expect(scheduler.grants.filter((grant) => !grant.used)).toEqual([]);
    expect(audit.denied).toEqual([]);
  });

  it("fail the IAM audit when the role lacks a target's action, though the target's owner would admit it", async () => {
    const document = structuredClone(stack.document) as any;
    const policy = JSON.parse(document.resource.aws_iam_role_policy.scheduler.policy);
    policy.Statement = policy.Statement.filter((s: { Sid: string }) => s.Sid !== "SendToTargetQueues");
    document.resource.aws_iam_role_policy.scheduler.policy = JSON.stringify(policy);
    const policies = stackPolicies(document);
    const audit = await evaluateCalls(policies, platformCalls(policies));
    expect(audit.denied.map((call) => [call.action, call.resource])).toEqual([["sqs:SendMessage", QUEUE]]);
  });
});

describe("a schedule on a queue of another stack of the app, by reference", () => {
  // The queue's `arn` is a token: validated at plan by Terraform, read here through the other stack's remote state.
  const app = Testing.app();
  const orders = new TerraformStack(app, "orders");
  new AwsProvider(orders, "aws", { region: "us-east-1" });
  const queue = new SqsQueue(orders, "queue", { name: "orders-nightly", sqsManagedSseEnabled: true });
  const tasks = new TerraformStack(app, "tasks");
  new AwsProvider(tasks, "aws", { region: "us-east-1" });
  const dev = environment("dev");
  new ScheduledTaskProcessing(tasks, "tasks", {
    config: { ...dev, schedules: [...dev.schedules, { name: "to-orders", expression: "rate(1 hour)", target: { sqs: queue.arn } }] },
  });
  app.synth();
  const document = JSON.parse(readFileSync(join(app.outdir, "stacks", "tasks", "cdk.tf.json"), "utf8"));

  it("synthesizes, the queue's ARN read from the other stack's state, and the role allowed to send to it alone", () => {
    const arn = document.resource.aws_scheduler_schedule.tasks.for_each["to-orders"].targetArn;
    expect(arn).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
    const statements = JSON.parse(document.resource.aws_iam_role_policy.scheduler.policy).Statement;
    expect(statements.find((s: { Sid: string }) => s.Sid === "SendToTargetQueues")).toEqual({
      Sid: "SendToTargetQueues",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: [arn],
    });
    expect(checkStack(new StackDocument(document)).violations).toEqual([]);
  });
});

describe("SCH-03 on a scheduler role with targets", () => {
  const config = withTargets();
  const findings = (edit: (statements: any[]) => void) => {
    const document = structuredClone(synthEnvironment(config).document) as any;
    const policy = document.resource.aws_iam_role_policy.scheduler;
    const parsed = JSON.parse(policy.policy);
    edit(parsed.Statement);
    policy.policy = JSON.stringify(parsed);
    return checkStack(new StackDocument(document))
      .violations.filter((v) => v.rule === "SCH-03")
      .map((v) => v.detail);
  };
  const statement = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);

  it("catches an action a target does not need", () => {
    expect(findings((s) => statement(s, "SendToTargetQueues").Action.push("sqs:DeleteMessage"))).toEqual([
      "statement SendToTargetQueues allows sqs:DeleteMessage, more than its targets need (sqs:SendMessage)",
    ]);
  });

  it("catches a key no target's queue or topic is encrypted with, and a queue no schedule targets", () => {
    expect(
      findings((s) => {
        statement(s, "UseTargetKeys").Resource.push("arn:aws:kms:us-east-1:210987654321:key/99999999-2222-3333-4444-555555555555");
        statement(s, "SendToTargetQueues").Resource.push("arn:aws:sqs:us-east-1:210987654321:payroll");
      }),
    ).toEqual([
      "statement SendToTargetQueues reaches beyond the schedules' targets: arn:aws:sqs:us-east-1:210987654321:payroll",
      "statement UseTargetKeys reaches beyond the schedules' targets: " +
        "arn:aws:kms:us-east-1:210987654321:key/99999999-2222-3333-4444-555555555555",
    ]);
  });
});
