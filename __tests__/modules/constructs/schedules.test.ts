import { escapeTerraformTemplate, SCHEDULER_CONTEXT } from "../../../core/schedule-input";
import { parseTaskEvent } from "../../../functions/commons/task-event";
import { isTaskSchedule } from "../../../modules/config/schema";
import { MAX_RETENTION_SECONDS } from "../../../modules/constructs/encrypted-queue";
import { ENVIRONMENTS, environment, named, parsePolicy, referenced, referenceTo, resources, synthEnvironment } from "../../support/synth";

/** Undoes escapeTerraformTemplate, as Terraform does when it reads the string. */
const terraformLiteral = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("schedules in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const [groupId, group] = resources(stack, "aws_scheduler_schedule_group")[0];
  const schedules = resources(stack, "aws_scheduler_schedule").map(([, s]) => s);
  const schedulerRoleId = named(stack, "aws_iam_role", "scheduler")[0];
  const functionArn = referenceTo(stack, "aws_lambda_function", "processor", "arn");
  const dlqArn = referenceTo(stack, "aws_sqs_queue", "scheduler_dlq", "arn");

  it("has its own tagged schedule group named <projectName>-<env>", () => {
    expect(group.name).toBe(`${config.projectName}-${config.name}`);
    expect(group.tags).toEqual({ Name: group.name });
  });

  it("creates one schedule per configured schedule, in the group", () => {
    expect(schedules.map((s) => s.name).sort()).toEqual(config.schedules.map((s) => s.name).sort());
    for (const schedule of schedules) expect(schedule.group_name).toBe(`\${aws_scheduler_schedule_group.${groupId}.name}`);
  });

  it.each(config.schedules.map((s) => [s.name, s] as const))(
    "%s carries its expression, zone, state, window and dates",
    (name, expected) => {
      const schedule = schedules.find((s) => s.name === name)!;
      expect(schedule).toMatchObject({
        schedule_expression: expected.expression,
        schedule_expression_timezone: expected.timezone,
        state: expected.enabled ? "ENABLED" : "DISABLED",
        flexible_time_window:
          expected.flexibleWindowMinutes === 0
            ? { mode: "OFF" }
            : { mode: "FLEXIBLE", maximum_window_in_minutes: expected.flexibleWindowMinutes },
      });
      // An unset date is null in the for_each value: Terraform reads null as not set.
      expect(schedule.start_date).toBe(expected.startDate ?? null);
      expect(schedule.end_date).toBe(expected.endDate ?? null);
    },
  );

  it.each(config.schedules.filter(isTaskSchedule).map((s) => [s.name, s] as const))(
    "%s invokes the processor with retries and a dead-letter queue",
    (name, expected) => {
      const { target } = schedules.find((s) => s.name === name)!;
      expect(target).toMatchObject({
        arn: functionArn,
        role_arn: `\${aws_iam_role.${schedulerRoleId}.arn}`,
        retry_policy: {
          maximum_retry_attempts: expected.retry.maxAttempts,
          maximum_event_age_in_seconds: expected.retry.maxEventAgeSeconds,
        },
        dead_letter_config: { arn: dlqArn },
      });
      const input = JSON.parse(terraformLiteral(target.input));
      expect(input).toEqual({
        task_type: expected.task,
        payload: expected.payload ?? {},
        schedule: expected.name,
        environment: config.name,
        scheduled_time: "<aws.scheduler.scheduled-time>",
        execution_id: "<aws.scheduler.execution-id>",
        attempt_number: "<aws.scheduler.attempt-number>",
      });
    },
  );

  it("sends input the processor accepts once Scheduler fills in the context attributes", () => {
    for (const schedule of schedules) {
      const filled = terraformLiteral(schedule.target.input)
        .replace(SCHEDULER_CONTEXT.scheduledTime, "2026-11-23T14:00:00Z")
        .replace(SCHEDULER_CONTEXT.executionId, "2f0c6a9e-5b1d-4c1e-9a43-0c5e2b7d1f00")
        .replace(SCHEDULER_CONTEXT.attemptNumber, "1");
      expect(parseTaskEvent(JSON.parse(filled))).toMatchObject({ schedule: schedule.name, environment: config.name });
    }
  });

  it("keeps undeliverable invocations for 14 days in an encrypted dead-letter queue", () => {
    expect(referenced(stack, dlqArn).body).toEqual(
      expect.objectContaining({
        name: `${config.projectName}-${config.name}-scheduler-dlq`,
        sqs_managed_sse_enabled: true,
        message_retention_seconds: MAX_RETENTION_SECONDS,
      }),
    );
  });

  it("trusts only EventBridge Scheduler acting for this account and this schedule group", () => {
    const role = stack.document.resource.aws_iam_role[schedulerRoleId];
    expect(role.name).toBe(`${config.projectName}-${config.name}-scheduler`);
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "TrustedService",
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: {
          StringEquals: { "aws:SourceAccount": config.account },
          ArnEquals: { "aws:SourceArn": `\${aws_scheduler_schedule_group.${groupId}.arn}` },
        },
      },
    ]);
  });

  it("lets the scheduler role invoke only this function and send only to this dead-letter queue", () => {
    const policy = named(stack, "aws_iam_role_policy", "scheduler")[1];
    expect(policy.role).toBe(`\${aws_iam_role.${schedulerRoleId}.id}`);
    expect(parsePolicy(policy.policy).Statement).toEqual([
      { Sid: "InvokeProcessor", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [functionArn] },
      { Sid: "SendUndeliveredToDeadLetterQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlqArn] },
    ]);
  });
});

