import { listObjects, readJson } from "../../commons/s3-objects";
import type { SourceContext } from "../sources/handle-source";
import type { SourceResult } from "./run-record";
import { runKeys } from "./run-ref";

/**
 * Every source a run has recorded, across all its attempts: the results this attempt already
 * holds, and the others read from the run's sources/ folder (only those not in hand).
 */
export async function recordedSources(context: SourceContext, runId: string, inHand: readonly SourceResult[]): Promise<SourceResult[]> {
  const byId = new Map(inHand.map((r) => [r.id, r]));
  const prefix = runKeys(runId).sourcesPrefix;
  const missing: string[] = [];
  for await (const object of listObjects(context.s3, context.bucket, prefix)) {
    const id = object.key.slice(prefix.length).replace(/\.json$/, "");
    if (!byId.has(id)) missing.push(object.key);
  }
  for (const key of missing) {
    const found = await readJson<SourceResult>(context.s3, context.bucket, key, false);
    if (found) byId.set(found.value.id, found.value);
  }
  return [...byId.values()];
}
