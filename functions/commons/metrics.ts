import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { METRIC_NAMESPACE } from "../../core/metric-names";

export { METRIC_NAMESPACE };

export interface TaskRunMetrics {
  readonly task: string;
  readonly environment: string;
  readonly schedule: string;
  readonly succeeded: boolean;
  readonly durationMs: number;
  readonly recordsProcessed: number;
  readonly recordsQuarantined: number;
}

let serializer: Metrics | undefined;
let serviceName = "";

/** Powertools Metrics with this function's service and namespace (POWERTOOLS_* variables). */
function runMetrics(): Metrics {
  if (!serializer) {
    serviceName = process.env.POWERTOOLS_SERVICE_NAME || "processor";
    serializer = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRIC_NAMESPACE, serviceName });
  }
  return serializer;
}

/**
 * One CloudWatch embedded-metric-format line per run, serialized by Powertools Metrics.
 * `TaskExecution` counts successful runs (missed-run alarms watch for its absence),
 * `TaskFailure` failed ones. Published by service, task and environment, and by schedule as
 * well for per-schedule alarms: the alarms and the dashboard read these dimension sets.
 */
export function taskRunMetricLine(run: TaskRunMetrics, timestamp = Date.now()): string {
  const metrics = runMetrics();
  // The run's identity as default dimensions, so both sets carry it: the dimensions plus the
  // schedule, and (an empty set) the defaults alone. Replaced at each run.
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ service: serviceName, task: run.task, environment: run.environment });
  metrics.addDimension("schedule", run.schedule);
  metrics.addDimensions({});
  metrics.addMetric("TaskExecution", MetricUnit.Count, run.succeeded ? 1 : 0);
  metrics.addMetric("TaskFailure", MetricUnit.Count, run.succeeded ? 0 : 1);
  metrics.addMetric("TaskDuration", MetricUnit.Milliseconds, run.durationMs);
  metrics.addMetric("RecordsProcessed", MetricUnit.Count, run.recordsProcessed);
  metrics.addMetric("RecordsQuarantined", MetricUnit.Count, run.recordsQuarantined);
  metrics.setTimestamp(timestamp);
  const line = JSON.stringify(metrics.serializeMetrics());
  metrics.clearMetrics();
  metrics.clearDimensions();
  return line;
}
