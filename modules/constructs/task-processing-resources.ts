import { Token } from "cdktf";
import { Construct } from "constructs";
import type { TaskBundle } from "../bundling/task-bundle";
import { AlarmTopicKey } from "./alarm-topic-key";
import { OperationalAlarms } from "./alarms";
import type { FunctionCode } from "./bundled-function";
import { OperationsDashboard } from "./dashboard";
import { DataAccessPolicies } from "./data-access";
import { EncryptedQueue } from "./encrypted-queue";
import { FAILURE_HANDLER_TIMEOUT_SECONDS, FailureHandlerFunction } from "./failure-handler";
import { NotificationTopic } from "./notifications";
import { OwnTaskFunctions } from "./own-task-functions";
import type { ProcessingSpec } from "./processing-spec";
import { ProcessorFunction } from "./processor";
import { ScheduleApiFunction } from "./schedule-api";
import { TaskSchedules } from "./schedules";
import { TaskStorage } from "./storage";
import { WorkQueue } from "./work-queue";

/** The code of each function the environment deploys. */
export interface FunctionCodes {
  readonly processor: FunctionCode;
  readonly failureHandler: FunctionCode;
  readonly scheduleApi: FunctionCode;
  /** Each own task's bundle, by name (a stack's; the module's tasks name their zips in its spec). */
  readonly tasks?: Readonly<Record<string, TaskBundle>>;
}

export interface TaskProcessingResourcesProps {
  readonly spec: ProcessingSpec;
  readonly code: FunctionCodes;
}

/** The own tasks' error alarms' names, an HCL list. */
export const TASK_ALARM_NAMES = "[for alarm in aws_cloudwatch_metric_alarm.task_errors : alarm.alarm_name]";

/** AWS's guidance for SQS event sources: hide a received message six times the consumer's timeout. */
const FAILURE_QUEUE_VISIBILITY_SECONDS = 6 * FAILURE_HANDLER_TIMEOUT_SECONDS;

/** One value a stack or module hands to its users. */
export interface OutputValue {
  readonly value: unknown;
  readonly description: string;
}

/**
 * Every resource of one environment: storage, notifications, the processor with its work
 * queue and schedules, failure handling, the scheduling API, alarms and a dashboard. Built
 * from a spec only, so a stack (literal values) and the Terraform module (variables) get the
 * same resources at the same pinned addresses.
 */
export class TaskProcessingResources extends Construct {
  readonly storage: TaskStorage;
  /** The managed policies of producers and readers in this account. */
  readonly access: DataAccessPolicies;
  readonly notifications: NotificationTopic;
  readonly processor: ProcessorFunction;
  readonly schedules: TaskSchedules;
  readonly failureHandler: FailureHandlerFunction;
  readonly scheduleApi: ScheduleApiFunction;
  readonly operations: NotificationTopic;
  readonly alarms: OperationalAlarms;
  readonly failureQueue: EncryptedQueue;
  readonly workQueue: WorkQueue;
  /** The own tasks' functions, where the environment has any. */
  readonly tasks?: OwnTaskFunctions;
  readonly spec: ProcessingSpec;

