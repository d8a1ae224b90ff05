import * as z from "zod/mini";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { InvalidEventError } from "../../commons/errors/invalid-event-error";
import {
  checkEventEnvelope,
  checkEventSize,
  isRealInstant,
  parseTaskEvent,
  parseWith,
  quoteValue,
  type TaskEvent,
} from "../../commons/task-event";
import type { ByteRange } from "../protocol/task";
import { MAX_KEY_BYTES, type SourceOutputKeys, type SourceRef } from "../sources/source-identity";

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

/** Whether an event says it is a batch (parseWorkBatch then checks that it is a valid one). */
export function isWorkBatch(value: unknown): value is WorkBatch {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "data_processing_batch";
}

/** A batch's size as JSON: well above a full batch of long keys, and inside SQS's 256 KiB. */
export const MAX_BATCH_BYTES = 240 * 1024;
/** The most batches a run is spread over, and items one batch holds: far above what the planner makes. */
export const MAX_BATCHES = 100_000;
export const MAX_ITEMS_PER_BATCH = 1_000;

const count = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number().check(
    z.refine((value) => Number.isInteger(value) && value >= min && value <= max, {
      error: (issue) =>
        `must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}, got ${quoteValue(issue.input)}`,
    }),
  );
const text = (max: number, startsWith = "") =>
  z.string().check(
    z.refine((value) => value.length > 0 && Buffer.byteLength(value) <= max && value.startsWith(startsWith), {
      error: (issue) => `must be ${startsWith ? `a key under ${startsWith}` : "text"} of 1-${max} bytes, got ${quoteValue(issue.input)}`,
    }),
  );

const sourceRefSchema = z.strictObject({
  key: text(MAX_KEY_BYTES, BUCKET_LAYOUT.incoming.prefix),
  etag: text(256),
  size: count(0),
  lastModified: z
    .string()
    .check(z.refine(isRealInstant, { error: (issue) => `must be an ISO-8601 instant, got ${quoteValue(issue.input)}` })),
  versionId: z.optional(text(1024)),
});

const sourceItemSchema = z.strictObject({ kind: z.literal("source"), source: sourceRefSchema });

const rangeItemSchema = z.strictObject({
  kind: z.literal("range"),
  source: sourceRefSchema,
  id: z.string().check(z.regex(/^[0-9a-f]{32}$/, { error: "must be a source identity (32 hex digits)" })),
  // Outputs only where outputs belong: a batch can never make the processor write elsewhere.
  outputs: z.strictObject({
    processed: text(MAX_KEY_BYTES, BUCKET_LAYOUT.processed.prefix),
    quarantine: text(MAX_KEY_BYTES, BUCKET_LAYOUT.quarantine.prefix),
    archive: text(MAX_KEY_BYTES, BUCKET_LAYOUT.archive.prefix),
  }),
  range: z.strictObject({ index: count(0), start: count(0), end: count(1), firstLine: count(1), lines: count(0) }),
  ranges: count(1, MAX_BATCHES),
  versionId: z.optional(text(1024)),
});

const workBatchSchema = z.strictObject({
  kind: z.literal("data_processing_batch"),
  event: z.unknown(),
  index: count(0, MAX_BATCHES - 1),
  of: count(1, MAX_BATCHES),
  items: z
    .array(z.discriminatedUnion("kind", [sourceItemSchema, rangeItemSchema]))
    .check(
      z.minLength(1, { error: "must hold at least one source or range" }),
      z.maxLength(MAX_ITEMS_PER_BATCH, { error: `must hold at most ${MAX_ITEMS_PER_BATCH} items` }),
    ),
});

/**
 * A batch checked as a scheduled event is, before any work: the same envelope (size, no
 * `__proto__`), its scheduled event valid, every field present and within bounds, its index
 * inside its count, each range inside its source, and outputs only under their own prefixes.
 * Throws InvalidEventError naming the field.
 */
export function parseWorkBatch(raw: unknown): WorkBatch {
  checkEventEnvelope(raw);
  const batch = parseWith(workBatchSchema, raw, "");
  let event: TaskEvent;
  try {
    event = parseTaskEvent(batch.event);
  } catch (error) {
    if (error instanceof InvalidEventError) throw new InvalidEventError(`event.${error.field}`.replace(".<event>", ""), error.reason);
    throw error;
  }
  if (event.task_type !== "data_processing")
    throw new InvalidEventError("event.task_type", `a batch belongs to a data_processing run, got ${quoteValue(event.task_type)}`);
  if (batch.index >= batch.of) throw new InvalidEventError("index", `must be less than of (${batch.of}), got ${batch.index}`);
  checkEventSize(raw, MAX_BATCH_BYTES);
  batch.items.forEach((item, at) => {
    if (item.kind !== "range") return;
    const { range, source } = item;
    if (range.start >= range.end || range.end > source.size)
      throw new InvalidEventError(
        `items[${at}].range`,
        `must lie inside its source of ${source.size} bytes, got ${range.start}-${range.end}`,
      );
    if (range.index >= item.ranges)
      throw new InvalidEventError(`items[${at}].range.index`, `must be less than ranges (${item.ranges}), got ${range.index}`);
  });
  return { ...batch, event } as WorkBatch;
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
