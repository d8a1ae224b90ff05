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
  /** The module's side (one validation block, or several where one would be too long to read), or why it has none. */
  readonly hcl: HclValidation | readonly HclValidation[] | { readonly none: string };
}

/** What a rule needs to know beside the config. */
export interface RuleContext {
  /** Tag keys the product adds to its most-tagged resource (the stacks' default tags, a resource's own). */
  readonly addedTagKeys: readonly string[];
  /** Loads an own task's entry file (the construct's and the stacks' bundling): its tasks are checked only where it is given. */
  readonly loadTask?: TaskLoader;
}

/**
 * An own task as its entry file defines it, loaded (modules/bundling/task-bundle.ts, which the
 * config may not import: the construct and the stacks pass it in). Throws, saying why, when the
 * entry is missing, fails to load, or exports no task.
 */
export type TaskLoader = (entry: string) => {
  readonly name: string;
  /** The `payload.<field>: <reason>` lines a schedule's payload would be refused with; none when it fits. */
  payloadProblems(payload: unknown): string[];
};

export interface HclValidation {
  /** The variable whose validation block it is (Terraform runs it with that variable's). */
  readonly variable: string;
  /** Holds for good inputs. */
  readonly condition: string;
  /** The message: names each field at fault with its path, and the item. */
  readonly message: string;
  /**
   * Constants the condition or message reads, as HCL values by local name (validations.tf holds
   * them). Constants only: a validation that read a local derived from its own variable would be a cycle.
   */
  readonly locals?: Readonly<Record<string, string>>;
}

/** The validation blocks of a rule's module side (none for a rule the module cannot say). */
export function hclValidations(rule: CrossFieldRule): readonly HclValidation[] {
  if (Array.isArray(rule.hcl)) return rule.hcl;
  return "variable" in rule.hcl ? [rule.hcl as HclValidation] : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The items of a list field of the raw config, or none. */
export function itemsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
