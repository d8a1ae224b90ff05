import { describeError, type Logger } from "../../commons/logger";
import { DEFAULT_LEASE_TTL_MS, type Lease } from "../protocol/lease";
import { type SourceResult, type SourceSummary, summaryOf } from "../protocol/run-record";
import { runKeys } from "../protocol/run-ref";
import { ObjectChangedError, type ObjectStore, writeJson } from "../protocol/store";
import { archiveSource, removeSource } from "./archive-source";
import { MAX_SOURCE_ATTEMPTS, moveAside, setAsideSource } from "./set-aside";
import { acquireClaim, type FinishedSource, finishClaim, type SetAside, type SourceClaimState } from "./source-claim";
import { type SourceRef, sourceId } from "./source-identity";
import type { SourceLayout } from "./source-layout";
import { readSourceState, type SourceState } from "./source-state";
import type { SourceWork } from "./source-work";

export interface SourceContext {
  readonly store: ObjectStore;
  /** Where the task's claims, archive and set-aside sources go. */
  readonly layout: SourceLayout;
  readonly log: Logger;
  readonly now: () => number;
  /** How long a claim's lease lasts without a heartbeat. */
  readonly leaseTtlMs?: number;
  /** Whether there is time to wait for a claim another run holds briefly. @default never wait */
  readonly mayWait?: () => boolean;
}

const FIRST_POLL_MS = 200;
const LONGEST_POLL_MS = 2_000;

export type SourceHandling =
  /** Counted in this run: this run removed it from where it waited. */
  | { readonly kind: "done"; readonly result: SourceSummary }
  /** Another run finished it and counts it (a copy left where it waited was tidied away here). */
  | { readonly kind: "done-elsewhere"; readonly by: string }
  /** Another run is working on it now; it is left to that run. */
  | { readonly kind: "busy"; readonly holder: string };

/**
 * One source, exactly once across every run: claim it, write its outputs, record it, archive
 * it, remove it from where it waited, and name this run in the claim as the one that counts it.
 * Each step finds the previous one's work again, so a crash or a failed request anywhere
 * leaves nothing a later attempt (or a later run) would duplicate. On failure the claim's
 * lease is released, so the next run may finish what this one could not.
 */
export async function handleSource(context: SourceContext, runId: string, source: SourceRef, work: SourceWork): Promise<SourceHandling> {
  const id = sourceId(source);
  const acquired = await acquireClaimWaiting(context, runId, id, source);
  if (acquired.kind === "busy") return { kind: "busy", holder: acquired.state.holder };
  if (acquired.kind === "refused") return handleFinishedSource(context, runId, source, acquired.state);
  const { lease } = acquired;
  try {
    // A claim this run just created has nothing kept yet: no need to read what it holds.
    const state: SourceState = acquired.created ? { stage: "claimed" } : await readSourceState(context, lease.state, id);
    if (state.stage === "removed") return handleFinishedSource(context, runId, source, { ...lease.state, finished: state.finished });
    const failed = lease.state.failedAttempts ?? 0;
    // Its last attempt failed the last time allowed, and could not set it aside then: do that now.
    if (state.stage === "claimed" && failed >= MAX_SOURCE_ATTEMPTS)
      return await setAsideSource(context, runId, source, lease, lease.state.lastFailure ?? "failed every attempt", failed);
    const result =
      state.stage === "recorded"
        ? await adoptRecorded(context, runId, id, state.result, lease.state.owner)
        : await processAndRecord(context, runId, id, source, lease.state, work);
    return await completeSource(context, runId, id, source, result, lease);
  } finally {
    await lease.release().catch(() => undefined);
  }
}

/**
 * The claim, waiting while another run holds it on a short lease (a heartbeat lease: it is
 * working on the source now, or it failed and its lease runs out within the TTL) and this
 * invocation has time: it then finds the source finished, or free. A long lease (a large
 * source in byte ranges, held for hours) is not waited for.
 */
async function acquireClaimWaiting(context: SourceContext, runId: string, id: string, source: SourceRef) {
  const shortLease = 2 * (context.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS);
  let pause = FIRST_POLL_MS;
  for (;;) {
    const acquired = await acquireClaim(context, runId, id, source, context.layout.outputsOf(source, id));
    if (acquired.kind !== "busy" || !context.mayWait?.() || acquired.state.expiresAt - context.now() > shortLease) return acquired;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(LONGEST_POLL_MS, pause * 2);
  }
}

