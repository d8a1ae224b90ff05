import { type SourceResult, type SourceSummary, summaryOf } from "../protocol/run-record";
import { runKeys } from "../protocol/run-ref";
import { readJson } from "../protocol/store";
import type { SourceContext } from "./handle-source";
import { versionPresent } from "./list-sources";
import { acquireClaim, legacyFinished, type SourceClaim } from "./source-claim";

/**
 * Every source the run counts, across all its attempts: those this attempt finished (in hand),
 * and those an earlier attempt noted in the run's sources/ folder, each checked against its
 * claim: counted when the claim names this run; dropped when it names another; finished here
 * when the earlier attempt removed it from where it waited but crashed before naming itself.
 */
export async function runSources(context: SourceContext, runId: string, inHand: readonly SourceSummary[]): Promise<SourceSummary[]> {
  const byId = new Map(inHand.map((r) => [r.id, r]));
  const prefix = runKeys(runId).sourcesPrefix;
  const earlier: string[] = [];
  for await (const object of context.store.list(prefix)) {
    const id = object.key.slice(prefix.length).replace(/\.json$/, "");
    if (!byId.has(id)) earlier.push(id);
  }
  for (const id of earlier) {
    const counted = await countedHere(context, runId, id);
    if (counted) byId.set(id, counted);
  }
  return [...byId.values()];
}

async function countedHere(context: SourceContext, runId: string, id: string): Promise<SourceSummary | undefined> {
  const result = (await readJson<SourceResult>(context.store, runKeys(runId).sourceResult(id), false))?.value;
  const claim = (await readJson<SourceClaim>(context.store, context.layout.claimKey(id)))?.value;
  if (!result || !claim) return undefined;
  const finished = await legacyFinished(context, claim, id);
  if (finished) return finished.by === runId ? summaryOf(result) : undefined;
  const source = {
    key: claim.source,
    etag: claim.etag,
    size: claim.size,
    lastModified: claim.lastModified,
    ...(claim.versionId ? { versionId: claim.versionId } : {}),
  };
  // Still in incoming/: it waits for a run to finish it, and that run counts it.
  if (result.superseded ? false : await versionPresent(context, source)) return undefined;
  const taken = await acquireClaim(context, runId, id, source, claim.outputs, { heartbeat: false });
  if (taken.kind !== "held") return taken.kind === "refused" && taken.state.finished?.by === runId ? summaryOf(result) : undefined;
  const named = await taken.lease.release((state) => ({
    ...state,
    finished: { by: runId, lines: result.lines, processed: result.processed, quarantined: result.quarantined },
  }));
  return named ? summaryOf(result) : undefined;
}