describe("schedule options", () => {
  const base = environment("dev");
  const stack = synthEnvironment({
    ...base,
    schedules: [
      {
        ...base.schedules[0],
        name: "paused",
        enabled: false,
        flexibleWindowMinutes: 0,
        startDate: "2027-01-01T00:00:00Z",
        endDate: "2027-12-31T23:59:59Z",
      },
      { ...base.schedules[1], task: "data_processing", name: "templated", payload: { prefix: "a/${literal}/%{b}/" } },
      { ...base.schedules[0], name: "holidays", exclude: ["2026-12-25", "2026-12-31/2027-01-01"] },
    ],
  });
  const byName = (name: string) =>
    resources(stack, "aws_scheduler_schedule")
      .map(([, s]) => s)
      .find((s) => s.name === name)!;

  it("disables a schedule that is not enabled, turns the window off at 0, and keeps its dates", () => {
    expect(byName("paused")).toMatchObject({
      state: "DISABLED",
      flexible_time_window: { mode: "OFF" },
      start_date: "2027-01-01T00:00:00Z",
      end_date: "2027-12-31T23:59:59Z",
    });
  });

  it("keeps payload text literal instead of letting Terraform read it as a template", () => {
    expect(byName("templated").target.input).toContain(escapeTerraformTemplate("a/${literal}/%{b}/"));
    expect(byName("templated").target.input).toContain("a/$${literal}/%%{b}/");
  });

  it("sends a schedule's excluded dates and its zone, so the processor can skip a run on one", () => {
    const input = JSON.parse(terraformLiteral(byName("holidays").target.input));
    expect(input).toMatchObject({ timezone: "America/New_York", exclude: ["2026-12-25", "2026-12-31/2027-01-01"] });
    // The processor takes them (functions/commons/task-event.ts) once Scheduler has filled in its context attributes.
    const filled = { ...input, scheduled_time: "2026-12-25T14:00:00Z", execution_id: "e", attempt_number: "1" };
    expect(parseTaskEvent(filled)).toMatchObject({ timezone: "America/New_York", exclude: ["2026-12-25", "2026-12-31/2027-01-01"] });
    // A schedule without exclusions sends neither: its input is what it was before they existed.
    expect(Object.keys(JSON.parse(terraformLiteral(byName("paused").target.input)))).toEqual([
      "task_type",
      "payload",
      "schedule",
      "environment",
      "scheduled_time",
      "execution_id",
      "attempt_number",
    ]);
  });
});
