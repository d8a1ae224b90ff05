import { markdownTable } from "./markdown";

/** Resource types that hold data or state a destroy loses for good, and what is lost. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: "holds the task data: sources, processed records, quarantine, archive, run records",
  aws_kms_key: "data encrypted with a deleted key can never be read again",
  aws_sns_topic: "its subscriptions go with it, and every recipient must confirm again",
  aws_sqs_queue: "holds failed events and queued work",
  aws_scheduler_schedule_group: "deleting a group deletes every schedule in it, one-time ones included",
  aws_cloudwatch_log_group: "holds the functions' logs",
  aws_dynamodb_table: "holds table data",
  aws_db_instance: "holds a database",
  aws_rds_cluster: "holds a database",
  aws_efs_file_system: "holds files",
  aws_secretsmanager_secret: "holds a secret",
};

/** What Terraform says about why it deletes or replaces (`action_reason` in the plan's JSON). */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "the object is tainted",
  replace_because_cannot_update: "an argument that cannot change in place changed",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config: "the configuration no longer declares it",
  delete_because_no_module: "its module is gone from the configuration",
  delete_because_wrong_repetition: "count / for_each was added or removed",
  delete_because_count_index: "its count index is out of range",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_move_target: "a moved block's target is not declared",
};

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: "delete" | "replace";
  /** Terraform's reason, in words, and the arguments that forced a replacement. */
  readonly reason: string;
  /** Why losing it matters, for stateful types. */
  readonly stateful?: string;
  /** The environment's waiver reason, when one names exactly this address. */
  readonly waivedBecause?: string;
}

export interface PlanGuard {
  /** Every delete and replace in the plan. */
  readonly changes: PlannedChange[];
  /** Deletes and replaces of stateful resources no waiver names: the plan must not be applied as it is. */
  readonly blocking: PlannedChange[];
  /** Resources the plan moves (moved blocks), old address → new. */
  readonly moves: Array<[from: string, to: string]>;
  /** Resources the plan imports into state. */
  readonly imports: string[];
  /** Waivers that named no planned destroy: remove them. */
  readonly unusedWaivers: Array<{ address: string; reason: string }>;
}

interface PlanResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly type: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
    readonly importing?: unknown;
  };
}

/**
 * Reads a plan (`terraform show -json`) for what it would destroy. A delete or replace of a
 * stateful resource blocks the plan unless the environment's config waives exactly that
 * address, with its reason; every other delete and replace is listed for the reviewer.
 */
export function guardPlan(
  plan: { resource_changes?: readonly PlanResourceChange[] },
  waivers: ReadonlyArray<{ address: string; reason: string }> = [],
): PlanGuard {
  const changes: PlannedChange[] = [];
  const moves: Array<[string, string]> = [];
  const imports: string[] = [];
  const used = new Set<string>();
  for (const resource of plan.resource_changes ?? []) {
    const actions = resource.change.actions;
    if (resource.previous_address && resource.previous_address !== resource.address)
      moves.push([resource.previous_address, resource.address]);
    if (resource.change.importing) imports.push(resource.address);
    if (!actions.includes("delete")) continue;
    const action = actions.includes("create") ? "replace" : "delete";
    const paths = (resource.change.replace_paths ?? []).map((path) => path.map(String).join("."));
    const reason = [
      ACTION_REASONS[resource.action_reason ?? ""] ?? (action === "replace" ? "Terraform must replace it" : "Terraform will delete it"),
      paths.length > 0 ? `(${paths.join(", ")})` : "",
    ]
      .filter(Boolean)
      .join(" ");
    const waiver = waivers.find((w) => w.address === resource.address);
    if (waiver) used.add(waiver.address);
    changes.push({
      address: resource.address,
      type: resource.type,
      action,
      reason,
      stateful: STATEFUL_TYPES[resource.type],
      waivedBecause: waiver?.reason,
    });
  }
  return {
    changes,
    blocking: changes.filter((c) => c.stateful && !c.waivedBecause),
    moves,
    imports,
    unusedWaivers: waivers.filter((w) => !used.has(w.address)),
  };
}

/** The guard's findings as Markdown for the pull request. */
export function renderPlanGuard(guard: PlanGuard): string {
  const lines: string[] = [];
  if (guard.changes.length === 0) lines.push("Nothing is deleted or replaced.");
  else {
    lines.push(
      markdownTable(
        ["address", "action", "why Terraform does it", "what is lost", "verdict"],
        guard.changes.map((c) => [
          c.address,
          c.action,
          c.reason,
          c.stateful ?? "nothing kept",
          c.waivedBecause
            ? `waived: ${c.waivedBecause}`
            : c.stateful
              ? "**blocked**: stateful; waive it in destroyWaivers or change the plan"
              : "allowed",
        ]),
      ),
    );
  }
  if (guard.moves.length > 0)
    lines.push(
      "",
      `Moved, state carried to the new address (${guard.moves.length}):`,
      "",
      ...guard.moves.map(([from, to]) => `- \`${from}\` → \`${to}\``),
    );
  if (guard.imports.length > 0) lines.push("", "Imported into state:", "", ...guard.imports.map((a) => `- \`${a}\``));
  if (guard.unusedWaivers.length > 0)
    lines.push(
      "",
      "Destroy waivers that name nothing in this plan (remove them):",
      "",
      ...guard.unusedWaivers.map((w) => `- \`${w.address}\`: ${w.reason}`),
    );
  return lines.join("\n");
}
