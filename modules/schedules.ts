import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SchedulerScheduleGroup } from "@cdktf/provider-aws/lib/scheduler-schedule-group";
import { Construct } from "constructs";
import type { ScheduleConfig } from "./config/schema";
import { EncryptedQueue } from "./encrypted-queue";
import { policyDocument, renderPolicy, serviceTrustPolicy } from "./iam/policy-document";
import { escapeTerraformTemplate, scheduleInput } from "../core/schedule-input";

export interface TaskSchedulesProps {
  readonly groupName: string;
  readonly roleName: string;
  readonly deadLetterQueueName: string;
  readonly account: string;
  readonly environment: string;
  /** The Lambda function every schedule invokes. */
  readonly targetFunctionArn: string;
  readonly schedules: readonly ScheduleConfig[];
  /** The dead-letter queue's consumer timeout, times six (the AWS guidance for SQS sources). */
  readonly deadLetterQueueVisibilityTimeoutSeconds?: number;
}

/**
 * The environment's schedule group, its schedules, the role Scheduler assumes to invoke the
 * target, and the dead-letter queue for invocations Scheduler could not deliver.
 */
export class TaskSchedules extends Construct {
  readonly group: SchedulerScheduleGroup;
  readonly role: IamRole;
  readonly deadLetterQueue: EncryptedQueue;
  readonly schedules: ReadonlyMap<string, SchedulerSchedule>;

  constructor(scope: Construct, id: string, props: TaskSchedulesProps) {
    super(scope, id);
    this.group = new SchedulerScheduleGroup(this, "group", {
      name: props.groupName,
      tags: { Name: props.groupName },
    });
    this.deadLetterQueue = new EncryptedQueue(this, "dead-letter-queue", {
      name: props.deadLetterQueueName,
      visibilityTimeoutSeconds: props.deadLetterQueueVisibilityTimeoutSeconds,
    });

    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Assumed by EventBridge Scheduler for the schedules of group ${props.groupName}`,
      // AWS: scope aws:SourceArn to the schedule group; a schedule ARN would never match.
      assumeRolePolicy: renderPolicy(
        serviceTrustPolicy("scheduler.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": props.account },
          ArnEquals: { "aws:SourceArn": this.group.arn },
        }),
      ),
    });
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: "scheduler-invoke-target",
      role: this.role.id,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "InvokeProcessor",
            Effect: "Allow",
            Action: ["lambda:InvokeFunction"],
            Resource: [props.targetFunctionArn],
          },
          {
            Sid: "SendUndeliveredToDeadLetterQueue",
            Effect: "Allow",
            Action: ["sqs:SendMessage"],
            Resource: [this.deadLetterQueue.arn],
          },
        ),
      ),
    });

    const schedules = new Map<string, SchedulerSchedule>();
    for (const schedule of props.schedules) {
      schedules.set(
        schedule.name,
        new SchedulerSchedule(this, `schedule-${schedule.name}`, {
          name: schedule.name,
          groupName: this.group.name,
          description: schedule.description,
          scheduleExpression: schedule.expression,
          scheduleExpressionTimezone: schedule.timezone,
          state: schedule.enabled ? "ENABLED" : "DISABLED",
          startDate: schedule.startDate,
          endDate: schedule.endDate,
          flexibleTimeWindow:
            schedule.flexibleWindowMinutes === 0
              ? { mode: "OFF" }
              : { mode: "FLEXIBLE", maximumWindowInMinutes: schedule.flexibleWindowMinutes },
          target: {
            arn: props.targetFunctionArn,
            roleArn: this.role.arn,
            input: escapeTerraformTemplate(JSON.stringify(scheduleInput(schedule, props.environment))),
            retryPolicy: {
              maximumRetryAttempts: schedule.retry.maxAttempts,
              maximumEventAgeInSeconds: schedule.retry.maxEventAgeSeconds,
            },
            deadLetterConfig: { arn: this.deadLetterQueue.arn },
          },
          // A schedule that fires before its role may invoke would land in the dead-letter queue.
          dependsOn: [rolePolicy],
        }),
      );
    }
    this.schedules = schedules;
  }

  get groupArn(): string {
    return this.group.arn;
  }

  get groupName(): string {
    return this.group.name;
  }

  get roleArn(): string {
    return this.role.arn;
  }

  /** Schedule name → ARN, for outputs. */
  scheduleArns(): Record<string, string> {
    return Object.fromEntries([...this.schedules].map(([name, s]) => [name, s.arn]));
  }
}
