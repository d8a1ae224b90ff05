import type { ObjectStore } from "../protocol/store";
import type { SourceRef } from "./source-identity";

export interface ListingContext {
  readonly store: ObjectStore;
}

export interface DeleteMarker {
  readonly key: string;
  readonly versionId: string;
}

/** What waits under a prefix: every version of every key, and delete markers to clean. */
export interface SourceListing {
  /** In key order, each key's versions oldest first. */
  readonly sources: SourceRef[];
  readonly deleteMarkers: DeleteMarker[];
}

/**
 * Every version waiting under `prefix`, not only the current one, so an upload that a later
 * upload to the same key replaced is processed too. S3 lists a key's versions newest first;
 * they are returned oldest first, so line numbers and outputs follow the uploads. A bucket
 * that keeps no versions lists each object once with the version id "null": it is then handled
 * by ETag, as an unversioned object. Where the listing of versions is empty (an S3 look-alike
 * without versioning, or nothing waiting), the current objects are listed instead. Folder
 * placeholders (empty keys ending in `/`) are not data.
 */
export async function listSources(context: ListingContext, prefix: string): Promise<SourceListing> {
  const sources: SourceRef[] = [];
  const deleteMarkers: DeleteMarker[] = [];
  let pending: SourceRef[] = [];
  let pendingKey: string | undefined;
  const flush = () => {
    sources.push(...pending.reverse());
    pending = [];
  };
  for await (const page of context.store.listVersions(prefix)) {
    for (const version of page.versions) {
      if (isFolderPlaceholder(version.key, version.size)) continue;
      if (version.key !== pendingKey) {
        flush();
        pendingKey = version.key;
      }
      pending.push(version);
    }
    deleteMarkers.push(...page.deleteMarkers);
  }
  flush();
  if (sources.length > 0 || deleteMarkers.length > 0) return { sources, deleteMarkers };
  for await (const object of context.store.list(prefix)) {
    if (!isFolderPlaceholder(object.key, object.size)) sources.push(object);
  }
  return { sources, deleteMarkers };
}

/**
 * An empty object whose key ends in `/` is how consoles show a folder: not data. One with
 * content is a source like any other (S3 allows the name).
 */
function isFolderPlaceholder(key: string, size: number | undefined): boolean {
  return key.endsWith("/") && (size ?? 0) === 0;
}

/** Whether that exact version (or, unversioned, that ETag) is still where it waited. */
export async function versionPresent(context: ListingContext, source: SourceRef): Promise<boolean> {
  if (source.versionId) {
    for await (const page of context.store.listVersions(source.key, { maxKeys: 1000 }))
      return page.versions.some((v) => v.key === source.key && v.versionId === source.versionId);
    return false;
  }
  for await (const object of context.store.list(source.key)) {
    if (object.key === source.key) return object.etag === source.etag;
    if (object.key > source.key) break;
  }
  return false;
}
