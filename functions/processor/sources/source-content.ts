import type { Readable } from "node:stream";
import { GetObjectCommand, type GetObjectCommandOutput, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isPreconditionFailed, StreamingObjectWriter } from "../../commons/s3-objects";
import { LineClassifier } from "../records/classify-line";
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SourceLine } from "../records/line-splitter";
import { readRanged } from "./ranged-reader";
import { SourceChangedError } from "./source-changed-error";
import { type SourceRef, sourceMetadata } from "./source-identity";

const JSON_LINES = "application/x-ndjson";

/** Sources up to this size are read whole and written with one request per output. */
export const SMALL_SOURCE_BYTES = 8 * 1024 * 1024;

/**
 * Memory a source holds while it is handled: a small one is read whole (bytes, their text and
 * the outputs built from it); a streamed one holds upload parts for both outputs and a line.
 */
export function memoryCost(source: { readonly size: number }): number {
  return source.size <= SMALL_SOURCE_BYTES ? 64 * 1024 + source.size * 4 : 32 * 1024 * 1024;
}

/** Part of a large source: the lines that start in [start, end), numbered from `firstLine`. */
export interface ByteRange {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly firstLine: number;
  /** How many lines start in the range, counted when the source was split. */
  readonly lines: number;
}

export interface ContentResult {
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  /** Set only for outputs that were written (a source with no bad line has no quarantine object). */
  readonly processedKey?: string;
  readonly quarantineKey?: string;
}

export interface ContentContext {
  readonly s3: S3Client;
  readonly bucket: string;
}

/**
 * Reads the claimed version of a source (by its version id, or If-Match on its ETag) and sends
 * each line to the processed or quarantine output. Every line read is written to exactly one
 * of them; the counts prove it before the result is returned.
 */
export async function processSourceContent(
  context: ContentContext,
  source: SourceRef,
  keys: { readonly processed: string; readonly quarantine: string },
  requiredFields: readonly string[],
  range?: ByteRange,
): Promise<ContentResult> {
  const { versionId } = source;
  const metadata = sourceMetadata(source);
  const classifier = new LineClassifier(source.key, requiredFields, versionId);
  let result: ContentResult;
  if (range) {
    // The range's own bytes, the byte before it, and room for its last line to run past the end.
    const from = range.start > 0 ? range.start - 1 : 0;
    const chunks = readRanged(context.s3, {
      bucket: context.bucket,
      key: source.key,
      etag: source.etag,
      versionId,
      from,
      firstWindow: range.end - from + DEFAULT_MAX_LINE_BYTES + 1,
      size: source.size,
    });
    result = await streamedSource(context, chunks, classifier, keys, metadata, range, from);
  } else {
    let response: GetObjectCommandOutput;
    try {
      // A version id names the exact bytes even after the key is overwritten; else If-Match guards them.
      response = await context.s3.send(
        new GetObjectCommand({
          Bucket: context.bucket,
          Key: source.key,
          VersionId: versionId,
          IfMatch: versionId ? undefined : source.etag,
        }),
      );
    } catch (error) {
      if (isPreconditionFailed(error)) throw new SourceChangedError(source.key);
      throw error;
    }
    const body = response.Body as Readable;
    result =
      source.size <= SMALL_SOURCE_BYTES
        ? await wholeSource(context, await response.Body!.transformToByteArray(), classifier, keys, metadata)
        : await streamedSource(context, body, classifier, keys, metadata, undefined, 0);
  }
  if (result.lines !== result.processed + result.quarantined) {
    throw new Error(
      `line accounting broke for ${source.key}: ${result.lines} in, ${result.processed} processed, ${result.quarantined} quarantined`,
    );
  }
  if (range && result.lines !== range.lines) {
    throw new Error(
      `line accounting broke for ${source.key} range ${range.index}: ${range.lines} lines counted when split, ${result.lines} read`,
    );
  }
  return result;
}

