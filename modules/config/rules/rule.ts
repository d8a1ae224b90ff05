/** One problem a rule finds: the field's path in the config (camelCase) and the reason. */
export type Finding = readonly [path: string, reason: string];

/**
 * A rule over several fields, stated once: the TypeScript check the stacks and the construct run
 * on the raw config (so it runs even where shapes fail), and the same rule as the Terraform
 * module's validation block on one of its variables. HCL messages are `format(...)` expressions,
 * so the HCL here needs no escaping; the renderer places it as written.
 */
export interface CrossFieldRule {
  /** What the rule keeps true, for the references. */
  readonly summary: string;
  readonly check: (config: Readonly<Record<string, unknown>>, context: RuleContext) => Finding[];
  /** The module's side, or why it has none. */
  readonly hcl: HclValidation | { readonly none: string };
}

/** What a rule needs to know beside the config. */
export interface RuleContext {
  /** Tag keys the product adds to its most-tagged resource (the stacks' default tags, a resource's own). */
  readonly addedTagKeys: readonly string[];
}

export interface HclValidation {
  /** The variable whose validation block it is (Terraform runs it with that variable's). */
  readonly variable: string;
  /** Holds for good inputs. */
  readonly condition: string;
  /** The message: names each field at fault with its path, and the item. */
  readonly message: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The items of a list field of the raw config, or none. */
export function itemsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
