import { isDeepStrictEqual } from "node:util";

/**
 * Where moto (5.2.1) reads an attribute back differently from how it was written, so the
 * provider plans to write it again although nothing changed. Each entry names the moto code
 * that causes it (under site-packages/moto/) and matches only that exact difference: any other
 * change to the same attribute is still reported.
 */
export interface ReadBackDifference {
  readonly name: string;
  readonly resourceType: string;
  readonly attribute: string;
  readonly cause: string;
  /** Whether `before` (read back) and `after` (configured) differ only as the emulator makes them. */
  readonly matches: (before: unknown, after: unknown) => boolean;
}

const parsesEqual = (before: unknown, after: unknown) => {
  if (typeof before !== "string" || typeof after !== "string") return false;
  try {
    return isDeepStrictEqual(JSON.parse(before), JSON.parse(after));
  } catch {
    return false;
  }
};

export const KNOWN_READ_BACK_DIFFERENCES: readonly ReadBackDifference[] = [
  {
    name: "lambda-logging-config",
    resourceType: "aws_lambda_function",
    attribute: "logging_config",
    cause:
      "moto's GetFunction/GetFunctionConfiguration return no LoggingConfig (awslambda/models.py, LambdaFunction.get_configuration " +
      "builds the response without it), so the provider reads an empty logging_config back and plans the configured one again",
    matches: (before, after) => Array.isArray(before) && before.length === 0 && Array.isArray(after) && after.length === 1,
  },
  {
    name: "sqs-redrive-policy-spacing",
    resourceType: "aws_sqs_queue",
    attribute: "redrive_policy",
    cause:
      'moto returns RedrivePolicy as json.dumps(self.redrive_policy), with ", " and ": " separators (sqs/models.py, ' +
      "the Queue.attributes property), where the provider wrote compact JSON: the same policy, other spacing",
    matches: parsesEqual,
  },
];

export interface ReplanFinding {
  readonly address: string;
  readonly actions: readonly string[];
  readonly attribute?: string;
  /** The known difference that explains it, if one does. */
  readonly difference?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

interface PlannedChange {
  address: string;
  type: string;
  mode?: string;
  change: { actions: string[]; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; after_unknown?: object };
}

/**
 * Sorts the changes of a plan made right after apply into those the emulator's read-back
 * explains (one finding per attribute) and everything else: any create, delete, replace or
 * read, any output change, and any attribute no known difference matches.
 */
export function classifyReplan(plan: { resource_changes?: PlannedChange[]; output_changes?: Record<string, { actions: string[] }> }): {
  explained: ReplanFinding[];
  unexplained: ReplanFinding[];
} {
  const explained: ReplanFinding[] = [];
  const unexplained: ReplanFinding[] = [];
  for (const change of plan.resource_changes ?? []) {
    const { actions } = change.change;
    if (actions.length === 1 && actions[0] === "no-op") continue;
    if (actions.length !== 1 || actions[0] !== "update") {
      unexplained.push({ address: change.address, actions });
      continue;
    }
    const before = change.change.before ?? {};
    const after = change.change.after ?? {};
    const unknown = (change.change.after_unknown ?? {}) as Record<string, unknown>;
    const attributes = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (key) => !isDeepStrictEqual(before[key], after[key]) || unknown[key] === true,
    );
    for (const attribute of attributes) {
      const finding = { address: change.address, actions, attribute, before: before[attribute], after: after[attribute] };
      const known = KNOWN_READ_BACK_DIFFERENCES.find(
        (d) =>
          d.resourceType === change.type &&
          d.attribute === attribute &&
          unknown[attribute] !== true &&
          d.matches(finding.before, finding.after),
      );
      if (known) explained.push({ ...finding, difference: known.name });
      else unexplained.push(finding);
    }
  }
  for (const [name, output] of Object.entries(plan.output_changes ?? {}))
    if (!(output.actions.length === 1 && output.actions[0] === "no-op"))
      unexplained.push({ address: `output.${name}`, actions: output.actions });
  return { explained, unexplained };
}
