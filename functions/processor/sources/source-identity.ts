import { createHash } from "node:crypto";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import type { ListedObject } from "../../commons/s3-objects";

/**
 * A source as listed in incoming/: one version of one key, with its ETag, and its S3 version
 * id where the bucket keeps versions (absent for an unversioned bucket: it is then read and
 * removed by If-Match on its ETag).
 */
export interface SourceRef extends ListedObject {
  readonly versionId?: string;
}

/**
 * The identity of one source version: sha256 of its key and ETag (not its version id, so an
 * identical re-upload of a key is the same source, processed once). Outputs, the claim and the
 * run's record of the source all derive from it, never from the run that happens to handle it,
 * so every run and every retry finds the same objects again.
 */
export function sourceId(source: Pick<SourceRef, "key" | "etag">): string {
  return createHash("sha256")
    .update(`${source.key}\n${stripQuotes(source.etag)}`)
    .digest("hex")
    .slice(0, 32);
}

export function stripQuotes(etag: string): string {
  return etag.replace(/^"|"$/g, "");
}

export interface SourceOutputKeys {
  readonly processed: string;
  readonly quarantine: string;
  readonly archive: string;
}

/**
 * `incoming/orders/eu.jsonl`, arrived 2026-11-23, identity 3f2a… →
 * `processed/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl`, the same under quarantine/, and
 * `archive/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl`. The day is the one S3 received the source;
 * the identity keeps two versions of one name apart.
 */
export function sourceOutputKeys(source: Pick<SourceRef, "key" | "lastModified" | "versionId">, id: string): SourceOutputKeys {
  const name = source.key.slice(BUCKET_LAYOUT.incoming.prefix.length);
  const stem = name.replace(/\.(jsonl|ndjson|json)$/i, "");
  const extension = name.slice(stem.length) || "";
  const day = source.lastModified.slice(0, 10);
  const tag = id.slice(0, 12);
  // The archive of a version says which upload it was: `….3f2a9c01b7d4.v-<version id>.jsonl`.
  const version = source.versionId ? `.v-${source.versionId.replace(/[^A-Za-z0-9_-]/g, "_")}` : "";
  return {
    processed: `${BUCKET_LAYOUT.processed.prefix}${day}/${stem}.${tag}.jsonl`,
    quarantine: `${BUCKET_LAYOUT.quarantine.prefix}${day}/${stem}.${tag}.jsonl`,
    archive: `${BUCKET_LAYOUT.archive.prefix}${day}/${stem}.${tag}${version}${extension}`,
  };
}

/** The outputs of byte range `index` of a large source: `….part-00003.jsonl`. */
export function rangeOutputKeys(keys: SourceOutputKeys, index: number): Pick<SourceOutputKeys, "processed" | "quarantine"> {
  const part = `.part-${String(index).padStart(5, "0")}.jsonl`;
  return { processed: keys.processed.replace(/\.jsonl$/, part), quarantine: keys.quarantine.replace(/\.jsonl$/, part) };
}

/** Source keys in a claim name or URL path: each segment encoded, slashes kept. */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}
