import { ListObjectVersionsCommand, type ListObjectVersionsCommandOutput, type S3Client } from "@aws-sdk/client-s3";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { listObjects } from "../../commons/s3-objects";
import type { SourceRef } from "./source-identity";

export interface ListingContext {
  readonly s3: S3Client;
  readonly bucket: string;
}

export interface DeleteMarker {
  readonly key: string;
  readonly versionId: string;
}

/** What waits under incoming/<prefix>: every version of every key, and delete markers to clean. */
export interface IncomingListing {
  /** In key order, each key's versions oldest first. */
  readonly sources: SourceRef[];
  readonly deleteMarkers: DeleteMarker[];
}

/**
 * Every version waiting under incoming/<prefix>, not only the current one, so an upload that a
 * later upload to the same key replaced is processed too. S3 lists a key's versions newest
 * first; they are returned oldest first, so line numbers and outputs follow the uploads. A
 * bucket that keeps no versions lists each object once with the version id "null": it is then
 * handled by ETag, as an unversioned object. Where the listing of versions is empty (an S3
 * look-alike without versioning, or nothing waiting), the current objects are listed instead.
 * Folder placeholders (empty keys ending in `/`) are not data.
 */
export async function listIncoming(context: ListingContext, prefix = ""): Promise<IncomingListing> {
  const fullPrefix = BUCKET_LAYOUT.incoming.prefix + prefix;
  const sources: SourceRef[] = [];
  const deleteMarkers: DeleteMarker[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  let pending: SourceRef[] = [];
  let pendingKey: string | undefined;
  const flush = () => {
    sources.push(...pending.reverse());
    pending = [];
  };
  do {
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await context.s3.send(
        new ListObjectVersionsCommand({
          Bucket: context.bucket,
          Prefix: fullPrefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
    } catch (error) {
      // An S3 look-alike that has no such call: list the current objects, as for an unversioned bucket.
      if (sources.length === 0 && deleteMarkers.length === 0 && isNotImplemented(error)) break;
      throw error;
    }
    for (const version of page.Versions ?? []) {
      if (!version.Key || isFolderPlaceholder(version.Key, version.Size)) continue;
      if (version.Key !== pendingKey) {
        flush();
        pendingKey = version.Key;
      }
      const versionId = version.VersionId && version.VersionId !== "null" ? version.VersionId : undefined;
      pending.push({
        key: version.Key,
        etag: version.ETag ?? "",
        size: version.Size ?? 0,
        lastModified: (version.LastModified ?? new Date(0)).toISOString(),
        ...(versionId ? { versionId } : {}),
      });
    }
    for (const marker of page.DeleteMarkers ?? []) {
      if (marker.Key && marker.VersionId && marker.VersionId !== "null")
        deleteMarkers.push({ key: marker.Key, versionId: marker.VersionId });
    }
    const more = page.IsTruncated === true;
    keyMarker = more ? page.NextKeyMarker : undefined;
    versionIdMarker = more ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  flush();
  if (sources.length > 0 || deleteMarkers.length > 0) return { sources, deleteMarkers };
  for await (const object of listObjects(context.s3, context.bucket, fullPrefix)) {
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

function isNotImplemented(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NotImplemented" || name === "MethodNotAllowed" || $metadata?.httpStatusCode === 501 || $metadata?.httpStatusCode === 405;
}

/** Whether that exact version (or, unversioned, that ETag) is still in incoming/. */
export async function versionPresent(context: ListingContext, source: SourceRef): Promise<boolean> {
  if (source.versionId) {
    const page = await context.s3.send(new ListObjectVersionsCommand({ Bucket: context.bucket, Prefix: source.key, MaxKeys: 1000 }));
    return (page.Versions ?? []).some((v) => v.Key === source.key && v.VersionId === source.versionId);
  }
  for await (const object of listObjects(context.s3, context.bucket, source.key)) {
    if (object.key === source.key) return object.etag === source.etag;
    if (object.key > source.key) break;
  }
  return false;
}
