import { type Acquired, Lease, type LeaseBody, type LeaseContext } from "../protocol/lease";
import type { SourceResult } from "../protocol/run-record";
import { runKeys } from "../protocol/run-ref";
import { readJson } from "../protocol/store";
import type { SourceOutputKeys, SourceRef } from "./source-identity";
import type { SourceLayout } from "./source-layout";

/** The run that finished a source, and what it counts: the one count of the source's lines. */
export interface FinishedSource {
  readonly by: string;
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  /** The source kept failing and was set aside whole instead of processed (sources/set-aside.ts). */
  readonly setAside?: SetAside;
}

/** Why a source was set aside, after how many failed attempts, and where it went. */
export interface SetAside {
  readonly reason: string;
  readonly attempts: number;
  /** `quarantine/<day>/<name>.<identity>.set-aside<extension>`. */
  readonly key: string;
  /** False while the version could not be copied there: it stays in incoming/, and no run processes it. */
  readonly moved: boolean;
}

/**
 * `claims/<source id>.json` (an own task's: `claims/<task>/<source id>.json`): one source
 * version, its output keys, and the lease of the run working on it. The first run to create it
 * owns the source (`owner`: its sources/ folder holds the source's recorded result); a run may
 * take the lease over once it is released or expired. Whichever run removes the source from
 * where it waited writes `finished`, and only that run's summary counts it.
 */
export interface SourceClaimState {
  readonly source: string;
  readonly versionId?: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
  readonly outputs: SourceOutputKeys;
  /** The run that processed the source (or is processing it now). */
  readonly owner: string;
  /** Runs whose unrecorded work was taken over, oldest first. */
  readonly takenOverFrom?: readonly string[];
  /** Invocations that tried the source and gave up on it; at MAX_SOURCE_ATTEMPTS it is set aside. */
  readonly failedAttempts?: number;
  /** The last of those failures, as `<error name>: <message>`. */
  readonly lastFailure?: string;
  readonly finished?: FinishedSource;
}

export type SourceClaim = LeaseBody<SourceClaimState>;

export interface ClaimContext extends LeaseContext {
  /** Where the claims of the task's sources are kept. */
  readonly layout: SourceLayout;
}

/** Whether `run` has recorded the source's result in its sources/ folder. */
export function hasRecorded(context: ClaimContext, run: string, id: string): Promise<boolean> {
  return context.store.exists(runKeys(run).sourceResult(id));
}

export function readRecordedResult(context: ClaimContext, run: string, id: string): Promise<SourceResult | undefined> {
  return readJson<SourceResult>(context.store, runKeys(run).sourceResult(id)).then((found) => found?.value);
}

/**
 * A claim written by a release before 0.3 has no `holder`: its owner counted the source once
 * it had recorded it, whoever removed it later. Read as finished by its owner, so no run counts it again.
 */
export async function legacyFinished(context: ClaimContext, claim: SourceClaim, id: string): Promise<FinishedSource | undefined> {
  if (claim.holder !== undefined || claim.finished) return claim.finished;
  const result = await readRecordedResult(context, claim.owner, id);
  return result ? { by: claim.owner, lines: result.lines, processed: result.processed, quarantined: result.quarantined } : undefined;
}

export interface ClaimLeaseOptions {
  /** @default the store's lease TTL, renewed while held */
  readonly ttlMs?: number;
  readonly heartbeat?: boolean;
}

/**
 * Takes the claim of `source` for the run `runId`: creates it, or takes a released or expired
 * lease over (a run's own earlier attempt's claims are its own). A finished claim is refused:
 * its state tells who counts the source. A run taking over work nobody recorded becomes its owner.
 */
export async function acquireClaim(
  context: ClaimContext,
  runId: string,
  id: string,
  source: SourceRef,
  outputs: SourceOutputKeys,
  options: ClaimLeaseOptions = {},
): Promise<Acquired<SourceClaimState>> {
  const initial = (): SourceClaimState => ({
    source: source.key,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    etag: source.etag,
    size: source.size,
    lastModified: source.lastModified,
    outputs,
    owner: runId,
  });
  let legacy: FinishedSource | undefined;
  const taken = await Lease.tryAcquire<SourceClaimState>(context, context.layout.claimKey(id), runId, {
    initial,
    ttlMs: options.ttlMs,
    heartbeat: options.heartbeat,
    refuse: async (claim) => {
      legacy = await legacyFinished(context, claim, id);
      return legacy !== undefined;
    },
  });
  if (taken.kind === "refused") return { kind: "refused", state: { ...taken.state, finished: legacy } };
  if (taken.kind !== "held" || taken.created || taken.state.owner === runId) return taken;
  if (await hasRecorded(context, taken.state.owner, id)) return taken; // recorded: this run only finishes it
  const previous = taken.state.owner;
  const adopted = await taken.lease.update((state) => ({
    ...state,
    owner: runId,
    takenOverFrom: [...(state.takenOverFrom ?? []), previous],
  }));
  if (!adopted) return { kind: "busy", state: taken.lease.state };
  return { kind: "held", lease: taken.lease, state: taken.lease.state, created: false };
}

/**
 * Writes `finished` into the claim (the same write lets the lease go); returns the run the
 * claim names once it is finished: `runId`, or the run that finished it first.
 */
export async function finishClaim(
  context: ClaimContext,
  runId: string,
  id: string,
  source: SourceRef,
  lease: Lease<SourceClaimState>,
  finished: FinishedSource,
): Promise<string> {
  if (await lease.release((state) => ({ ...state, finished }))) return runId;
  // The lease slipped (it expired, or another run took it): take it again if no one else holds it.
  // A finished claim is refused, so one taken here is still unfinished.
  const again = await acquireClaim(context, runId, id, source, lease.state.outputs);
  if (again.kind === "refused") return again.state.finished!.by;
  if (again.kind === "busy") throw new Error(`claim of ${source.key} was taken by ${again.state.holder} before this run could finish it`);
  if (await again.lease.release((state) => ({ ...state, finished }))) return runId;
  throw new Error(`claim of ${source.key} changed while this run finished it`);
}
