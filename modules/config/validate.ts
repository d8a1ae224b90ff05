import { TASK_PAYLOAD_SCHEMAS } from "../../core/task-payloads";
import { describeIssue } from "../../core/zod-messages";
import { accessProblems } from "./access-rules";
import { withDefaults } from "./defaults";
import { type EnvironmentConfig, environmentSchema, TASK_TYPES, type TaskType } from "./schema";

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
  /** The repository's stacks keep state in it; the construct does not need it. */
  readonly requireBackend?: boolean;
}

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
  const config = deepFreeze(withDefaults(parsed.data));
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
  if (options.requireBackend && raw.backend === undefined)
    found.push(["backend", "is required: the environment's stack keeps its state there"]);
  found.push(...accessProblems(raw));
  const schedules = Array.isArray(raw.schedules) ? raw.schedules : [];
  const firstIndexByName = new Map<string, number>();
  schedules.forEach((schedule, index) => {
    if (!isRecord(schedule)) return;
    const at = `schedules[${index}]`;
    if (typeof schedule.name === "string") {
      const first = firstIndexByName.get(schedule.name);
      if (first === undefined) firstIndexByName.set(schedule.name, index);
      else
        found.push([
          `${at}.name`,
          `duplicates schedules[${first}].name ${JSON.stringify(schedule.name)}; names must be unique in the schedule group`,
        ]);
    }
    if (typeof schedule.task === "string" && (TASK_TYPES as readonly string[]).includes(schedule.task) && isRecord(schedule.payload)) {
      const payload = TASK_PAYLOAD_SCHEMAS[schedule.task as TaskType].safeParse(schedule.payload, { error: describeIssue });
      for (const issue of payload.success ? [] : payload.error.issues) {
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
        for (const key of keys) {
          const path = formatPath(["schedules", index, "payload", ...issue.path, ...(key ? [key] : [])]);
          found.push([path, key ? `unknown field for task ${schedule.task}` : issue.message]);
        }
      }
    }
    const start = typeof schedule.startDate === "string" ? Date.parse(schedule.startDate) : NaN;
    const end = typeof schedule.endDate === "string" ? Date.parse(schedule.endDate) : NaN;
    if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start) {
      found.push([`${at}.endDate`, `must be after startDate (${String(schedule.startDate)}), got ${String(schedule.endDate)}`]);
    }
  });
  return found;
}

/** ['schedules', 2, 'retry'] → `schedules[2].retry`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text.length === 0 ? String(segment) : `.${String(segment)}`;
  }
  return text.length === 0 ? "<root>" : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
