import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { BUCKET_LAYOUT } from "../../commons/bucket-layout";
import { headObject, listObjects, type ListedObject, StreamingObjectWriter } from "../../commons/s3-objects";
import { parseWith } from "../../commons/task-event";
import { dataProcessingPayloadSchema } from "../../commons/task-payloads";
import { runDate, sourceOutputKeys, type SourceOutputKeys } from "../object-keys";
import { classifyLine } from "../records/classify-line";
import { LineSplitter } from "../records/line-splitter";
import { newManifest, readManifest, recordSource, type SourceResult, writeManifest } from "../run-manifest";
import type { Task, TaskContext, TaskOutcome } from "./task";

const JSON_LINES = "application/x-ndjson";

/** Stop starting new sources when less than this is left; the next run picks them up. */
export const TIME_RESERVE_MS = 30_000;

/**
 * Moves every object under incoming/ through the pipeline: valid lines to processed/, the rest
 * to quarantine/ with their reason, then the source to archive/. Lines in = processed +
 * quarantined for every source, and a rerun of the same event changes nothing.
 */
export const dataProcessingTask: Task = {
  type: "data_processing",
  async run(event, context) {
    const payload = parseWith(dataProcessingPayloadSchema, event.payload, "payload");
    const existing = await readManifest(context.s3, context.bucket, event);
    if (existing?.status === "complete") return outcomeOf(existing.totals, existing.sources.length, "already_completed", [], payload.notifyOnSuccess);

    const manifest = existing ?? newManifest(event);
    manifest.status = "in_progress";
    const date = runDate(event.scheduled_time);
    const written: string[] = [];
    let manifestKey = "";
    for await (const object of listObjects(context.s3, context.bucket, BUCKET_LAYOUT.incoming.prefix + (payload.prefix ?? ""))) {
      if (object.key.endsWith("/")) continue; // folder placeholder, not data
      if (context.remainingTimeMs() < TIME_RESERVE_MS) {
        manifest.status = "partial";
        context.log.warn("stopping early to finish within the timeout; the next run continues", { next_source: object.key });
        break;
      }
      const result = await processSource(object, date, payload.requiredFields ?? [], context);
      recordSource(manifest, result);
      // Recorded before the source leaves incoming/, so a crash in between is redone, not lost.
      manifestKey = await writeManifest(context.s3, context.bucket, manifest);
      await archiveSource(object, result.archiveKey, context);
      written.push(...[result.processedKey, result.quarantineKey, result.archiveKey].filter((k): k is string => !!k));
    }
    if (manifest.status === "in_progress") manifest.status = "complete";
    manifestKey = await writeManifest(context.s3, context.bucket, manifest);
    written.push(manifestKey);
    return outcomeOf(manifest.totals, manifest.sources.length, manifest.status === "partial" ? "partial" : "completed", written, payload.notifyOnSuccess);
  },
};

function outcomeOf(
  totals: { lines: number; processed: number; quarantined: number },
  sources: number,
  status: TaskOutcome["status"],
  written: string[],
  notifyOnSuccess: boolean | undefined,
): TaskOutcome {
  return {
    status,
    recordsProcessed: totals.processed,
    recordsQuarantined: totals.quarantined,
    counts: { sources, lines: totals.lines, processed: totals.processed, quarantined: totals.quarantined },
    written,
    notify: (notifyOnSuccess ?? true) && status !== "already_completed",
  };
}

