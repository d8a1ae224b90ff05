import { nextRuns } from "../../../core/schedule-expression";
import { type EnvironmentConfig, isBuiltInTaskSchedule, isOwnTaskSchedule } from "../../config/schema";
import type { StackDocument } from "../security/stack-document";
import { LOG_BYTES_PER_RUN, PRICES, RUN_ASSUMPTIONS, SQS_POLLS_PER_QUEUE_MONTH } from "./prices";

export interface CostLine {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly environment: string;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** Runs a month of each recurring schedule (a year of real runs divided by 12). */
  readonly runsPerMonth: Readonly<Record<string, number>>;
  /** One-time schedules still to come; not part of a steady month. */
  readonly oneTimeRuns: readonly string[];
}

const YEAR_MS = 365 * 86_400_000;

/** What the estimate counts in the synthesized stack rather than assumes: what the stack really has. */
export interface BilledResources {
  readonly alarms: number;
  /** Each SQS event source mapping is polled all month, whether or not messages come. */
  readonly queuePollers: number;
  readonly kmsKeys: number;
  readonly dashboards: number;
}

/** The billed resources of a synthesized stack, each `for_each` instance counted. */
export function billedResources(stack: StackDocument): BilledResources {
  const count = (type: string) => stack.ofType(type).length;
  return {
    alarms: count("aws_cloudwatch_metric_alarm"),
    queuePollers: count("aws_lambda_event_source_mapping"),
    kmsKeys: count("aws_kms_key"),
    dashboards: count("aws_cloudwatch_dashboard"),
  };
}

/** Runs a month of a schedule, from a year of its actual runs after `from`. */
export function runsPerMonth(schedule: EnvironmentConfig["schedules"][number], from: Date): number {
  if (!schedule.enabled) return 0;
  const until = from.getTime() + YEAR_MS;
  const runs = nextRuns(schedule.expression, {
    timezone: schedule.timezone,
    from,
    count: 600_000,
    startDate: schedule.startDate ? new Date(schedule.startDate) : undefined,
    endDate: schedule.endDate ? new Date(Math.min(Date.parse(schedule.endDate), until)) : new Date(until),
  });
  return runs.length / 12;
}

/**
 * The monthly cost of an environment at list prices, from its schedules' real frequencies,
 * the processor's memory, the notification targets and the billed resources its synthesized
 * stack holds (alarms, queue pollers, keys, dashboards).
 */
