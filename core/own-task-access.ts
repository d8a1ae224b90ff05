import { BUCKET_LAYOUT, type PrefixAccess } from "./bucket-layout";
import { refuseTaskName } from "./task-types";

/**
 * What an own task's function may do in the environment's bucket, as data the grants are
 * derived from (as the processor's come from BUCKET_LAYOUT): the run protocol's areas, each
 * named for the task, and exactly the prefixes the task declares, `reads` where its sources
 * wait and `writes` where its outputs go. Nothing of the built-in tasks' areas (incoming/,
 * processed/, reports/, their claims and runs) and nothing of another own task's.
 *
 * runs/<task>/        its run records, leases, per-source and failed-attempt records
 * claims/<task>/      one claim per source: who holds it, and the run that counts it
 * archive/<task>/     each source once the task handled it (a copy that only creates)
 * quarantine/<task>/  a source set aside whole after it kept failing
 * failed/             a rejected event too large for the failure queue, kept whole
 *
 * `list` serves existence checks too (S3 answers a GET of a missing key with 403 unless the
 * caller may list it), which is why the task's archive is listed and its quarantine is not.
 */
export interface OwnTaskDeclaration {
  readonly name: string;
  /** Prefixes the task's sources wait under (forEachSource's prefixes lie within them), such as `ledger/in/`. */
  readonly reads: readonly string[];
  /** Prefixes the task writes its outputs under, such as `ledger/out/`. */
  readonly writes: readonly string[];
}

export interface PrefixGrant {
  readonly prefix: string;
  readonly access: readonly PrefixAccess[];
  readonly purpose: string;
}

/** The protocol's own areas for task `name`: every own task gets these. */
export function protocolAreas(name: string): PrefixGrant[] {
  return [
    {
      prefix: `${BUCKET_LAYOUT.runs.prefix}${name}/`,
      access: ["read", "write", "list"],
      purpose: "its run records, leases and per-source records",
    },
    { prefix: `${BUCKET_LAYOUT.claims.prefix}${name}/`, access: ["read", "write", "list"], purpose: "one claim per source" },
    { prefix: `${BUCKET_LAYOUT.archive.prefix}${name}/`, access: ["write", "list"], purpose: "each source once handled" },
    { prefix: `${BUCKET_LAYOUT.quarantine.prefix}${name}/`, access: ["write"], purpose: "sources set aside after failing" },
    { prefix: BUCKET_LAYOUT.failed.prefix, access: ["write"], purpose: "rejected events too large for the failure queue" },
  ];
}

/** Where the task's sources wait: read exactly one version, list them and their versions, and remove each once archived. */
export const SOURCE_ACCESS: readonly PrefixAccess[] = ["read", "readVersion", "delete", "deleteVersion", "list", "listVersions"];
/** Where its outputs go: written whole, or in parts (an upload a failed run aborts). */
export const OUTPUT_ACCESS: readonly PrefixAccess[] = ["write", "abortUpload"];

/** Every prefix grant of an own task's function in the bucket: the protocol's areas, then its reads and its writes. */
export function ownTaskBucketAccess(task: OwnTaskDeclaration): PrefixGrant[] {
  return [
    ...protocolAreas(task.name),
    ...task.reads.map((prefix) => ({ prefix, access: SOURCE_ACCESS, purpose: "the task's sources" })),
    ...task.writes.map((prefix) => ({ prefix, access: OUTPUT_ACCESS, purpose: "the task's outputs" })),
  ];
}

/** Beyond the bucket: announce on the environment's topic, and keep a rejected event in the failure queue. */
export const OWN_TASK_SERVICE_ACTIONS = { topic: ["sns:Publish"], failureQueue: ["sqs:SendMessage"] } as const;

const RESERVED = Object.values(BUCKET_LAYOUT).map((area) => area.prefix);

/** The rule a task's prefix keeps, in the words of every message. */
export const TASK_PREFIX_RULE = "must be a key prefix ending in / (no leading /, no empty or .. segment)";

/**
 * What is wrong with one of a task's prefixes, or undefined: not a plain key prefix ending in
 * `/`, or overlapping the product's own areas (it may lie neither within one nor around one).
 */
export function prefixProblem(prefix: unknown): string | undefined {
  if (
    typeof prefix !== "string" ||
    !/^[^/].*\/$/.test(prefix) ||
    prefix.split("/").some((s, i, all) => s === ".." || (s === "" && i < all.length - 1))
  )
    return `${TASK_PREFIX_RULE}, got ${JSON.stringify(prefix) ?? String(prefix)}`;
  const reserved = RESERVED.find((area) => prefix.startsWith(area) || area.startsWith(prefix));
  return reserved ? `must not overlap ${reserved}, which the product keeps for itself, got "${prefix}"` : undefined;
}

/** A write prefix that overlaps a read prefix (its outputs would come back as sources), as `writes[w]: <reason>`. */
export function overlapProblems(reads: readonly unknown[], writes: readonly unknown[]): string[] {
  const problems: string[] = [];
  for (const [r, read] of reads.entries())
    for (const [w, write] of writes.entries())
      if (typeof read === "string" && typeof write === "string" && (read.startsWith(write) || write.startsWith(read)))
        problems.push(
          `writes[${w}]: must not overlap reads[${r}] ("${read}"): the task's outputs would come back as its sources, got "${write}"`,
        );
  return problems;
}

/**
 * What is wrong with a task's declaration, each as `<field>: <reason>` (field paths under the
 * task), all at once: a name that cannot be a task's, a prefix that is not a plain key prefix
 * ending in `/`, that overlaps the product's own areas, or a read prefix that overlaps a write
 * prefix (its outputs would come back as sources).
 */
export function declarationProblems(task: OwnTaskDeclaration): string[] {
  const problems: string[] = [];
  const name = refuseTaskName(task.name);
  if (name) problems.push(`name: ${name}`);
  for (const field of ["reads", "writes"] as const)
    task[field].forEach((prefix, at) => {
      const problem = prefixProblem(prefix);
      if (problem) problems.push(`${field}[${at}]: ${problem}`);
    });
  return [...problems, ...overlapProblems(task.reads, task.writes)];
}
