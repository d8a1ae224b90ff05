import { CopyObjectCommand, DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "../../commons/logger";
import { isConditionalConflict, isPreconditionFailed, objectExists } from "../../commons/s3-objects";
import { encodeKey, type SourceRef, stripQuotes } from "./source-identity";

export interface ArchiveContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly log: Logger;
}

/**
 * Moves the claimed version of a source from incoming/ to its archive key: a copy that only
 * creates the archive (If-None-Match, so a second mover never writes a second version) of
 * exactly that version (its version id, or If-Match on its ETag), then a delete that only
 * removes that version (If-Match). A producer that re-uploaded the key meanwhile keeps its new
 * object in incoming/; it is a new source with its own identity.
 */
export async function archiveSource(context: ArchiveContext, source: SourceRef, archiveKey: string, versionId?: string): Promise<void> {
  const copySource = `${context.bucket}/${encodeKey(source.key)}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ""}`;
  try {
    await context.s3.send(
      new CopyObjectCommand({
        Bucket: context.bucket,
        Key: archiveKey,
        CopySource: copySource,
        CopySourceIfMatch: versionId ? undefined : source.etag,
        IfNoneMatch: "*",
        MetadataDirective: "REPLACE",
        ContentType: "application/x-ndjson",
        Metadata: { "source-key": source.key, "source-etag": stripQuotes(source.etag) },
      }),
    );
  } catch (error) {
    if (!isPreconditionFailed(error) && !isConditionalConflict(error)) throw error;
    // 412: the archive exists (an earlier attempt made it), or the source changed before the copy.
    if (!(await objectExists(context.s3, context.bucket, archiveKey))) {
      context.log.warn("source changed before it was archived; its lines are in processed/ and quarantine/, the new version stays in incoming/", { source: source.key });
      return;
    }
  }
  try {
    await context.s3.send(new DeleteObjectCommand({ Bucket: context.bucket, Key: source.key, IfMatch: source.etag }));
  } catch (error) {
    if (!isPreconditionFailed(error) && !isConditionalConflict(error)) throw error;
    context.log.warn("source changed while it was processed; the new version stays in incoming/", { source: source.key });
  }
}
