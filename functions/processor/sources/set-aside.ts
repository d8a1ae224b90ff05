import { describeError } from "../../commons/logger";
import type { Lease } from "../protocol/lease";
import { type SourceResult, summaryOf } from "../protocol/run-record";
import { runKeys } from "../protocol/run-ref";
import { writeJson } from "../protocol/store";
import { MAX_SOURCE_ATTEMPTS } from "../protocol/task";
import { copySourceVersion, removeSource } from "./archive-source";
import type { SourceContext, SourceHandling } from "./handle-source";
import { versionPresent } from "./list-sources";
import { acquireClaim, type FinishedSource, finishClaim, type SetAside, type SourceClaimState } from "./source-claim";
import { type SourceRef, sourceId } from "./source-identity";
import { readSourceState } from "./source-state";

export { MAX_SOURCE_ATTEMPTS };

/** How much of a failure's text a claim, a record and a notice keep. */
const REASON_CHARACTERS = 500;

/** `<name>: <message>`, cut to a length every record and notice can carry. */
export function failureReason(error: unknown): string {
  const { name, message } = describeError(error);
  const text = `${name}: ${message}`;
  return text.length <= REASON_CHARACTERS ? text : `${text.slice(0, REASON_CHARACTERS - 3)}...`;
}

/** Failed attempts counted so far, and how the source ended when this one set it aside. */
export interface NotedFailure {
  readonly attempts?: number;
  readonly handled?: SourceHandling;
}

/**
 * Counts a failed attempt at `source` in its claim, once this invocation has given up on it.
 * At MAX_SOURCE_ATTEMPTS the source is set aside at once (and "done" returned): its lines then
 * count in this run. Nothing is counted when the claim is another run's now ("busy") or already
 * finished ("done-elsewhere"), or when the source's result was recorded (its lines are out;
 * only moving it is left, and that is retried as it is).
 */
export async function noteSourceFailure(context: SourceContext, runId: string, source: SourceRef, error: unknown): Promise<NotedFailure> {
  const id = sourceId(source);
  const reason = failureReason(error);
  const acquired = await acquireClaim(context, runId, id, source, context.layout.outputsOf(source, id), { heartbeat: false });
  // Finished meanwhile (by this run's other attempt, or another run), or another run is on it now: not this run's failure.
  if (acquired.kind === "busy") return { handled: { kind: "busy", holder: acquired.state.holder } };
  if (acquired.kind === "refused") return { handled: { kind: "done-elsewhere", by: acquired.state.finished!.by } };
  const { lease } = acquired;
  try {
    const state = acquired.created ? { stage: "claimed" as const } : await readSourceState(context, lease.state, id);
    if (state.stage !== "claimed") return {};
    const attempts = (lease.state.failedAttempts ?? 0) + 1;
    context.log.warn("source failed; it stays where it waits for the next attempt", { source: source.key, attempts, error: reason });
    const counted = await lease.update((claim) => ({ ...claim, failedAttempts: attempts, lastFailure: reason }));
    if (!counted) return {};
    if (attempts >= MAX_SOURCE_ATTEMPTS)
      return { attempts, handled: await setAsideSource(context, runId, source, lease, reason, attempts) };
    return { attempts };
  } finally {
    await lease.release().catch(() => undefined);
  }
}

/**
 * Sets a source that kept failing aside whole, so it never holds up a run again: its exact
 * version is copied to `quarantine/<day>/<name>.<identity>.set-aside<extension>` (the reason
 * in the copy's metadata; an own task's under quarantine/<task>/) and removed from where it waited; its lines are counted as quarantined in
 * this run, which names it in its record and notice; and its claim says so, so no run
 * processes it. Should the copy fail too, the version stays where it waited, set aside all the
 * same (the next runs try to move it, and never process it).
 */
export async function setAsideSource(
  context: SourceContext,
  runId: string,
  source: SourceRef,
  lease: Lease<SourceClaimState>,
  reason: string,
  attempts: number,
): Promise<SourceHandling> {
  const id = sourceId(source);
  const key = context.layout.setAsideKeyOf(source, id);
  const lines = await countLines(context, source).catch(() => 0);
  const moved = await moveAside(context, source, key, reason);
  if (moved === "changed") {
    // An unversioned key overwritten meanwhile: the version that failed is gone; the new one is a new source.
    const finished: FinishedSource = { by: runId, lines: 0, processed: 0, quarantined: 0 };
    const result = { source: source.key, etag: source.etag, id, lines: 0, processed: 0, quarantined: 0, superseded: true };
    await writeJson(context.store, runKeys(runId).sourceResult(id), recordOf(result, key));
    const by = await finishClaim(context, runId, id, source, lease, finished);
    return by === runId ? { kind: "done", result } : { kind: "done-elsewhere", by };
  }
  const setAside: SetAside = { reason, attempts, key, moved: moved === "archived" };
  const result: SourceResult = recordOf(
    {
      source: source.key,
      etag: source.etag,
      ...(source.versionId ? { versionId: source.versionId } : {}),
      id,
      lines,
      processed: 0,
      quarantined: lines,
      setAside: { reason, attempts, key },
    },
    key,
  );
  // Recorded before the claim says finished, as every source's result is: a retry of this run finds it.
  await writeJson(context.store, runKeys(runId).sourceResult(id), result);
  const by = await finishClaim(context, runId, id, source, lease, { by: runId, lines, processed: 0, quarantined: lines, setAside });
  context.log.error("source set aside after failing every attempt; it is in quarantine/ whole", {
    source: source.key,
    attempts,
    reason,
    set_aside_at: key,
    moved: setAside.moved,
  });
  return by === runId ? { kind: "done", result: summaryOf(result) } : { kind: "done-elsewhere", by };
}

function recordOf(summary: Omit<SourceResult, "processedKeys" | "quarantineKeys" | "archiveKey">, key: string): SourceResult {
  return { ...summary, processedKeys: [], quarantineKeys: summary.superseded ? [] : [key], archiveKey: key };
}

/**
 * The version copied to `key` and removed from where it waited. "unmoved": the copy failed (the
 * version stays where it is, set aside); "changed": an unversioned key was overwritten first.
 */
export async function moveAside(
  context: SourceContext,
  source: SourceRef,
  key: string,
  reason: string,
): Promise<"archived" | "changed" | "unmoved"> {
  let copied: "archived" | "changed";
  // The function may not list quarantine/: a refused copy of a version still there means the copy exists.
  const madeBefore = async () => source.versionId !== undefined || (await versionPresent(context, source));
  try {
    copied = await copySourceVersion(context, source, key, { "set-aside-reason": reason }, madeBefore);
  } catch (error) {
    context.log.warn("could not copy the set-aside source to quarantine/; it stays where it waits, and no run processes it", {
      source: source.key,
      error: describeError(error),
    });
    return "unmoved";
  }
  if (copied === "archived") await removeSource(context, source);
  return copied;
}

/** Lines in the exact version, as the line splitter numbers them: one per newline, and a last line without one. */
async function countLines(context: SourceContext, source: SourceRef): Promise<number> {
  if (source.size === 0) return 0;
  let newlines = 0;
  let last = 0x0a;
  for await (const chunk of await context.store.read(source)) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) newlines++;
    if (bytes.length > 0) last = bytes[bytes.length - 1];
  }
  return newlines + (last === 0x0a ? 0 : 1);
}
