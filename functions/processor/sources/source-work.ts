import type { ByteRange } from "../protocol/task";
import { WHOLE_READ_BYTES } from "../protocol/task";
import type { SourceOutputKeys, SourceRef } from "./source-identity";

/** A source its run holds the claim of, with the output keys the claim keeps. */
export interface ClaimedRef extends SourceRef {
  readonly id: string;
  readonly outputs: SourceOutputKeys;
}

/** What the work on one source (or one byte range of it) gave: its line counts, and where its outputs went. */
export interface SourceWorkResult {
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  readonly processedKeys: readonly string[];
  readonly quarantineKeys: readonly string[];
}

/**
 * A task's work on one claimed source: idempotent (its outputs keyed by the source, so a retry
 * writes them again byte for byte). Throws ObjectChangedError when an unversioned source was
 * overwritten before it could be read.
 */
export type SourceWork = (source: ClaimedRef, range?: ByteRange) => Promise<SourceWorkResult>;

/**
 * Memory a source holds while it is handled: a small one is read whole (bytes, their text and
 * the outputs built from it); a streamed one holds upload parts for both outputs and a line.
 */
export function memoryCost(source: { readonly size: number }): number {
  return source.size <= WHOLE_READ_BYTES ? 64 * 1024 + source.size * 4 : 32 * 1024 * 1024;
}
