import { TAGS } from "../../../core/config-rules";
import { type ConfigProblem, formatPath, type ValidationResult, validateEnvironment } from "../../config/validate";
import { MODULE_DEFAULTS } from "./module-defaults";

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/** The module's inputs and, for nested objects, their fields: anything else is an unknown field. */
const KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "": [
    "project_name",
    "environment",
    "account_id",
    "tags",
    "schedules",
    "notifications",
    "operations",
    "processor",
    "storage",
    "alarms",
    "schedule_api",
    "fan_out",
    "adopt",
    "waivers",
  ],
  "schedules[]": [
    "name",
    "description",
    "expression",
    "timezone",
    "task",
    "payload",
    "enabled",
    "flexible_window_minutes",
    "retry",
    "start_date",
    "end_date",
    "missed_run_alarm",
  ],
  "schedules[].payload": ["prefix", "required_fields", "notify_on_success", "period_hours"],
  "schedules[].retry": ["max_attempts", "max_event_age_seconds"],
  "schedules[].missed_run_alarm": ["period_seconds", "evaluation_periods"],
  notifications: ["email", "sms", "https"],
  operations: ["email", "sms", "https"],
  processor: ["memory_mb", "timeout_seconds", "log_retention_days", "async_retries", "concurrency", "log_level", "tracing"],
  storage: ["bucket_name", "kms_key_arn", "noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days"],
  alarms: [
    "processor_errors",
    "processor_throttles",
    "duration_percent_of_timeout",
    "dead_letter_messages",
    "scheduler_target_errors",
    "scheduler_dropped_invocations",
    "scheduler_throttled_invocations",
    "work_queue_age_seconds",
  ],
  schedule_api: ["retry"],
  "schedule_api.retry": ["max_attempts", "max_event_age_seconds"],
  fan_out: ["max_concurrency", "max_receive_count", "sources_per_invocation", "bytes_per_invocation"],
  adopt: ["existing_bucket_name", "existing_notification_topic_arn", "existing_operations_key_arn"],
  "waivers[]": ["rule", "resource", "reason"],
};

/** `flexibleWindowMinutes` → `flexible_window_minutes`: the module's spelling of a config field. */
function snake(segment: string): string {
  return segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The config's path of a problem, spelled as the module's input: `schedules[1].retry.max_attempts`. */
function modulePath(path: string): string {
  const renamed: Record<string, string> = {
    name: "environment",
    account: "account_id",
    scheduleApi: "schedule_api",
    fanOut: "fan_out",
    kmsKeyArn: "kms_key_arn",
  };
  if (renamed[path]) return renamed[path];
  return path
    .split(".")
    .map((part) => {
      const [field, index] = part.split("[");
      return `${renamed[field] && !path.startsWith("schedules") ? renamed[field] : snake(field)}${index !== undefined ? `[${index}` : ""}`;
    })
    .join(".");
}

/**
 * The module's input file (`*.tfvars.json`) as an environment config, with the module's
 * defaults, so the engine the stacks use (exact cron calendar, time zones, payloads) checks it.
 * Problems come back under the module's own names, by environment: `qa.schedules[1].expression`.
 */
export function validateModuleInputs(raw: unknown, options: { readonly now?: Date } = {}): ValidationResult {
  if (!isRecord(raw))
    return {
      ok: false,
      problems: [{ environment: "<module>", path: "<root>", reason: "must be a JSON object of the module's inputs" }],
      warnings: [],
    };
  const environment = typeof raw.environment === "string" && raw.environment.length > 0 ? raw.environment : "<module>";
  const unknown: ConfigProblem[] = [];
  const checkFields = (value: unknown, shape: string, path: Array<string | number>) => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value))
      if (!KNOWN_FIELDS[shape].includes(key)) unknown.push({ environment, path: formatPath([...path, key]), reason: "unknown field" });
  };
  checkFields(raw, "", []);
  for (const field of ["notifications", "operations", "processor", "storage", "alarms", "schedule_api", "fan_out", "adopt"])
    checkFields(raw[field], field, [field]);
  if (isRecord(raw.schedule_api)) checkFields(raw.schedule_api.retry, "schedule_api.retry", ["schedule_api", "retry"]);
  const schedules = Array.isArray(raw.schedules) ? raw.schedules : [];
  schedules.forEach((s, i) => {
    checkFields(s, "schedules[]", ["schedules", i]);
    if (isRecord(s))
      for (const field of ["payload", "retry", "missed_run_alarm"]) checkFields(s[field], `schedules[].${field}`, ["schedules", i, field]);
  });
  (Array.isArray(raw.waivers) ? raw.waivers : []).forEach((w, i) => {
    checkFields(w, "waivers[]", ["waivers", i]);
  });

  // The module tags with var.tags and the schedule group's own Name; no default tags of its own.
  const result = validateEnvironment(configFromModuleInputs(raw), {
    source: "the module inputs",
    now: options.now,
    addedTagKeys: TAGS.resourceKeys,
  });
  const renamed = (p: ConfigProblem): ConfigProblem => ({ environment, path: modulePath(p.path), reason: p.reason });
  const problems = [...unknown, ...result.problems.map(renamed)];
  const warnings = result.warnings.map(renamed);
  return problems.length > 0 ? { ok: false, problems, warnings } : { ...result, warnings };
}

