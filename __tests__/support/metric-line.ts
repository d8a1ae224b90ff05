import { taskRunMetricLine } from "../../functions/commons/metrics";

/**
 * The dimension sets a processor run really publishes, with their values, as a function named
 * `serviceName` (its POWERTOOLS_SERVICE_NAME) writes them: what alarms and dashboards must match.
 */
export function publishedDimensionSets(
  serviceName: string,
  run: { task: string; environment: string; schedule: string },
): Array<Record<string, string>> {
  const line = JSON.parse(taskRunMetricLine({ ...run, succeeded: true, durationMs: 1, recordsProcessed: 0, recordsQuarantined: 0 }));
  const values: Record<string, string> = { ...line, service: serviceName };
  return line._aws.CloudWatchMetrics[0].Dimensions.map((names: string[]) => Object.fromEntries(names.map((name) => [name, values[name]])));
}
