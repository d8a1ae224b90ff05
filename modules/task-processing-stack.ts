import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AlarmTopicKey } from "./alarm-topic-key";
import { OperationalAlarms } from "./alarms";
import { partitionOf, resourceNames } from "../core/naming";
import type { EnvironmentConfig } from "./config/schema";
import { OperationsDashboard } from "./dashboard";
import { EncryptedQueue } from "./encrypted-queue";
import { FAILURE_HANDLER_TIMEOUT_SECONDS, FailureHandlerFunction } from "./failure-handler";
import type { FunctionBundle } from "./function-bundle";
import { NotificationTopic } from "./notifications";
import { ProcessorFunction } from "./processor";
import { ScheduleApiFunction } from "./schedule-api";
import { TaskSchedules } from "./schedules";
import { TaskStorage } from "./storage";
import { WorkQueue } from "./work-queue";

/** The bundles of the functions under functions/, built once and shared by every stack. */
export interface FunctionBundles {
  readonly processor: FunctionBundle;
  readonly failureHandler: FunctionBundle;
  readonly scheduleApi: FunctionBundle;
}

export interface TaskProcessingStackProps {
  readonly config: EnvironmentConfig;
  readonly bundles: FunctionBundles;
}

/** AWS's guidance for SQS event sources: hide a received message six times the consumer's timeout. */
const FAILURE_QUEUE_VISIBILITY_SECONDS = 6 * FAILURE_HANDLER_TIMEOUT_SECONDS;

/**
 * One environment: storage, notifications, the processor and its schedules, failure handling,
 * the scheduling API, alarms and a dashboard. Built only from the validated config; it never
 * branches on the environment's name.
 */
export class TaskProcessingStack extends TerraformStack {
  readonly storage: TaskStorage;
  readonly notifications: NotificationTopic;
  readonly processor: ProcessorFunction;
  readonly schedules: TaskSchedules;
  readonly failureHandler: FailureHandlerFunction;
  readonly scheduleApi: ScheduleApiFunction;
  readonly operations: NotificationTopic;
  readonly alarms: OperationalAlarms;

