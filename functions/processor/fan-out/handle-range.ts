import { listObjects, objectExists, readJson, writeJson } from "../../commons/s3-objects";
import type { SourceResult } from "../run/run-record";
import { runKeys } from "../run/run-ref";
import { completeSource, type SourceContext, type SourceHandling } from "../sources/handle-source";
import { acquireClaim } from "../sources/source-claim";
import { processSourceContent } from "../sources/source-content";
import { rangeOutputKeys } from "../sources/source-identity";
import { LARGE_SOURCE_LEASE } from "./large-source-lease";
import { type RangeItem, rangeSource } from "./work-batch";

interface RangeResult {
  readonly index: number;
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  readonly processedKey?: string;
  readonly quarantineKey?: string;
}

/**
 * One byte range of a large source: its lines go to the range's own outputs, numbered as in
 * the whole source, and its result is recorded. Whoever records the last range completes the
 * source: sums the ranges into the source's result, archives and removes it, and names the
 * run in its claim. (Two workers finishing the last ranges together both complete it, with
 * the same result: the claim is finished once, and the run counts it once.)
 */
export async function handleRange(
  context: SourceContext,
  runId: string,
  item: RangeItem,
  requiredFields: readonly string[],
): Promise<SourceHandling | { kind: "range-done" }> {
  const keys = runKeys(runId);
  const source = rangeSource(item);
  const resultKey = keys.rangeResult(item.id, item.range.index);
  if (!(await objectExists(context.s3, context.bucket, resultKey))) {
    const content = await processSourceContent(
      context,
      source,
      rangeOutputKeys(item.outputs, item.range.index),
      requiredFields,
      item.range,
    );
    const result: RangeResult = {
      index: item.range.index,
      lines: content.lines,
      processed: content.processed,
      quarantined: content.quarantined,
      processedKey: content.processedKey,
      quarantineKey: content.quarantineKey,
    };
    await writeJson(context.s3, context.bucket, resultKey, result);
  }
  const recorded: string[] = [];
  for await (const object of listObjects(context.s3, context.bucket, keys.rangesPrefix(item.id))) recorded.push(object.key);
  if (recorded.length < item.ranges) return { kind: "range-done" };

  const ranges: RangeResult[] = [];
  for (const key of recorded) {
    const found = await readJson<RangeResult>(context.s3, context.bucket, key, false);
    if (found) ranges.push(found.value);
  }
  ranges.sort((a, b) => a.index - b.index);
  const sum = (field: "lines" | "processed" | "quarantined") => ranges.reduce((total, r) => total + r[field], 0);
  const result: SourceResult = {
    source: source.key,
    etag: source.etag,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    id: item.id,
    lines: sum("lines"),
    processed: sum("processed"),
    quarantined: sum("quarantined"),
    processedKeys: ranges.flatMap((r) => (r.processedKey ? [r.processedKey] : [])),
    quarantineKeys: ranges.flatMap((r) => (r.quarantineKey ? [r.quarantineKey] : [])),
    archiveKey: item.outputs.archive,
  };
  await writeJson(context.s3, context.bucket, keys.sourceResult(item.id), result);
  const claim = await acquireClaim(context, runId, item.id, source, item.outputs, LARGE_SOURCE_LEASE);
  if (claim.kind === "refused")
    return claim.state.finished!.by === runId ? { kind: "done", result } : { kind: "done-elsewhere", by: claim.state.finished!.by };
  if (claim.kind === "busy") throw new Error(`claim of ${source.key} is held by ${claim.state.holder}; the batch is retried`);
  return completeSource(context, runId, item.id, source, result, claim.lease);
}
