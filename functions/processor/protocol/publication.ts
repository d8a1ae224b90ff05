import type { SNSClient } from "@aws-sdk/client-sns";
import type { Logger } from "../../commons/logger";
import { taskRunMetricLine } from "../../commons/metrics";
import { type Notice, publishNotice } from "../../commons/notices";
import { type RunRecord, writeRunRecord } from "./run-record";
import type { RunRef } from "./run-ref";
import type { ObjectStore } from "./store";

export interface PublicationContext {
  readonly store: ObjectStore;
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly log: Logger;
  /** Where the embedded-metric line goes (stdout in Lambda). */
  readonly writeMetric: (line: string) => void;
  readonly now: () => number;
}

/**
 * Announces a finished run once: the record is made durable first, then the notice is
 * published and the run's metrics written, and only then is the record marked published.
 * An attempt that fails to publish leaves the record unpublished, and the next attempt
 * publishes it; one that finds it published announces nothing. (A crash in the instant
 * between the publish and the mark is the one case that announces twice.)
 */
export async function publishRun(
  context: PublicationContext,
  run: RunRef,
  record: RunRecord,
  notice: Notice | undefined,
  durationMs: number,
  recordIsDurable: boolean,
): Promise<RunRecord> {
  const unpublished = { ...record, published: false };
  if (!recordIsDurable) await writeRunRecord(context.store, run, unpublished);
  if (notice) await publishNotice(context.sns, context.topicArn, notice);
  const progressed = record.status !== "incomplete";
  context.writeMetric(
    taskRunMetricLine(
      {
        task: run.task,
        environment: run.environment,
        schedule: run.schedule,
        succeeded: progressed,
        durationMs,
        recordsProcessed: record.totals?.processed ?? 0,
        recordsQuarantined: record.totals?.quarantined ?? 0,
      },
      context.now(),
    ),
  );
  const published = { ...record, published: true };
  await persistently(() => writeRunRecord(context.store, run, published), context.log);
  return published;
}

/**
 * The mark that a run was announced is the one write whose loss repeats a notice, so it is
 * tried a few more times, with growing pauses, after the SDK's own retries give up.
 */
async function persistently(write: () => Promise<void>, log: Logger): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 3) throw error;
      log.warn("could not mark the run as announced; trying again", { attempt: attempt + 1, error: (error as Error).message });
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}