const object = (value: unknown): Raw => (isRecord(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** Drops keys whose value is undefined, so optional config fields stay absent. */
const defined = (record: Raw): Raw => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null));

/** `{ memoryMb: 512 }` with the input `{ memory_mb: 1024 }`: each field from the input, or its default. */
function fieldsOr<T extends Record<string, unknown>>(input: Raw, defaults: T): { [K in keyof T]: unknown } {
  return Object.fromEntries(Object.entries(defaults).map(([field, fallback]) => [field, input[snake(field)] ?? fallback])) as {
    [K in keyof T]: unknown;
  };
}

/** The module's inputs in the config's shape, with the module's defaults filled in. */
export function configFromModuleInputs(raw: Raw): Raw {
  const storage = object(raw.storage);
  const fanOut = object(raw.fan_out);
  const adopt = object(raw.adopt);
  const targets = (value: unknown) => ({
    email: object(value).email ?? [],
    sms: object(value).sms ?? [],
    https: object(value).https ?? [],
  });
  const account = typeof raw.account_id === "string" ? raw.account_id : "000000000000";
  return defined({
    name: raw.environment,
    account,
    // The module runs in its caller's region; any region checks the same.
    region: "us-east-1",
    projectName: raw.project_name,
    tags: raw.tags ?? {},
    backend: { bucket: "module-caller-state", key: "module", region: "us-east-1" },
    protection: { preventDestroy: false },
    storage: defined({ kmsKeyArn: storage.kms_key_arn, ...fieldsOr(storage, MODULE_DEFAULTS.storage) }),
    notifications: targets(raw.notifications),
    operations: raw.operations === undefined || raw.operations === null ? undefined : targets(raw.operations),
    alarms: fieldsOr(object(raw.alarms), MODULE_DEFAULTS.alarms),
    processor: fieldsOr(object(raw.processor), MODULE_DEFAULTS.processor),
    fanOut: defined({
      ...fieldsOr(fanOut, MODULE_DEFAULTS.fanOut),
      sourcesPerInvocation: fanOut.sources_per_invocation,
      bytesPerInvocation: fanOut.bytes_per_invocation,
    }),
    scheduleApi: { retry: fieldsOr(object(object(raw.schedule_api).retry), MODULE_DEFAULTS.scheduleApiRetry) },
    adopt:
      adopt.existing_bucket_name || adopt.existing_notification_topic_arn || adopt.existing_operations_key_arn
        ? defined({
            bucket: adopt.existing_bucket_name ? { name: adopt.existing_bucket_name, manage: false } : undefined,
            notificationTopic: adopt.existing_notification_topic_arn
              ? { arn: adopt.existing_notification_topic_arn, manage: false }
              : undefined,
            operationsKey: adopt.existing_operations_key_arn ? { arn: adopt.existing_operations_key_arn, manage: false } : undefined,
          })
        : undefined,
    schedules: list(raw.schedules).map((value) => {
      const s = object(value);
      const { retry, ...scheduleDefaults } = MODULE_DEFAULTS.schedule;
      const given = object(s.payload);
      const payload = defined({
        prefix: given.prefix,
        requiredFields: given.required_fields,
        notifyOnSuccess: given.notify_on_success,
        periodHours: given.period_hours,
      });
      return defined({
        name: s.name,
        description: s.description,
        expression: s.expression,
        task: s.task,
        ...fieldsOr(s, scheduleDefaults),
        payload: Object.keys(payload).length > 0 ? payload : undefined,
        retry: fieldsOr(object(s.retry), retry),
        startDate: s.start_date,
        endDate: s.end_date,
      });
    }),
    waivers: raw.waivers,
  });
}

/** Whether a JSON file holds the module's inputs rather than an environment config. */
export function looksLikeModuleInputs(raw: unknown, fileName: string): boolean {
  return /\.tfvars(\.json)?$/.test(fileName) || (isRecord(raw) && "project_name" in raw);
}
