import { missedRunWindow } from "../../../modules/config/missed-run-window";
import { isTaskSchedule } from "../../../modules/config/schema";
import { publishedDimensionSets } from "../../support/metric-line";
import { ENVIRONMENTS, environment, referenceTo, resources, synthEnvironment } from "../../support/synth";

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("alarms in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const alarms: Record<string, any> = Object.fromEntries(
    resources(stack, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name.slice(`${config.projectName}-${config.name}-`.length), a]),
  );
  const operations = referenceTo(stack, "aws_sns_topic", "operations", "arn");
  const fn = `${config.projectName}-${config.name}-processor`;

  it("notify the operations topic, and only it, on alarm and on recovery", () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([operations]);
      expect(alarm.ok_actions).toEqual([operations]);
    }
  });

  it("watch processor errors, throttles and duration near the timeout at the configured thresholds", () => {
    expect(alarms["processor-errors"]).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: fn },
      statistic: "Sum",
      threshold: config.alarms.processorErrors,
      comparison_operator: "GreaterThanOrEqualToThreshold",
    });
    expect(alarms["processor-throttles"]).toMatchObject({ metric_name: "Throttles", threshold: config.alarms.processorThrottles });
    expect(alarms["processor-duration"]).toMatchObject({
      metric_name: "Duration",
      statistic: "Maximum",
      threshold: (config.processor.timeoutSeconds * 1000 * config.alarms.durationPercentOfTimeout) / 100,
    });
  });

  it("watch the three failure queues for waiting messages", () => {
    for (const queue of ["scheduler-dlq", "processor-failures", "work-dlq"]) {
      expect(alarms[`messages-in-${queue}`]).toMatchObject({
        namespace: "AWS/SQS",
        metric_name: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: `${config.projectName}-${config.name}-${queue}` },
        threshold: config.alarms.deadLetterMessages,
      });
    }
  });

  it("watch the work queue for batches waiting longer than the configured age", () => {
    expect(alarms["work-queue-age"]).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: `${config.projectName}-${config.name}-work` },
      statistic: "Maximum",
      threshold: config.alarms.workQueueAgeSeconds,
    });
  });

  it("watch the schedule group's target errors, dropped and throttled invocations", () => {
    const group = { ScheduleGroup: `${config.projectName}-${config.name}` };
    expect(alarms["scheduler-target-errors"]).toMatchObject({
      namespace: "AWS/Scheduler",
      metric_name: "TargetErrorCount",
      dimensions: group,
      threshold: config.alarms.schedulerTargetErrors,
    });
    expect(alarms["scheduler-dropped"]).toMatchObject({
      metric_name: "InvocationDroppedCount",
      dimensions: group,
      threshold: config.alarms.schedulerDroppedInvocations,
    });
    expect(alarms["scheduler-throttled"]).toMatchObject({
      metric_name: "InvocationThrottleCount",
      dimensions: group,
      threshold: config.alarms.schedulerThrottledInvocations,
    });
  });

  it("watch every enabled recurring schedule for missed runs, over the window its expression needs", () => {
    const recurring = config.schedules.filter(isTaskSchedule).filter((s) => s.enabled && !s.expression.startsWith("at("));
    for (const schedule of recurring) {
      const window = missedRunWindow(schedule, config.processor.timeoutSeconds)!;
      expect(alarms[`missed-run-${schedule.name}`]).toMatchObject({
        namespace: "ScheduledTasks",
        metric_name: "TaskExecution",
        statistic: "Sum",
        period: window.periodSeconds,
        evaluation_periods: window.evaluationPeriods,
        datapoints_to_alarm: window.evaluationPeriods,
        threshold: 1,
        comparison_operator: "LessThanThreshold",
        treat_missing_data: "breaching",
      });
      // Exactly one set the processor's metric line publishes, or the alarm watches a series nobody writes.
      const published = publishedDimensionSets(fn, { task: schedule.task, environment: config.name, schedule: schedule.name });
      expect(published).toContainEqual(alarms[`missed-run-${schedule.name}`].dimensions);
      expect(Object.keys(alarms[`missed-run-${schedule.name}`].dimensions)).toContain("service");
    }
    const missed = Object.keys(alarms).filter((name) => name.startsWith("missed-run-"));
    expect(missed.sort()).toEqual(recurring.map((s) => `missed-run-${s.name}`).sort());
  });
});

describe("alarm thresholds", () => {
  it("are strictest in prod", () => {
    const [dev, staging, prod] = (["dev", "staging", "prod"] as const).map((name) => environment(name).alarms);
    for (const key of Object.keys(prod) as Array<keyof typeof prod>) {
      expect(prod[key]).toBeLessThanOrEqual(staging[key]);
      expect(staging[key]).toBeLessThanOrEqual(dev[key]);
    }
    expect(prod.processorErrors).toBeLessThan(dev.processorErrors);
  });
});
