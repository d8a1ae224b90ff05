import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { resourceNames } from "./config/naming";
import type { EnvironmentConfig } from "./config/schema";
import { EncryptedQueue } from "./encrypted-queue";
import type { FunctionBundle } from "./function-bundle";
import { NotificationTopic } from "./notifications";
import { ProcessorFunction } from "./processor";
import { TaskSchedules } from "./schedules";
import { TaskStorage } from "./storage";

export interface TaskProcessingStackProps {
  readonly config: EnvironmentConfig;
  readonly processorBundle: FunctionBundle;
}

/**
 * One environment: storage, notifications, the processor and its schedules. Built only from
 * the validated config; it never branches on the environment's name.
 */
export class TaskProcessingStack extends TerraformStack {
  readonly storage: TaskStorage;
  readonly notifications: NotificationTopic;
  readonly processor: ProcessorFunction;
  readonly schedules: TaskSchedules;

  constructor(scope: Construct, props: TaskProcessingStackProps) {
    const { config } = props;
    super(scope, config.name);
    const names = resourceNames(config);

    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.account],
      defaultTags: [
        {
          tags: {
            ...config.tags,
            project: config.projectName,
            environment: config.name,
            "managed-by": "cdktf",
          },
        },
      ],
    });
    new S3Backend(this, {
      bucket: config.backend.bucket,
      key: config.backend.key,
      region: config.backend.region,
      encrypt: true,
    });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
    this.addOverride("terraform.backend.s3.use_lockfile", true);

    this.storage = new TaskStorage(this, "storage", {
      bucketName: names.bucket,
      kmsKeyArn: config.storage.kmsKeyArn,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: config.storage.abortIncompleteMultipartUploadDays,
    });
    this.notifications = new NotificationTopic(this, "notifications", {
      topicName: names.topic,
      ...config.notifications,
    });
    const failureQueue = new EncryptedQueue(this, "processor-failures", {
      name: names.processorFailureQueue,
    });
    this.processor = new ProcessorFunction(this, "processor", {
      functionName: names.processorFunction,
      roleName: names.processorRole,
      logGroupName: names.processorLogGroup,
      environment: config.name,
      account: config.account,
      bundle: props.processorBundle,
      storage: this.storage,
      topicArn: this.notifications.topicArn,
      failureQueue,
      ...config.processor,
    });
    this.notifications.allowPublishingOnlyFrom([this.processor.roleArn]);
    this.schedules = new TaskSchedules(this, "schedules", {
      groupName: names.scheduleGroup,
      roleName: names.schedulerRole,
      deadLetterQueueName: names.schedulerDeadLetterQueue,
      account: config.account,
      environment: config.name,
      targetFunctionArn: this.processor.functionArn,
      schedules: config.schedules,
    });

    const outputs: Record<string, [value: unknown, description: string]> = {
      bucket_name: [this.storage.bucketName, "Task bucket name"],
      bucket_arn: [this.storage.bucketArn, "Task bucket ARN"],
      notification_topic_arn: [this.notifications.topicArn, "SNS topic for task success and failure notices"],
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
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description, staticId: true });
    }
  }
}
