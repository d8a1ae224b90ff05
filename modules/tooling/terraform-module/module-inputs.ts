import { TAGS } from "../../../core/config-rules";
import { ENVIRONMENT } from "../../config/fields/environment";
import { type Field, fieldsOf, hclName, inFace } from "../../config/fields/field";
import { type ConfigProblem, formatPath, type ValidationResult, validateEnvironment } from "../../config/validate";

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/** The module's `adopt` (existing_* names, used as they are) in the config's words. */
const ADOPTED: ReadonlyArray<readonly [string, string, string]> = [
  ["existing_bucket_name", "bucket", "name"],
  ["existing_notification_topic_arn", "notificationTopic", "arn"],
  ["existing_operations_key_arn", "operationsKey", "arn"],
];

/**
 * The module's input file (`*.tfvars.json`) as an environment config, so the engine the stacks
 * use (exact cron calendar, time zones, payloads) checks it: each input by the field it is (the
 * field descriptions name both spellings), the defaults filled in as the module fills them (the
 * same descriptions). Problems come back under the module's names, by environment:
 * `qa.schedules[1].expression`; a field the module does not have is an unknown field.
 */
export function validateModuleInputs(raw: unknown, options: { readonly now?: Date } = {}): ValidationResult {
  if (!isRecord(raw))
    return {
      ok: false,
      problems: [{ environment: "<module>", path: "<root>", reason: "must be a JSON object of the module's inputs" }],
      warnings: [],
    };
  const environment = typeof raw.environment === "string" && raw.environment.length > 0 ? raw.environment : "<module>";
  const inputProblems: ConfigProblem[] = [];
  const config = configOf(ENVIRONMENT, raw, [], (path) =>
    inputProblems.push({ environment, path: formatPath(path), reason: "unknown field" }),
  );
  // What the module requires though the config does not (the construct defaults it from its stack).
  for (const { key, field } of fieldsOf(ENVIRONMENT, "module"))
    if (field.requiredInModule && raw[hclName(key, field)] === undefined)
      inputProblems.push({ environment, path: hclName(key, field), reason: "is required" });
  // The module tags with var.tags and the schedule group's own Name; no default tags of its own.
  const result = validateEnvironment(config, { source: "the module inputs", now: options.now, addedTagKeys: TAGS.resourceKeys });
  const renamed = (p: ConfigProblem): ConfigProblem => ({ environment, path: modulePath(p.path), reason: p.reason });
  const problems = [...inputProblems, ...result.problems.map(renamed)];
  const warnings = result.warnings.map(renamed);
  return problems.length > 0 ? { ok: false, problems, warnings } : { ...result, warnings };
}

/** An input of the module in the config's shape: its fields by their config names, module-only ones left out. */
function configOf(field: Field, value: unknown, path: Array<string | number>, unknownAt: (path: Array<string | number>) => void): unknown {
  if (field.kind === "list" && Array.isArray(value)) return value.map((item, i) => configOf(field.item, item, [...path, i], unknownAt));
  if (field.kind === "map" && isRecord(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, ownTaskOf(configOf(field.value, inner, [...path, key], unknownAt))]),
    );
  if (field.kind !== "object" || !isRecord(value)) return value;
  if (field.typeName === "ModuleAdoptedResources") return adoptOf(value);
  const byHclName = new Map(fieldsOf(field, "module").map(({ key, field: inner }) => [hclName(key, inner), { key, field: inner }]));
  const config: Raw = {};
  for (const [name, inner] of Object.entries(value)) {
    const known = byHclName.get(name);
    if (!known) unknownAt([...path, name]);
    else if (inner !== null && inFace(known.field, "config")) config[known.key] = configOf(known.field, inner, [...path, name], unknownAt);
    else if (inner !== null && known.field.kind === "object" && known.field.typeName === "ModuleAdoptedResources")
      config.adopt = adoptOf(inner);
  }
  return config;
}

/** The module takes an own task's zip where the config takes its entry: the zip stands in for it (no entry is loaded here). */
function ownTaskOf(task: unknown): unknown {
  return isRecord(task) && task.entry === undefined ? { entry: "(the module's zip)", ...task } : task;
}

function adoptOf(value: unknown): Raw | undefined {
  if (!isRecord(value)) return undefined;
  const adopted = Object.fromEntries(
    ADOPTED.filter(([input]) => typeof value[input] === "string").map(([input, resource, key]) => [
      resource,
      { [key]: value[input], manage: false },
    ]),
  );
  return Object.keys(adopted).length > 0 ? adopted : undefined;
}

/** A config path spelled as the module's input: `schedules[1].retry.maxAttempts` -> `schedules[1].retry.max_attempts`. */
function modulePath(path: string): string {
  const segments = path.split(/(?=\[)|\./).filter(Boolean);
  let field: Field | undefined = ENVIRONMENT;
  const out: string[] = [];
  for (const segment of segments) {
    if (segment.startsWith("[")) {
      out.push(segment);
      if (field?.kind === "list") field = field.item;
      continue;
    }
    if (field?.kind === "map" && field.value.kind === "object") {
      // A map's key, as the module names it: tasks["ledger"].
      out.push(`[${JSON.stringify(segment)}]`);
      field = field.value;
      continue;
    }
    const inner: Field | undefined = field?.kind === "object" ? field.fields[segment] : undefined;
    out.push(`${out.length > 0 ? "." : ""}${inner ? hclName(segment, inner) : segment}`);
    field = inner;
  }
  return out.join("").replace(/^adopt\.(bucket|notificationTopic|operationsKey)\.\w+/, (_whole, resource: string) => {
    const found = ADOPTED.find(([, r]) => r === resource);
    return `adopt.${found ? found[0] : resource}`;
  });
}

/** Whether a JSON file holds the module's inputs rather than an environment config. */
export function looksLikeModuleInputs(raw: unknown, fileName: string): boolean {
  return /\.tfvars(\.json)?$/.test(fileName) || (isRecord(raw) && "project_name" in raw);
}
