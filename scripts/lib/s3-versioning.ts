import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { PassThrough } from "node:stream";

/** One version of a key, or a delete marker, newest last. */
interface Version {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly etag?: string;
  readonly size?: number;
  readonly lastModified: Date;
}

/** A request to the emulator, made by the proxy itself. */
export type Upstream = (
  method: string,
  path: string,
  headers?: Record<string, string>,
  body?: Buffer,
) => Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>;

/** An answer the proxy makes up, in the shape of the emulator's (status, headers, a body stream). */
export interface MadeUpAnswer extends PassThrough {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

export function madeUpAnswer(status: number, headers: Record<string, string>, body = ""): MadeUpAnswer {
  const answer = new PassThrough() as MadeUpAnswer;
  answer.statusCode = status;
  answer.headers = { "content-length": String(Buffer.byteLength(body)), ...headers };
  answer.end(body);
  return answer;
}

const encodePath = (key: string) => key.split("/").map(encodeURIComponent).join("/");
const xmlEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** S3's version ids are opaque; these carry `+` and `/` at times, as real ones do, so encoding is exercised. */
function newVersionId(): string {
  const id = randomBytes(24).toString("base64");
  return id.replace(/=+$/, "");
}

/**
 * S3's versioning for keys under `prefixes` in every bucket, over an emulator that has none.
 * The emulator keeps the current version at the key, as it would without versioning (so
 * listings, plain reads and conditional writes behave as before); every version's bytes are
 * also kept in a shadow bucket at `<key>/<version id>`. This adds version ids to writes,
 * delete markers to plain deletes, reads, ranged reads and copies of a named version,
 * ListObjectVersions, and a permanent delete by version id that makes the previous version
 * current again.
 */
export class IncomingVersioning {
  private readonly versions = new Map<string, Version[]>();
  private readonly shadows = new Set<string>();

  readonly prefixes: readonly string[];

  constructor(
    private readonly upstream: Upstream,
    prefixes: string | readonly string[] = "incoming/",
  ) {
    this.prefixes = typeof prefixes === "string" ? [prefixes] : prefixes;
  }

  covers(key: string | undefined): boolean {
    return key !== undefined && this.prefixes.some((prefix) => key.startsWith(prefix));
  }

  private history(bucket: string, key: string): Version[] {
    const id = `${bucket}\n${key}`;
    let list = this.versions.get(id);
    if (!list) this.versions.set(id, (list = []));
    return list;
  }

  private async shadowBucket(bucket: string): Promise<string> {
    const shadow = `${bucket}--versions`;
    if (!this.shadows.has(shadow)) {
      await this.upstream("PUT", `/${shadow}`);
      this.shadows.add(shadow);
    }
    return shadow;
  }

  private async shadowPath(bucket: string, key: string, versionId: string): Promise<string> {
    return `/${await this.shadowBucket(bucket)}/${encodePath(`${key}/${versionId}`)}`;
  }

  /** After the emulator stored a new current object at `key` (PUT or completed upload): it becomes a version. */
  async stored(bucket: string, key: string, answerHeaders: IncomingHttpHeaders): Promise<void> {
    const versionId = newVersionId();
    const head = await this.upstream("HEAD", `/${bucket}/${encodePath(key)}`);
    const target = await this.shadowPath(bucket, key, versionId);
    const copied = await this.upstream("PUT", target, { "x-amz-copy-source": `/${bucket}/${encodePath(key)}` });
    if (copied.status >= 300) throw new Error(`could not keep version ${versionId} of ${key}: ${copied.status}`);
    this.history(bucket, key).push({
      versionId,
      deleteMarker: false,
      etag: head.headers.etag as string,
      size: Number(head.headers["content-length"] ?? 0),
      lastModified: new Date(),
    });
    answerHeaders["x-amz-version-id"] = versionId;
  }

  /** A plain DELETE of a versioned key: the emulator drops the current object, and a delete marker becomes current. */
  deleted(bucket: string, key: string, answerHeaders: IncomingHttpHeaders): void {
    const versionId = newVersionId();
    this.history(bucket, key).push({ versionId, deleteMarker: true, lastModified: new Date() });
    answerHeaders["x-amz-version-id"] = versionId;
    answerHeaders["x-amz-delete-marker"] = "true";
  }

  /** The id of the current version, to answer a plain GET or HEAD with it. */
  currentVersionId(bucket: string, key: string): string | undefined {
    const list = this.versions.get(`${bucket}\n${key}`);
    const latest = list?.[list.length - 1];
    return latest && !latest.deleteMarker ? latest.versionId : undefined;
  }

