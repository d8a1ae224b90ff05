import { ownTaskFunctionName, partitionOf, type ResourceNames, resourceNames } from "../../core/naming";
import { scheduleEvent } from "../../core/schedule-event";
import { escapeTerraformTemplate } from "../../core/schedule-input";
import { defaultTargetInput, kindsOf, type ScheduleTargetInput } from "../../core/schedule-targets";
import type { TaskType } from "../../core/task-types";
import { missedRunWindow } from "../config/missed-run-window";
import {
  type EnvironmentConfig,
  isOwnTaskSchedule,
  isTaskSchedule,
  type ScheduleConfig,
  type TargetScheduleConfig,
} from "../config/schema";
import { accessGrants } from "./support/access-grants";
import type { PolicyDocument, PolicyStatement } from "./support/policy-document";
import { targetStatements } from "./support/target-grants";
import type { Collection, Presence } from "./support/terraform-values";

/** One schedule as its resource needs it. */
export interface ScheduleSpec {
  readonly description: string | null;
  readonly expression: string;
  readonly timezone: string;
  readonly state: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly flexibleMode: string;
  readonly maximumWindowMinutes: number | null;
  /** The event the schedule sends (a task's, as JSON; a target's, as given), with Terraform template syntax escaped. */
  readonly input: string;
  /** What Scheduler invokes: an external target's ARN, or null for the processor or an own task's function (TaskSchedules places it). */
  readonly targetArn: string | null;
  /** The own task whose function it invokes (stacks only: TaskSchedules places that function's ARN, then drops this). */
  readonly ownTask?: string;
  /** An SQS FIFO target's message group, as a list of zero or one (a dynamic block's for_each). */
  readonly sqsMessageGroupIds: readonly string[];
  /** An event bus target's detail-type and source, as a list of zero or one. */
  readonly eventBridgeParameters: ReadonlyArray<{ readonly detailType: string; readonly source: string }>;
  /**
   * The key of an encrypted queue or topic target, or null. The resource does not read it: the
   * security rules and the IAM audit do, beside the role's grant of it.
   */
  readonly targetKeyArn: string | null;
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

/** A missed-run alarm of one recurring schedule. */
export interface MissedRunSpec {
  readonly schedule: string;
  readonly task: string;
  /** The Powertools service of the function that runs it (its name): the processor's, or an own task's. */
  readonly service: string;
  readonly description: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
}

/**
 * One own task's function as its resources need it. The prefixes it reads and writes become its
 * role's grants (core/own-task-access.ts): in TypeScript for a stack, in HCL for the module.
 */
export interface OwnTaskSpec {
  readonly functionName: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

export interface SubscriptionSpec {
  readonly protocol: string;
  readonly endpoint: string;
}

/** Something the stack creates, or an existing one it uses (and, for a stack, may import). */
export interface Adoptable {
  /** Create and manage it here. */
  readonly create: Presence;
  /** An existing resource's id to import into this stack's state (stacks only; modules leave import blocks to the caller). */
  readonly importId?: string;
}

/**
 * Everything the resources of one environment are built from: names, settings and the
 * collections that become `for_each`. A stack's spec is all literals (specFromConfig); the
 * Terraform module's spec refers to its variables and locals. The constructs only place these
 * values; they never compute with them, so the same code builds both.
 */
export interface ProcessingSpec {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly names: ResourceNames;
  /** Tags for every resource (a module's `var.tags`); stacks tag through the provider's default tags. */
  readonly tags?: string;
  readonly storage: {
    readonly bucket: Adoptable & { readonly name: string };
    /** SSE-KMS with this key when present; SSE-S3 otherwise. */
    readonly kmsKey: { readonly presence: Presence; readonly arn: string };
    readonly noncurrentVersionExpirationDays: number;
    readonly abortIncompleteMultipartUploadDays: number;
  };
  /** What producers and readers outside the stack may do with the bucket (config `access`). */
  readonly access: {
    /** Statements the bucket policy adds after its own: literal, or an HCL list expression (the module's). */
    readonly bucketStatements: readonly PolicyStatement[] | string;
    /** A managed policy for each producer and reader with principals in this account, by name. */
    readonly producerPolicies: Collection<{ readonly policy: string }>;
    readonly readerPolicies: Collection<{ readonly policy: string }>;
  };
  /** lifecycle.prevent_destroy on the data bucket and the KMS keys (a literal: Terraform allows nothing else). */
  readonly preventDestroy: boolean;
  readonly notifications: {
    readonly topic: Adoptable & { readonly existingArn: string };
    readonly subscriptions: Collection<SubscriptionSpec>;
  };
  readonly operations: {
    readonly key: Adoptable & { readonly existingArn: string };
    readonly subscriptions: Collection<SubscriptionSpec>;
  };
  readonly processor: {
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    readonly logRetentionDays: number;
    readonly asyncRetries: number;
    readonly concurrency: number;
    /** The Lambda runtime of the three functions. */
    readonly runtime: string;
    /** POWERTOOLS_LOG_LEVEL of the three functions. */
    readonly logLevel: string;
    /** X-Ray tracing of the three functions. */
    readonly tracing: Presence;
    /** The work queue hides a batch six times the processor's timeout (AWS's guidance). */
    readonly workQueueVisibilitySeconds: number;
  };
  readonly fanOut: {
    readonly maxConcurrency: number;
    readonly maxReceiveCount: number;
    readonly sourcesPerInvocation: number;
    readonly bytesPerInvocation: number;
  };
  readonly alarms: {
    readonly processorErrors: number;
    readonly processorThrottles: number;
    /** The duration alarm's threshold: the share of the timeout, in milliseconds. */
    readonly durationThresholdMs: number;
    readonly durationDescription: string;
    readonly deadLetterMessages: number;
    readonly schedulerTargetErrors: number;
    readonly schedulerDroppedInvocations: number;
    readonly schedulerThrottledInvocations: number;
    readonly workQueueAgeSeconds: number;
  };
  readonly scheduleApi: { readonly maxAttempts: number; readonly maxEventAgeSeconds: number };
  readonly schedules: Collection<ScheduleSpec>;
  /** The environment's own tasks, each a function of its own, by name. */
  readonly tasks: Collection<OwnTaskSpec>;
  /** What Scheduler's role may do on the schedules' external targets: literal statements, or an HCL list expression (the module's). */
  readonly targetStatements: readonly PolicyStatement[] | string;
  readonly missedRuns: Collection<MissedRunSpec>;
  /** Recurring schedules no missed-run alarm can watch (runs further apart than CloudWatch's 7 days); known for stacks only. */
  readonly unwatchedSchedules: readonly string[];
}

/** The spec of a validated environment config: every value known. */
export function specFromConfig(config: EnvironmentConfig, known: { readonly partition?: string } = {}): ProcessingSpec {
  const names = resourceNames(config);
  // From the region's name, unless the region is known only at plan time (the construct's default).
  const partition = known.partition ?? partitionOf(config.region);
  const adopt = config.adopt ?? {};
  const schedules: Record<string, ScheduleSpec> = {};
  const missedRuns: Record<string, MissedRunSpec> = {};
  const unwatched: string[] = [];
  for (const schedule of config.schedules) {
    if (!isTaskSchedule(schedule)) {
      schedules[schedule.name] = targetScheduleSpec(schedule, config.name);
      continue;
    }
    const own = isOwnTaskSchedule(schedule) ? config.tasks[schedule.task] : undefined;
    schedules[schedule.name] = {
      ...timingOf(schedule),
      input: escapeTerraformTemplate(JSON.stringify(scheduleEvent(schedule, config.name))),
      targetArn: null,
      ...(own ? { ownTask: schedule.task } : {}),
      sqsMessageGroupIds: [],
      eventBridgeParameters: [],
      targetKeyArn: null,
    };
    if (!schedule.enabled || schedule.expression.startsWith("at(")) continue;
    const window = missedRunWindow(schedule, own?.timeoutSeconds ?? config.processor.timeoutSeconds);
    if (!window) {
      unwatched.push(schedule.name);
      continue;
    }
    const hours = (window.periodSeconds * window.evaluationPeriods) / 3600;
    missedRuns[schedule.name] = {
      schedule: schedule.name,
      task: schedule.task,
      service: own ? ownTaskFunctionName(names.prefix, schedule.task) : names.processorFunction,
      description:
        `${config.name}: no successful ${schedule.task} run of ${schedule.name} (${schedule.expression} ` +
        `${schedule.timezone}) in ${hours.toFixed(1)} hours`,
      periodSeconds: window.periodSeconds,
      evaluationPeriods: window.evaluationPeriods,
    };
  }
  const existingBucket = adopt.bucket;
  const existingTopic = adopt.notificationTopic;
  const existingKey = adopt.operationsKey;
  const grants = accessGrants(config.access, {
    account: config.account,
    bucketArn: `arn:${partition}:s3:::${existingBucket?.name ?? names.bucket}`,
    kmsKeyArn: config.storage.kmsKeyArn,
  });
  const asPolicies = (documents: Readonly<Record<string, PolicyDocument>>) =>
    Object.fromEntries(Object.entries(documents).map(([name, document]) => [name, { policy: JSON.stringify(document) }]));
  return {
    environment: config.name,
    account: config.account,
    region: config.region,
    partition,
    names: existingBucket ? { ...names, bucket: existingBucket.name } : names,
    storage: {
      bucket: {
        name: existingBucket?.name ?? names.bucket,
        create: !existingBucket || existingBucket.manage,
        importId: existingBucket?.manage ? existingBucket.name : undefined,
      },
      kmsKey: { presence: config.storage.kmsKeyArn !== undefined, arn: config.storage.kmsKeyArn ?? "" },
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: config.storage.abortIncompleteMultipartUploadDays,
    },
    access: {
      bucketStatements: grants.bucketStatements,
      producerPolicies: asPolicies(grants.producerPolicies),
      readerPolicies: asPolicies(grants.readerPolicies),
    },
    preventDestroy: config.protection.preventDestroy,
    notifications: {
      topic: {
        create: !existingTopic || existingTopic.manage,
        existingArn: existingTopic?.arn ?? "",
        importId: existingTopic?.manage ? existingTopic.arn : undefined,
      },
      subscriptions: subscriptionsOf(config.notifications),
    },
    operations: {
      // KMS keys import by key id, the part of the ARN after "key/".
      key: {
        create: !existingKey || existingKey.manage,
        existingArn: existingKey?.arn ?? "",
        importId: existingKey?.manage ? existingKey.arn.slice(existingKey.arn.indexOf("key/") + 4) : undefined,
      },
      subscriptions: subscriptionsOf(config.operations),
    },
    processor: { ...config.processor, workQueueVisibilitySeconds: 6 * config.processor.timeoutSeconds },
    fanOut: config.fanOut,
    alarms: {
      processorErrors: config.alarms.processorErrors,
      processorThrottles: config.alarms.processorThrottles,
      durationThresholdMs: Math.round((config.processor.timeoutSeconds * 1000 * config.alarms.durationPercentOfTimeout) / 100),
      durationDescription:
        `A processor run took over ${config.alarms.durationPercentOfTimeout}% ` + `of its ${config.processor.timeoutSeconds} s timeout`,
      deadLetterMessages: config.alarms.deadLetterMessages,
      schedulerTargetErrors: config.alarms.schedulerTargetErrors,
      schedulerDroppedInvocations: config.alarms.schedulerDroppedInvocations,
      schedulerThrottledInvocations: config.alarms.schedulerThrottledInvocations,
      workQueueAgeSeconds: config.alarms.workQueueAgeSeconds,
    },
    scheduleApi: config.scheduleApi.retry,
    schedules,
    tasks: ownTaskSpecs(config, names.prefix),
    targetStatements: targetStatements(config.schedules.flatMap((s) => (isTaskSchedule(s) ? [] : [s.target]))),
    missedRuns,
    unwatchedSchedules: unwatched,
  };
}

/** Each own task's function: its name, its settings (the processor's where the task leaves them out) and its prefixes. */
function ownTaskSpecs(config: EnvironmentConfig, prefix: string): Record<string, OwnTaskSpec> {
  return Object.fromEntries(
    Object.entries(config.tasks).map(([name, task]) => [
      name,
      {
        functionName: ownTaskFunctionName(prefix, name),
        description: `Runs the own task ${name} of ${config.name}`,
        memoryMb: task.memoryMb ?? config.processor.memoryMb,
        timeoutSeconds: task.timeoutSeconds ?? config.processor.timeoutSeconds,
        logRetentionDays: task.logRetentionDays ?? config.processor.logRetentionDays,
        reads: [...task.reads],
        writes: [...task.writes],
      },
    ]),
  );
}

/** A schedule that invokes a target outside the stack: its ARN, its service's parameters, and its input as given. */
function targetScheduleSpec(schedule: TargetScheduleConfig, environment: string): ScheduleSpec {
  const target: ScheduleTargetInput = schedule.target;
  const [kind] = kindsOf(target);
  return {
    ...timingOf(schedule),
    input: escapeTerraformTemplate(schedule.input ?? defaultTargetInput(schedule.name, environment)),
    targetArn: target[kind] as string,
    sqsMessageGroupIds: target.messageGroupId ? [target.messageGroupId] : [],
    eventBridgeParameters: kind === "eventBus" ? [{ detailType: target.detailType as string, source: target.source as string }] : [],
    targetKeyArn: target.kmsKeyArn ?? null,
  };
}

/** When and how a schedule fires, the same for a task's and a target's. */
function timingOf(schedule: ScheduleConfig) {
  return {
    description: schedule.description ?? null,
    expression: schedule.expression,
    timezone: schedule.timezone,
    state: schedule.enabled ? "ENABLED" : "DISABLED",
    startDate: schedule.startDate ?? null,
    endDate: schedule.endDate ?? null,
    flexibleMode: schedule.flexibleWindowMinutes === 0 ? "OFF" : "FLEXIBLE",
    maximumWindowMinutes: schedule.flexibleWindowMinutes === 0 ? null : schedule.flexibleWindowMinutes,
    retryAttempts: schedule.retry.maxAttempts,
    maxEventAgeSeconds: schedule.retry.maxEventAgeSeconds,
  };
}

/** `email:ops@example.com` → its subscription: keys name the endpoint, so reordering targets changes nothing. */
export function subscriptionsOf(targets: {
  readonly email: readonly string[];
  readonly sms: readonly string[];
  readonly https: readonly string[];
}): Record<string, SubscriptionSpec> {
  const all: Array<[string, string]> = [
    ...targets.email.map((e): [string, string] => ["email", e]),
    ...targets.sms.map((e): [string, string] => ["sms", e]),
    ...targets.https.map((e): [string, string] => ["https", e]),
  ];
  return Object.fromEntries(all.map(([protocol, endpoint]) => [`${protocol}:${endpoint}`, { protocol, endpoint }]));
}

export type { TaskType };
