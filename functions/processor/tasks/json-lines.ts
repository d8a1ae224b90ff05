import {
  type ByteRange,
  type ClaimedSource,
  type OutputWriter,
  type ProcessedSource,
  type SourceProcessor,
  type TaskContext,
  WHOLE_READ_BYTES,
} from "../protocol/task";
import { LineClassifier } from "../records/classify-line";
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type SourceLine } from "../records/line-splitter";

const JSON_LINES = "application/x-ndjson";

/** Where a source's outputs are written: the run's writeOutput and openOutput. */
type Outputs = Pick<TaskContext, "writeOutput" | "openOutput">;

/**
 * data_processing's work on one source: reads exactly the claimed version and sends each line
 * to the processed or quarantine output the claim names (a valid record as written, any other
 * line with its line number and reason). Every line read is written to exactly one of them;
 * the counts prove it before the result is returned. A small source is read whole and each
 * output written in one request; a larger one (and each byte range of a large source, read in
 * ranged GETs) streams through multipart uploads.
 */
export function jsonLinesProcessor(outputs: Outputs, requiredFields: readonly string[]): SourceProcessor {
  return {
    async process(source, range) {
      const { processed, quarantine } = source.outputs;
      if (!processed || !quarantine)
        throw new Error(`${source.key} has no processed/ and quarantine/ outputs: it is not an incoming/ source`);
      return processSource(outputs, source, { processed, quarantine }, requiredFields, range);
    },
  };
}

async function processSource(
  outputs: Outputs,
  source: ClaimedSource,
  keys: { readonly processed: string; readonly quarantine: string },
  requiredFields: readonly string[],
  range?: ByteRange,
): Promise<ProcessedSource> {
  const { metadata } = source;
  const classifier = new LineClassifier(source.key, requiredFields, source.versionId);
  let result: ProcessedSource;
  if (range) {
    // The range's own bytes, the byte before it, and room for its last line to run past the end.
    const from = range.start > 0 ? range.start - 1 : 0;
    const chunks = source.read({ from, firstWindow: range.end - from + DEFAULT_MAX_LINE_BYTES + 1 });
    result = await streamedSource(outputs, chunks, classifier, keys, metadata, range, from);
  } else {
    // A version id names the exact bytes even after the key is overwritten; else If-Match guards them.
    const body = source.read();
    result =
      source.size <= WHOLE_READ_BYTES
        ? await wholeSource(outputs, await bytesOf(body), classifier, keys, metadata)
        : await streamedSource(outputs, body, classifier, keys, metadata, undefined, 0);
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

async function bytesOf(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

async function wholeSource(
  outputs: Outputs,
  bytes: Uint8Array,
  classifier: LineClassifier,
  keys: { readonly processed: string; readonly quarantine: string },
  metadata: Readonly<Record<string, string>>,
): Promise<ProcessedSource> {
  const good: string[] = [];
  const bad: string[] = [];
  const onLine = (line: SourceLine) => {
    const outcome = classifier.classify(line);
    (outcome.kind === "processed" ? good : bad).push(outcome.output);
  };
  const splitter = new LineSplitter();
  splitter.push(bytes, onLine);
  splitter.end(onLine);
  const put = (key: string, lines: string[]) => outputs.writeOutput(key, `${lines.join("\n")}\n`, { contentType: JSON_LINES, metadata });
  // Both writes end before the attempt does: a write still being retried when its sibling failed
  // could otherwise land after the source was given up on (or set aside), a second copy of its lines.
  await allEnded([good.length > 0 ? put(keys.processed, good) : undefined, bad.length > 0 ? put(keys.quarantine, bad) : undefined]);
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
  outputs: Outputs,
  body: AsyncIterable<Uint8Array> & { destroy?(): void },
  classifier: LineClassifier,
  keys: { readonly processed: string; readonly quarantine: string },
  metadata: Readonly<Record<string, string>>,
  range: ByteRange | undefined,
  from: number,
): Promise<ProcessedSource> {
  let processedWriter: OutputWriter | undefined;
  let quarantineWriter: OutputWriter | undefined;
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
      processedWriter ??= outputs.openOutput(keys.processed, { contentType: JSON_LINES, metadata });
      const text = `${good.join("\n")}\n`;
      good = [];
      await processedWriter.write(text);
    }
    if (bad.length > 0) {
      quarantineWriter ??= outputs.openOutput(keys.quarantine, { contentType: JSON_LINES, metadata });
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
    await allEnded([processedWriter?.close(), quarantineWriter?.close()]);
  } catch (error) {
    await Promise.all([processedWriter?.abort(), quarantineWriter?.abort()]);
    throw error;
  } finally {
    if (typeof body.destroy === "function") body.destroy();
    else await (body as AsyncGenerator<Uint8Array>).return?.(undefined);
  }
  return {
    lines: processed + quarantined,
    processed,
    quarantined,
    processedKey: processedWriter ? keys.processed : undefined,
    quarantineKey: quarantineWriter ? keys.quarantine : undefined,
  };
}

/** Waits for every write to end, then throws the first failure: no write outlives the source's attempt. */
async function allEnded(writes: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
  const ended = await Promise.allSettled(writes);
  const failed = ended.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}
