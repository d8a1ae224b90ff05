/**
 * What the run protocol needs from storage, and nothing else: a few I/O primitives, each with
 * the conditions S3 keeps (a write that only creates, a write or delete that only applies to
 * the version read, a read or copy of exactly one version). Claims, leases, records and
 * outputs are built on these (as Powertools' idempotency layer is built on its persistence
 * layer's get, put, update and delete); `S3Store` implements them for one bucket.
 */

/** One object as a listing shows it. */
export interface StoredObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  /** ISO instant the store last wrote the object. */
  readonly lastModified: string;
}

/** One version of one object: its version id where the bucket keeps versions. */
export interface ObjectVersion extends StoredObject {
  readonly versionId?: string;
}

/** Exactly which bytes: a version id names them for good; without one, the key must still hold the ETag. */
export type VersionRef = Pick<ObjectVersion, "key" | "etag" | "versionId">;

/** One page of a listing of versions, keys in order and each key's versions newest first (as S3 lists them). */
export interface VersionsPage {
  readonly versions: readonly ObjectVersion[];
  readonly deleteMarkers: ReadonlyArray<{ readonly key: string; readonly versionId: string }>;
}

export interface WriteOptions {
  readonly contentType?: string;
  /** User metadata, already encoded as headers carry it (functions/commons/s3-metadata.ts). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A byte stream read from the store; `destroy` lets go of it before its end. */
export type ObjectStream = AsyncIterable<Uint8Array> & { destroy(): void };

/** An object written piece by piece (a multipart upload), never held whole. */
export interface ObjectWriter {
  write(text: string): Promise<void>;
  /** Completes the object. */
  close(): Promise<void>;
  /** Gives up: nothing is written, and no part is left behind. */
  abort(): Promise<void>;
}

/** The version asked for is not (or no longer) the one the key holds: an unversioned key was overwritten. */
export class ObjectChangedError extends Error {
  override readonly name = "ObjectChangedError";
  constructor(readonly key: string) {
    super(`${key} changed before it could be read`);
  }
}

export interface ObjectStore {
  /** The whole object as text and the ETag of the version read; undefined when there is none. */
  get(key: string): Promise<{ readonly body: string; readonly etag: string } | undefined>;
  /** Writes the object whatever is there; returns its ETag. */
  put(key: string, body: string | Uint8Array, options?: WriteOptions): Promise<string>;
  /** Creates the object only if the key is free (one of several writers wins); undefined when it was not. */
  putIfAbsent(key: string, body: string, options?: WriteOptions): Promise<string | undefined>;
  /** Replaces the object only if it still holds `etag`; undefined when another write (or a delete) came first. */
  putIfMatch(key: string, body: string, etag: string, options?: WriteOptions): Promise<string | undefined>;
  /**
   * Removes exactly `version`: by its version id, for good (no delete marker, the key's other
   * versions stay), or while an unversioned key still holds its ETag. "changed": it did not.
   */
  deleteIfMatch(version: VersionRef): Promise<"deleted" | "changed">;
  /** Objects under `prefix` in key order, page by page; `delimiter` keeps to the objects directly below it. */
  list(prefix: string, options?: { readonly startAfter?: string; readonly delimiter?: "/" }): AsyncIterable<StoredObject>;
  /** The "folders" directly below `prefix` (common prefixes at the next `/`), in key order. */
  listFolders(prefix: string, startAfter?: string): AsyncIterable<string>;
  /**
   * Every version (and delete marker) under `prefix`, page by page; `maxKeys` asks for pages of
   * that size. Yields nothing from a store that keeps no versions it can list.
   */
  listVersions(prefix: string, options?: { readonly maxKeys?: number }): AsyncIterable<VersionsPage>;
  /** Whether `key` exists, found by listing (never a GET of a key that may be missing). */
  exists(key: string): Promise<boolean>;
  /**
   * Exactly `version`'s bytes, from `range.start` to `range.end` (inclusive) when a range is
   * given. Throws ObjectChangedError when an unversioned key no longer holds the ETag.
   */
  read(version: VersionRef, range?: { readonly start: number; readonly end: number }): Promise<ObjectStream>;
  /**
   * Copies exactly `version` to `destination`, creating it only. False when refused: the
   * destination exists, or an unversioned source changed (the caller tells which).
   */
  copyIfAbsent(version: VersionRef, destination: string, options: WriteOptions): Promise<boolean>;
  /** An object written in parts as its text arrives. */
  openWriter(key: string, options: WriteOptions): ObjectWriter;
}

const JSON_TYPE = "application/json";

/** A JSON object and the ETag of the version read, for a later conditional write. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

const jsonBody = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * Reads a JSON object. One that may be missing is looked for by listing first: S3 answers a GET
 * of a missing key with 403, not 404, unless the caller may list it.
 */
export async function readJson<T>(store: ObjectStore, key: string, mayBeMissing = true): Promise<Versioned<T> | undefined> {
  if (mayBeMissing && !(await store.exists(key))) return undefined;
  const found = await store.get(key);
  return found && { value: JSON.parse(found.body) as T, etag: found.etag };
}

export function writeJson(store: ObjectStore, key: string, value: unknown): Promise<string> {
  return store.put(key, jsonBody(value), { contentType: JSON_TYPE });
}

/** Creates `key` only if it does not exist: the new ETag, or undefined when it existed. */
export function createJsonIfAbsent(store: ObjectStore, key: string, value: unknown): Promise<string | undefined> {
  return store.putIfAbsent(key, jsonBody(value), { contentType: JSON_TYPE });
}

/** Replaces `key` only if it still holds `etag`: the new ETag, or undefined when another writer came first. */
export function replaceJsonIfMatch(store: ObjectStore, key: string, value: unknown, etag: string): Promise<string | undefined> {
  return store.putIfMatch(key, jsonBody(value), etag, { contentType: JSON_TYPE });
}
