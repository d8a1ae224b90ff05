import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { IncomingVersioning, type MadeUpAnswer, type Upstream } from "./s3-versioning";

/** One request as the proxy sees it, for fault rules and for the request log. */
export interface ProxiedRequest {
  /** The service the request was signed for (SigV4 credential scope); s3, sns and sqs reach the emulator. */
  readonly service: "s3" | "sns" | "sqs" | (string & {});
  /** S3: GetObject, PutObject, CopyObject, DeleteObject, ListObjectsV2, ...; SNS/SQS: the API action. */
  readonly action: string;
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  /** The version a request names (`?versionId=`), if any. */
  readonly versionId?: string;
  /** The access key the request was signed with: which function sent it, when each has its own. */
  readonly accessKeyId?: string;
  /** CopyObject: the source as the client named it (x-amz-copy-source). */
  readonly copySource?: string;
  /** SNS: the TopicArn; SQS: the QueueUrl. */
  readonly target?: string;
  /** S3 listings: the `prefix` asked for ("" for none). */
  readonly prefix?: string;
  /** The request body, for requests answered by `answer` (services the emulator lacks). */
  readonly body?: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * What to do to a request: answer with an error before it reaches the emulator (`before`), or
 * let it happen and lose the answer (`after`: the write is done, the client sees a failure),
 * stall it, or delay it.
 */
export type Fault =
  | { readonly kind: "error"; readonly status: number; readonly code: string; readonly when?: "before" | "after" }
  | { readonly kind: "stall"; readonly ms: number }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "reset" }
  /** Runs `interrupt` (kill the client, say) before the request takes effect or just after, and never answers. */
  | { readonly kind: "interrupt"; readonly when: "before" | "after"; readonly interrupt: () => void };

export interface LoggedRequest extends ProxiedRequest {
  /** When the request arrived (epoch milliseconds). */
  readonly at: number;
  /** Bytes of object data a write carried (decoded length for aws-chunked uploads). */
  readonly bytes: number;
  readonly status: number;
}

export interface S3ProxyOptions {
  /** The emulator's endpoint, e.g. http://127.0.0.1:4566. */
  readonly upstream: string;
  /** Added to every request, like the round trip to S3 from Lambda. */
  readonly latencyMs?: number;
  readonly fault?: (request: ProxiedRequest) => Fault | undefined;
  /**
   * Give incoming/ (or the prefixes given) S3's versioning (version ids, delete markers,
   * ListObjectVersions), which the emulator lacks.
   */
  readonly versioning?: boolean | string | readonly string[];
  /** Answers a request here instead of forwarding it (a service the emulator lacks, such as Scheduler). */
  readonly answer?: (request: ProxiedRequest) => LocalAnswer | undefined;
}

export interface LocalAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface S3Proxy {
  readonly endpoint: string;
  /** Every request that reached a decision, in order. */
  readonly log: LoggedRequest[];
  /** Replaces the fault rule (undefined: none). */
  setFault(rule: ((request: ProxiedRequest) => Fault | undefined) | undefined): void;
  stop(): Promise<void>;
}

/**
 * A loopback proxy in front of the S3/SNS/SQS emulator that makes it keep S3's promises the
 * emulator does not: PutObject and CopyObject with If-None-Match / If-Match, CopyObject with
 * x-amz-copy-source-if-match, DeleteObject with If-Match. Each is checked and applied while
 * the key is locked, so concurrent writers see what S3 would show them: one winner, 412 for
 * the rest. With `versioning`, keys under incoming/ keep versions as in a versioned bucket. It
 * also adds latency and injects faults, for tests, benchmarks and local runs.
 */
