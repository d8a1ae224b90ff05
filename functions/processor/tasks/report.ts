import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { reportPayloadSchema } from "../../../core/task-payloads";
import { defineTask, type RunRecord } from "../protocol/task";
import { toCsv } from "../records/csv";
import { periodEndingAt } from "../records/period";

export const REPORT_HEADER = ["source", "lines", "processed", "quarantined"] as const;
export const TOTAL_LABEL = "TOTAL";

/** `reports/<yyyy-mm-dd>/<schedule>.csv`, the day of the scheduled time (UTC). */
export function reportKey(scheduledTime: string, schedule: string): string {
  return `${BUCKET_LAYOUT.reports.prefix}${new Date(scheduledTime).toISOString().slice(0, 10)}/${schedule}.csv`;
}

/**
 * CSV of the data_processing runs in the period ending at the scheduled time: one row per
 * source, then a totals row. Each source is counted in exactly one run, so TOTAL's lines are the
 * lines that came in. Its content depends only on the run records, so a rerun writes the same bytes.
 */
export const reportTask = defineTask({
  name: "report",
  payload: reportPayloadSchema,
  async run(ctx, payload) {
    const { from, to } = periodEndingAt(ctx.scheduledTime, payload.periodHours);
    const runs = await ctx.runRecords("data_processing", from, to);
    const rows = reportRows(runs);
    const key = reportKey(ctx.scheduledTime, ctx.schedule);
    await ctx.writeOutput(key, toCsv([REPORT_HEADER, ...rows]), { contentType: "text/csv; charset=utf-8" });
    ctx.keep({ reportKey: key });
    const [, lines, processed, quarantined] = rows[rows.length - 1];
    return { runs: runs.length, sources: rows.length - 1, lines, processed, quarantined };
  },
  notice: (run, payload) => (payload.notifyOnSuccess === false ? undefined : run.standardNotice()),
});

/** Rows per source (sorted), then a totals row. A source appears in one run only. */
export function reportRows(runs: readonly RunRecord[]): Array<[string, number, number, number]> {
  const rows: Array<[string, number, number, number]> = [];
  for (const run of runs) for (const s of run.sources ?? []) if (!s.superseded) rows.push([s.source, s.lines, s.processed, s.quarantined]);
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = rows.reduce((sum, [, l, p, q]) => [sum[0] + l, sum[1] + p, sum[2] + q], [0, 0, 0]);
  return [...rows, [TOTAL_LABEL, total[0], total[1], total[2]]];
}
