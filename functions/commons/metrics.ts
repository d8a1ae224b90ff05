import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { PATTERNS } from "../../core/config-rules";
import { METRIC_NAMESPACE } from "../../core/metric-names";
import { TASK_NAME } from "../../core/task-types";

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
let fallbackServiceName = "processor";

/** The service the metric lines name when POWERTOOLS_SERVICE_NAME is not set: an own task's function names its task. */
export function setFallbackServiceName(name: string): void {
  fallbackServiceName = name;
  serializer = undefined;
}

/** Powertools Metrics with this function's service and namespace (POWERTOOLS_* variables). */
function lineSerializer(): Metrics {
  if (!serializer) {
    serviceName = process.env.POWERTOOLS_SERVICE_NAME || fallbackServiceName;
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
  const metrics = lineSerializer();
  // The run's identity as default dimensions, so both sets carry it: the dimensions plus the
  // schedule, and (an empty set) the defaults alone. Replaced at each run.
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ service: serviceName, task: dimensionTask(run.task), environment: run.environment });
  // A run that failed before its event named a schedule (or named none it could have) is counted by its task alone.
  if (SCHEDULE_NAME.test(run.schedule)) {
    metrics.addDimension("schedule", run.schedule);
    metrics.addDimensions({});
  }
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

/** A task's own figures for one run, as Powertools Metrics keeps them: the run's dimensions, and one line for them all. */
export interface RunMetrics {
  addMetric(name: string, unit: string, value: number): void;
  addDimension(name: string, value: string): void;
  addMetadata(key: string, value: string): void;
  /** The embedded-metric line of the figures added (stamped by `clock`), or undefined when there were none. */
  flush(clock?: () => number): string | undefined;
}

/** Powertools Metrics for a run's own figures (service, environment and task as dimensions), serialized once at its end. */
export function runMetrics(run: { readonly task: string; readonly environment: string }): RunMetrics {
  const service = process.env.POWERTOOLS_SERVICE_NAME || fallbackServiceName;
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRIC_NAMESPACE, serviceName: service });
  // The service is a default dimension already (Powertools adds it).
  metrics.setDefaultDimensions({ task: run.task, environment: run.environment });
  let added = 0;
  return {
    addMetric: (name, unit, value) => {
      metrics.addMetric(name, unit as Parameters<Metrics["addMetric"]>[1], value);
      added += 1;
    },
    addDimension: (name, value) => metrics.addDimension(name, value),
    addMetadata: (key, value) => metrics.addMetadata(key, value),
    flush: (clock = Date.now) => {
      if (added === 0) return undefined;
      metrics.setTimestamp(clock());
      const line = JSON.stringify(metrics.serializeMetrics());
      metrics.clearMetrics();
      added = 0;
      return line;
    },
  };
}

const SCHEDULE_NAME = new RegExp(PATTERNS.scheduleName.pattern);
const TASK = new RegExp(TASK_NAME.pattern);

/** A rejected event's task may be anything (100,000 snowmen): CloudWatch takes a dimension value of a task's shape. */
function dimensionTask(task: string): string {
  return TASK.test(task) ? task : "unknown";
}
