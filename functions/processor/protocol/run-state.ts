import type { LeaseBody, LeaseContext } from "./lease";
import { isFinalStatus, type RunRecord, readRunRecord } from "./run-record";
import { type RunRef, runKeys } from "./run-ref";
import { readJson } from "./store";

/**
 * Where one scheduled run is, in order:
 *
 * - `absent`: no attempt has kept anything, and none holds the run now.
 * - `leased`: an attempt holds the run's lease (`runs/.../lease.json`) and is working on it.
 * - `recorded`: its summary is kept but not announced (an attempt failed to publish it).
 * - `published`: its notice and metrics went out. A complete (or skipped) published run is done
 *   for good: a rerun or replay writes nothing. A partial one may be continued by a rerun.
 */
export type RunState =
  | { readonly kind: "absent" }
  | { readonly kind: "leased"; readonly holder: string }
  | { readonly kind: "recorded"; readonly record: RunRecord }
  | { readonly kind: "published"; readonly record: RunRecord };

/**
 * The state of `run`, from its summary and, when it has none, its lease. `heldBy`: the caller
 * holds the lease itself, so it need not be read.
 */
export async function readRunState(context: LeaseContext, run: RunRef, heldBy?: string): Promise<RunState> {
  const record = await readRunRecord(context.store, run);
  if (record) return record.published ? { kind: "published", record } : { kind: "recorded", record };
  if (heldBy !== undefined) return { kind: "leased", holder: heldBy };
  const lease = await readJson<LeaseBody>(context.store, runKeys(run).lease);
  return lease && lease.value.expiresAt > context.now() ? { kind: "leased", holder: lease.value.holder } : { kind: "absent" };
}

/** Done for good (completed, or skipped on an excluded date): a rerun or replay has nothing to add and writes nothing. */
export function isDone(state: RunState): boolean {
  return state.kind === "published" && isFinalStatus(state.record.status);
}

/** The record an earlier attempt kept, if any. */
export function recordOf(state: RunState): RunRecord | undefined {
  return state.kind === "recorded" || state.kind === "published" ? state.record : undefined;
}
