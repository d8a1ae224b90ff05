import type { TaskEvent } from "../../commons/task-event";
import type { ByteRange } from "../sources/source-content";
import type { SourceOutputKeys, SourceRef } from "../sources/source-identity";

/** A whole source, claimed by the worker that takes it. */
export interface SourceItem {
  readonly kind: "source";
  readonly source: SourceRef;
}

/** One byte range of a large source the planner already claimed for the run. */
export interface RangeItem {
  readonly kind: "range";
  readonly source: SourceRef;
  readonly id: string;
  readonly outputs: SourceOutputKeys;
  readonly range: ByteRange;
  /** How many ranges the source was cut into. */
  readonly ranges: number;
  /** Batches queued by releases before 0.3 carry the version here rather than in `source`. */
  readonly versionId?: string;
}

/** The exact version a range reads, whichever release queued it. */
export function rangeSource(item: RangeItem): SourceRef {
  return item.versionId && !item.source.versionId ? { ...item.source, versionId: item.versionId } : item.source;
}

export type WorkItem = SourceItem | RangeItem;

/** One SQS message of a fanned-out run: some of its work, and enough to finish the run. */
export interface WorkBatch {
  readonly kind: "data_processing_batch";
  /** The scheduled event whose run this belongs to. */
  readonly event: TaskEvent;
  readonly index: number;
  /** How many batches the run was spread over. */
  readonly of: number;
  readonly items: readonly WorkItem[];
}

export function isWorkBatch(value: unknown): value is WorkBatch {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "data_processing_batch";
}

/** Sources a batch takes at most: enough to use a worker's concurrency, few enough to finish early. */
export const SOURCES_PER_BATCH = 50;

/**
 * Packs work into batches: ranges one to a batch (each is as much as an invocation should
 * read), whole sources up to `sourcesPerBatch` or a quarter of an invocation's bytes.
 */
export function packBatches(items: readonly WorkItem[], maxBytes: number, sourcesPerBatch = SOURCES_PER_BATCH): WorkItem[][] {
  const batches: WorkItem[][] = [];
  let current: WorkItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (item.kind === "range") {
      batches.push([item]);
      continue;
    }
    if (current.length > 0 && (current.length >= sourcesPerBatch || bytes + item.source.size > maxBytes / 4)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.source.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
