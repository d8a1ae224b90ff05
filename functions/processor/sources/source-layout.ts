import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { ownTaskSourceKeys, type SourceOutputKeys, type SourceRef, setAsideKey, sourceOutputKeys } from "./source-identity";

/**
 * Where the protocol keeps what it knows of a task's sources: their claims, their archive and
 * where a source that kept failing is set aside. The built-in tasks' sources wait in incoming/
 * and keep the layout releases before 0.4 wrote (claims/<id>.json, archive/<day>/…); an own
 * task's sources wait under prefixes of its own, and everything the protocol writes about them
 * sits in folders named for the task, so its function is granted those folders and no others.
 */
export interface SourceLayout {
  /** `claims/<id>.json`, or `claims/<task>/<id>.json`. */
  claimKey(id: string): string;
  outputsOf(source: Pick<SourceRef, "key" | "lastModified" | "versionId">, id: string): SourceOutputKeys;
  setAsideKeyOf(source: Pick<SourceRef, "key" | "lastModified" | "versionId">, id: string): string;
  /** Refuses a prefix sources may not be listed from: the reason, or undefined when it may. */
  refusePrefix(prefix: string): string | undefined;
  /** Where the sources a run leaves wait for the next one, as its notice names it. */
  readonly waitingIn: string;
}

/** data_processing's sources: everything under incoming/. */
export const INCOMING_LAYOUT: SourceLayout = {
  claimKey: (id) => `${BUCKET_LAYOUT.claims.prefix}${id}.json`,
  outputsOf: sourceOutputKeys,
  setAsideKeyOf: setAsideKey,
  refusePrefix: (prefix) =>
    prefix.startsWith(BUCKET_LAYOUT.incoming.prefix)
      ? undefined
      : `must be under ${BUCKET_LAYOUT.incoming.prefix}, got ${JSON.stringify(prefix)}`,
  waitingIn: BUCKET_LAYOUT.incoming.prefix,
};

/** The prefixes the product keeps for itself: an own task reads none of them. */
export const RESERVED_PREFIXES: readonly string[] = Object.values(BUCKET_LAYOUT).map((area) => area.prefix);

/** An own task's sources: under the prefixes it declares, outside the product's own areas. */
export function ownTaskLayout(task: string): SourceLayout {
  return {
    claimKey: (id) => `${BUCKET_LAYOUT.claims.prefix}${task}/${id}.json`,
    outputsOf: (source, id) => ({ archive: ownTaskSourceKeys(task, source, id).archive }),
    setAsideKeyOf: (source, id) => ownTaskSourceKeys(task, source, id).setAside,
    refusePrefix: (prefix) => {
      if (prefix.length === 0) return "must not be empty: name the prefix the task's sources wait under, such as ledger/in/";
      if (prefix.startsWith("/") || prefix.split("/").includes(".."))
        return `must be a key prefix without "..", got ${JSON.stringify(prefix)}`;
      const reserved = RESERVED_PREFIXES.find((area) => prefix.startsWith(area) || area.startsWith(prefix));
      return reserved ? `must not overlap ${reserved}, which the product keeps for itself, got ${JSON.stringify(prefix)}` : undefined;
    },
    waitingIn: "their prefix",
  };
}
