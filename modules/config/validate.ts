import { DEFAULTS } from "../../core/config-defaults";
import { ENDED_SCHEDULE_GRACE_DAYS, TAGS } from "../../core/config-rules";
import { isIanaTimeZone, validateScheduleExpression } from "../../core/schedule-expression";
// Directly, not through the index the functions bundle: their bundles stay byte for byte the same.
import { type ScheduleTiming, whyNeverFires, whyNoRunAfter } from "../../core/schedule-expression/schedule-timing";
import { describeIssue } from "../../core/zod-messages";
import { withDefaults } from "./defaults";
import { formatPath } from "./path";
import { CROSS_FIELD_RULES, type TaskLoader } from "./rules";
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

/**
 * Problems refuse the config; warnings do not. A warning is a problem the config will have
 * soon, for now only a schedule that has fired for the last time, within its grace days.
 */
export type ValidationResult =
  | { readonly ok: true; readonly config: EnvironmentConfig; readonly problems: readonly []; readonly warnings: readonly ConfigProblem[] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly warnings: readonly ConfigProblem[] };

/** What this repository's environment files must spell out, though the construct and the module default them. */
const REQUIRED_IN_ENVIRONMENT_FILES = ["projectName", "account", "region"] as const;

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
  /** What "in the past" is measured from (a one-time schedule gone by). @default the clock's now */
  readonly now?: Date;
  /** Tag keys the product adds to the most-tagged resource. @default the stacks': TAGS.stackKeys and TAGS.resourceKeys */
  readonly addedTagKeys?: readonly string[];
  /**
   * Loads an own task's entry, so its name and the schedules' payloads are checked against what it
   * defines (the construct and the stacks pass modules/bundling's). @default none: entries are not loaded
   */
  readonly loadTask?: TaskLoader;
}

/**
 * Validates a raw environment config against the schema and the rules that span fields.
 * Every problem is collected; nothing stops at the first.
 */
export function validateEnvironment(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const label = environmentLabel(raw, options.expectedName);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
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
  for (const [path, reason, warning] of timingProblems(raw, options.now ?? new Date())) {
    if (warning) warnings.push({ environment: label, path, reason });
    else add(path, reason);
  }

  if (problems.length > 0 || !parsed.success) return { ok: false, problems, warnings };
  const config = deepFreeze(withDefaults(parsed.data as unknown as EnvironmentFile));
  VALIDATED.add(config);
  if (options.loadTask) ENTRIES_LOADED.add(config);
  return { ok: true, config, problems: [], warnings };
}

/** Configs this process validated; frozen, so what was checked is what is built. */
const VALIDATED = new WeakSet<object>();

/** Configs whose own tasks' entries were loaded and checked when they were validated. */
const ENTRIES_LOADED = new WeakSet<object>();

/** Whether a validated config's own tasks (if any) were checked against their entries (validateEnvironment's loadTask). */
export function entriesChecked(config: EnvironmentConfig): boolean {
  return ENTRIES_LOADED.has(config) || Object.keys(config.tasks ?? {}).length === 0;
}

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
  const context = { addedTagKeys: options.addedTagKeys ?? [...TAGS.stackKeys, ...TAGS.resourceKeys], loadTask: options.loadTask };
  for (const rule of CROSS_FIELD_RULES) for (const [path, reason] of rule.check(raw, context)) found.push([path, reason]);
  return found;
}

/** A schedule's expression, zone and dates, when each is valid and the dates are in order; else undefined (other rules say why). */
function timingOf(schedule: Record<string, unknown>): ScheduleTiming | undefined {
  const { expression } = schedule;
  const timezone = schedule.timezone ?? DEFAULTS.schedule.timezone;
  if (typeof expression !== "string" || validateScheduleExpression(expression) !== undefined) return undefined;
  if (typeof timezone !== "string" || !isIanaTimeZone(timezone)) return undefined;
  const date = (value: unknown) => (value === undefined ? undefined : new Date(typeof value === "string" ? Date.parse(value) : NaN));
  const startDate = date(schedule.startDate);
  const endDate = date(schedule.endDate);
  if ([startDate, endDate].some((d) => d !== undefined && Number.isNaN(d.getTime()))) return undefined;
  if (startDate && endDate && endDate <= startDate) return undefined;
  return { expression, timezone, startDate, endDate };
}

const DAY_MS = 86_400_000;

/**
 * Schedules that never fire (February 31, a window with no run, an at() in a daylight-saving
 * gap) are refused. One that fires no more after `now` (an at() gone by, an endDate passed, its
 * years over) is a warning for ENDED_SCHEDULE_GRACE_DAYS after its last chance to fire, then
 * refused: an environment's plan keeps working the day after its one-time schedule fires, while
 * a config that names a time long gone (or a new environment copied from an old one) is refused.
 */
function timingProblems(raw: unknown, now: Date): Array<[path: string, reason: string, warning: boolean]> {
  const found: Array<[string, string, boolean]> = [];
  const schedules = isRecord(raw) && Array.isArray(raw.schedules) ? raw.schedules : [];
  schedules.forEach((schedule, index) => {
    const timing = isRecord(schedule) ? timingOf(schedule) : undefined;
    if (!timing) return;
    const never = whyNeverFires(timing);
    if (never) {
      found.push([`schedules[${index}].${never.field}`, never.reason, false]);
      return;
    }
    const ended = whyNoRunAfter(timing, now);
    if (!ended) return;
    const deadline = new Date(ended.endedAt.getTime() + ENDED_SCHEDULE_GRACE_DAYS * DAY_MS);
    const path = `schedules[${index}].${ended.field}`;
    if (deadline <= now) found.push([path, `${ended.reason}; remove the schedule`, false]);
    else
      found.push([
        path,
        `${ended.reason}; remove the schedule by ${deadline.toISOString().slice(0, 10)}, when the config starts refusing it`,
        true,
      ]);
  });
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
