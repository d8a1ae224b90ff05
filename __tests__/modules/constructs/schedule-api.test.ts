import {
  ENVIRONMENTS,
  named,
  parsePolicy,
  powertoolsVariables,
  referenceTo,
  resources,
  synthEnvironment,
  writeTracesWhereTraced,
} from "../../support/synth";

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("scheduling API in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const [functionId, fn] = named(stack, "aws_lambda_function", "schedule_api");

  it("is reachable only through an IAM-authorised function URL", () => {
    expect(resources(stack, "aws_lambda_function_url").map(([, u]) => u)).toEqual([
      expect.objectContaining({ function_name: `\${aws_lambda_function.${functionId}.function_name}`, authorization_type: "AWS_IAM" }),
    ]);
    expect(resources(stack, "aws_lambda_permission")).toEqual([]);
  });

  it("creates schedules for the processor, through the scheduler role, with the environment's retries and DLQ", () => {
    expect(fn.environment.variables).toEqual({
      ENVIRONMENT: config.name,
      SCHEDULE_GROUP: `${config.projectName}-${config.name}`,
      TARGET_ARN: referenceTo(stack, "aws_lambda_function", "processor", "arn"),
      SCHEDULER_ROLE_ARN: referenceTo(stack, "aws_iam_role", "scheduler", "arn"),
      DEAD_LETTER_QUEUE_ARN: referenceTo(stack, "aws_sqs_queue", "scheduler_dlq", "arn"),
      RETRY_MAX_ATTEMPTS: String(config.scheduleApi.retry.maxAttempts),
      RETRY_MAX_EVENT_AGE_SECONDS: String(config.scheduleApi.retry.maxEventAgeSeconds),
      ...powertoolsVariables(config, fn.function_name),
    });
    expect(fn.tracing_config).toEqual({ mode: config.processor.tracing ? "Active" : "PassThrough" });
  });

  it("manages only its once-* schedules, reads its group's, lists, passes only the scheduler role, invokes only the processor", () => {
    const [, policy] = named(stack, "aws_iam_role_policy", "schedule_api");
    const group = `arn:aws:scheduler:${config.region}:${config.account}:schedule/${config.projectName}-${config.name}`;
    expect(parsePolicy(policy.policy).Statement.slice(1)).toEqual([
      {
        Sid: "ManageOneTimeSchedules",
        Effect: "Allow",
        Action: ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"],
        Resource: [`${group}/once-*`],
      },
      { Sid: "ReadSchedules", Effect: "Allow", Action: ["scheduler:GetSchedule"], Resource: [`${group}/*`] },
      { Sid: "ListSchedules", Effect: "Allow", Action: ["scheduler:ListSchedules"], Resource: ["*"] },
      {
        Sid: "PassSchedulerRoleToScheduler",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: [referenceTo(stack, "aws_iam_role", "scheduler", "arn")],
        Condition: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
      },
      {
        Sid: "RunSchedulesNow",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [referenceTo(stack, "aws_lambda_function", "processor", "arn")],
      },
      ...writeTracesWhereTraced(config),
    ]);
  });
});