export async function startS3Proxy(options: S3ProxyOptions): Promise<S3Proxy> {
  const upstream = new URL(options.upstream);
  let fault = options.fault;
  const log: LoggedRequest[] = [];
  const locks = new Map<string, Promise<void>>();
  const sockets = new Set<import("node:net").Socket>();
  // Pauses (latency, stalls) end early when the proxy stops, so nothing outlives it.
  const pauses = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const pause = { timer: setTimeout(() => (pauses.delete(pause), resolve()), ms), done: resolve };
      pauses.add(pause);
    });

  async function withLocks<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    for (const key of sorted) {
      while (locks.has(key)) await locks.get(key);
      let release!: () => void;
      locks.set(key, new Promise<void>((resolve) => (release = resolve)));
      releases.push(() => {
        locks.delete(key);
        release();
      });
    }
    try {
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }

  /** Sends the request on; resolves with the emulator's answer, its body still streaming. */
  function forward(req: IncomingMessage, body: Buffer | undefined, method = req.method!, path = req.url): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers: { ...req.headers, host: upstream.host } },
        resolve,
      );
      out.on("error", reject);
      if (body) out.end(body);
      else out.end();
    });
  }

  /** The current ETag of bucket/key, or undefined when there is no such object. */
  async function etagOf(bucket: string, key: string): Promise<string | undefined> {
    const head = await new Promise<{ status: number; etag?: string }>((resolve, reject) => {
      const out = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: "HEAD",
          path: `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
          headers: { host: upstream.host },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag as string | undefined }));
        },
      );
      out.on("error", reject);
      out.end();
    });
    return head.status === 200 ? head.etag : undefined;
  }

  const upstreamCall: Upstream = (method, path, headers = {}, body) =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers: { ...headers, host: upstream.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  const versioning = options.versioning
    ? new IncomingVersioning(upstreamCall, options.versioning === true ? undefined : options.versioning)
    : undefined;

  const s3Error = (res: ServerResponse, status: number, code: string, message = code) => {
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const at = Date.now();
      const body = await readBody(req);
      const request = describe(req, body);
      if (options.latencyMs) await sleep(options.latencyMs);
      const chosen = fault?.(request);
      const logged = (status: number) => log.push({ ...request, at, bytes: writtenBytes(req, body, request), status });
      if (chosen?.kind === "reset" || (chosen?.kind === "interrupt" && chosen.when === "before")) {
        logged(0);
        if (chosen.kind === "interrupt") chosen.interrupt();
        req.socket.destroy();
        return;
      }
      if (chosen?.kind === "stall" || chosen?.kind === "delay") await sleep(chosen.ms);
      if (res.destroyed || req.socket.destroyed) return;
      if (chosen?.kind === "error" && chosen.when !== "after") {
        logged(chosen.status);
        return s3Error(res, chosen.status, chosen.code, "injected fault");
      }
      const local = options.answer?.({ ...request, body });
      if (local) {
        log.push({ ...request, at, body, bytes: 0, status: local.status });
        res.writeHead(local.status, { "content-type": "application/json" });
        return void res.end(JSON.stringify(local.body));
      }
      const answer = versioning?.covers(request.action === "ListObjectVersions" ? versioning.prefixes[0] : request.key)
        ? await applyVersioned(versioning, req, body, request, res)
        : await applyWithConditions(req, body, request, res);
      if (!answer) return; // already answered (a failed precondition)
      if (chosen?.kind === "interrupt" || (chosen?.kind === "error" && chosen.when === "after")) {
        // Let the request take effect in full, then lose the answer.
        answer.resume();
        await new Promise((resolve) => answer.on("end", resolve));
        if (chosen.kind === "interrupt") {
          logged(answer.statusCode ?? 0);
          chosen.interrupt();
          req.socket.destroy();
          return;
        }
        logged(chosen.status);
        return s3Error(res, chosen.status, chosen.code, "injected fault after the request took effect");
      }
      logged(answer.statusCode ?? 502);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      // A client that hangs up stops the emulator's answer too.
      res.on("close", () => answer.destroy());
    } catch (error) {
      if (!res.headersSent) s3Error(res, 500, "InternalError", String((error as Error).message));
    }
  });

  /** A request to a versioned key (or a listing of versions), in S3's versioned semantics. */
  async function applyVersioned(
    versions: IncomingVersioning,
    req: IncomingMessage,
    body: Buffer,
    request: ProxiedRequest,
    res: ServerResponse,
  ): Promise<IncomingMessage | MadeUpAnswer | undefined> {
    const bucket = request.bucket!;
    if (request.action === "ListObjectVersions") return versions.list(bucket, requestTarget(req.url ?? "/").searchParams);
    const key = request.key!;
    if (request.action === "GetObject" || request.action === "HeadObject") {
      if (!request.versionId) {
        const answer = await forward(req, body);
        const current = versions.currentVersionId(bucket, key);
        if (current && (answer.statusCode ?? 500) < 300) answer.headers["x-amz-version-id"] = current;
        return answer;
      }
      const found = await versions.locate(bucket, key, request.versionId);
      if ("answer" in found) return found.answer;
      const answer = await forward(req, body, req.method, found.path);
      answer.headers["x-amz-version-id"] = request.versionId;
      return answer;
    }
    if (request.action === "DeleteObject" && request.versionId)
      return withLocks([`${bucket}/${key}`], () => versions.deleteVersion(bucket, key, request.versionId!));
    if (["PutObject", "CompleteMultipartUpload"].includes(request.action)) {
      return applyWithConditions(req, body, request, res, (answer) =>
        (answer.statusCode ?? 500) < 300 ? versions.stored(bucket, key, answer.headers) : undefined,
      );
    }
    if (request.action === "DeleteObject") {
      return applyWithConditions(req, body, request, res, (answer) =>
        (answer.statusCode ?? 500) < 300 ? versions.deleted(bucket, key, answer.headers) : undefined,
      );
    }
    return forward(req, body);
  }

  /** A copy whose source is a named version of a versioned key reads that version's bytes. */
  async function copySourceOf(value: string): Promise<string> {
    if (!versioning) return value;
    const [path, query = ""] = value.split("?");
    const versionId = new URLSearchParams(query).get("versionId");
    const source = parseCopySource(path);
    if (!versionId || !versioning.covers(source.key)) return value;
    const found = await versioning.locate(source.bucket, source.key, versionId);
    return "path" in found ? found.path.slice(1) : value;
  }

  async function applyWithConditions(
    req: IncomingMessage,
    body: Buffer,
    request: ProxiedRequest,
    res: ServerResponse,
    after?: (answer: IncomingMessage) => Promise<void> | void,
  ) {
    if (request.action === "CopyObject" && versioning)
      req.headers["x-amz-copy-source"] = await copySourceOf(String(req.headers["x-amz-copy-source"]));
    if (request.service !== "s3" || !request.bucket || !request.key) return forward(req, body);
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const isWrite = ["PutObject", "CopyObject", "DeleteObject", "CompleteMultipartUpload"].includes(request.action);
    if (!isWrite) return forward(req, body);
    const copySource = request.action === "CopyObject" ? parseCopySource(header("x-amz-copy-source")!) : undefined;
    const lockKeys = [`${request.bucket}/${request.key}`, ...(copySource ? [`${copySource.bucket}/${copySource.key}`] : [])];
    return withLocks(lockKeys, async () => {
      const ifNoneMatch = header("if-none-match");
      const ifMatch = header("if-match");
      const current = ifNoneMatch || ifMatch ? await etagOf(request.bucket!, request.key!) : undefined;
      if (request.action === "DeleteObject") {
        // S3: a delete If-Match of a missing object succeeds; of another version it fails.
        if (ifMatch && current !== undefined && !etagsMatch(ifMatch, current))
          return void s3Error(res, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
      } else {
        if (ifNoneMatch === "*" && current !== undefined)
          return void s3Error(res, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        if (ifMatch && current === undefined) return void s3Error(res, 404, "NoSuchKey", "The specified key does not exist.");
        if (ifMatch && !etagsMatch(ifMatch, current!))
          return void s3Error(res, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
      }
      if (copySource) {
        const sourceIfMatch = header("x-amz-copy-source-if-match");
        const sourceEtag = await etagOf(copySource.bucket, copySource.key);
        if (sourceEtag === undefined) return void s3Error(res, 404, "NoSuchKey", "The specified key does not exist.");
        if (sourceIfMatch && !etagsMatch(sourceIfMatch, sourceEtag))
          return void s3Error(res, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
      }
      const answer = await forward(req, body);
      await after?.(answer);
      return answer;
    });
  }

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    setFault: (rule) => (fault = rule),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const pause of pauses) {
          clearTimeout(pause.timer);
          pause.done();
        }
        pauses.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function etagsMatch(condition: string, etag: string): boolean {
  const bare = (value: string) => value.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
  return condition.split(",").some((candidate) => candidate.trim() === "*" || bare(candidate) === bare(etag));
}

function parseCopySource(value: string): { bucket: string; key: string } {
  const path = decodeURIComponent(value.split("?")[0]).replace(/^\//, "");
  const slash = path.indexOf("/");
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/**
 * The path and query of a request exactly as sent. WHATWG URL parsing would resolve `.` and
 * `..` segments (`incoming/./a/../b` → `incoming/b`), but S3 keys are byte-exact names and the
 * SDK sends such segments as they are.
 */
function requestTarget(rawUrl: string): { pathname: string; search: string; searchParams: URLSearchParams } {
  const at = rawUrl.indexOf("?");
  const pathname = at === -1 ? rawUrl : rawUrl.slice(0, at);
  const search = at === -1 ? "" : rawUrl.slice(at);
  return { pathname, search, searchParams: new URLSearchParams(search) };
}

function describe(req: IncomingMessage, body: Buffer): ProxiedRequest {
  const url = requestTarget(req.url ?? "/");
  const method = req.method ?? "GET";
  const headers = req.headers;
  // SigV4: "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, ...".
  const credential = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ""));
  const signer = credential ? { accessKeyId: credential[1] } : {};
  const signedFor = credential?.[2];
  if (signedFor && !["s3", "sns", "sqs"].includes(signedFor)) {
    return { service: signedFor, action: `${method} ${url.pathname}${url.search}`, method, headers, ...signer };
  }
  if (url.pathname === "/" && method === "POST") {
    const target = headers["x-amz-target"];
    if (typeof target === "string") {
      const [prefix, action] = target.split(".");
      const json = parseJson(body);
      const named = json?.QueueUrl ?? json?.TopicArn;
      return {
        service: prefix.startsWith("AmazonSQS") ? "sqs" : "sns",
        action,
        method,
        headers,
        ...signer,
        ...(typeof named === "string" ? { target: named } : {}),
      };
    }
    const form = new URLSearchParams(body.toString("utf8"));
    const action = form.get("Action") ?? "unknown";
    const sqsActions = /Queue|Message/;
    const named = form.get("QueueUrl") ?? form.get("TopicArn") ?? undefined;
    return { service: sqsActions.test(action) ? "sqs" : "sns", action, method, headers, ...signer, ...(named ? { target: named } : {}) };
  }
  const [, bucket, ...rest] = url.pathname.split("/");
  const key = rest.length > 0 ? decodeURIComponent(rest.join("/")) : undefined;
  const query = url.searchParams;
  let action: string;
  if (!key && method === "GET" && query.has("versions")) action = "ListObjectVersions";
  else if (!key)
    action = method === "GET" ? "ListObjectsV2" : method === "PUT" ? "CreateBucket" : method === "HEAD" ? "HeadBucket" : `${method}Bucket`;
  else if (method === "GET") action = "GetObject";
  else if (method === "HEAD") action = "HeadObject";
  else if (method === "DELETE") action = query.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
  else if (method === "PUT") action = query.has("partNumber") ? "UploadPart" : headers["x-amz-copy-source"] ? "CopyObject" : "PutObject";
  else if (method === "POST")
    action = query.has("uploads") ? "CreateMultipartUpload" : query.has("uploadId") ? "CompleteMultipartUpload" : "PostObject";
  else action = method;
  const versionId = query.get("versionId") ?? undefined;
  const listing = action === "ListObjectsV2" || action === "ListObjectVersions" ? { prefix: query.get("prefix") ?? "" } : {};
  const copied = action === "CopyObject" ? { copySource: String(headers["x-amz-copy-source"]) } : {};
  return {
    service: "s3",
    action,
    method,
    bucket: decodeURIComponent(bucket),
    key,
    ...(versionId ? { versionId } : {}),
    ...listing,
    ...copied,
    headers,
    ...signer,
  };
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Bytes of object data a request writes: what S3 would store, not the wire's signing overhead. */
function writtenBytes(req: IncomingMessage, body: Buffer, request: ProxiedRequest): number {
  if (request.service !== "s3" || !["PutObject", "UploadPart"].includes(request.action)) return 0;
  const decoded = req.headers["x-amz-decoded-content-length"];
  return typeof decoded === "string" ? Number(decoded) : body.length;
}