/** Streams one source through the line classifier into its processed and quarantine objects. */
async function processSource(object: ListedObject, date: string, requiredFields: readonly string[], context: TaskContext): Promise<SourceResult> {
  const keys = await chooseOutputKeys(object, date, context);
  const metadata = { "source-key": object.key, "source-etag": stripQuotes(object.etag) };
  const response = await context.s3.send(new GetObjectCommand({ Bucket: context.bucket, Key: object.key, IfMatch: object.etag }));

  // Created on first use: a source with no bad lines leaves no quarantine object.
  let processedWriter: StreamingObjectWriter | undefined;
  let quarantineWriter: StreamingObjectWriter | undefined;
  const splitter = new LineSplitter();
  let lines = 0;
  let processed = 0;
  let quarantined = 0;
  let goodBatch: string[] = [];
  let badBatch: string[] = [];
  const onLine = (line: Parameters<Parameters<LineSplitter["push"]>[1]>[0]) => {
    lines += 1;
    const outcome = classifyLine(line, object.key, requiredFields);
    if (outcome.kind === "processed") {
      processed += 1;
      goodBatch.push(outcome.output);
    } else {
      quarantined += 1;
      badBatch.push(outcome.output);
    }
  };
  const flush = async () => {
    if (goodBatch.length > 0) {
      processedWriter ??= new StreamingObjectWriter(context.s3, context.bucket, keys.processed, JSON_LINES, metadata);
      const text = `${goodBatch.join("\n")}\n`;
      goodBatch = [];
      await processedWriter.write(text);
    }
    if (badBatch.length > 0) {
      quarantineWriter ??= new StreamingObjectWriter(context.s3, context.bucket, keys.quarantine, JSON_LINES, metadata);
      const text = `${badBatch.join("\n")}\n`;
      badBatch = [];
      await quarantineWriter.write(text);
    }
  };

  for await (const chunk of response.Body as Readable) {
    splitter.push(chunk as Uint8Array, onLine);
    await flush();
  }
  splitter.end(onLine);
  await flush();
  await Promise.all([processedWriter?.close(), quarantineWriter?.close()]);

  if (lines !== processed + quarantined) {
    throw new Error(`line accounting broke for ${object.key}: ${lines} in, ${processed} processed, ${quarantined} quarantined`);
  }
  return {
    source: object.key,
    etag: stripQuotes(object.etag),
    lines,
    processed,
    quarantined,
    processedKey: processedWriter ? keys.processed : undefined,
    quarantineKey: quarantineWriter ? keys.quarantine : undefined,
    archiveKey: keys.archive,
  };
}

/**
 * The day's keys for this source, unless a different source of the same name already wrote
 * them today; then keys carrying this source's ETag, so neither overwrites the other.
 */
async function chooseOutputKeys(object: ListedObject, date: string, context: TaskContext): Promise<SourceOutputKeys> {
  const keys = sourceOutputKeys(object.key, date);
  const etag = stripQuotes(object.etag);
  const existing = await Promise.all(Object.values(keys).map((key) => headObject(context.s3, context.bucket, key)));
  const taken = existing.some((head) => head !== undefined && head.metadata["source-etag"] !== etag);
  return taken ? sourceOutputKeys(object.key, date, etag.slice(0, 12)) : keys;
}

/** Copies the exact version that was read to archive/, then removes it from incoming/. */
async function archiveSource(object: ListedObject, archiveKey: string, context: TaskContext): Promise<void> {
  const etag = stripQuotes(object.etag);
  await context.s3.send(
    new CopyObjectCommand({
      Bucket: context.bucket,
      Key: archiveKey,
      CopySource: `${context.bucket}/${encodeKey(object.key)}`,
      CopySourceIfMatch: object.etag,
      MetadataDirective: "REPLACE",
      ContentType: JSON_LINES,
      Metadata: { "source-key": object.key, "source-etag": etag },
    }),
  );
  try {
    // Conditional delete: a producer that re-uploaded the key meanwhile keeps its new object.
    await context.s3.send(new DeleteObjectCommand({ Bucket: context.bucket, Key: object.key, IfMatch: object.etag }));
  } catch (error) {
    // 412: the key now holds a different object; 409: a concurrent write won the race.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 412 && status !== 409) throw error;
    context.log.warn("source changed while it was processed; the new version stays in incoming/", { source: object.key });
  }
}

function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

function stripQuotes(etag: string): string {
  return etag.replace(/^"|"$/g, "");
}

