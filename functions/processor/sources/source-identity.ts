import { createHash } from "node:crypto";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { encodeMetadata } from "../../commons/s3-metadata";
import type { ObjectVersion } from "../protocol/store";

/**
 * A source as listed: one version of one key, with its ETag, and its version id where the
 * bucket keeps versions (absent for an unversioned bucket: it is then read and removed by
 * If-Match on its ETag).
 */
export type SourceRef = ObjectVersion;

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

/**
 * Where a source's outputs go, kept in its claim so every run that takes it over writes the same
 * keys. `processed` and `quarantine` are data_processing's line outputs (incoming/ sources only);
 * every source has its archive.
 */
export interface SourceOutputKeys {
  readonly processed?: string;
  readonly quarantine?: string;
  readonly archive: string;
}

/** S3's longest key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** What rangeOutputKeys inserts before `.jsonl`; every key leaves room for it. */
const PART_SUFFIX = ".part-00000";
const SET_ASIDE_SUFFIX = ".set-aside";

/**
 * `incoming/orders/eu.jsonl`, arrived 2026-11-23, identity 3f2a… →
 * `processed/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl`, the same under quarantine/, and
 * `archive/2026-11-23/orders/eu.3f2a9c01b7d4.jsonl`. The day is the one S3 received the source;
 * the identity keeps two versions of one name apart.
 *
 * Any key S3 allows is a source, so its path is made safe to derive from: an empty, `.` or `..`
 * segment (from `a//b`, `./`, `../` or a trailing `/`) becomes `_`, `_.` or `_..`, so no output
 * lands beside another folder's once a tool resolves the path; and a name too long to fit S3's
 * 1,024 bytes with the day, the identity and a suffix is cut at a character boundary (the
 * identity still tells it apart). The processed row and the metadata keep the key as it was.
 */
export function sourceOutputKeys(source: Pick<SourceRef, "key" | "lastModified" | "versionId">, id: string): Required<SourceOutputKeys> {
  const { processed, quarantine, archive } = incomingKeysOf(source, id);
  return { processed: processed!, quarantine: quarantine!, archive };
}

/** Where a source that kept failing is set aside whole: `quarantine/<day>/<name>.<identity>.set-aside<extension>`. */
export function setAsideKey(source: Pick<SourceRef, "key" | "lastModified" | "versionId">, id: string): string {
  return incomingKeysOf(source, id).setAside;
}

/** The incoming/ area's keys: data_processing's sources, named without incoming/. */
function incomingKeysOf(source: Pick<SourceRef, "key" | "lastModified" | "versionId">, id: string) {
  const name = source.key.startsWith(BUCKET_LAYOUT.incoming.prefix) ? source.key.slice(BUCKET_LAYOUT.incoming.prefix.length) : source.key;
  const day = source.lastModified.slice(0, 10);
  return derivedKeys(name, /\.(jsonl|ndjson|json)$/i, id, source.versionId, {
    processed: `${BUCKET_LAYOUT.processed.prefix}${day}/`,
    quarantine: `${BUCKET_LAYOUT.quarantine.prefix}${day}/`,
    archive: `${BUCKET_LAYOUT.archive.prefix}${day}/`,
    setAside: `${BUCKET_LAYOUT.quarantine.prefix}${day}/`,
  });
}

/**
 * An own task's source keeps its whole key and its extension, in folders of the task's own:
 * `ledger/in/2026-11-23.csv` → `archive/ledger/2026-11-23/ledger/in/2026-11-23.3f2a9c01b7d4.csv`,
 * and, set aside, `quarantine/ledger/<day>/ledger/in/2026-11-23.3f2a9c01b7d4.set-aside.csv`.
 */
export function ownTaskSourceKeys(
  task: string,
  source: Pick<SourceRef, "key" | "lastModified" | "versionId">,
  id: string,
): { readonly archive: string; readonly setAside: string } {
  const day = source.lastModified.slice(0, 10);
  const { archive, setAside } = derivedKeys(source.key, /\.[A-Za-z0-9]{1,16}$/, id, source.versionId, {
    archive: `${BUCKET_LAYOUT.archive.prefix}${task}/${day}/`,
    setAside: `${BUCKET_LAYOUT.quarantine.prefix}${task}/${day}/`,
  });
  return { archive, setAside };
}

interface Folders {
  readonly processed?: string;
  readonly quarantine?: string;
  readonly archive: string;
  readonly setAside: string;
}

/** Every key is <folder><stem><tail>; the stem gets what the longest of them leaves of S3's 1,024 bytes. */
function derivedKeys(name: string, extensionPattern: RegExp, id: string, versionId: string | undefined, folders: Folders) {
  const bareStem = name.replace(extensionPattern, "");
  const extension = name.slice(bareStem.length);
  const tag = id.slice(0, 12);
  // The archive of a version says which upload it was: `….3f2a9c01b7d4.v-<version id>.jsonl`.
  const version = versionId ? `.v-${versionId.replace(/[^A-Za-z0-9_-]/g, "_")}` : "";
  const around = [
    ...(folders.processed ? [`${folders.processed}.${tag}${PART_SUFFIX}.jsonl`] : []),
    ...(folders.quarantine ? [`${folders.quarantine}.${tag}${PART_SUFFIX}.jsonl`] : []),
    `${folders.archive}.${tag}${version}${extension}`,
    `${folders.setAside}.${tag}${SET_ASIDE_SUFFIX}${extension}`,
  ];
  const room = MAX_KEY_BYTES - Math.max(...around.map((text) => Buffer.byteLength(text)));
  const stem = cutToBytes(safePath(bareStem), room);
  return {
    processed: folders.processed && `${folders.processed}${stem}.${tag}.jsonl`,
    quarantine: folders.quarantine && `${folders.quarantine}${stem}.${tag}.jsonl`,
    archive: `${folders.archive}${stem}.${tag}${version}${extension}`,
    setAside: `${folders.setAside}${stem}.${tag}${SET_ASIDE_SUFFIX}${extension}`,
  };
}

/** A path whose every segment names something: `a//b/./c/../` → `a/_/b/_./c/_../_`. */
function safePath(path: string): string {
  return path
    .split("/")
    .map((segment) => (segment === "" || segment === "." || segment === ".." ? `_${segment}` : segment))
    .join("/");
}

/** The longest start of `text` of at most `bytes` UTF-8 bytes, never splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** What every output of a source says about where it came from, as S3 user metadata can carry it. */
export function sourceMetadata(source: SourceRef, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return encodeMetadata(
    {
      "source-key": source.key,
      "source-etag": stripQuotes(source.etag),
      ...(source.versionId ? { "source-version-id": source.versionId } : {}),
      ...extra,
    },
    Object.keys(extra),
  );
}

/** The outputs of byte range `index` of a large source: `….part-00003.jsonl`. */
export function rangeOutputKeys(keys: SourceOutputKeys, index: number): SourceOutputKeys {
  const part = `.part-${String(index).padStart(5, "0")}.jsonl`;
  return {
    ...(keys.processed ? { processed: keys.processed.replace(/\.jsonl$/, part) } : {}),
    ...(keys.quarantine ? { quarantine: keys.quarantine.replace(/\.jsonl$/, part) } : {}),
    archive: keys.archive,
  };
}
