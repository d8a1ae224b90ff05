import type { SourceResult } from "../protocol/run-record";
import { runKeys } from "../protocol/run-ref";
import { readJson, writeJson } from "../protocol/store";
import { completeSource, type SourceContext, type SourceHandling } from "../sources/handle-source";
import { acquireClaim } from "../sources/source-claim";
import { rangeOutputKeys } from "../sources/source-identity";
import type { SourceWork } from "../sources/source-work";
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
  work: SourceWork,
): Promise<SourceHandling | { kind: "range-done" }> {
  const keys = runKeys(runId);
  const source = rangeSource(item);
  const resultKey = keys.rangeResult(item.id, item.range.index);
  if (!(await context.store.exists(resultKey))) {
    const content = await work({ ...source, id: item.id, outputs: rangeOutputKeys(item.outputs, item.range.index) }, item.range);
    const result: RangeResult = {
      index: item.range.index,
      lines: content.lines,
      processed: content.processed,
      quarantined: content.quarantined,
      processedKey: content.processedKeys[0],
      quarantineKey: content.quarantineKeys[0],
    };
    await writeJson(context.store, resultKey, result);
  }
  const recorded: string[] = [];
  for await (const object of context.store.list(keys.rangesPrefix(item.id))) recorded.push(object.key);
  if (recorded.length < item.ranges) return { kind: "range-done" };

  const ranges: RangeResult[] = [];
  for (const key of recorded) {
    const found = await readJson<RangeResult>(context.store, key, false);
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
  await writeJson(context.store, keys.sourceResult(item.id), result);
  const claim = await acquireClaim(context, runId, item.id, source, item.outputs, LARGE_SOURCE_LEASE);
  if (claim.kind === "refused")
    return claim.state.finished!.by === runId ? { kind: "done", result } : { kind: "done-elsewhere", by: claim.state.finished!.by };
  if (claim.kind === "busy") throw new Error(`claim of ${source.key} is held by ${claim.state.holder}; the batch is retried`);
  return completeSource(context, runId, item.id, source, result, claim.lease);
}