  constructor(scope: Construct, props: TaskProcessingStackProps) {
    const { config, bundles } = props;
    super(scope, config.name);
    const names = resourceNames(config);
    const partition = partitionOf(config.region);

    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.account],
      defaultTags: [{ tags: { ...config.tags, project: config.projectName, environment: config.name, "managed-by": "cdktf" } }],
    });
    new S3Backend(this, { bucket: config.backend.bucket, key: config.backend.key, region: config.backend.region, encrypt: true });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
    this.addOverride("terraform.backend.s3.use_lockfile", true);

    this.storage = new TaskStorage(this, "storage", {
      bucketName: names.bucket,
      kmsKeyArn: config.storage.kmsKeyArn,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: config.storage.abortIncompleteMultipartUploadDays,
    });
    this.notifications = new NotificationTopic(this, "notifications", { topicName: names.topic, ...config.notifications });
    const failureQueue = new EncryptedQueue(this, "processor-failures", {
      name: names.processorFailureQueue,
      visibilityTimeoutSeconds: FAILURE_QUEUE_VISIBILITY_SECONDS,
    });
    const workQueue = new WorkQueue(this, "work-queue", {
      queueName: names.workQueue,
      deadLetterQueueName: names.workDeadLetterQueue,
      visibilityTimeoutSeconds: 6 * config.processor.timeoutSeconds,
      maxReceiveCount: config.fanOut.maxReceiveCount,
    });
    this.processor = new ProcessorFunction(this, "processor", {
      functionName: names.processorFunction,
      environment: config.name,
      account: config.account,
      bundle: bundles.processor,
      storage: this.storage,
      topicArn: this.notifications.topicArn,
      failureQueue,
      workQueue,
      fanOut: config.fanOut,
      ...config.processor,
    });
    this.schedules = new TaskSchedules(this, "schedules", {
      groupName: names.scheduleGroup,
      roleName: names.schedulerRole,
      deadLetterQueueName: names.schedulerDeadLetterQueue,
      deadLetterQueueVisibilityTimeoutSeconds: FAILURE_QUEUE_VISIBILITY_SECONDS,
      account: config.account,
      environment: config.name,
      targetFunctionArn: this.processor.functionArn,
      schedules: config.schedules,
    });
    this.failureHandler = new FailureHandlerFunction(this, "failure-handler", {
      functionName: names.failureHandlerFunction,
      environment: config.name,
      account: config.account,
      bundle: bundles.failureHandler,
      storage: this.storage,
      topicArn: this.notifications.topicArn,
      processorFailureQueue: failureQueue,
      schedulerDeadLetterQueue: this.schedules.deadLetterQueue,
      workDeadLetterQueue: workQueue.deadLetterQueue,
      logRetentionDays: config.processor.logRetentionDays,
    });
    this.notifications.allowPublishingOnlyFrom([this.processor.roleArn, this.failureHandler.roleArn]);
    this.scheduleApi = new ScheduleApiFunction(this, "schedule-api", {
      functionName: names.scheduleApiFunction,
      environment: config.name,
      account: config.account,
      region: config.region,
      partition,
      bundle: bundles.scheduleApi,
      scheduleGroupName: names.scheduleGroup,
      targetFunctionArn: this.processor.functionArn,
      schedulerRoleArn: this.schedules.roleArn,
      deadLetterQueueArn: this.schedules.deadLetterQueue.arn,
      retry: config.scheduleApi.retry,
      logRetentionDays: config.processor.logRetentionDays,
    });

    const alarmArnPrefix = `arn:${partition}:cloudwatch:${config.region}:${config.account}:alarm:${names.alarmPrefix}`;
    const operationsKey = new AlarmTopicKey(this, "operations-key", {
      aliasName: names.operationsKeyAlias,
      partition,
      region: config.region,
      account: config.account,
      alarmNamePrefix: names.alarmPrefix,
    });
    this.operations = new NotificationTopic(this, "operations", { topicName: names.operationsTopic, kmsKeyId: operationsKey.arn, ...config.operations });
    this.operations.allowAlarmsToPublish(config.account, alarmArnPrefix);
    const failureQueueNames = [names.schedulerDeadLetterQueue, names.processorFailureQueue, names.workDeadLetterQueue];
    this.alarms = new OperationalAlarms(this, "alarms", {
      alarmNamePrefix: names.alarmPrefix,
      environment: config.name,
      topicArn: this.operations.topicArn,
      thresholds: config.alarms,
      processorFunctionName: names.processorFunction,
      processorTimeoutSeconds: config.processor.timeoutSeconds,
      failureQueueNames,
      workQueueName: names.workQueue,
      scheduleGroupName: names.scheduleGroup,
      schedules: config.schedules,
    });
    new OperationsDashboard(this, "dashboard", {
      dashboardName: names.dashboard,
      region: config.region,
      environment: config.name,
      functionNames: [names.processorFunction, names.failureHandlerFunction, names.scheduleApiFunction],
      processorFunctionName: names.processorFunction,
      queueNames: failureQueueNames,
      workQueueName: names.workQueue,
      scheduleGroupName: names.scheduleGroup,
    });

    const outputs: Record<string, [value: unknown, description: string]> = {
      bucket_name: [this.storage.bucketName, "Task bucket name"],
      bucket_arn: [this.storage.bucketArn, "Task bucket ARN"],
      notification_topic_arn: [this.notifications.topicArn, "SNS topic for task success and failure notices"],
      operations_topic_arn: [this.operations.topicArn, "SNS topic the alarms notify"],
      processor_function_name: [this.processor.functionName, "Processor Lambda function name"],
      processor_function_arn: [this.processor.functionArn, "Processor Lambda function ARN"],
      processor_role_arn: [this.processor.roleArn, "Processor execution role ARN"],
      processor_failure_queue_url: [failureQueue.url, "Queue of events the processor failed after its retries"],
      processor_failure_queue_arn: [failureQueue.arn, "ARN of the processor failure queue"],
      schedule_group_name: [this.schedules.groupName, "EventBridge Scheduler schedule group name"],
      schedule_group_arn: [this.schedules.groupArn, "EventBridge Scheduler schedule group ARN"],
      schedule_arns: [this.schedules.scheduleArns(), "Map of schedule name to schedule ARN"],
      scheduler_role_arn: [this.schedules.roleArn, "Role EventBridge Scheduler assumes to invoke the processor"],
      scheduler_dead_letter_queue_url: [this.schedules.deadLetterQueue.url, "Queue of invocations Scheduler could not deliver"],
      scheduler_dead_letter_queue_arn: [this.schedules.deadLetterQueue.arn, "ARN of the scheduler dead-letter queue"],
      work_queue_url: [workQueue.queue.url, "Queue large data_processing runs are spread over"],
      work_queue_arn: [workQueue.queue.arn, "ARN of the work queue"],
      work_dead_letter_queue_url: [workQueue.deadLetterQueue.url, "Batches of fanned-out runs that failed every delivery"],
      work_dead_letter_queue_arn: [workQueue.deadLetterQueue.arn, "ARN of the work dead-letter queue"],
      failure_handler_function_arn: [this.failureHandler.functionArn, "Function that archives and announces failed events"],
      schedule_api_url: [this.scheduleApi.url.functionUrl, "IAM-authorised URL of the one-time scheduling API"],
      schedule_api_function_arn: [this.scheduleApi.functionArn, "Function behind the scheduling API (callers need lambda:InvokeFunctionUrl on it)"],
      alarm_names: [this.alarms.alarms.map((a) => a.alarmName), "Names of the environment's CloudWatch alarms"],
      dashboard_name: [names.dashboard, "CloudWatch dashboard of the environment"],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description, staticId: true });
    }
  }
}
