import { CONFIG_PATTERNS } from "../../../core/config-patterns";
import { MAX_LENGTHS, PATTERNS, RANGES } from "../../../core/config-rules";
import { MAX_EXCLUDED_DATES } from "../../../core/excluded-dates";
import { TASK_TYPES } from "../../../core/task-types";
import { excludedDate, instant, notAwsEventSource, notOneTimeName, relativePrefix, scheduleExpression, timeZone } from "./checks";
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

/** A schedule's external target: one service's ARN, and the parameters that service takes. */
export const scheduleTargetField: ObjectField = {
  kind: "object",
  typeName: "ScheduleTarget",
  optional: true,
  defaultText: "none: then `task`",
  description:
    "Instead of `task`, one thing outside the stack Scheduler invokes with `input`: a Lambda function, an SQS queue, an SNS topic, " +
    "a Step Functions state machine or an EventBridge event bus. Scheduler's role gets that one action on that ARN; delivery " +
    "and retries as for a task, but no run record, exactly-once or missed-run alarm.",
  fields: {
    lambda: {
      kind: "string",
      pattern: CONFIG_PATTERNS.lambdaFunctionArn,
      optional: true,
      reference: true,
      description: "A Lambda function's ARN: Scheduler invokes it asynchronously (`lambda:InvokeFunction`).",
    },
    sqs: {
      kind: "string",
      pattern: CONFIG_PATTERNS.sqsQueueArn,
      optional: true,
      reference: true,
      description: "An SQS queue's ARN: Scheduler sends `input` as a message (`sqs:SendMessage`).",
    },
    messageGroupId: {
      kind: "string",
      pattern: CONFIG_PATTERNS.messageGroupId,
      optional: true,
      defaultText: "none (a standard queue)",
      description:
        "A FIFO queue's message group (required for a `.fifo` queue, refused for others; the queue needs content-based deduplication).",
    },
    sns: {
      kind: "string",
      pattern: PATTERNS.snsTopicArn,
      optional: true,
      reference: true,
      description: "A standard SNS topic's ARN: Scheduler publishes `input` to it (`sns:Publish`).",
    },
    stepFunctions: {
      kind: "string",
      pattern: CONFIG_PATTERNS.stateMachineArn,
      optional: true,
      reference: true,
      description: "A Step Functions state machine's ARN: Scheduler starts an execution with `input` (`states:StartExecution`).",
    },
    eventBus: {
      kind: "string",
      pattern: CONFIG_PATTERNS.eventBusArn,
      optional: true,
      reference: true,
      description: "An EventBridge event bus's ARN: Scheduler puts `input` on it as an event's detail (`events:PutEvents`).",
    },
    detailType: {
      kind: "string",
      nonEmpty: "must not be empty",
      maxLength: 128,
      optional: true,
      description: "The event's `detail-type` (required with `eventBus`).",
    },
    source: {
      kind: "string",
      nonEmpty: "must not be empty",
      maxLength: 256,
      checks: [notAwsEventSource],
      optional: true,
      description: "The event's `source` (required with `eventBus`; not starting with `aws.`, which only AWS services may use).",
    },
    kmsKeyArn: {
      kind: "string",
      pattern: PATTERNS.kmsKeyArn,
      optional: true,
      reference: true,
      defaultText: "none (no customer managed key)",
      description:
        "The customer managed KMS key that encrypts the `sqs` queue or `sns` topic: Scheduler's role may then use it " +
        "(`kms:GenerateDataKey`, `kms:Decrypt`).",
    },
  },
};

export const payloadField: ObjectField = {
  kind: "object",
  typeName: "TaskPayload",
  description:
    "The task's own options; each built-in task takes only its own fields (see the payload table), an own task what its schema accepts.",
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
    optional: true,
    defaultText: "none: then `target`",
    description:
      `The task it runs: a built-in task the processor runs (${TASK_TYPES.map((t) => `\`${t}\``).join(", ")}), or one of \`tasks\`, ` +
      "which its own function runs. A schedule names a task or a `target`, not both.",
  },
  payload: payloadField,
  payloadJson: {
    kind: "string",
    only: "module",
    optional: true,
    defaultText: "`{}`",
    description:
      "An own task's payload, as JSON text (`jsonencode({ currency = \"EUR\" })`): HCL cannot type a team's own fields, so the " +
      "module checks only that it is a JSON object; the task's schema checks it before each run. Built-in tasks take `payload`.",
  },
  target: scheduleTargetField,
  input: {
    kind: "string",
    nonEmpty: "must not be empty",
    optional: true,
    defaultText: "the schedule's name, environment and Scheduler's context attributes, as JSON",
    description:
      "A `target`'s input, sent as given (JSON for a Lambda function, a state machine or an event bus; any text for a queue or " +
      "a topic). Scheduler's context attributes (`<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>`, " +
      "`<aws.scheduler.attempt-number>`, `<aws.scheduler.schedule-arn>`) are filled in where they appear.",
  },
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
  exclude: {
    kind: "list",
    itemName: "entry",
    default: [],
    maxItems: { count: MAX_EXCLUDED_DATES, message: `must hold at most ${MAX_EXCLUDED_DATES} entries` },
    item: { kind: "string", checks: [excludedDate], description: "A local date, or an inclusive range of them." },
    description:
      "Local dates in the schedule's time zone it does not run on (holidays, freezes): `2026-12-25`, or a range " +
      "`2026-12-24/2026-12-26`. Scheduler still fires; the processor records the run as `skipped` (no work, no notice) " +
      "and the missed-run alarm counts it as run.",
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
