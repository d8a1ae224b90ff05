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

/**
 * One CloudWatch embedded-metric-format line per run. `TaskExecution` counts successful runs
 * (missed-run alarms watch for its absence), `TaskFailure` counts failed ones. Published by
 * task and environment, and by schedule as well for per-schedule alarms.
 */
export function taskRunMetricLine(run: TaskRunMetrics, timestamp = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [
            ["task", "environment"],
            ["task", "environment", "schedule"],
          ],
          Metrics: [
            { Name: "TaskExecution", Unit: "Count" },
            { Name: "TaskFailure", Unit: "Count" },
            { Name: "TaskDuration", Unit: "Milliseconds" },
            { Name: "RecordsProcessed", Unit: "Count" },
            { Name: "RecordsQuarantined", Unit: "Count" },
          ],
        },
      ],
    },
    task: run.task,
    environment: run.environment,
    schedule: run.schedule,
    TaskExecution: run.succeeded ? 1 : 0,
    TaskFailure: run.succeeded ? 0 : 1,
    TaskDuration: run.durationMs,
    RecordsProcessed: run.recordsProcessed,
    RecordsQuarantined: run.recordsQuarantined,
  });
}