export function estimateMonthlyCost(config: EnvironmentConfig, from: Date, billed: BilledResources): CostEstimate {
  const lines: CostLine[] = [];
  const add = (service: string, item: string, quantity: number, unit: string, monthlyUsd: number) =>
    lines.push({ service, item, quantity, unit, monthlyUsd });

  const recurring = config.schedules.filter((s) => !s.expression.startsWith("at("));
  const perMonth = Object.fromEntries(recurring.map((s) => [s.name, runsPerMonth(s, from)]));
  const oneTimeRuns = config.schedules
    .filter(
      (s) => s.expression.startsWith("at(") && s.enabled && nextRuns(s.expression, { timezone: s.timezone, from, count: 1 }).length > 0,
    )
    .map((s) => s.name);
  const runs = Object.values(perMonth).reduce((sum, n) => sum + n, 0);
  // A target's schedule costs Scheduler's invocation only: what it invokes is billed to its owner. An
  // own task's runs are its function's (below).
  const recurringTasks = recurring.filter(isBuiltInTaskSchedule);
  const taskRuns = recurringTasks.reduce((sum, s) => sum + perMonth[s.name], 0);
  const byTask = (pick: (a: (typeof RUN_ASSUMPTIONS)[keyof typeof RUN_ASSUMPTIONS]) => number) =>
    recurringTasks.reduce((sum, s) => sum + perMonth[s.name] * pick(RUN_ASSUMPTIONS[s.task]), 0);
  const notifyingRuns = recurringTasks.reduce(
    (sum, s) => sum + (s.payload && "notifyOnSuccess" in s.payload && s.payload.notifyOnSuccess === false ? 0 : perMonth[s.name]),
    0,
  );

  add("EventBridge Scheduler", "invocations", runs, "invocations", (runs / 1e6) * PRICES.scheduler.perMillionInvocations);
  add("Lambda", "processor requests", taskRuns, "requests", (taskRuns / 1e6) * PRICES.lambda.perMillionRequests);
  const gbSeconds = byTask((a) => a.durationSeconds) * (config.processor.memoryMb / 1024);
  add(
    "Lambda",
    `processor compute at ${config.processor.memoryMb} MB, arm64`,
    gbSeconds,
    "GB-seconds",
    gbSeconds * PRICES.lambda.perGbSecondArm,
  );

  // An own task's function: its runs priced as a data_processing run's (its code is the team's), at its own memory.
  for (const [name, task] of Object.entries(config.tasks)) {
    const own = recurring.filter((s) => isOwnTaskSchedule(s) && s.task === name).reduce((sum, s) => sum + perMonth[s.name], 0);
    if (own === 0) continue;
    const memoryMb = task.memoryMb ?? config.processor.memoryMb;
    const seconds = own * RUN_ASSUMPTIONS.data_processing.durationSeconds * (memoryMb / 1024);
    const usd = (own / 1e6) * PRICES.lambda.perMillionRequests + seconds * PRICES.lambda.perGbSecondArm;
    add("Lambda", `own task ${name}: requests and compute at ${memoryMb} MB (assumed a data_processing run's)`, own, "requests", usd);
  }

  add("SNS", "notices published", notifyingRuns, "publishes", (notifyingRuns / 1e6) * PRICES.sns.perMillionPublishes);
  const emails = notifyingRuns * config.notifications.email.length;
  add("SNS", "email deliveries", emails, "emails", (emails / 1e5) * PRICES.sns.perHundredThousandEmails);
  const https = notifyingRuns * config.notifications.https.length;
  add("SNS", "HTTPS deliveries", https, "deliveries", (https / 1e6) * PRICES.sns.perMillionHttpsDeliveries);
  const sms = notifyingRuns * config.notifications.sms.length;
  add("SNS", "SMS deliveries (US)", sms, "messages", sms * PRICES.sns.perSmsUs);

  const writes = byTask((a) => a.s3Writes);
  const reads = byTask((a) => a.s3Reads);
  add("S3", "PUT, COPY and LIST requests", writes, "requests", (writes / 1000) * PRICES.s3.perThousandWrites);
  add("S3", "GET requests", reads, "requests", (reads / 1000) * PRICES.s3.perThousandReads);

  const polls = billed.queuePollers * SQS_POLLS_PER_QUEUE_MONTH;
  add(
    "SQS",
    `Lambda polling ${billed.queuePollers} queues (failure and work queues)`,
    polls,
    "requests",
    (polls / 1e6) * PRICES.sqs.perMillionRequests,
  );

  add("CloudWatch", "alarms", billed.alarms, "alarm-months", billed.alarms * PRICES.cloudwatch.perAlarmMonth);
  add("CloudWatch", "dashboard", billed.dashboards, "dashboards", billed.dashboards * PRICES.cloudwatch.perDashboardMonth);
  // Five metrics, by task and environment (3 tasks) and by task, environment and schedule; and
  // each function's ColdStart (Powertools), by service and function name.
  const metrics = 5 * (3 + recurringTasks.length) + 3;
  add("CloudWatch", "embedded metrics (ScheduledTasks)", metrics, "metrics", metrics * PRICES.cloudwatch.perCustomMetricMonth);
  const logGb = (taskRuns * LOG_BYTES_PER_RUN) / 1024 ** 3;
  add("CloudWatch", "log ingestion", logGb, "GB", logGb * PRICES.cloudwatch.perGbLogsIngested);
  add("KMS", "keys the stack creates", billed.kmsKeys, "keys", billed.kmsKeys * PRICES.kms.perKeyMonth);
  // Runs come far less than once a second, so X-Ray's default sampling (the first request each second) records them all.
  if (config.processor.tracing)
    add("X-Ray", "processor traces", taskRuns, "traces", (taskRuns / 1e6) * PRICES.xray.perMillionTracesRecorded);

  const totalUsd = lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
  return { environment: config.name, lines, totalUsd, runsPerMonth: perMonth, oneTimeRuns };
}