  constructor(scope: Construct, id: string, props: TaskProcessingResourcesProps) {
    super(scope, id);
    const { spec, code } = props;
    this.spec = spec;
    const names = spec.names;

    this.storage = new TaskStorage(this, "storage", {
      storage: spec.storage,
      accessStatements: spec.access.bucketStatements,
      partition: spec.partition,
      preventDestroy: spec.preventDestroy,
    });
    this.access = new DataAccessPolicies(this, "access", { namePrefix: names.prefix, access: spec.access });
    this.notifications = new NotificationTopic(this, "notifications", {
      address: "notifications",
      legacyId: "notifications",
      topicName: names.topic,
      topic: spec.notifications.topic,
      subscriptions: spec.notifications.subscriptions,
    });
    this.failureQueue = new EncryptedQueue(this, "processor-failures", {
      address: "processor_failures",
      legacyPath: "processor-failures",
      name: names.processorFailureQueue,
      visibilityTimeoutSeconds: FAILURE_QUEUE_VISIBILITY_SECONDS,
    });
    this.workQueue = new WorkQueue(this, "work-queue", {
      queueName: names.workQueue,
      deadLetterQueueName: names.workDeadLetterQueue,
      visibilityTimeoutSeconds: spec.processor.workQueueVisibilitySeconds,
      maxReceiveCount: spec.fanOut.maxReceiveCount,
    });
    this.processor = new ProcessorFunction(this, "processor", {
      functionName: names.processorFunction,
      environment: spec.environment,
      account: spec.account,
      code: code.processor,
      storage: this.storage,
      topicArn: this.notifications.topicArn,
      failureQueue: this.failureQueue,
      processor: spec.processor,
      workQueue: this.workQueue,
      fanOut: spec.fanOut,
    });
    if (OwnTaskFunctions.anyIn(spec.tasks))
      this.tasks = new OwnTaskFunctions(this, "tasks", {
        tasks: spec.tasks,
        bundles: code.tasks,
        environment: spec.environment,
        account: spec.account,
        storage: this.storage,
        topicArn: this.notifications.topicArn,
        failureQueue: this.failureQueue,
        processor: spec.processor,
      });
    this.schedules = new TaskSchedules(this, "schedules", {
      groupName: names.scheduleGroup,
      roleName: names.schedulerRole,
      deadLetterQueueName: names.schedulerDeadLetterQueue,
      deadLetterQueueVisibilityTimeoutSeconds: FAILURE_QUEUE_VISIBILITY_SECONDS,
      account: spec.account,
      targetFunctionArn: this.processor.functionArn,
      schedules: spec.schedules,
      targetStatements: spec.targetStatements,
      ownTaskFunctionArns:
        typeof spec.tasks === "string" || !this.tasks
          ? undefined
          : Object.fromEntries(Object.keys(spec.tasks).map((name) => [name, this.tasks!.functionArnOf(name)])),
    });
    this.failureHandler = new FailureHandlerFunction(this, "failure-handler", {
      functionName: names.failureHandlerFunction,
      environment: spec.environment,
      account: spec.account,
      code: code.failureHandler,
      storage: this.storage,
      topicArn: this.notifications.topicArn,
      processorFailureQueue: this.failureQueue,
      schedulerDeadLetterQueue: this.schedules.deadLetterQueue,
      workDeadLetterQueue: this.workQueue.deadLetterQueue,
      telemetry: spec.processor,
    });
    this.notifications.allowPublishingOnlyFrom([this.processor.roleArn, this.failureHandler.roleArn], this.tasks?.roleArns());
    this.scheduleApi = new ScheduleApiFunction(this, "schedule-api", {
      functionName: names.scheduleApiFunction,
      environment: spec.environment,
      account: spec.account,
      region: spec.region,
      partition: spec.partition,
      code: code.scheduleApi,
      scheduleGroupName: names.scheduleGroup,
      targetFunctionArn: this.processor.functionArn,
      schedulerRoleArn: this.schedules.roleArn,
      deadLetterQueueArn: this.schedules.deadLetterQueue.arn,
      retry: spec.scheduleApi,
      telemetry: spec.processor,
    });

    const alarmArnPrefix = `arn:${spec.partition}:cloudwatch:${spec.region}:${spec.account}:alarm:${names.alarmPrefix}`;
    const operationsKey = new AlarmTopicKey(this, "operations-key", {
      aliasName: names.operationsKeyAlias,
      partition: spec.partition,
      region: spec.region,
      account: spec.account,
      alarmNamePrefix: names.alarmPrefix,
      key: spec.operations.key,
      preventDestroy: spec.preventDestroy,
    });
    this.operations = new NotificationTopic(this, "operations", {
      address: "operations",
      legacyId: "operations",
      topicName: names.operationsTopic,
      topic: { create: true, existingArn: "" },
      kmsKeyId: operationsKey.arn,
      subscriptions: spec.operations.subscriptions,
    });
    this.operations.allowAlarmsToPublish(spec.account, alarmArnPrefix);
    const failureQueues = [
      { suffix: "scheduler-dlq", name: names.schedulerDeadLetterQueue, inRelease01: true },
      { suffix: "processor-failures", name: names.processorFailureQueue, inRelease01: true },
      { suffix: "work-dlq", name: names.workDeadLetterQueue, inRelease01: false },
    ];
    this.alarms = new OperationalAlarms(this, "alarms", {
      alarmNamePrefix: names.alarmPrefix,
      environment: spec.environment,
      topicArn: this.operations.topicArn,
      thresholds: spec.alarms,
      processorFunctionName: names.processorFunction,
      failureQueues,
      workQueueName: names.workQueue,
      scheduleGroupName: names.scheduleGroup,
      missedRuns: spec.missedRuns,
    });
    this.tasks?.addAlarms(names.alarmPrefix, this.operations.topicArn, spec.alarms.processorErrors);
    new OperationsDashboard(this, "dashboard", {
      dashboardName: names.dashboard,
      region: spec.region,
      environment: spec.environment,
      functionNames: [names.processorFunction, names.failureHandlerFunction, names.scheduleApiFunction],
      processorFunctionName: names.processorFunction,
      queueNames: failureQueues.map((q) => q.name),
      workQueueName: names.workQueue,
      scheduleGroupName: names.scheduleGroup,
    });
  }

