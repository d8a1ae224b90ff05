import { CopyObjectCommand, DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "../../commons/logger";
import { isConditionalConflict, isPreconditionFailed, objectExists } from "../../commons/s3-objects";
import { encodeKey, type SourceRef, sourceMetadata } from "./source-identity";

export interface ArchiveContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly log: Logger;
}

/**
 * Copies the claimed version of a source to its archive key: a copy that only creates the
 * archive (If-None-Match, so a second mover never writes a second version) of exactly that
 * version (its version id, or If-Match on its ETag in an unversioned bucket). "changed": an
 * unversioned key was overwritten first; its new object is a new source and stays in incoming/.
 */
export async function archiveSource(context: ArchiveContext, source: SourceRef, archiveKey: string): Promise<"archived" | "changed"> {
  const copied = await copySourceVersion(context, source, archiveKey);
  if (copied === "changed")
    context.log.warn(
      "source changed before it was archived; its lines are in processed/ and quarantine/, the new version stays in incoming/",
      { source: source.key },
    );
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
  madeBefore: () => Promise<boolean> = () => objectExists(context.s3, context.bucket, destination),
): Promise<"archived" | "changed"> {
  const { versionId } = source;
  const copySource = `${context.bucket}/${encodeKey(source.key)}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ""}`;
  try {
    await context.s3.send(
      new CopyObjectCommand({
        Bucket: context.bucket,
        Key: destination,
        CopySource: copySource,
        CopySourceIfMatch: versionId ? undefined : source.etag,
        IfNoneMatch: "*",
        MetadataDirective: "REPLACE",
        ContentType: "application/x-ndjson",
        Metadata: sourceMetadata(source, extra),
      }),
    );
    return "archived";
  } catch (error) {
    if (!isPreconditionFailed(error) && !isConditionalConflict(error)) throw error;
    // 412: the copy exists (an earlier attempt made it), or the source changed before the copy.
    return (await madeBefore()) ? "archived" : "changed";
  }
}

/**
 * Removes the archived version from incoming/ for good: by its version id (a permanent delete:
 * no delete marker, and the key's other versions stay), or, unversioned, only while the key
 * still holds that ETag. Deleting a version already gone succeeds, so a retry is harmless.
 */
export async function removeSource(context: ArchiveContext, source: SourceRef): Promise<void> {
  if (source.versionId) {
    await context.s3.send(new DeleteObjectCommand({ Bucket: context.bucket, Key: source.key, VersionId: source.versionId }));
    return;
  }
  try {
    await context.s3.send(new DeleteObjectCommand({ Bucket: context.bucket, Key: source.key, IfMatch: source.etag }));
  } catch (error) {
    if (!isPreconditionFailed(error) && !isConditionalConflict(error)) throw error;
    context.log.warn("source changed while it was processed; the new version stays in incoming/", { source: source.key });
  }
}

/** A delete marker in incoming/ (left by releases before 0.3, or by a producer) is removed like a version. */
export async function removeDeleteMarker(
  context: ArchiveContext,
  marker: { readonly key: string; readonly versionId: string },
): Promise<void> {
  await context.s3.send(new DeleteObjectCommand({ Bucket: context.bucket, Key: marker.key, VersionId: marker.versionId }));
}