/** Does the task's work on the source and records its result in this run's sources/ folder. */
async function processAndRecord(
  context: SourceContext,
  runId: string,
  id: string,
  source: SourceRef,
  claim: SourceClaimState,
  work: SourceWork,
): Promise<SourceResult> {
  const base = {
    source: source.key,
    etag: source.etag,
    id,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    archiveKey: claim.outputs.archive,
  };
  let result: SourceResult;
  try {
    const content = await work({ ...source, id, outputs: claim.outputs });
    result = {
      ...base,
      lines: content.lines,
      processed: content.processed,
      quarantined: content.quarantined,
      processedKeys: [...content.processedKeys],
      quarantineKeys: [...content.quarantineKeys],
    };
  } catch (error) {
    if (!(error instanceof ObjectChangedError)) throw error;
    context.log.warn("source was overwritten before it could be read; the new version is a new source", {
      source: source.key,
    });
    result = { ...base, lines: 0, processed: 0, quarantined: 0, processedKeys: [], quarantineKeys: [], superseded: true };
  }
  // Recorded before the source leaves where it waits: a crash in between is finished, not redone.
  await writeJson(context.store, runKeys(runId).sourceResult(id), result);
  return result;
}

/**
 * Another run recorded the source but could not remove it: this run finishes it, and notes the
 * result in its own sources/ folder first, so a retry of this run finds it even once the
 * source has left where it waited.
 */
export async function adoptRecorded(
  context: SourceContext,
  runId: string,
  id: string,
  recorded: SourceResult,
  owner: string,
): Promise<SourceResult> {
  if (owner === runId) return recorded;
  await writeJson(context.store, runKeys(runId).sourceResult(id), recorded);
  return recorded;
}

/**
 * The source's last steps, for whole sources and for the last range of a large one: archive
 * the version, remove it from where it waited, then name `runId` in the claim as the run that
 * counts it (the same write lets the lease go). Should another run have finished it first,
 * that run counts it and this one does not.
 */
export async function completeSource(
  context: SourceContext,
  runId: string,
  id: string,
  source: SourceRef,
  result: SourceResult,
  lease: Lease<SourceClaimState>,
): Promise<SourceHandling> {
  if (!result.superseded && (await archiveSource(context, source, result.archiveKey)) === "archived") await removeSource(context, source);
  const finished: FinishedSource = { by: runId, lines: result.lines, processed: result.processed, quarantined: result.quarantined };
  const by = await finishClaim(context, runId, id, source, lease, finished);
  return by === runId ? { kind: "done", result: summaryOf(result) } : { kind: "done-elsewhere", by };
}

/**
 * A finished source that is still (or again) listed where sources wait: a version its finisher could
 * not remove, or an identical re-upload (the same identity). Its archive is made if missing
 * and the version removed; the run the claim names keeps the count.
 */
export async function handleFinishedSource(
  context: SourceContext,
  runId: string,
  source: SourceRef,
  claim: SourceClaimState,
): Promise<SourceHandling> {
  const finished = claim.finished!;
  if (finished.setAside) await tidySetAside(context, source, finished.setAside);
  else if ((await archiveSource(context, source, claim.outputs.archive)) === "archived") await removeSource(context, source);
  if (finished.by === runId) {
    const { key, etag, versionId } = { ...source, versionId: claim.versionId };
    const setAside = finished.setAside && {
      reason: finished.setAside.reason,
      attempts: finished.setAside.attempts,
      key: finished.setAside.key,
    };
    return {
      kind: "done",
      result: {
        source: key,
        etag,
        id: sourceId(source),
        ...(versionId ? { versionId } : {}),
        lines: finished.lines,
        processed: finished.processed,
        quarantined: finished.quarantined,
        ...(setAside ? { setAside } : {}),
      },
    };
  }
  context.log.info("source was already processed by another run; tidied it away", {
    source: source.key,
    counted_by: finished.by,
  });
  return { kind: "done-elsewhere", by: finished.by };
}

/** A set-aside version still where it waited (its copy or its removal failed before): moved now if it can be, never processed. */
async function tidySetAside(context: SourceContext, source: SourceRef, setAside: SetAside): Promise<void> {
  try {
    await moveAside(context, source, setAside.key, setAside.reason);
  } catch (error) {
    context.log.warn("could not move a set-aside source out of the way; the next run tries again", {
      source: source.key,
      error: describeError(error),
    });
  }
}
