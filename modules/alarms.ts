import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { METRIC_NAMESPACE } from "../core/metric-names";
import type { EnvironmentConfig, ScheduleConfig } from "./config/schema";
import { missedRunWindow, type MissedRunWindow } from "./missed-run-window";

export interface OperationalAlarmsProps {
  /** Every alarm name starts with this; the operations topic trusts only these alarms. */
  readonly alarmNamePrefix: string;
  readonly environment: string;
  readonly topicArn: string;
  readonly thresholds: EnvironmentConfig["alarms"];
  readonly processorFunctionName: string;
  readonly processorTimeoutSeconds: number;
  /** Queues whose messages are failures: the scheduler DLQ, the processor failure queue, the work DLQ. */
  readonly failureQueueNames: readonly string[];
  /** The queue fanned-out runs wait on. */
  readonly workQueueName: string;
  readonly scheduleGroupName: string;
  readonly schedules: readonly ScheduleConfig[];
}

const FIVE_MINUTES = 300;

/**
 * The alarms an on-call engineer needs, all notifying the operations topic: processor errors,
 * throttles and near-timeout durations; messages in the failure queues; the schedule group's
 * target errors, dropped and throttled invocations; and a missed-run alarm per recurring schedule.
 */
export class OperationalAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** Recurring schedules a missed-run alarm cannot watch (interval beyond CloudWatch's 7 days). */
  readonly unwatchedSchedules: string[] = [];

  constructor(scope: Construct, id: string, private readonly props: OperationalAlarmsProps) {
    super(scope, id);
    const { thresholds } = props;
    const lambda = { namespace: "AWS/Lambda", dimensions: { FunctionName: props.processorFunctionName } };
    this.add("processor-errors", "The processor failed", { ...lambda, metricName: "Errors", statistic: "Sum", threshold: thresholds.processorErrors });
    this.add("processor-throttles", "Processor invocations were throttled", { ...lambda, metricName: "Throttles", statistic: "Sum", threshold: thresholds.processorThrottles });
    this.add("processor-duration", `A processor run took over ${thresholds.durationPercentOfTimeout}% of its ${props.processorTimeoutSeconds} s timeout`, {
      ...lambda,
      metricName: "Duration",
      statistic: "Maximum",
      threshold: Math.round((props.processorTimeoutSeconds * 1000 * thresholds.durationPercentOfTimeout) / 100),
    });
    for (const queueName of props.failureQueueNames) {
      this.add(`messages-in-${queueName.slice(props.alarmNamePrefix.length)}`, `Failed events are waiting in ${queueName}`, {
        namespace: "AWS/SQS",
        dimensions: { QueueName: queueName },
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        threshold: thresholds.deadLetterMessages,
      });
    }
    this.add("work-queue-age", `A batch of a fanned-out run has waited over ${thresholds.workQueueAgeSeconds} s on ${props.workQueueName}`, {
      namespace: "AWS/SQS",
      dimensions: { QueueName: props.workQueueName },
      metricName: "ApproximateAgeOfOldestMessage",
      statistic: "Maximum",
      threshold: thresholds.workQueueAgeSeconds,
    });
    const group = { namespace: "AWS/Scheduler", dimensions: { ScheduleGroup: props.scheduleGroupName }, statistic: "Sum" };
    this.add("scheduler-target-errors", "EventBridge Scheduler got errors invoking the processor", { ...group, metricName: "TargetErrorCount", threshold: thresholds.schedulerTargetErrors });
    this.add("scheduler-dropped", "EventBridge Scheduler dropped invocations after its retries", { ...group, metricName: "InvocationDroppedCount", threshold: thresholds.schedulerDroppedInvocations });
    this.add("scheduler-throttled", "EventBridge Scheduler invocations were throttled", { ...group, metricName: "InvocationThrottleCount", threshold: thresholds.schedulerThrottledInvocations });

    for (const schedule of props.schedules) {
      if (!schedule.enabled || schedule.expression.startsWith("at(")) continue;
      const window = missedRunWindow(schedule, props.processorTimeoutSeconds);
      if (window) this.addMissedRun(schedule, window);
      else this.unwatchedSchedules.push(schedule.name);
    }
  }

  private add(
    name: string,
    description: string,
    metric: { namespace: string; metricName: string; dimensions: Record<string, string>; statistic: string; threshold: number },
  ): void {
    this.alarms.push(
      new CloudwatchMetricAlarm(this, name, {
        alarmName: `${this.props.alarmNamePrefix}${name}`,
        alarmDescription: `${this.props.environment}: ${description}`,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        statistic: metric.statistic,
        period: FIVE_MINUTES,
        evaluationPeriods: 1,
        threshold: metric.threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [this.props.topicArn],
        okActions: [this.props.topicArn],
      }),
    );
  }

  private addMissedRun(schedule: ScheduleConfig, window: MissedRunWindow): void {
    const hours = (window.periodSeconds * window.evaluationPeriods) / 3600;
    this.alarms.push(
      new CloudwatchMetricAlarm(this, `missed-run-${schedule.name}`, {
        alarmName: `${this.props.alarmNamePrefix}missed-run-${schedule.name}`,
        alarmDescription: `${this.props.environment}: no successful ${schedule.task} run of ${schedule.name} (${schedule.expression} ${schedule.timezone}) in ${hours.toFixed(1)} hours`,
        namespace: METRIC_NAMESPACE,
        metricName: "TaskExecution",
        dimensions: { task: schedule.task, environment: this.props.environment, schedule: schedule.name },
        statistic: "Sum",
        period: window.periodSeconds,
        evaluationPeriods: window.evaluationPeriods,
        datapointsToAlarm: window.evaluationPeriods,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        // No data is exactly what a missed run looks like.
        treatMissingData: "breaching",
        alarmActions: [this.props.topicArn],
        okActions: [this.props.topicArn],
      }),
    );
  }
}
