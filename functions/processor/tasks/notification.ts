import { parseWith } from "../../commons/task-event";
import { notificationPayloadSchema } from "../../commons/task-payloads";
import { fitSubject, publishNotice } from "../../commons/notices";
import { periodEndingAt } from "../records/period";
import { newManifest, readManifest, readManifestsInPeriod, type RunManifest, writeManifest } from "../run-manifest";
import type { Task } from "./task";

/**
 * Publishes a digest of the period's data_processing runs. Its manifest is written after the
 * publish, and a rerun that finds it publishes nothing: at most one digest a period, barring a
 * crash between the two steps.
 */
export const notificationTask: Task = {
  type: "notification",
  async run(event, context) {
    const payload = parseWith(notificationPayloadSchema, event.payload, "payload");
    const existing = await readManifest(context.s3, context.bucket, event);
    if (existing?.status === "complete") {
      return { status: "already_completed", recordsProcessed: 0, recordsQuarantined: 0, counts: existing.counts ?? {}, written: [], notify: false };
    }
    const { from, to } = periodEndingAt(event.scheduled_time, payload.periodHours);
    const runs = await readManifestsInPeriod(context.s3, context.bucket, "data_processing", from, to);
    const digest = buildDigest(context.environment, event.schedule, runs, from, to);
    await publishNotice(context.sns, context.topicArn, {
      subject: digest.subject,
      message: digest.message,
      attributes: { task: event.task_type, environment: context.environment, schedule: event.schedule, status: "digest" },
    });

    const manifest = newManifest(event);
    manifest.status = "complete";
    manifest.counts = digest.counts;
    const manifestKey = await writeManifest(context.s3, context.bucket, manifest);
    return { status: "completed", recordsProcessed: 0, recordsQuarantined: 0, counts: digest.counts, written: [manifestKey], notify: false };
  },
};

export function buildDigest(environment: string, schedule: string, runs: readonly RunManifest[], from: Date, to: Date) {
  const processed = runs.reduce((sum, run) => sum + run.totals.processed, 0);
  const quarantined = runs.reduce((sum, run) => sum + run.totals.quarantined, 0);
  const incomplete = runs.filter((run) => run.status !== "complete").length;
  const counts = { runs: runs.length, processed, quarantined, incomplete };
  const subject = fitSubject(`[${environment}] ${schedule} digest: ${runs.length} runs, ${processed} processed, ${quarantined} quarantined`);
  const lines = [
    `Digest of data processing in ${environment}, ${from.toISOString()} to ${to.toISOString()}.`,
    "",
    `Runs: ${runs.length} (${incomplete} not complete)`,
    `Records processed: ${processed}`,
    `Records quarantined: ${quarantined}`,
    "",
    ...runs.map((run) => `- ${run.scheduledTime} ${run.schedule} [${run.status}]: ${run.sources.length} sources, ${run.totals.processed} processed, ${run.totals.quarantined} quarantined`),
  ];
  return { subject, message: lines.join("\n"), counts };
}