  /** What a stack writes to its state and the module returns: the same names for both. */
  outputs(): Record<string, OutputValue> {
    const missedRunAlarmNames = "${[for alarm in aws_cloudwatch_metric_alarm.missed_run : alarm.alarm_name]}";
    return {
      bucket_name: { value: this.storage.bucketName, description: "Task bucket name" },
      bucket_arn: { value: this.storage.bucketArn, description: "Task bucket ARN" },
      producer_policy_arns: {
        value: this.access.arns("producer"),
        description: "Map of producer name to the managed policy to attach to its principals in this account",
      },
      reader_policy_arns: {
        value: this.access.arns("reader"),
        description: "Map of reader name to the managed policy to attach to its principals in this account",
      },
      notification_topic_arn: { value: this.notifications.topicArn, description: "SNS topic for task success and failure notices" },
      operations_topic_arn: { value: this.operations.topicArn, description: "SNS topic the alarms notify" },
      processor_function_name: { value: this.processor.functionName, description: "Processor Lambda function name" },
      processor_function_arn: { value: this.processor.functionArn, description: "Processor Lambda function ARN" },
      processor_role_arn: { value: this.processor.roleArn, description: "Processor execution role ARN" },
      processor_failure_queue_url: { value: this.failureQueue.url, description: "Queue of events the processor failed after its retries" },
      processor_failure_queue_arn: { value: this.failureQueue.arn, description: "ARN of the processor failure queue" },
      schedule_group_name: { value: this.schedules.groupName, description: "EventBridge Scheduler schedule group name" },
      schedule_group_arn: { value: this.schedules.groupArn, description: "EventBridge Scheduler schedule group ARN" },
      schedule_arns: { value: Token.asAnyMap(this.schedules.scheduleArns()), description: "Map of schedule name to schedule ARN" },
      scheduler_role_arn: { value: this.schedules.roleArn, description: "Role EventBridge Scheduler assumes to invoke the processor" },
      scheduler_dead_letter_queue_url: {
        value: this.schedules.deadLetterQueue.url,
        description: "Queue of invocations Scheduler could not deliver",
      },
      scheduler_dead_letter_queue_arn: { value: this.schedules.deadLetterQueue.arn, description: "ARN of the scheduler dead-letter queue" },
      work_queue_url: { value: this.workQueue.queue.url, description: "Queue large data_processing runs are spread over" },
      work_queue_arn: { value: this.workQueue.queue.arn, description: "ARN of the work queue" },
      work_dead_letter_queue_url: {
        value: this.workQueue.deadLetterQueue.url,
        description: "Batches of fanned-out runs that failed every delivery",
      },
      work_dead_letter_queue_arn: { value: this.workQueue.deadLetterQueue.arn, description: "ARN of the work dead-letter queue" },
      failure_handler_function_arn: {
        value: this.failureHandler.functionArn,
        description: "Function that archives and announces failed events",
      },
      schedule_api_url: { value: this.scheduleApi.url.functionUrl, description: "IAM-authorised URL of the one-time scheduling API" },
      schedule_api_function_arn: {
        value: this.scheduleApi.functionArn,
        description: "Function behind the scheduling API (callers need lambda:InvokeFunctionUrl on it)",
      },
      alarm_names: {
        value: Token.asList(
          `\${concat(${JSON.stringify(this.alarms.alarmNames)}, ${missedRunAlarmNames.slice(2, -1)}` +
            `${this.tasks ? `, ${TASK_ALARM_NAMES}` : ""})}`,
        ),
        description: "Names of the environment's CloudWatch alarms",
      },
      dashboard_name: { value: this.spec.names.dashboard, description: "CloudWatch dashboard of the environment" },
      // Only where there are own tasks: a stack without them keeps the outputs it had.
      ...(this.tasks
        ? {
            task_function_arns: { value: this.tasks.outputMaps().functionArns, description: "Map of own task name to its function's ARN" },
            task_role_arns: {
              value: this.tasks.outputMaps().roleArns,
              description: "Map of own task name to its function's execution role ARN",
            },
          }
        : {}),
    };
  }
}
