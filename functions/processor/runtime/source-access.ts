import { AsyncLocalStorage } from "node:async_hooks";
import type { ObjectStore } from "../protocol/store";
import type { ClaimedSource, Source, SourceHandler, SourceProcessor } from "../protocol/task";
import { readRanged } from "../sources/ranged-reader";
import { sourceMetadata } from "../sources/source-identity";
import type { ClaimedRef, SourceWork } from "../sources/source-work";

/** The outputs a source's handler writes, so its record names them (a handler runs in its own async context). */
const outputsOfSource = new AsyncLocalStorage<string[]>();

/** Notes an output written while a source's handler runs. */
export function noteOutput(key: string): void {
  outputsOfSource.getStore()?.push(key);
}

/**
 * A handler as the protocol's work on one source: the source handed over with text() and
 * lines() that read exactly its version; resolving finishes it. Its lines (as far as the
 * handler read them) count as processed; the outputs it wrote are kept in its record.
 */
export function handlerWork(store: ObjectStore, handler: SourceHandler): SourceWork {
  return async (claimed) => {
    let linesRead = 0;
    const written: string[] = [];
    const source: Source = {
      ...identityOf(claimed),
      async text() {
        const text = new TextDecoder("utf-8").decode(await readAll(store, claimed));
        linesRead = Math.max(linesRead, countLines(text));
        return text;
      },
      async *lines() {
        let count = 0;
        for await (const line of splitLines(wholeObject(store, claimed))) {
          count += 1;
          linesRead = Math.max(linesRead, count);
          yield line;
        }
      },
    };
    await outputsOfSource.run(written, () => handler(source));
    return { lines: linesRead, processed: linesRead, quarantined: 0, processedKeys: [...new Set(written)], quarantineKeys: [] };
  };
}

/** A processor as the protocol's work: the claimed source (or one byte range of it) handed over as it is. */
export function processorWork(store: ObjectStore, processor: SourceProcessor): SourceWork {
  return async (claimed, range) => {
    const source: ClaimedSource = {
      ...identityOf(claimed),
      outputs: claimed.outputs,
      metadata: sourceMetadata(claimed),
      read: (window) =>
        window
          ? readRanged(store, claimed, { from: window.from, firstWindow: window.firstWindow, size: claimed.size })
          : wholeObject(store, claimed),
    };
    const result = await processor.process(source, range);
    return {
      lines: result.lines,
      processed: result.processed,
      quarantined: result.quarantined,
      processedKeys: result.processedKey ? [result.processedKey] : [],
      quarantineKeys: result.quarantineKey ? [result.quarantineKey] : [],
    };
  };
}

function identityOf(claimed: ClaimedRef) {
  return {
    key: claimed.key,
    size: claimed.size,
    id: claimed.id,
    etag: claimed.etag,
    ...(claimed.versionId ? { versionId: claimed.versionId } : {}),
    lastModified: claimed.lastModified,
  };
}

/** Exactly the claimed version, in one read; let go of when the reader stops early. */
async function* wholeObject(store: ObjectStore, claimed: ClaimedRef): AsyncGenerator<Uint8Array> {
  const body = await store.read(claimed);
  try {
    for await (const chunk of body) yield chunk;
  } finally {
    body.destroy();
  }
}

async function readAll(store: ObjectStore, claimed: ClaimedRef): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of wholeObject(store, claimed)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Lines as a line splitter numbers them: one per newline, and a last one without. */
function countLines(text: string): number {
  if (text.length === 0) return 0;
  let newlines = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) newlines++;
  return newlines + (text.endsWith("\n") ? 0 : 1);
}

/** UTF-8 text lines of a byte stream (a leading byte-order mark dropped, a CR before each break too), one line held at a time. */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let at = pending.indexOf("\n");
    while (at !== -1) {
      yield withoutCr(pending.slice(0, at));
      pending = pending.slice(at + 1);
      at = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) yield withoutCr(pending);
}

function withoutCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
