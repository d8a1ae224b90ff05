import { describeIssue } from "../../core/zod-messages";
import { withDefaults } from "./defaults";
import { formatPath } from "./path";
import { CROSS_FIELD_RULES } from "./rules";
import { type EnvironmentConfig, type EnvironmentFile, environmentSchema } from "./schema";

export { formatPath };

/** One thing wrong with an environment config, located by its field path. */
export interface ConfigProblem {
  readonly environment: string;
  /** Field path such as `schedules[2].retry.maxAttempts`. */
  readonly path: string;
  readonly reason: string;
  /** An environment asked for by name that does not exist: a usage error, not a config one. */
  readonly unknownEnvironment?: true;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.unknownEnvironment ? problem.reason : `${problem.environment}.${problem.path}: ${problem.reason}`;
}

/** Thrown when one or more environment configs are invalid; carries every problem found. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`invalid environment configuration:\n${problems.map(formatProblem).join("\n")}`);
  }

  /** What a command exits with: 2 when it was only asked for environments that do not exist (a usage error), else 1. */
  get exitCode(): 1 | 2 {
    return this.problems.every((p) => p.unknownEnvironment) ? 2 : 1;
  }
}

export type ValidationResult =
  | { readonly ok: true; readonly config: EnvironmentConfig; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export interface ValidateOptions {
  /** Name the config must carry, e.g. the file it was loaded from. */
  readonly expectedName?: string;
  /** Where the config came from, for the message (defaults to environments/<name>.ts). */
  readonly source?: string;
  /**
   * This repository's stacks: they keep state in `backend`, pin the provider to `account` and
   * `region`, and name resources by `projectName`, so those are required (the construct defaults them).
   */
  readonly requireBackend?: boolean;
}

/** What this repository's environment files must spell out, though the construct and the module default them. */
const REQUIRED_IN_ENVIRONMENT_FILES = ["projectName", "account", "region"] as const;

/**
 * Validates a raw environment config against the schema and the rules that span fields.
 * Every problem is collected; nothing stops at the first.
 */
export function validateEnvironment(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const label = environmentLabel(raw, options.expectedName);
  const problems: ConfigProblem[] = [];
  const add = (path: string, reason: string) => problems.push({ environment: label, path, reason });

  const parsed = environmentSchema.safeParse(raw, { error: describeIssue });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) add(formatPath([...issue.path, key]), "unknown field");
      } else if (issue.code === "invalid_key") {
        add(formatPath(issue.path), issue.issues[0]?.message ?? "invalid key");
      } else {
        add(formatPath(issue.path), issue.message);
      }
    }
  }
  for (const [path, reason] of crossFieldProblems(raw, options)) add(path, reason);

  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const config = deepFreeze(withDefaults(parsed.data as unknown as EnvironmentFile));
  VALIDATED.add(config);
  return { ok: true, config, problems: [] };
}

/** Configs this process validated; frozen, so what was checked is what is built. */
const VALIDATED = new WeakSet<object>();

/** True for a config validateEnvironment returned: the construct builds it without checking it again. */
export function isValidatedConfig(config: unknown): config is EnvironmentConfig {
  return typeof config === "object" && config !== null && VALIDATED.has(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function environmentLabel(raw: unknown, expectedName: string | undefined): string {
  if (expectedName) return expectedName;
  const name = isRecord(raw) ? raw.name : undefined;
  return typeof name === "string" && name.length > 0 ? name : "<unnamed>";
}

/** Rules over several fields; written against the raw input so they run even when shapes fail. */
function crossFieldProblems(raw: unknown, options: ValidateOptions): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  if (!isRecord(raw)) return found; // the schema has already said so
  if (options.expectedName !== undefined && raw.name !== options.expectedName) {
    const source = options.source ?? `environments/${options.expectedName}.ts`;
    found.push(["name", `must be ${JSON.stringify(options.expectedName)} to match ${source}, got ${JSON.stringify(raw.name)}`]);
  }
  if (options.requireBackend) {
    if (raw.backend === undefined) found.push(["backend", "is required: the environment's stack keeps its state there"]);
    for (const field of REQUIRED_IN_ENVIRONMENT_FILES) if (raw[field] === undefined) found.push([field, "is required"]);
  }
  for (const rule of CROSS_FIELD_RULES) for (const [path, reason] of rule.check(raw)) found.push([path, reason]);
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
