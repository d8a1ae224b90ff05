import type { ObjectStore, VersionRef } from "../protocol/store";

/** Each ranged GET after the first asks for this much, so reading past a range stays bounded. */
const FOLLOW_ON_BYTES = 8 * 1024 * 1024;

export interface RangedReadOptions {
  /** First byte to read. */
  readonly from: number;
  /** Bytes the first GET asks for; the reader goes on in FOLLOW_ON_BYTES steps if the consumer wants more. */
  readonly firstWindow: number;
  /** The object's size, so the reader knows where it ends. */
  readonly size: number;
}

/**
 * Reads an object from `from` onwards in bounded ranged GETs (the exact version: its version
 * id, or If-Match on its ETag: ObjectChangedError once an unversioned key changed), yielding
 * chunks until the object ends or the consumer stops. A byte range of a large source reads its
 * own bytes and only as far past its end as its last line goes, instead of asking S3 for the
 * whole rest of the object.
 */
export async function* readRanged(store: ObjectStore, version: VersionRef, options: RangedReadOptions): AsyncGenerator<Buffer> {
  let position = options.from;
  let window = options.firstWindow;
  while (position < options.size) {
    const last = Math.min(options.size, position + window) - 1;
    const body = await store.read(version, { start: position, end: last });
    try {
      for await (const chunk of body) yield chunk as Buffer;
    } finally {
      body.destroy();
    }
    position = last + 1;
    window = FOLLOW_ON_BYTES;
  }
}
