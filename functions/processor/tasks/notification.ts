import { notificationPayloadSchema } from "../../../core/task-payloads";
import { defineTask, fitSubject, type RunRecord } from "../protocol/task";
import { periodEndingAt } from "../records/period";

/**
 * A digest of the period's data_processing runs. The digest is kept in the run's record before
 * it is published, so a retry publishes the same text, and a rerun of a published digest
 * publishes nothing.
 */
export const notificationTask = defineTask({
  name: "notification",
  payload: notificationPayloadSchema,
  async run(ctx, payload) {
    const { from, to } = periodEndingAt(ctx.scheduledTime, payload.periodHours);
    const runs = await ctx.runRecords("data_processing", from, to);
    const digest = buildDigest(ctx.environment, ctx.schedule, runs, from, to);
    ctx.keep({ digest: { subject: digest.subject, message: digest.message } });
    return digest.counts;
  },
  notice(run) {
    const { digest } = run.record;
    return digest ? { subject: digest.subject, message: digest.message, attributes: { status: "digest" } } : undefined;
  },
});

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
