import type { Logger } from "../../commons/logger";
import type { ObjectStore } from "../protocol/store";
import { type SourceRef, sourceMetadata } from "./source-identity";

export interface ArchiveContext {
  readonly store: ObjectStore;
  readonly log: Logger;
}

/**
 * Copies the claimed version of a source to its archive key: a copy that only creates the
 * archive (If-None-Match, so a second mover never writes a second version) of exactly that
 * version (its version id, or If-Match on its ETag in an unversioned bucket). "changed": an
 * unversioned key was overwritten first; its new object is a new source and stays where it is.
 */
export async function archiveSource(context: ArchiveContext, source: SourceRef, archiveKey: string): Promise<"archived" | "changed"> {
  const copied = await copySourceVersion(context, source, archiveKey);
  if (copied === "changed")
    context.log.warn("source changed before it was archived; its outputs are written, the new version stays where it waits", {
      source: source.key,
    });
  return copied;
}

/**
 * Copies exactly the claimed version of a source to `destination`, creating it only (a second
 * copier finds it made), with the source's identity (and `extra`) in its metadata. A refused
 * copy is told apart by `madeBefore` (by default, listing the destination).
 */
export async function copySourceVersion(
  context: ArchiveContext,
  source: SourceRef,
  destination: string,
  extra: Readonly<Record<string, string>> = {},
  madeBefore: () => Promise<boolean> = () => context.store.exists(destination),
): Promise<"archived" | "changed"> {
  const copied = await context.store.copyIfAbsent(source, destination, {
    contentType: "application/x-ndjson",
    metadata: sourceMetadata(source, extra),
  });
  if (copied) return "archived";
  // Refused: the copy exists (an earlier attempt made it), or the source changed before the copy.
  return (await madeBefore()) ? "archived" : "changed";
}

/**
 * Removes the archived version from where it waited, for good: by its version id (a permanent
 * delete: no delete marker, and the key's other versions stay), or, unversioned, only while
 * the key still holds that ETag. Deleting a version already gone succeeds, so a retry is harmless.
 */
export async function removeSource(context: ArchiveContext, source: SourceRef): Promise<void> {
  if ((await context.store.deleteIfMatch(source)) === "changed")
    context.log.warn("source changed while it was processed; the new version stays where it waits", { source: source.key });
}

/** A delete marker among the sources (left by releases before 0.3, or by a producer) is removed like a version. */
export async function removeDeleteMarker(
  context: ArchiveContext,
  marker: { readonly key: string; readonly versionId: string },
): Promise<void> {
  await context.store.deleteIfMatch({ key: marker.key, etag: "", versionId: marker.versionId });
}