async function wholeSource(
  context: ContentContext,
  bytes: Uint8Array,
  classifier: LineClassifier,
  keys: { readonly processed: string; readonly quarantine: string },
  metadata: Record<string, string>,
): Promise<ContentResult> {
  const good: string[] = [];
  const bad: string[] = [];
  const onLine = (line: SourceLine) => {
    const outcome = classifier.classify(line);
    (outcome.kind === "processed" ? good : bad).push(outcome.output);
  };
  const splitter = new LineSplitter();
  splitter.push(bytes, onLine);
  splitter.end(onLine);
  const put = (key: string, lines: string[]) =>
    context.s3.send(
      new PutObjectCommand({
        Bucket: context.bucket,
        Key: key,
        Body: `${lines.join("\n")}\n`,
        ContentType: JSON_LINES,
        Metadata: metadata,
      }),
    );
  await Promise.all([good.length > 0 ? put(keys.processed, good) : undefined, bad.length > 0 ? put(keys.quarantine, bad) : undefined]);
  return {
    lines: good.length + bad.length,
    processed: good.length,
    quarantined: bad.length,
    processedKey: good.length > 0 ? keys.processed : undefined,
    quarantineKey: bad.length > 0 ? keys.quarantine : undefined,
  };
}

/**
 * Streams the body through the splitter into multipart uploads, holding at most a line and
 * an upload part or two in memory. For a range, bytes before the range's first line are
 * skipped and reading stops at the first line that starts past the range.
 */
async function streamedSource(
  context: ContentContext,
  body: AsyncIterable<Uint8Array> & Partial<Pick<Readable, "destroy">>,
  classifier: LineClassifier,
  keys: { readonly processed: string; readonly quarantine: string },
  metadata: Record<string, string>,
  range: ByteRange | undefined,
  from: number,
): Promise<ContentResult> {
  let processedWriter: StreamingObjectWriter | undefined;
  let quarantineWriter: StreamingObjectWriter | undefined;
  let processed = 0;
  let quarantined = 0;
  let good: string[] = [];
  let bad: string[] = [];
  let finished = false;
  const onLine = (line: SourceLine) => {
    if (range && line.startOffset >= range.end) {
      finished = true;
      return;
    }
    const outcome = classifier.classify(line);
    if (outcome.kind === "processed") {
      processed += 1;
      good.push(outcome.output);
    } else {
      quarantined += 1;
      bad.push(outcome.output);
    }
  };
  const flush = async () => {
    if (good.length > 0) {
      processedWriter ??= new StreamingObjectWriter(context.s3, context.bucket, keys.processed, JSON_LINES, metadata);
      const text = `${good.join("\n")}\n`;
      good = [];
      await processedWriter.write(text);
    }
    if (bad.length > 0) {
      quarantineWriter ??= new StreamingObjectWriter(context.s3, context.bucket, keys.quarantine, JSON_LINES, metadata);
      const text = `${bad.join("\n")}\n`;
      bad = [];
      await quarantineWriter.write(text);
    }
  };

  // A range other than the first starts on a line boundary only if the byte before it is a newline.
  // Created at the range's first line boundary, so line numbers and offsets are the source's own.
  const firstLine = range?.firstLine ?? 1;
  let splitter = range && range.start > 0 ? undefined : new LineSplitter(undefined, firstLine, from);
  let offset = from;
  try {
    for await (const raw of body) {
      let chunk = raw as Buffer;
      if (!splitter) {
        const newline = chunk.indexOf(0x0a);
        if (newline === -1) {
          offset += chunk.length;
          continue;
        }
        offset += newline + 1;
        chunk = chunk.subarray(newline + 1);
        splitter = new LineSplitter(undefined, firstLine, offset);
      }
      splitter.push(chunk, onLine);
      await flush();
      if (finished) break;
    }
    if (!finished) splitter?.end(onLine);
    await flush();
    await Promise.all([processedWriter?.close(), quarantineWriter?.close()]);
  } catch (error) {
    await Promise.all([processedWriter?.abort(), quarantineWriter?.abort()]);
    throw error;
  } finally {
    if (typeof body.destroy === "function") body.destroy();
    else await (body as AsyncGenerator<Buffer>).return?.(undefined);
  }
  return {
    lines: processed + quarantined,
    processed,
    quarantined,
    processedKey: processedWriter ? keys.processed : undefined,
    quarantineKey: quarantineWriter ? keys.quarantine : undefined,
  };
}
