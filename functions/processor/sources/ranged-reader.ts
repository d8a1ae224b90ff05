import type { Readable } from "node:stream";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isPreconditionFailed } from "../../commons/s3-objects";
import { SourceChangedError } from "./source-changed-error";

/** Each ranged GET after the first asks for this much, so reading past a range stays bounded. */
const FOLLOW_ON_BYTES = 8 * 1024 * 1024;

export interface RangedReadOptions {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly versionId?: string;
  /** First byte to read. */
  readonly from: number;
  /** Bytes the first GET asks for; the reader goes on in FOLLOW_ON_BYTES steps if the consumer wants more. */
  readonly firstWindow: number;
  /** The object's size, so the reader knows where it ends. */
  readonly size: number;
}

/**
 * Reads an object from `from` onwards in bounded ranged GETs (the exact version: its version
 * id, or If-Match on its ETag), yielding chunks until the object ends or the consumer stops.
 * A byte range of a large source reads its own bytes and only as far past its end as its last
 * line goes, instead of asking S3 for the whole rest of the object.
 */
export async function* readRanged(s3: S3Client, options: RangedReadOptions): AsyncGenerator<Buffer> {
  let position = options.from;
  let window = options.firstWindow;
  while (position < options.size) {
    const last = Math.min(options.size, position + window) - 1;
    let body: Readable;
    try {
      const response = await s3.send(
        new GetObjectCommand({
          Bucket: options.bucket,
          Key: options.key,
          VersionId: options.versionId,
          IfMatch: options.versionId ? undefined : options.etag,
          Range: `bytes=${position}-${last}`,
        }),
      );
      body = response.Body as Readable;
    } catch (error) {
      if (isPreconditionFailed(error)) throw new SourceChangedError(options.key);
      throw error;
    }
    try {
      for await (const chunk of body) yield chunk as Buffer;
    } finally {
      body.destroy();
    }
    position = last + 1;
    window = FOLLOW_ON_BYTES;
  }
}
