import { notificationPayloadSchema } from "../../../core/task-payloads";
import { fitSubject } from "../../commons/notices";
import { parseWith } from "../../commons/task-event";
import { periodEndingAt } from "../records/period";
import { type RunRecord, runHeader } from "../run/run-record";
import { runRefOf } from "../run/run-ref";
import { runRecordsInPeriod } from "../run/runs-in-period";
import type { Task } from "./task";

/**
 * A digest of the period's data_processing runs. The digest is written into the run's record
 * before it is published, so a retry publishes the same text, and a rerun of a published
 * digest publishes nothing.
 */
export const notificationTask: Task = {
  type: "notification",
  async run(event, context) {
    const payload = parseWith(notificationPayloadSchema, event.payload, "payload");
    const run = runRefOf(event);
    const { from, to } = periodEndingAt(event.scheduled_time, payload.periodHours);
    const runs = await runRecordsInPeriod(context.s3, context.bucket, "data_processing", from, to);
    const digest = buildDigest(context.environment, event.schedule, runs, from, to);
    return {
      kind: "record",
      record: {
        ...runHeader(run, "completed"),
        counts: digest.counts,
        digest: { subject: digest.subject, message: digest.message },
      },
    };
  },
  notice(record, identity) {
    if (!record.digest) return undefined;
    return {
      ...record.digest,
      attributes: { task: identity.task, environment: identity.environment, schedule: identity.schedule, status: "digest" },
    };
  },
};

export function buildDigest(environment: string, schedule: string, runs: readonly RunRecord[], from: Date, to: Date) {
  const processed = runs.reduce((sum, run) => sum + (run.totals?.processed ?? 0), 0);
  const quarantined = runs.reduce((sum, run) => sum + (run.totals?.quarantined ?? 0), 0);
  // A run skipped on an excluded date did what it should: nothing.
  const incomplete = runs.filter((run) => run.status === "partial" || run.status === "incomplete").length;
  const counts = { runs: runs.length, processed, quarantined, incomplete };
  const subject = fitSubject(
    `[${environment}] ${schedule} digest: ${runs.length} runs, ${processed} processed, ${quarantined} quarantined`,
  );
  const lines = [
    `Digest of data processing in ${environment}, ${from.toISOString()} to ${to.toISOString()}.`,
    "",
    `Runs: ${runs.length} (${incomplete} not complete)`,
    `Records processed: ${processed}`,
    `Records quarantined: ${quarantined}`,
    "",
    ...runs.map(
      (run) =>
        `- ${run.scheduledTime} ${run.schedule} [${run.status}]: ${run.totals?.sources ?? 0} sources, ${run.totals?.processed ?? 0} ` +
        `processed, ${run.totals?.quarantined ?? 0} quarantined`,
    ),
  ];
  return { subject, message: lines.join("\n"), counts };
}
