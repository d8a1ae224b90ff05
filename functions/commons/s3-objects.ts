import { once } from "node:events";
import { PassThrough } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

export interface ListedObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  /** ISO instant S3 last wrote the object. */
  readonly lastModified: string;
}

/** Every object under `prefix` in key order, page by page (never the whole listing at once). */
export async function* listObjects(s3: S3Client, bucket: string, prefix: string, startAfter?: string): AsyncGenerator<ListedObject> {
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
      if (item.Key)
        yield {
          key: item.Key,
          etag: item.ETag ?? "",
          size: item.Size ?? 0,
          lastModified: (item.LastModified ?? new Date(0)).toISOString(),
        };
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
}

/** The "folders" directly below `prefix` (common prefixes at the next `/`), in key order. */
export async function* listFolders(s3: S3Client, bucket: string, prefix: string, startAfter?: string): AsyncGenerator<string> {
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: "/",
        StartAfter: continuationToken ? undefined : startAfter,
        ContinuationToken: continuationToken,
      }),
    );
    for (const common of page.CommonPrefixes ?? []) if (common.Prefix) yield common.Prefix;
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
}

/** Objects directly below `prefix` (not in its sub-folders). */
export async function* listFiles(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<ListedObject> {
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: continuationToken }),
    );
    for (const item of page.Contents ?? []) {
      if (item.Key)
        yield {
          key: item.Key,
          etag: item.ETag ?? "",
          size: item.Size ?? 0,
          lastModified: (item.LastModified ?? new Date(0)).toISOString(),
        };
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

export function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "NoSuchKey" || name === "NotFound" || (statusOf(error) === 404 && name !== "NoSuchBucket");
}

/** S3 refused a conditional request: the object is not in the state the request said it must be. */
export function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412 || (error as { name?: string })?.name === "PreconditionFailed";
}

/** S3 saw a concurrent conditional write to the same key (409); the caller should read again. */
export function isConditionalConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}

/**
 * Whether `key` exists, found by listing. S3 answers a GET or HEAD of a missing key with 403,
 * not 404, unless the caller may list it, and s3:ListBucket scoped by prefix never covers a GET.
 */
export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return page.Contents?.[0]?.Key === key;
}

/** A JSON object and the ETag of the version read, for a later If-Match write. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** Reads a JSON object known to exist (or found by listing first when `mayBeMissing`). */
export async function readJson<T>(s3: S3Client, bucket: string, key: string, mayBeMissing = true): Promise<Versioned<T> | undefined> {
  if (mayBeMissing && !(await objectExists(s3, bucket, key))) return undefined;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await response.Body!.transformToString("utf-8");
    return { value: JSON.parse(text) as T, etag: response.ETag ?? "" };
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
): Promise<string> {
  const response = await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata }),
  );
  return response.ETag ?? "";
}

const JSON_TYPE = "application/json";

export function writeJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<string> {
  return writeText(s3, bucket, key, `${JSON.stringify(value)}\n`, JSON_TYPE);
}

/**
 * Creates `key` only if it does not exist (If-None-Match: *): S3 lets exactly one of several
 * writers win. Returns the new ETag, or undefined when the key already existed.
 */
export async function createJsonIfAbsent(s3: S3Client, bucket: string, key: string, value: unknown): Promise<string | undefined> {
  try {
    const response = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${JSON.stringify(value)}\n`, ContentType: JSON_TYPE, IfNoneMatch: "*" }),
    );
    return response.ETag ?? "";
  } catch (error) {
    if (isPreconditionFailed(error) || isConditionalConflict(error)) return undefined;
    throw error;
  }
}

/**
 * Replaces `key` only if it still holds the version with `etag` (If-Match). Returns the new
 * ETag, or undefined when another writer changed (or removed) it first.
 */
export async function replaceJsonIfMatch(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  etag: string,
): Promise<string | undefined> {
  try {
    const response = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${JSON.stringify(value)}\n`, ContentType: JSON_TYPE, IfMatch: etag }),
    );
    return response.ETag ?? "";
  } catch (error) {
    if (isPreconditionFailed(error) || isConditionalConflict(error) || isNotFound(error)) return undefined;
    throw error;
  }
}

const PART_SIZE = 5 * 1024 * 1024;
/**
 * Text is encoded straight into buffers of this size, each handed to the upload when full.
 * Smaller pieces would become small Buffers cut from Node's shared 8 KiB pool, and the upload
 * keeps each of them until its part is full, so a trickle of short writes (a few quarantined
 * lines) would pin one pool slab per write: measured at over 100 MB for a 1 GB source.
 */
const HAND_OVER_BYTES = 256 * 1024;
const utf8 = new TextEncoder();

/**
 * Writes one object from a stream of text without buffering it whole: a multipart upload with
 * two parts in flight and one filling (about 16 MiB), so the next part is on its way while the
 * last one is stored. `write` waits while the upload catches up.
 */
export class StreamingObjectWriter {
  private readonly body = new PassThrough();
  private readonly done: Promise<unknown>;
  private buffer = Buffer.allocUnsafeSlow(HAND_OVER_BYTES);
  private used = 0;

  constructor(s3: S3Client, bucket: string, key: string, contentType: string, metadata?: Record<string, string>) {
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: this.body, ContentType: contentType, Metadata: metadata },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    this.done = upload.done();
    // Observed by write() and close(); this keeps an early failure from being unhandled.
    this.done.catch(() => undefined);
  }

  async write(text: string): Promise<void> {
    let rest = text;
    for (;;) {
      // Encoded in place: no joined copy of the text and no Buffer of its own.
      const { read, written } = utf8.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      if (read === rest.length) break;
      rest = rest.slice(read);
      await this.handOver();
    }
    if (this.used >= this.buffer.length - 4) await this.handOver();
  }

  async close(): Promise<void> {
    await this.handOver();
    this.body.end();
    await this.done;
  }

  /**
   * Gives up: the upload is aborted and no object is written. Resolves once S3 has been told
   * (AbortMultipartUpload), so an invocation that fails leaves no parts behind when Lambda
   * freezes it.
   */
  async abort(): Promise<void> {
    this.body.destroy(new Error("aborted"));
    await this.done.catch(() => undefined);
  }

  private async handOver(): Promise<void> {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafeSlow(HAND_OVER_BYTES);
    this.used = 0;
    if (!this.body.write(chunk)) await Promise.race([once(this.body, "drain"), this.done]);
  }
}
