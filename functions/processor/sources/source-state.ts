import type { SourceResult } from "../protocol/run-record";
import { type ClaimContext, type FinishedSource, legacyFinished, readRecordedResult, type SourceClaim } from "./source-claim";

/**
 * Where one source is in its protocol, in order. Every step finds the previous one's work:
 *
 * - `claimed`: a run holds the claim's lease; nothing is kept yet.
 * - `outputs_written`: its lines are in processed/ and quarantine/ (not kept as a state: the
 *   outputs are keyed by the source and rebuilt byte for byte, so a retry just writes them again).
 * - `recorded`: the owner kept its result in `runs/<owner>/sources/<id>.json`; nobody reads it again.
 * - `archived`: the version is copied to archive/ (found again by the copy's If-None-Match).
 * - `removed`: the version is gone from incoming/ and the claim names the run that counts it.
 */
export type SourceStage = "claimed" | "outputs_written" | "recorded" | "archived" | "removed";

export type SourceState =
  | { readonly stage: "claimed" }
  | { readonly stage: "recorded"; readonly result: SourceResult }
  | { readonly stage: "removed"; readonly finished: FinishedSource };

/** The persisted state of a source, from its claim (and its owner's record). */
export async function readSourceState(context: ClaimContext, claim: SourceClaim, id: string): Promise<SourceState> {
  const finished = await legacyFinished(context, claim, id);
  if (finished) return { stage: "removed", finished };
  const result = await readRecordedResult(context, claim.owner, id);
  return result ? { stage: "recorded", result } : { stage: "claimed" };
}
