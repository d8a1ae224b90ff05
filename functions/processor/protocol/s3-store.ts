import type { Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  isConditionalConflict,
  isNotFound,
  isPreconditionFailed,
  listFiles,
  listFolders,
  listObjects,
  objectExists,
  StreamingObjectWriter,
} from "../../commons/s3-objects";
import {
  ObjectChangedError,
  type ObjectStore,
  type ObjectStream,
  type ObjectWriter,
  type StoredObject,
  type VersionRef,
  type VersionsPage,
  type WriteOptions,
} from "./store";

/** The run protocol's store in one S3 bucket: every call the functions make to S3 goes through here. */
export class S3Store implements ObjectStore {
  constructor(
    readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async get(key: string) {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: await response.Body!.transformToString("utf-8"), etag: response.ETag ?? "" };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: string | Uint8Array, options: WriteOptions = {}): Promise<string> {
    const response = await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType, Metadata: metadataOf(options) }),
    );
    return response.ETag ?? "";
  }

  async putIfAbsent(key: string, body: string, options: WriteOptions = {}): Promise<string | undefined> {
    try {
      const response = await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType, IfNoneMatch: "*" }),
      );
      return response.ETag ?? "";
    } catch (error) {
      if (isPreconditionFailed(error) || isConditionalConflict(error)) return undefined;
      throw error;
    }
  }

  async putIfMatch(key: string, body: string, etag: string, options: WriteOptions = {}): Promise<string | undefined> {
    try {
      const response = await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType, IfMatch: etag }),
      );
      return response.ETag ?? "";
    } catch (error) {
      if (isPreconditionFailed(error) || isConditionalConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }

  async deleteIfMatch(version: VersionRef): Promise<"deleted" | "changed"> {
    if (version.versionId) {
      // Deleting a version already gone succeeds, so a retry is harmless.
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: version.key, VersionId: version.versionId }));
      return "deleted";
    }
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: version.key, IfMatch: version.etag }));
      return "deleted";
    } catch (error) {
      if (isPreconditionFailed(error) || isConditionalConflict(error)) return "changed";
      throw error;
    }
  }

  list(prefix: string, options: { readonly startAfter?: string; readonly delimiter?: "/" } = {}): AsyncIterable<StoredObject> {
    return options.delimiter ? listFiles(this.s3, this.bucket, prefix) : listObjects(this.s3, this.bucket, prefix, options.startAfter);
  }

  listFolders(prefix: string, startAfter?: string): AsyncIterable<string> {
    return listFolders(this.s3, this.bucket, prefix, startAfter);
  }

  async *listVersions(prefix: string, options: { readonly maxKeys?: number } = {}): AsyncIterable<VersionsPage> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    let first = true;
    do {
      let page: ListObjectVersionsCommandOutput;
      try {
        page = await this.s3.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
            MaxKeys: options.maxKeys,
          }),
        );
      } catch (error) {
        // An S3 look-alike that has no such call keeps no versions to list.
        if (first && isNotImplemented(error)) return;
        throw error;
      }
      first = false;
      yield {
        versions: (page.Versions ?? []).flatMap((version) => {
          if (!version.Key) return [];
          const versionId = version.VersionId && version.VersionId !== "null" ? version.VersionId : undefined;
          return [
            {
              key: version.Key,
              etag: version.ETag ?? "",
              size: version.Size ?? 0,
              lastModified: (version.LastModified ?? new Date(0)).toISOString(),
              ...(versionId ? { versionId } : {}),
            },
          ];
        }),
        deleteMarkers: (page.DeleteMarkers ?? []).flatMap((marker) =>
          marker.Key && marker.VersionId && marker.VersionId !== "null" ? [{ key: marker.Key, versionId: marker.VersionId }] : [],
        ),
      };
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
  }

  exists(key: string): Promise<boolean> {
    return objectExists(this.s3, this.bucket, key);
  }

  async read(version: VersionRef, range?: { readonly start: number; readonly end: number }): Promise<ObjectStream> {
    try {
      // A version id names the exact bytes even after the key is overwritten; else If-Match guards them.
      const response = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: version.key,
          VersionId: version.versionId,
          IfMatch: version.versionId ? undefined : version.etag,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return response.Body as Readable as ObjectStream;
    } catch (error) {
      if (isPreconditionFailed(error)) throw new ObjectChangedError(version.key);
      throw error;
    }
  }

  async copyIfAbsent(version: VersionRef, destination: string, options: WriteOptions): Promise<boolean> {
    const { versionId } = version;
    const copySource = `${this.bucket}/${encodeKey(version.key)}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ""}`;
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: destination,
          CopySource: copySource,
          CopySourceIfMatch: versionId ? undefined : version.etag,
          IfNoneMatch: "*",
          MetadataDirective: "REPLACE",
          ContentType: options.contentType,
          Metadata: metadataOf(options),
        }),
      );
      return true;
    } catch (error) {
      if (isPreconditionFailed(error) || isConditionalConflict(error)) return false;
      throw error;
    }
  }

  openWriter(key: string, options: WriteOptions): ObjectWriter {
    return new StreamingObjectWriter(this.s3, this.bucket, key, options.contentType ?? "application/octet-stream", metadataOf(options));
  }
}

function metadataOf(options: WriteOptions): Record<string, string> | undefined {
  return options.metadata ? { ...options.metadata } : undefined;
}

function isNotImplemented(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NotImplemented" || name === "MethodNotAllowed" || $metadata?.httpStatusCode === 501 || $metadata?.httpStatusCode === 405;
}

/** A key in a copy source (a URL path): each segment encoded, slashes kept. */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}
