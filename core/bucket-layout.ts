/**
 * Where each kind of object lives in the task bucket, and which function may do what there.
 * The functions use these prefixes and the stack grants exactly these accesses, so both come
 * from this one table.
 *
 * `list` also serves existence checks: S3 answers a GET or HEAD of a missing key with 403, not
 * 404, unless the caller may list it, and s3:ListBucket scoped by prefix never covers a GET.
 * So the processor checks existence by listing, and lists only where it must check.
 * `abortUpload` is where outputs are streamed in multipart uploads, which a failed run aborts.
 * `listVersions` and `deleteVersion` are incoming/'s alone: every version waiting there is a
 * source, and a processed version is removed for good (no delete marker, no history kept).
 */
export type PrefixAccess = "read" | "readVersion" | "write" | "abortUpload" | "delete" | "deleteVersion" | "list" | "listVersions";

/** The functions that use the bucket. */
export type BucketUser = "processor" | "failureHandler";

export interface BucketArea {
  readonly prefix: string;
  readonly purpose: string;
  readonly access: Readonly<Partial<Record<BucketUser, readonly PrefixAccess[]>>>;
}

export const BUCKET_LAYOUT = {
  incoming: {
    prefix: "incoming/",
    purpose: "JSON Lines waiting to be processed",
    access: { processor: ["read", "readVersion", "delete", "deleteVersion", "list", "listVersions"] },
  },
  processed: {
    prefix: "processed/",
    purpose: "valid records exactly as written, per arrival day and source",
    access: { processor: ["write", "abortUpload"] },
  },
  quarantine: {
    prefix: "quarantine/",
    purpose: "rejected lines with their reason, per arrival day and source",
    access: { processor: ["write", "abortUpload"] },
  },
  archive: { prefix: "archive/", purpose: "sources moved here after processing", access: { processor: ["write", "list"] } },
  claims: {
    prefix: "claims/",
    purpose: "one claim per source: its lease, its output keys and the run that counts it",
    access: { processor: ["read", "write", "list"] },
  },
  runs: { prefix: "runs/", purpose: "each run's summary and its per-source records", access: { processor: ["read", "write", "list"] } },
  reports: { prefix: "reports/", purpose: "CSV reports", access: { processor: ["write"] } },
  failed: {
    prefix: "failed/",
    purpose: "events that failed for good, kept for replay (and rejected events too large for the failure queue)",
    access: { failureHandler: ["write"], processor: ["write"] },
  },
} as const satisfies Record<string, BucketArea>;
