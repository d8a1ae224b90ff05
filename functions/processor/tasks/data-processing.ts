import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { dataProcessingPayloadSchema } from "../../../core/task-payloads";
import { defineTask } from "../protocol/task";
import { jsonLinesProcessor } from "./json-lines";

/**
 * Moves every version waiting under incoming/ through the pipeline: valid lines to processed/,
 * the rest to quarantine/ with their reason, then the version to archive/ and out of
 * incoming/. Every source is claimed first, and the run that removes it is the only one that
 * counts it, whichever run that is (another schedule, a replay, a backfill, an overlapping
 * run, the next run after a failure). Several sources are handled at once; a run with more
 * than an invocation can do spreads it over the work queue when the stack has one.
 */
export const dataProcessingTask = defineTask({
  name: "data_processing",
  payload: dataProcessingPayloadSchema,
  async run(ctx, payload) {
    const processor = jsonLinesProcessor(ctx, payload.requiredFields ?? []);
    const outcome = await ctx.forEachSource(`${BUCKET_LAYOUT.incoming.prefix}${payload.prefix ?? ""}`, processor, { spread: true });
    return outcome.counts;
  },
  notice(run, payload) {
    // A source set aside is news even when the schedule wants no notice of success.
    const setAside = (run.record.sources ?? []).some((s) => s.setAside);
    if (run.status === "completed" && payload.notifyOnSuccess === false && !setAside) return undefined;
    return run.standardNotice();
  },
});
