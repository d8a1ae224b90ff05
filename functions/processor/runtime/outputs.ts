import { MAX_KEY_BYTES } from "../sources/source-identity";
import { RESERVED_PREFIXES } from "../sources/source-layout";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: "application/json",
  jsonl: "application/x-ndjson",
  ndjson: "application/x-ndjson",
  csv: "text/csv; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

/** An output's content type, from its key's extension. */
export function contentTypeOf(key: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase();
  return (extension && CONTENT_TYPES[extension]) || "application/octet-stream";
}

/**
 * Refuses an own task's output key that S3 would refuse, or that lands where the product keeps
 * its own objects (records, claims, archives, other tasks' data): the function is not granted
 * those prefixes either, so this says why before S3 says AccessDenied.
 */
export function checkOutputKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new TypeError("writeOutput: the key must be a non-empty string");
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new TypeError(`writeOutput: the key must be at most ${MAX_KEY_BYTES} bytes, got ${Buffer.byteLength(key)}`);
  const reserved = RESERVED_PREFIXES.find((prefix) => key.startsWith(prefix));
  if (reserved) throw new TypeError(`writeOutput: ${JSON.stringify(key)} is under ${reserved}, which the product keeps for itself`);
}
