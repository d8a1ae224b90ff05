import { LambdaFunctionUrl } from "@cdktf/provider-aws/lib/lambda-function-url";
import type { Construct } from "constructs";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../core/naming";
import { BundledFunction, type FunctionCode, type FunctionTelemetry } from "./bundled-function";
import { pin } from "./support/addresses";
import { textOf } from "./support/terraform-values";

export interface ScheduleApiFunctionProps {
  readonly functionName: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly code: FunctionCode;
  readonly scheduleGroupName: string;
  readonly targetFunctionArn: string;
  readonly schedulerRoleArn: string;
  readonly deadLetterQueueArn: string;
  readonly retry: { readonly maxAttempts: number; readonly maxEventAgeSeconds: number };
  readonly telemetry: FunctionTelemetry;
}

/**
 * The dynamic scheduling API: a function behind a function URL that only IAM-signed requests
 * reach (callers need lambda:InvokeFunctionUrl). It creates, lists and deletes one-time at()
 * schedules named once-* in the environment's group, and may pass only the scheduler role. It
 * runs any schedule of the group now: it reads the schedule's target input and invokes the
 * processor with it, as Scheduler would.
 */
export class ScheduleApiFunction extends BundledFunction {
  readonly url: LambdaFunctionUrl;

  constructor(scope: Construct, id: string, props: ScheduleApiFunctionProps) {
    const scheduler = `arn:${props.partition}:scheduler:${props.region}:${props.account}`;
    const apiSchedules = `${scheduler}:schedule/${props.scheduleGroupName}/${ONE_TIME_SCHEDULE_PREFIX}*`;
    const groupSchedules = `${scheduler}:schedule/${props.scheduleGroupName}/*`;
    super(scope, id, {
      address: "schedule_api",
      legacyId: "schedule-api",
      functionName: props.functionName,
      description: `Creates, lists and deletes one-time schedules in ${props.scheduleGroupName}, and runs its schedules now`,
      account: props.account,
      code: props.code,
      memoryMb: 256,
      timeoutSeconds: 15,
      telemetry: props.telemetry,
      environment: {
        ENVIRONMENT: props.environment,
        SCHEDULE_GROUP: props.scheduleGroupName,
        TARGET_ARN: props.targetFunctionArn,
        SCHEDULER_ROLE_ARN: props.schedulerRoleArn,
        DEAD_LETTER_QUEUE_ARN: props.deadLetterQueueArn,
        RETRY_MAX_ATTEMPTS: textOf(props.retry.maxAttempts),
        RETRY_MAX_EVENT_AGE_SECONDS: textOf(props.retry.maxEventAgeSeconds),
      },
      statements: [
        {
          Sid: "ManageOneTimeSchedules",
          Effect: "Allow",
          Action: ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"],
          Resource: [apiSchedules],
        },
        {
          // Showing a one-time schedule, and running any schedule of the group now (its target input).
          Sid: "ReadSchedules",
          Effect: "Allow",
          Action: ["scheduler:GetSchedule"],
          Resource: [groupSchedules],
        },
        {
          // ListSchedules has no resource type in IAM: AWS accepts only "*" here.
          Sid: "ListSchedules",
          Effect: "Allow",
          Action: ["scheduler:ListSchedules"],
          Resource: ["*"],
        },
        {
          Sid: "PassSchedulerRoleToScheduler",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [props.schedulerRoleArn],
          Condition: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
        },
        {
          // A run now, invoked asynchronously as Scheduler invokes the processor.
          Sid: "RunSchedulesNow",
          Effect: "Allow",
          Action: ["lambda:InvokeFunction"],
          Resource: [props.targetFunctionArn],
        },
      ],
    });
    this.url = pin(
      new LambdaFunctionUrl(this, "url", { functionName: this.function.functionName, authorizationType: "AWS_IAM" }),
      "schedule_api",
      "schedule-api/url",
    );
  }
}