  /** Where the bytes of a named version are, or the answer S3 gives for a missing one. */
  async locate(bucket: string, key: string, versionId: string): Promise<{ path: string } | { answer: MadeUpAnswer }> {
    const version = this.history(bucket, key).find((v) => v.versionId === versionId);
    if (!version) return { answer: s3ErrorAnswer(404, "NoSuchVersion", "The specified version does not exist.") };
    if (version.deleteMarker)
      return {
        answer: s3ErrorAnswer(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", {
          "x-amz-delete-marker": "true",
        }),
      };
    return { path: await this.shadowPath(bucket, key, versionId) };
  }

  /** DELETE with a version id: that version (or marker) is gone for good; the one before it is current again. */
  async deleteVersion(bucket: string, key: string, versionId: string): Promise<MadeUpAnswer> {
    const list = this.history(bucket, key);
    const at = list.findIndex((v) => v.versionId === versionId);
    const headers: Record<string, string> = { "x-amz-version-id": versionId };
    if (at === -1) return madeUpAnswer(204, headers);
    const [removed] = list.splice(at, 1);
    if (removed.deleteMarker) headers["x-amz-delete-marker"] = "true";
    else await this.upstream("DELETE", await this.shadowPath(bucket, key, versionId));
    if (at === list.length) {
      // It was current: the emulator's object at the key follows the new current version.
      const current = list[list.length - 1];
      if (!current || current.deleteMarker) await this.upstream("DELETE", `/${bucket}/${encodePath(key)}`);
      else
        await this.upstream("PUT", `/${bucket}/${encodePath(key)}`, {
          "x-amz-copy-source": (await this.shadowPath(bucket, key, current.versionId)).slice(1),
        });
    }
    return madeUpAnswer(204, headers);
  }

  /** ListObjectVersions of `prefix`: keys in order, each key's versions newest first, paged as S3 pages them. */
  list(bucket: string, query: URLSearchParams): MadeUpAnswer {
    const prefix = query.get("prefix") ?? "";
    const keyMarker = query.get("key-marker") ?? "";
    const versionMarker = query.get("version-id-marker") ?? "";
    const maxKeys = Math.min(1000, Number(query.get("max-keys") ?? 1000));
    const entries: Array<{ key: string; version: Version; latest: boolean }> = [];
    const keys = [...this.versions.keys()].filter((id) => id.startsWith(`${bucket}\n`)).map((id) => id.slice(bucket.length + 1));
    for (const key of keys.filter((k) => k.startsWith(prefix)).sort()) {
      const list = this.versions.get(`${bucket}\n${key}`)!;
      for (let i = list.length - 1; i >= 0; i--) entries.push({ key, version: list[i], latest: i === list.length - 1 });
    }
    let start = 0;
    if (keyMarker) {
      // After the marker's version, or, without a version marker, after all of the marker key's versions.
      const at = versionMarker ? entries.findIndex((e) => e.key === keyMarker && e.version.versionId === versionMarker) : -1;
      start = at !== -1 ? at + 1 : entries.findIndex((e) => e.key > keyMarker);
      if (start === -1) start = entries.length;
    }
    const page = entries.slice(start, start + maxKeys);
    const truncated = start + maxKeys < entries.length;
    const last = page[page.length - 1];
    const element = (name: string, value: unknown) => `<${name}>${xmlEscape(String(value))}</${name}>`;
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      element("Name", bucket),
      element("Prefix", prefix),
      element("KeyMarker", keyMarker),
      element("VersionIdMarker", versionMarker),
      element("MaxKeys", maxKeys),
      element("IsTruncated", truncated),
      truncated && last ? element("NextKeyMarker", last.key) + element("NextVersionIdMarker", last.version.versionId) : "",
      ...page.map(({ key, version, latest }) => {
        const common = [
          element("Key", key),
          element("VersionId", version.versionId),
          element("IsLatest", latest),
          element("LastModified", version.lastModified.toISOString()),
        ].join("");
        return version.deleteMarker
          ? `<DeleteMarker>${common}</DeleteMarker>`
          : `<Version>${common}${element("ETag", version.etag ?? "")}${element("Size", version.size ?? 0)}` +
              "<StorageClass>STANDARD</StorageClass></Version>";
      }),
      "</ListVersionsResult>",
    ].join("");
    return madeUpAnswer(200, { "content-type": "application/xml" }, body);
  }
}

export function s3ErrorAnswer(status: number, code: string, message: string, headers: Record<string, string> = {}): MadeUpAnswer {
  return madeUpAnswer(
    status,
    { "content-type": "application/xml", ...headers },
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}
