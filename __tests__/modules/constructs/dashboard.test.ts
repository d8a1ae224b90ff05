import { ENVIRONMENTS, single, synthEnvironment } from "../../support/synth";

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("dashboard in %s", (_name, config) => {
  const dashboard = single(synthEnvironment(config), "aws_cloudwatch_dashboard");
  const body = JSON.parse(dashboard.dashboard_body);
  const metrics = body.widgets.flatMap((w: any) =>
    w.properties.metrics.map((m: any[]) => m.filter((part) => typeof part === "string").join(" ")),
  );
  const prefix = `${config.projectName}-${config.name}`;

  it("is named for the environment and shows invocations, errors, duration, queue depths and records", () => {
    expect(dashboard.dashboard_name).toBe(prefix);
    expect(metrics).toEqual(
      expect.arrayContaining([
        `AWS/Lambda Invocations FunctionName ${prefix}-processor`,
        `AWS/Lambda Errors FunctionName ${prefix}-processor`,
        `AWS/Lambda Duration FunctionName ${prefix}-processor`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${prefix}-scheduler-dlq`,
        `AWS/SQS ApproximateNumberOfMessagesVisible QueueName ${prefix}-processor-failures`,
        `ScheduledTasks RecordsProcessed task data_processing environment ${config.name}`,
        `ScheduledTasks RecordsQuarantined task data_processing environment ${config.name}`,
        `AWS/Scheduler TargetErrorCount ScheduleGroup ${prefix}`,
      ]),
    );
    for (const widget of body.widgets) expect(widget.properties.region).toBe(config.region);
  });
});
