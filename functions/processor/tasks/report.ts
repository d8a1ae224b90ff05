import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { reportPayloadSchema } from "../../../core/task-payloads";
import { runNotice } from "../../commons/notices";
import { writeText } from "../../commons/s3-objects";
import { parseWith } from "../../commons/task-event";
import { toCsv } from "../records/csv";
import { periodEndingAt } from "../records/period";
import { type RunRecord, runHeader } from "../run/run-record";
import { runRefOf } from "../run/run-ref";
import { runRecordsInPeriod } from "../run/runs-in-period";
import type { Task } from "./task";

export const REPORT_HEADER = ["source", "lines", "processed", "quarantined"] as const;
export const TOTAL_LABEL = "TOTAL";

/** `reports/<yyyy-mm-dd>/<schedule>.csv`, the day of the scheduled time (UTC). */
export function reportKey(scheduledTime: string, schedule: string): string {
  return `${BUCKET_LAYOUT.reports.prefix}${new Date(scheduledTime).toISOString().slice(0, 10)}/${schedule}.csv`;
}

/**
 * CSV of the data_processing runs in the period ending at scheduled_time: one row per source,
 * then a totals row. Each source is counted in exactly one run, so TOTAL's lines are the lines
 * that came in. Its content depends only on the run records, so a rerun writes the same bytes.
 */
export const reportTask: Task = {
  type: "report",
  async run(event, context) {
    const payload = parseWith(reportPayloadSchema, event.payload, "payload");
    const run = runRefOf(event);
    const { from, to } = periodEndingAt(event.scheduled_time, payload.periodHours);
    const runs = await runRecordsInPeriod(context.s3, context.bucket, "data_processing", from, to);
    const rows = reportRows(runs);
    const key = reportKey(event.scheduled_time, event.schedule);
    await writeText(context.s3, context.bucket, key, toCsv([REPORT_HEADER, ...rows]), "text/csv; charset=utf-8");
    const [, lines, processed, quarantined] = rows[rows.length - 1];
    return {
      kind: "record",
      record: {
        ...runHeader(run, "completed"),
        counts: { runs: runs.length, sources: rows.length - 1, lines, processed, quarantined },
        reportKey: key,
      },
    };
  },
  notice(record, identity, payload) {
    return payload.notifyOnSuccess === false ? undefined : runNotice(identity, "OK", "completed", record.counts);
  },
};

/** Rows per source (sorted), then a totals row. A source appears in one run only. */
export function reportRows(runs: readonly RunRecord[]): Array<[string, number, number, number]> {
  const rows: Array<[string, number, number, number]> = [];
  for (const run of runs) for (const s of run.sources ?? []) if (!s.superseded) rows.push([s.source, s.lines, s.processed, s.quarantined]);
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = rows.reduce((sum, [, l, p, q]) => [sum[0] + l, sum[1] + p, sum[2] + q], [0, 0, 0]);
  return [...rows, [TOTAL_LABEL, total[0], total[1], total[2]]];
}
