import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SchedulerScheduleGroup } from "@cdktf/provider-aws/lib/scheduler-schedule-group";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EncryptedQueue } from "./encrypted-queue";
import type { ScheduleSpec } from "./processing-spec";
import { pin, pinCollection } from "./support/addresses";
import { type PolicyStatement, policyDocument, renderPolicy, renderPolicyWith, serviceTrustPolicy } from "./support/policy-document";
import { type Collection, iteratorOf, knownKeys } from "./support/terraform-values";

/** The scheduler role's statement on the own tasks' functions (the module's HCL writes the same). */
export const OWN_TASKS_SID = "InvokeOwnTasks";

export interface TaskSchedulesProps {
  readonly groupName: string;
  readonly roleName: string;
  readonly deadLetterQueueName: string;
  readonly account: string;
  /** The Lambda function every schedule with a task invokes (and the scheduling API's one-time schedules). */
  readonly targetFunctionArn: string;
  readonly schedules: Collection<ScheduleSpec>;
  /** What the role may do on the schedules' external targets (support/target-grants.ts; the module's, an HCL list). */
  readonly targetStatements: readonly PolicyStatement[] | string;
  /**
   * The own tasks' functions, by task name (a stack's): a schedule of an own task invokes its
   * function, which the role may invoke. The module's HCL places and grants them itself.
   */
  readonly ownTaskFunctionArns?: Readonly<Record<string, string>>;
  /** The dead-letter queue's consumer timeout, times six (the AWS guidance for SQS sources). */
  readonly deadLetterQueueVisibilityTimeoutSeconds?: number;
}

/**
 * The environment's schedule group, its schedules (one `for_each` resource keyed by schedule
 * name, so adding or reordering schedules never touches the others), the role Scheduler
 * assumes to invoke the processor and the schedules' external targets (each its one action),
 * and the dead-letter queue for invocations it could not deliver.
 */
export class TaskSchedules extends Construct {
  readonly group: SchedulerScheduleGroup;
  readonly role: IamRole;
  readonly deadLetterQueue: EncryptedQueue;
  readonly schedules: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: TaskSchedulesProps) {
    super(scope, id);
    this.group = pin(
      new SchedulerScheduleGroup(this, "group", { name: props.groupName, tags: { Name: props.groupName } }),
      "tasks",
      "schedules/group",
    );
    this.deadLetterQueue = new EncryptedQueue(this, "dead-letter-queue", {
      address: "scheduler_dlq",
      legacyPath: "schedules/dead-letter-queue",
      name: props.deadLetterQueueName,
      visibilityTimeoutSeconds: props.deadLetterQueueVisibilityTimeoutSeconds,
    });

    // The functions of the own tasks its schedules run, and no other's.
    const scheduled = typeof props.schedules === "string" ? [] : Object.values(props.schedules).flatMap((s) => s.ownTask ?? []);
    const ownTaskArns = Object.entries(props.ownTaskFunctionArns ?? {}).flatMap(([name, arn]) => (scheduled.includes(name) ? [arn] : []));
    this.role = pin(
      new IamRole(this, "role", {
        name: props.roleName,
        description: `Assumed by EventBridge Scheduler for the schedules of group ${props.groupName}`,
        // AWS: scope aws:SourceArn to the schedule group; a schedule ARN would never match.
        assumeRolePolicy: renderPolicy(
          serviceTrustPolicy("scheduler.amazonaws.com", {
            StringEquals: { "aws:SourceAccount": props.account },
            ArnEquals: { "aws:SourceArn": this.group.arn },
          }),
        ),
      }),
      "scheduler",
      "schedules/role",
    );
    const rolePolicy = pin(
      new IamRolePolicy(this, "role-policy", {
        name: "scheduler-invoke-target",
        role: this.role.id,
        policy: renderPolicyWith(
          policyDocument(
            { Sid: "InvokeProcessor", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [props.targetFunctionArn] },
            { Sid: "SendUndeliveredToDeadLetterQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [this.deadLetterQueue.arn] },
            ...(ownTaskArns.length > 0
              ? [{ Sid: OWN_TASKS_SID, Effect: "Allow" as const, Action: ["lambda:InvokeFunction"], Resource: ownTaskArns }]
              : []),
          ),
          props.targetStatements,
        ),
      }),
      "scheduler",
      "schedules/role-policy",
    );

    // A schedule with a built-in task invokes the processor, one with an own task that task's function: their ARNs are
    // placed here, where they are known (the module's HCL places them itself).
    const placed = ({ ownTask, ...spec }: ScheduleSpec) => {
      if (spec.targetArn !== null || ownTask === undefined) return { ...spec, targetArn: spec.targetArn ?? props.targetFunctionArn };
      const arn = props.ownTaskFunctionArns?.[ownTask];
      if (!arn) throw new Error(`no function was built for the own task ${ownTask}`);
      return { ...spec, targetArn: arn };
    };
    const schedules =
      typeof props.schedules === "string"
        ? props.schedules
        : Object.fromEntries(Object.entries(props.schedules).map(([name, spec]) => [name, placed(spec)]));
    const each = iteratorOf(schedules);
    this.schedules = pinCollection(
      new SchedulerSchedule(this, "schedules", {
        forEach: each,
        name: each.key,
        groupName: this.group.name,
        description: each.getString("description"),
        scheduleExpression: each.getString("expression"),
        scheduleExpressionTimezone: each.getString("timezone"),
        state: each.getString("state"),
        startDate: each.getString("startDate"),
        endDate: each.getString("endDate"),
        flexibleTimeWindow: { mode: each.getString("flexibleMode"), maximumWindowInMinutes: each.getNumber("maximumWindowMinutes") },
        target: {
          arn: each.getString("targetArn"),
          roleArn: this.role.arn,
          input: each.getString("input"),
          retryPolicy: {
            maximumRetryAttempts: each.getNumber("retryAttempts"),
            maximumEventAgeInSeconds: each.getNumber("maxEventAgeSeconds"),
          },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
        // A schedule that fires before its role may invoke would land in the dead-letter queue.
        dependsOn: [rolePolicy],
      }),
      "tasks",
      knownKeys(props.schedules),
      (name) => `schedules/schedule-${name}`,
    );
    // A queue's message group and an event bus's detail-type and source, only for the schedules whose target takes them.
    this.schedules.addOverride("target.dynamic", {
      sqs_parameters: { for_each: "${each.value.sqsMessageGroupIds}", content: { message_group_id: "${sqs_parameters.value}" } },
      eventbridge_parameters: {
        for_each: "${each.value.eventBridgeParameters}",
        content: { detail_type: "${eventbridge_parameters.value.detailType}", source: "${eventbridge_parameters.value.source}" },
      },
    });
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
  scheduleArns(): string {
    return Token.asString(`\${{ for name, schedule in aws_scheduler_schedule.tasks : name => schedule.arn }}`);
  }
}
