import { SCHEDULER_CONTEXT } from "./schedule-input";

/**
 * The services a schedule may target instead of a task, as EventBridge Scheduler's templated
 * targets call them: the one action Scheduler's role needs on each target's ARN, the statement
 * that grants it, and the parameters each kind takes. The config's rules, the constructs'
 * policies, the security rules and the IAM audit all read this table.
 */
export const TARGET_KINDS = {
  lambda: {
    service: "lambda",
    action: "lambda:InvokeFunction",
    sid: "InvokeTargetFunctions",
    what: "a Lambda function",
    parameters: [],
    required: [],
    inputIsJson: true,
  },
  sqs: {
    service: "sqs",
    action: "sqs:SendMessage",
    sid: "SendToTargetQueues",
    what: "an SQS queue",
    parameters: ["messageGroupId", "kmsKeyArn"],
    required: [],
    inputIsJson: false,
  },
  sns: {
    service: "sns",
    action: "sns:Publish",
    sid: "PublishToTargetTopics",
    what: "an SNS topic",
    parameters: ["kmsKeyArn"],
    required: [],
    inputIsJson: false,
  },
  stepFunctions: {
    service: "states",
    action: "states:StartExecution",
    sid: "StartTargetStateMachines",
    what: "a Step Functions state machine",
    parameters: [],
    required: [],
    inputIsJson: true,
  },
  eventBus: {
    service: "events",
    action: "events:PutEvents",
    sid: "PutEventsOnTargetBuses",
    what: "an EventBridge event bus",
    parameters: ["detailType", "source"],
    required: ["detailType", "source"],
    inputIsJson: true,
  },
} as const;

export type TargetKind = keyof typeof TARGET_KINDS;
export const TARGET_KIND_NAMES = Object.keys(TARGET_KINDS) as TargetKind[];

/** Every parameter some kind takes, beside the ARN. */
export const TARGET_PARAMETERS = ["messageGroupId", "detailType", "source", "kmsKeyArn"] as const;
export type TargetParameter = (typeof TARGET_PARAMETERS)[number];

/** A target as the config gives it: one kind's ARN under the kind's key, and that kind's parameters. */
export type ScheduleTargetInput = Partial<Record<TargetKind | TargetParameter, string>>;

/** What the key of an encrypted queue or topic lets Scheduler's role do, as Scheduler's documentation lists it. */
export const TARGET_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;
export const TARGET_KEY_SID = "UseTargetKeys";

/** The kinds a target names (one, when it is valid). */
export function kindsOf(target: ScheduleTargetInput): TargetKind[] {
  return TARGET_KIND_NAMES.filter((kind) => target[kind] !== undefined && target[kind] !== null);
}

/** Whether an SQS queue ARN names a FIFO queue. */
export function isFifoQueue(arn: string): boolean {
  return arn.endsWith(".fifo");
}

/** Scheduler's context attributes, every one it fills in a target's input. */
const CONTEXT_ATTRIBUTE = /<aws\.scheduler\.[a-z-]+>/g;

/**
 * Whether an input is JSON once Scheduler has filled in its context attributes: each placeholder
 * stands for a value (`"<aws.scheduler.scheduled-time>"` inside quotes, `<aws.scheduler.attempt-number>`
 * bare as a number), so a 0 in its place parses as the delivered text will.
 */
export function parsedInput(input: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    return { ok: true, value: JSON.parse(input.replace(CONTEXT_ATTRIBUTE, "0")) };
  } catch {
    return { ok: false };
  }
}

/**
 * A target's input when the config gives none: the schedule's identity and Scheduler's context
 * attributes, as JSON (so a receiver can tell one scheduled time from another and a retry from
 * a new time). Written literally: Scheduler substitutes the placeholders as text.
 */
export function defaultTargetInput(schedule: string, environment: string): string {
  return JSON.stringify({
    environment,
    schedule,
    scheduled_time: SCHEDULER_CONTEXT.scheduledTime,
    execution_id: SCHEDULER_CONTEXT.executionId,
    attempt_number: SCHEDULER_CONTEXT.attemptNumber,
  });
}

/** What a schedule runs, in a word or two for tables: its task, or `<kind> <arn>` for a target. */
export function runsWhat(schedule: { readonly task?: string; readonly target?: ScheduleTargetInput }): string {
  if (schedule.task !== undefined || !schedule.target) return schedule.task ?? "";
  const [kind] = kindsOf(schedule.target);
  return kind ? `${kind} ${schedule.target[kind]}` : "";
}
