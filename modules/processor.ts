import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { EncryptedQueue } from "./encrypted-queue";
import type { FunctionBundle } from "./function-bundle";
import { policyDocument, renderPolicy, serviceTrustPolicy } from "./iam/policy-document";
import type { TaskStorage } from "./storage";

/** Six hours, the Lambda maximum: an event waits out a long outage before it counts as failed. */
const MAX_EVENT_AGE_SECONDS = 21_600;

export interface ProcessorFunctionProps {
  readonly functionName: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly environment: string;
  readonly account: string;
  readonly bundle: FunctionBundle;
  readonly storage: TaskStorage;
  readonly topicArn: string;
  /** Where events go once the asynchronous retries are spent. */
  readonly failureQueue: EncryptedQueue;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  /** Lambda's own retries of a failed asynchronous invocation (0-2). */
  readonly asyncRetries: number;
}

/** The processor Lambda, its log group, its execution role and its failure destination. */
export class ProcessorFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);
    const asset = new TerraformAsset(this, "code", {
      path: props.bundle.zipPath,
      type: AssetType.FILE,
      assetHash: props.bundle.sha256Hex,
    });

    // Created here, not by Lambda on first run, so retention is set and destroy removes it.
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
    });

    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: renderPolicy(
        serviceTrustPolicy("lambda.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": props.account },
        }),
      ),
    });
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: "processor-least-privilege",
      role: this.role.id,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${this.logGroup.arn}:log-stream:*`],
          },
          ...props.storage.taskAccessStatements(),
          {
            Sid: "PublishNotices",
            Effect: "Allow",
            Action: ["sns:Publish"],
            Resource: [props.topicArn],
          },
          {
            Sid: "KeepFailedEvents",
            Effect: "Allow",
            Action: ["sqs:SendMessage"],
            Resource: [props.failureQueue.arn],
          },
        ),
      ),
    });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: `Runs the scheduled business tasks of ${props.environment}`,
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: props.bundle.sha256Base64,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      environment: {
        variables: {
          BUCKET_NAME: props.storage.bucketName,
          TOPIC_ARN: props.topicArn,
          ENVIRONMENT: props.environment,
        },
      },
      dependsOn: [this.logGroup, rolePolicy],
    });

    new LambdaFunctionEventInvokeConfig(this, "async-invoke", {
      functionName: this.function.functionName,
      maximumRetryAttempts: props.asyncRetries,
      maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
      destinationConfig: { onFailure: { destination: props.failureQueue.arn } },
      // Lambda checks the role may send to the destination when the config is created.
      dependsOn: [rolePolicy],
    });
  }

  get functionArn(): string {
    return this.function.arn;
  }

  get functionName(): string {
    return this.function.functionName;
  }

  get roleArn(): string {
    return this.role.arn;
  }
}
