import type { TerraformResource } from "cdktf";
import { makeUniqueId } from "cdktf/lib/private/unique";
import type { IConstruct } from "constructs";

/**
 * Where a resource lived before addresses were pinned (release 0.1): its construct path below
 * the stack, from which CDKTF derived its logical id. Collections (for_each) had one resource
 * per key; `legacyPathOf` gives each key's path.
 */
export type LegacyPlace =
  | { readonly kind: "single"; readonly path: string }
  | { readonly kind: "collection"; readonly keys: readonly string[]; readonly pathOf: (key: string) => string };

interface Pin {
  readonly address: string;
  readonly legacy?: LegacyPlace;
  /** Addresses this resource had before a later rename. */
  readonly previously: string[];
}

const pins = new WeakMap<IConstruct, Pin>();

/**
 * Gives a resource a fixed, readable address (`aws_s3_bucket.data`) that does not depend on
 * where its construct sits in the tree, so moving code never moves state. `legacyPath` records
 * the construct path it had in release 0.1, for the `moved` block that carries old state over.
 */
export function pin<T extends TerraformResource>(resource: T, name: string, legacyPath?: string): T {
  resource.overrideLogicalId(name);
  pins.set(resource, {
    address: `${resource.terraformResourceType}.${name}`,
    legacy: legacyPath ? { kind: "single", path: legacyPath } : undefined,
    previously: [],
  });
  return resource;
}

/**
 * Records that a pinned resource used to have another name (`aws_sqs_queue.work` before it was
 * renamed, say): the stack then carries that address's state over with a `moved` block. This is
 * how to rename a resource without destroying it (see docs/state-safety.md, "Renaming a resource safely").
 */
export function previouslyNamed<T extends TerraformResource>(resource: T, ...names: string[]): T {
  const pinned = pins.get(resource);
  if (!pinned) throw new Error("pin the resource before recording its previous names");
  pinned.previously.push(...names.map((name) => `${resource.terraformResourceType}.${name}`));
  return resource;
}

/** As `pin`, for a `for_each` resource whose keys (when known) each had their own resource in 0.1. */
export function pinCollection<T extends TerraformResource>(
  resource: T,
  name: string,
  keys: readonly string[] | undefined,
  legacyPathOf?: (key: string) => string,
): T {
  resource.overrideLogicalId(name);
  pins.set(resource, {
    address: `${resource.terraformResourceType}.${name}`,
    legacy: keys && legacyPathOf ? { kind: "collection", keys, pathOf: legacyPathOf } : undefined,
    previously: [],
  });
  return resource;
}

/** A `moved` block: Terraform carries the state at `from` over to `to` instead of destroying it. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** The moved blocks that carry every earlier address under `root` (release 0.1's, and renames since) to its pinned address. */
export function movedBlocksUnder(root: IConstruct): MovedBlock[] {
  const moved: MovedBlock[] = [];
  for (const construct of root.node.findAll()) {
    const pinned = pins.get(construct);
    if (!pinned) continue;
    for (const from of pinned.previously) moved.push({ from, to: pinned.address });
    if (!pinned.legacy) continue;
    const type = pinned.address.split(".")[0];
    const legacyAddress = (path: string) => `${type}.${makeUniqueId(path.split("/"))}`;
    if (pinned.legacy.kind === "single") moved.push({ from: legacyAddress(pinned.legacy.path), to: pinned.address });
    else
      for (const key of pinned.legacy.keys)
        moved.push({ from: legacyAddress(pinned.legacy.pathOf(key)), to: `${pinned.address}[${JSON.stringify(key)}]` });
  }
  return moved;
}

/** The pinned address of every resource under `root`. */
export function pinnedAddresses(root: IConstruct): string[] {
  return root.node.findAll().flatMap((c) => (pins.has(c) ? [pins.get(c)!.address] : []));
}
