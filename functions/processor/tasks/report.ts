import { writeText } from "../../commons/s3-objects";
import { parseWith } from "../../commons/task-event";
import { reportPayloadSchema } from "../../commons/task-payloads";
import { reportKey } from "../object-keys";
import { toCsv } from "../records/csv";
import { periodEndingAt } from "../records/period";
import { newManifest, readManifestsInPeriod, type RunManifest, writeManifest } from "../run-manifest";
import type { Task } from "./task";

export const REPORT_HEADER = ["source", "processed", "quarantined"] as const;
export const TOTAL_LABEL = "TOTAL";

/**
 * CSV of the data_processing runs in the period ending at scheduled_time: one row per source
 * (summed if a source appears in several runs), then a totals row. Its content depends only on
 * the manifests, so a rerun writes the same bytes.
 */
export const reportTask: Task = {
  type: "report",
  async run(event, context) {
    const payload = parseWith(reportPayloadSchema, event.payload, "payload");
    const { from, to } = periodEndingAt(event.scheduled_time, payload.periodHours);
    const runs = await readManifestsInPeriod(context.s3, context.bucket, "data_processing", from, to);
    const rows = reportRows(runs);
    const key = reportKey(event.scheduled_time, event.schedule);
    await writeText(context.s3, context.bucket, key, toCsv([REPORT_HEADER, ...rows]), "text/csv; charset=utf-8");

    const totals = rows[rows.length - 1];
    const manifest = newManifest(event);
    manifest.status = "complete";
    manifest.counts = { runs: runs.length, sources: rows.length - 1, processed: Number(totals[1]), quarantined: Number(totals[2]) };
    const manifestKey = await writeManifest(context.s3, context.bucket, manifest);
    return {
      status: "completed",
      recordsProcessed: 0,
      recordsQuarantined: 0,
      counts: manifest.counts,
      written: [key, manifestKey],
      notify: payload.notifyOnSuccess ?? true,
    };
  },
};

/** Rows per source, sorted by source, and a final totals row. */
export function reportRows(runs: readonly RunManifest[]): Array<[string, number, number]> {
  const bySource = new Map<string, [number, number]>();
  for (const run of runs) {
    for (const source of run.sources) {
      const [processed, quarantined] = bySource.get(source.source) ?? [0, 0];
      bySource.set(source.source, [processed + source.processed, quarantined + source.quarantined]);
    }
  }
  const rows = [...bySource.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, [processed, quarantined]]): [string, number, number] => [source, processed, quarantined]);
  const total = rows.reduce((sum, [, p, q]) => [sum[0] + p, sum[1] + q], [0, 0]);
  return [...rows, [TOTAL_LABEL, total[0], total[1]]];
}
