import { publishedDimensionSets } from "../../support/metric-line";
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
        `AWS/Scheduler TargetErrorCount ScheduleGroup ${prefix}`,
      ]),
    );
    for (const widget of body.widgets) expect(widget.properties.region).toBe(config.region);
  });

  it("reads the processor's records metrics by a dimension set its metric line publishes", () => {
    const lines = body.widgets.flatMap((w: any) => w.properties.metrics).filter((m: any[]) => m[0] === "ScheduledTasks");
    const recordLines = lines.filter((m: any[]) => ["RecordsProcessed", "RecordsQuarantined"].includes(m[1]));
    expect(recordLines.map((m: any[]) => m[1]).sort()).toEqual(expect.arrayContaining(["RecordsProcessed", "RecordsQuarantined"]));
    for (const line of lines) {
      const parts = line.filter((part: unknown) => typeof part === "string").slice(2);
      const dimensions = Object.fromEntries(parts.flatMap((_: string, i: number) => (i % 2 ? [] : [[parts[i], parts[i + 1]]])));
      const published = publishedDimensionSets(`${prefix}-processor`, { task: dimensions.task, environment: config.name, schedule: "any" });
      expect(published).toContainEqual(dimensions);
    }
  });
});
