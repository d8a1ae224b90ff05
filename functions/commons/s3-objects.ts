import { once } from "node:events";
import { PassThrough } from "node:stream";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

export interface ListedObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
}

/** Every object under `prefix` in key order, page by page (never the whole listing at once). */
export async function* listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  startAfter?: string,
): AsyncGenerator<ListedObject> {
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        StartAfter: continuationToken ? undefined : startAfter,
        ContinuationToken: continuationToken,
      }),
    );
    for (const item of page.Contents ?? []) {
      if (item.Key) yield { key: item.Key, etag: item.ETag ?? "", size: item.Size ?? 0 };
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
}

export function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return name === "NoSuchKey" || name === "NotFound" || (status === 404 && name !== "NoSuchBucket");
}

/** Whether `key` exists, found by listing (see bucket-layout.ts for why not HEAD). */
export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return page.Contents?.[0]?.Key === key;
}

export async function readJson<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  if (!(await objectExists(s3, bucket, key))) return undefined;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await response.Body!.transformToString("utf-8");
    return JSON.parse(text) as T;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function writeText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  contentType: string,
  metadata?: Record<string, string>,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata }));
}

export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ etag: string; metadata: Record<string, string> } | undefined> {
  if (!(await objectExists(s3, bucket, key))) return undefined;
  try {
    const response = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { etag: response.ETag ?? "", metadata: response.Metadata ?? {} };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const PART_SIZE = 5 * 1024 * 1024;
/**
 * Text is handed to the upload in pieces of at least this size. Smaller strings would become
 * small Buffers cut from Node's shared 8 KiB pool, and the upload keeps each of them until its
 * part is full, so a trickle of short writes (a few quarantined lines) would pin one pool slab
 * per write: measured at over 100 MB for a 1 GB source.
 */
const HAND_OVER_BYTES = 256 * 1024;

/**
 * Writes one object from a stream of text without buffering it whole: a multipart upload
 * holds at most two parts in memory. `write` waits while the upload catches up.
 */
export class StreamingObjectWriter {
  private readonly body = new PassThrough();
  private readonly done: Promise<unknown>;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(s3: S3Client, bucket: string, key: string, contentType: string, metadata?: Record<string, string>) {
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: this.body, ContentType: contentType, Metadata: metadata },
      partSize: PART_SIZE,
      queueSize: 1,
      leavePartsOnError: false,
    });
    this.done = upload.done();
    // Observed by write() and close(); this keeps an early failure from being unhandled.
    this.done.catch(() => undefined);
  }

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= HAND_OVER_BYTES) await this.handOver();
  }

  async close(): Promise<void> {
    await this.handOver();
    this.body.end();
    await this.done;
  }

  private async handOver(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.body.write(chunk)) await Promise.race([once(this.body, "drain"), this.done]);
  }
}
