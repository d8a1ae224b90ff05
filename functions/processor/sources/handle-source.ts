import type { S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "../../commons/logger";
import { readJson, writeJson } from "../../commons/s3-objects";
import type { SourceResult } from "../run/run-record";
import { runKeys } from "../run/run-ref";
import { archiveSource } from "./archive-source";
import { claimSource } from "./source-claim";
import { SourceChangedError } from "./source-changed-error";
import { processSourceContent } from "./source-content";
import { type SourceRef, sourceId, sourceOutputKeys } from "./source-identity";

export interface SourceContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly log: Logger;
  readonly now: () => number;
}

export type SourceHandling =
  /** Counted in this run. */
  | { readonly kind: "done"; readonly result: SourceResult }
  /** Another run owns it and has finished it (it was only tidied out of incoming/ here). */
  | { readonly kind: "done-elsewhere"; readonly owner: string }
  /** Another run is working on it now; it is left to that run. */
  | { readonly kind: "busy"; readonly owner: string };

/**
 * One source, exactly once across every run: claim it, write its outputs, record it in this
 * run, then archive it. Each step finds the previous one's work again, so a crash or a failed
 * request anywhere leaves nothing a later attempt would duplicate.
 */
export async function handleSource(
  context: SourceContext,
  runId: string,
  source: SourceRef,
  requiredFields: readonly string[],
  leaseUntil: number,
): Promise<SourceHandling> {
  const id = sourceId(source);
  const claim = await claimSource(context, runId, id, source, sourceOutputKeys(source, id), leaseUntil);
  if (claim.kind === "busy") return claim;
  if (claim.kind === "done-elsewhere") {
    // Its owner could not remove it from incoming/ (a failed delete, say): finish that for it.
    await archiveSource(context, source, claim.outputs.archive);
    context.log.info("source was already processed by another run; tidied it out of incoming/", { source: source.key, owner: claim.owner });
    return claim;
  }
  const resultKey = runKeys(runId).sourceResult(id);
  if (!claim.fresh) {
    const earlier = await readJson<SourceResult>(context.s3, context.bucket, resultKey);
    if (earlier) {
      await archiveSource(context, source, earlier.value.archiveKey);
      return { kind: "done", result: earlier.value };
    }
  }
  const base = { source: source.key, etag: source.etag, id, archiveKey: claim.outputs.archive };
  let result: SourceResult;
  let versionId: string | undefined;
  try {
    const content = await processSourceContent(context, source, claim.outputs, requiredFields);
    versionId = content.versionId;
    result = {
      ...base,
      lines: content.lines,
      processed: content.processed,
      quarantined: content.quarantined,
      processedKeys: content.processedKey ? [content.processedKey] : [],
      quarantineKeys: content.quarantineKey ? [content.quarantineKey] : [],
    };
  } catch (error) {
    if (!(error instanceof SourceChangedError)) throw error;
    context.log.warn("source was overwritten in incoming/ before it could be read; the new version is a new source", { source: source.key });
    result = { ...base, lines: 0, processed: 0, quarantined: 0, processedKeys: [], quarantineKeys: [], superseded: true };
    await writeJson(context.s3, context.bucket, resultKey, result);
    return { kind: "done", result };
  }
  // Recorded before the source leaves incoming/: a crash in between is finished, not redone.
  await writeJson(context.s3, context.bucket, resultKey, result);
  await archiveSource(context, source, claim.outputs.archive, versionId);
  return { kind: "done", result };
}
