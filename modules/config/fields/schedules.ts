import { MAX_LENGTHS, PATTERNS, RANGES } from "../../../core/config-rules";
import { TASK_TYPES } from "../../../core/task-types";
import { instant, notOneTimeName, relativePrefix, scheduleExpression, timeZone } from "./checks";
import type { Field, ListField, ObjectField } from "./field";

/** Scheduler's retries of one event; the same shape for recurring and one-time schedules. */
export function retryPolicy(description: string): ObjectField {
  return {
    kind: "object",
    typeName: "RetryPolicy",
    description,
    default: {},
    fields: {
      maxAttempts: {
        kind: "integer",
        range: RANGES.retryMaxAttempts,
        default: 3,
        description: "Retries after the first attempt when Scheduler cannot deliver the event.",
      },
      maxEventAgeSeconds: {
        kind: "integer",
        range: RANGES.retryMaxEventAgeSeconds,
        default: 3600,
        description: "How long Scheduler keeps retrying an event, in seconds.",
      },
    },
  };
}

/**
 * A task's own options. Each field belongs to the tasks in `tasks`; the processor applies the
 * defaults when it runs (core/task-payloads.ts checks the same fields at run time).
 */
export const PAYLOAD_TASKS = {
  prefix: ["data_processing"],
  requiredFields: ["data_processing"],
  notifyOnSuccess: ["data_processing", "report"],
  periodHours: ["report", "notification"],
} as const;

export const payloadField: ObjectField = {
  kind: "object",
  typeName: "TaskPayload",
  description: "The task's own options; each task takes only its own fields (see the payload table).",
  default: {},
  fields: {
    prefix: {
      kind: "string",
      checks: [relativePrefix],
      optional: true,
      defaultText: "all of incoming/",
      description: "`data_processing` only: process only the sources under `incoming/<prefix>`.",
    },
    requiredFields: {
      kind: "list",
      itemName: "field",
      item: { kind: "string", nonEmpty: "field names must not be empty", description: "A field name." },
      optional: true,
      defaultText: "none",
      description:
        "`data_processing` only: fields a record must carry (present, not null, not blank); records without them are quarantined.",
    },
    notifyOnSuccess: {
      kind: "boolean",
      default: true,
      defaultAtRunTime: true,
      description: "`data_processing` and `report`: publish a success notice with the run's counts.",
    },
    periodHours: {
      kind: "integer",
      range: RANGES.periodHours,
      note: "(a leap year)",
      default: 24,
      defaultAtRunTime: true,
      description: "`report` and `notification`: hours before the scheduled time that the report or digest covers.",
    },
  },
};

export const scheduleFields: Readonly<Record<string, Field>> = {
  name: {
    kind: "string",
    pattern: PATTERNS.scheduleName,
    checks: [notOneTimeName],
    description: "The schedule's name, unique in the environment's schedule group; not starting with `once-` (the scheduling API's).",
  },
  description: {
    kind: "string",
    maxLength: MAX_LENGTHS.scheduleDescription,
    optional: true,
    description: "Shown in the console beside the schedule.",
  },
  expression: {
    kind: "string",
    checks: [scheduleExpression],
    description: "When it runs: `cron(...)`, `rate(...)` or `at(...)`, as EventBridge Scheduler reads them.",
  },
  timezone: {
    kind: "string",
    checks: [timeZone],
    default: "UTC",
    description: "The IANA time zone the expression is read in (case-sensitive, e.g. `America/New_York`).",
  },
  task: {
    kind: "string",
    values: TASK_TYPES,
    description: "The task the processor runs: `report`, `data_processing` or `notification`.",
  },
  payload: payloadField,
  enabled: { kind: "boolean", default: true, description: "Whether the schedule runs (`ENABLED`) or is kept but paused (`DISABLED`)." },
  flexibleWindowMinutes: {
    kind: "integer",
    range: RANGES.flexibleWindowMinutes,
    zeroIsOff: true,
    default: 0,
    description: "Minutes after the scheduled time within which Scheduler may start the run; 0 turns the window off.",
  },
  retry: retryPolicy("Scheduler's retries when it cannot deliver the event to the processor."),
  startDate: {
    kind: "string",
    checks: [instant],
    optional: true,
    defaultText: "from now",
    description: "First instant a recurring schedule may run (RFC 3339).",
  },
  endDate: {
    kind: "string",
    checks: [instant],
    optional: true,
    defaultText: "for ever",
    description: "Last instant a recurring schedule may run (RFC 3339); after its start date.",
  },
  missedRunAlarm: {
    kind: "object",
    typeName: "MissedRunAlarm",
    only: "module",
    optional: true,
    defaultText: "derived from the expression's shape",
    description:
      "The missed-run alarm's window, overriding the one the module derives " +
      "(`npm run schedules -- list --tfvars <file>` prints the exact one).",
    fields: {
      periodSeconds: { kind: "integer", range: { min: 60, max: 86400 }, description: "The alarm's period, in seconds." },
      evaluationPeriods: {
        kind: "integer",
        range: { min: 1, max: 10080 },
        description: "Periods without a successful run that raise the alarm.",
      },
    },
  },
};

export const schedulesField: ListField = {
  kind: "list",
  itemName: "schedule",
  label: "name",
  default: [],
  description: "The environment's schedules: each runs a task on its expression, in its time zone.",
  item: { kind: "object", typeName: "Schedule", description: "One schedule.", fields: scheduleFields },
};

export const scheduleApiField: ObjectField = {
  kind: "object",
  typeName: "ScheduleApiSettings",
  default: {},
  description: "The one-time scheduling API: how Scheduler retries the schedules it creates.",
  fields: { retry: retryPolicy("Scheduler's retries for one-time schedules the API creates.") },
};
