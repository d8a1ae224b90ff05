/**
 * `list` also serves existence checks: S3 answers a GET or HEAD of a missing key with 403, not
 * 404, unless the caller may list it, and s3:ListBucket scoped by prefix never covers a GET.
 * So the processor checks existence by listing, and lists only where it must check.
 *
 * Where each kind of object lives in the task bucket. The processor reads and writes these
 * prefixes and the stack grants exactly these accesses, so both come from this one table.
 */
export type PrefixAccess = "read" | "write" | "delete" | "list";

export interface BucketArea {
  readonly prefix: string;
  readonly access: readonly PrefixAccess[];
  readonly purpose: string;
}

export const BUCKET_LAYOUT = {
  incoming: { prefix: "incoming/", access: ["read", "delete", "list"], purpose: "JSON Lines waiting to be processed" },
  processed: { prefix: "processed/", access: ["read", "write", "list"], purpose: "valid records, normalised, per day and source" },
  quarantine: { prefix: "quarantine/", access: ["read", "write", "list"], purpose: "rejected lines with their reason, per day and source" },
  archive: { prefix: "archive/", access: ["read", "write", "list"], purpose: "sources moved here after processing" },
  runs: { prefix: "runs/", access: ["read", "write", "list"], purpose: "one manifest per task run" },
  reports: { prefix: "reports/", access: ["read", "write"], purpose: "CSV reports" },
} as const satisfies Record<string, BucketArea>;

export type BucketAreaName = keyof typeof BUCKET_LAYOUT;
