import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { createJsonIfAbsent, objectExists, readJson, replaceJsonIfMatch } from "../../commons/s3-objects";
import { runKeys } from "../run/run-ref";
import type { SourceOutputKeys, SourceRef } from "./source-identity";

/**
 * `claims/<source id>.json`: which run owns a source version, and where its outputs go. The
 * first run to create it (If-None-Match) owns the source for good; the run's later attempts
 * carry on with it. Another run may take it over (If-Match) only when the owner's lease is
 * over and the owner never finished it; the source then counts in the new owner's run only.
 */
export interface SourceClaim {
  readonly source: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
  readonly outputs: SourceOutputKeys;
  /** The run (its id) that owns the source. */
  readonly owner: string;
  /** Epoch ms after which the owner is surely no longer working on it. */
  readonly expiresAt: number;
  /** Runs it was taken from, oldest first. */
  readonly takenOverFrom?: readonly string[];
}

export type ClaimOutcome =
  /** This run owns the source; `fresh` when it was just claimed for the first time. */
  | { readonly kind: "owned"; readonly fresh: boolean; readonly outputs: SourceOutputKeys }
  /** Another run finished it; it may still sit in incoming/ if that run could not remove it. */
  | { readonly kind: "done-elsewhere"; readonly owner: string; readonly outputs: SourceOutputKeys }
  /** Another run (or attempt) is working on it now. */
  | { readonly kind: "busy"; readonly owner: string };

export interface ClaimContext {
  readonly s3: import("@aws-sdk/client-s3").S3Client;
  readonly bucket: string;
  readonly now: () => number;
}

export function claimKey(id: string): string {
  return `${BUCKET_LAYOUT.claims.prefix}${id}.json`;
}

/** Whether the owning run has recorded the source as done. */
export function ownerFinished(context: ClaimContext, owner: string, id: string): Promise<boolean> {
  return objectExists(context.s3, context.bucket, runKeys(owner).sourceResult(id));
}

/**
 * Claims `source` for the run `runId` until `expiresAt`. `outputs` are used only when the
 * claim is new; an existing claim keeps the keys it was made with, so whoever finishes the
 * source writes exactly the objects its first owner started.
 */
export async function claimSource(
  context: ClaimContext,
  runId: string,
  id: string,
  source: SourceRef,
  outputs: SourceOutputKeys,
  expiresAt: number,
): Promise<ClaimOutcome> {
  const key = claimKey(id);
  const claim: SourceClaim = { source: source.key, etag: source.etag, size: source.size, lastModified: source.lastModified, outputs, owner: runId, expiresAt };
  if ((await createJsonIfAbsent(context.s3, context.bucket, key, claim)) !== undefined) return { kind: "owned", fresh: true, outputs };

  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await readJson<SourceClaim>(context.s3, context.bucket, key, false);
    if (!current) {
      if ((await createJsonIfAbsent(context.s3, context.bucket, key, claim)) !== undefined) return { kind: "owned", fresh: true, outputs };
      continue;
    }
    const existing = current.value;
    if (existing.owner === runId) {
      // Our own earlier attempt: extend its lease so other runs keep off while we finish.
      if (existing.expiresAt >= expiresAt) return { kind: "owned", fresh: false, outputs: existing.outputs };
      const renewed = await replaceJsonIfMatch(context.s3, context.bucket, key, { ...existing, expiresAt }, current.etag);
      if (renewed !== undefined) return { kind: "owned", fresh: false, outputs: existing.outputs };
      continue;
    }
    if (await ownerFinished(context, existing.owner, id)) return { kind: "done-elsewhere", owner: existing.owner, outputs: existing.outputs };
    if (existing.expiresAt > context.now()) return { kind: "busy", owner: existing.owner };
    const takenOver: SourceClaim = { ...existing, owner: runId, expiresAt, takenOverFrom: [...(existing.takenOverFrom ?? []), existing.owner] };
    if ((await replaceJsonIfMatch(context.s3, context.bucket, key, takenOver, current.etag)) !== undefined) {
      return { kind: "owned", fresh: false, outputs: existing.outputs };
    }
  }
  const latest = await readJson<SourceClaim>(context.s3, context.bucket, key, false);
  return { kind: "busy", owner: latest?.value.owner ?? "unknown" };
}
