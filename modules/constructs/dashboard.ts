import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import { METRIC_NAMESPACE } from "../../core/metric-names";
import { TASK_TYPES } from "../../core/task-types";
import { pin } from "./support/addresses";

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  readonly environment: string;
  readonly functionNames: readonly string[];
  readonly processorFunctionName: string;
  readonly queueNames: readonly string[];
  readonly workQueueName: string;
  readonly scheduleGroupName: string;
}

type MetricLine = Array<string | { stat?: string; label?: string }>;

/** One CloudWatch dashboard per environment: runs, errors, duration, queue depths, records. */
export class OperationsDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const widget = (title: string, metrics: MetricLine[], stat = "Sum", index = 0) => ({
      type: "metric",
      x: (index % 2) * 12,
      y: Math.floor(index / 2) * 6,
      width: 12,
      height: 6,
      properties: { title, region: props.region, stat, period: 300, view: "timeSeries", metrics },
    });
    const byTask = (metric: string) =>
      TASK_TYPES.map(
        (task): MetricLine => [
          METRIC_NAMESPACE,
          metric,
          "service",
          props.processorFunctionName,
          "task",
          task,
          "environment",
          props.environment,
          { label: `${task} ${metric}` },
        ],
      );
    const widgets = [
      [
        "Invocations, errors and throttles",
        props.functionNames.flatMap((fn): MetricLine[] =>
          ["Invocations", "Errors", "Throttles"].map((m) => ["AWS/Lambda", m, "FunctionName", fn]),
        ),
      ],
      [
        "Processor duration (ms)",
        [
          ["AWS/Lambda", "Duration", "FunctionName", props.processorFunctionName, { stat: "Average" }],
          ["AWS/Lambda", "Duration", "FunctionName", props.processorFunctionName, { stat: "Maximum" }],
        ],
      ],
      [
        "Messages waiting in the failure queues",
        props.queueNames.map((q): MetricLine => ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q, { stat: "Maximum" }]),
      ],
      [
        "Work queue: batches waiting and oldest age (s)",
        [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", props.workQueueName, { stat: "Maximum", label: "waiting" }],
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", props.workQueueName, { stat: "Maximum", label: "in progress" }],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", props.workQueueName, { stat: "Maximum", label: "oldest (s)" }],
        ],
      ],
      ["Records processed and quarantined", [...byTask("RecordsProcessed"), ...byTask("RecordsQuarantined")]],
      ["Task runs and failures", [...byTask("TaskExecution"), ...byTask("TaskFailure")]],
      [
        "Scheduler invocations",
        ["InvocationAttemptCount", "TargetErrorCount", "InvocationDroppedCount", "InvocationThrottleCount"].map(
          (m): MetricLine => ["AWS/Scheduler", m, "ScheduleGroup", props.scheduleGroupName],
        ),
      ],
    ] as const;
    this.dashboard = pin(
      new CloudwatchDashboard(this, "dashboard", {
        dashboardName: props.dashboardName,
        dashboardBody: JSON.stringify({
          widgets: widgets.map(([title, metrics], index) => widget(title, metrics as MetricLine[], "Sum", index)),
        }),
      }),
      "operations",
      "dashboard/dashboard",
    );
  }
}
