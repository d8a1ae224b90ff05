import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { METRIC_NAMESPACE } from "../../core/metric-names";
import type { MissedRunSpec, ProcessingSpec } from "./processing-spec";
import { pin, pinCollection } from "./support/addresses";
import { type Collection, iteratorOf, knownKeys } from "./support/terraform-values";

export interface OperationalAlarmsProps {
  /** Every alarm name starts with this; the operations topic trusts only these alarms. */
  readonly alarmNamePrefix: string;
  readonly environment: string;
  readonly topicArn: string;
  readonly thresholds: ProcessingSpec["alarms"];
  readonly processorFunctionName: string;
  /** Queues whose messages are failures, by the suffix that names their alarm. */
  readonly failureQueues: ReadonlyArray<{ readonly suffix: string; readonly name: string; readonly inRelease01: boolean }>;
  /** The queue fanned-out runs wait on. */
  readonly workQueueName: string;
  readonly scheduleGroupName: string;
  readonly missedRuns: Collection<MissedRunSpec>;
}

const FIVE_MINUTES = 300;

interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
  readonly threshold: number;
}

/**
 * The alarms an on-call engineer needs, all notifying the operations topic: processor errors,
 * throttles and near-timeout durations; messages in the failure queues; a work queue that does
 * not drain; the schedule group's target errors, dropped and throttled invocations; and a
 * missed-run alarm per recurring schedule (one `for_each` resource keyed by schedule name).
 */
export class OperationalAlarms extends Construct {
  /** Every alarm's name, for outputs. */
  readonly alarmNames: string[] = [];
  readonly missedRunAlarms: CloudwatchMetricAlarm;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OperationalAlarmsProps,
  ) {
    super(scope, id);
    const { thresholds } = props;
    const lambda = { namespace: "AWS/Lambda", dimensions: { FunctionName: props.processorFunctionName } };
    this.add("processor-errors", "The processor failed", {
      ...lambda,
      metricName: "Errors",
      statistic: "Sum",
      threshold: thresholds.processorErrors,
    });
    this.add("processor-throttles", "Processor invocations were throttled", {
      ...lambda,
      metricName: "Throttles",
      statistic: "Sum",
      threshold: thresholds.processorThrottles,
    });
    this.add("processor-duration", thresholds.durationDescription, {
      ...lambda,
      metricName: "Duration",
      statistic: "Maximum",
      threshold: thresholds.durationThresholdMs,
    });
    for (const queue of props.failureQueues) {
      this.add(
        `messages-in-${queue.suffix}`,
        `Failed events are waiting in ${queue.name}`,
        {
          namespace: "AWS/SQS",
          dimensions: { QueueName: queue.name },
          metricName: "ApproximateNumberOfMessagesVisible",
          statistic: "Maximum",
          threshold: thresholds.deadLetterMessages,
        },
        queue.inRelease01,
      );
    }
    this.add(
      "work-queue-age",
      `A batch of a fanned-out run has waited too long on ${props.workQueueName}`,
      {
        namespace: "AWS/SQS",
        dimensions: { QueueName: props.workQueueName },
        metricName: "ApproximateAgeOfOldestMessage",
        statistic: "Maximum",
        threshold: thresholds.workQueueAgeSeconds,
      },
      false,
    );
    const group = { namespace: "AWS/Scheduler", dimensions: { ScheduleGroup: props.scheduleGroupName }, statistic: "Sum" };
    this.add("scheduler-target-errors", "EventBridge Scheduler got errors invoking the processor", {
      ...group,
      metricName: "TargetErrorCount",
      threshold: thresholds.schedulerTargetErrors,
    });
    this.add("scheduler-dropped", "EventBridge Scheduler dropped invocations after its retries", {
      ...group,
      metricName: "InvocationDroppedCount",
      threshold: thresholds.schedulerDroppedInvocations,
    });
    this.add("scheduler-throttled", "EventBridge Scheduler invocations were throttled", {
      ...group,
      metricName: "InvocationThrottleCount",
      threshold: thresholds.schedulerThrottledInvocations,
    });

    const each = iteratorOf(props.missedRuns);
    this.missedRunAlarms = pinCollection(
      new CloudwatchMetricAlarm(this, "missed-runs", {
        forEach: each,
        alarmName: `${props.alarmNamePrefix}missed-run-${each.key}`,
        alarmDescription: each.getString("description"),
        namespace: METRIC_NAMESPACE,
        metricName: "TaskExecution",
        // The metric lines carry the Powertools service (the name of the function that ran it: the processor, or an own
        // task's) in every dimension set.
        dimensions: {
          service: each.getString("service"),
          task: each.getString("task"),
          environment: props.environment,
          schedule: each.getString("schedule"),
        },
        statistic: "Sum",
        period: each.getNumber("periodSeconds"),
        evaluationPeriods: each.getNumber("evaluationPeriods"),
        datapointsToAlarm: each.getNumber("evaluationPeriods"),
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        // No data is exactly what a missed run looks like.
        treatMissingData: "breaching",
        alarmActions: [props.topicArn],
        okActions: [props.topicArn],
      }),
      "missed_run",
      knownKeys(props.missedRuns),
      (name) => `alarms/missed-run-${name}`,
    );
  }

  private add(name: string, description: string, metric: AlarmMetric, inRelease01 = true): void {
    const alarmName = `${this.props.alarmNamePrefix}${name}`;
    this.alarmNames.push(alarmName);
    pin(
      new CloudwatchMetricAlarm(this, name, {
        alarmName,
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
      name.replace(/-/g, "_"),
      inRelease01 ? `alarms/${name}` : undefined,
    );
  }
}
