import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where each stack's (and the module's) address contract lives: every address its state may hold. */
export const CONTRACT_DIRECTORY = join(__dirname, "..", "..", "state-contract");

export interface ContractCheck {
  /** Addresses in the contract that the configuration no longer declares and no moved block carries: a plan would destroy them. */
  readonly gone: string[];
  /** Addresses the configuration declares that the contract does not list yet. */
  readonly unrecorded: string[];
  /** Contract addresses carried by moved blocks, old → new. */
  readonly moved: Array<[from: string, to: string]>;
}

/** Resource addresses (type.name, without instance keys) a synthesized configuration declares. */
export function declaredAddresses(document: { resource?: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.resource ?? {})
    .flatMap(([type, items]) => Object.keys(items).map((name) => `${type}.${name}`))
    .sort();
}

/**
 * Checks a configuration against its contract: each address any release has had must still be
 * declared, or be carried by a `moved` block to one that is; each declared address must be
 * recorded, so that renaming it later is held to the same rule.
 */
export function checkContract(
  contract: readonly string[],
  document: { resource?: Record<string, Record<string, unknown>>; moved?: Array<{ from: string; to: string }> },
): ContractCheck {
  const declared = new Set(declaredAddresses(document));
  const movedTo = new Map((document.moved ?? []).map((m) => [m.from, m.to]));
  const base = (address: string) => address.replace(/\[[^\]]*\]$/, "");
  const gone: string[] = [];
  const moved: Array<[string, string]> = [];
  for (const address of contract) {
    if (declared.has(address)) continue;
    const to = movedTo.get(address);
    if (to !== undefined && declared.has(base(to))) moved.push([address, to]);
    else gone.push(address);
  }
  const recorded = new Set(contract);
  return { gone, unrecorded: [...declared].filter((a) => !recorded.has(a)), moved };
}

export function contractFile(name: string): string {
  return join(CONTRACT_DIRECTORY, `${name}.json`);
}

export function readContract(name: string): string[] {
  const file = contractFile(name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as string[]) : [];
}

/** Adds the declared addresses to the contract; never removes one (a release may have them in state). */
export function recordAddresses(name: string, declared: readonly string[]): string[] {
  const merged = [...new Set([...readContract(name), ...declared])].sort();
  writeFileSync(contractFile(name), `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
