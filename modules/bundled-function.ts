import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { FunctionBundle } from "./function-bundle";
import { policyDocument, type PolicyStatement, renderPolicy, serviceTrustPolicy } from "./iam/policy-document";

export interface BundledFunctionProps {
  readonly functionName: string;
  readonly description: string;
  readonly account: string;
  readonly bundle: FunctionBundle;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly environment: Readonly<Record<string, string>>;
  /** What the function may do besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * A Lambda function built from a bundle under functions/: Node.js 22 on arm64, its own log
 * group with retention, and an execution role trusted only by Lambda in this account whose
 * inline policy grants exactly `statements` plus writing to that log group.
 */
export class BundledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const asset = new TerraformAsset(this, "code", {
      path: props.bundle.zipPath,
      type: AssetType.FILE,
      assetHash: props.bundle.sha256Hex,
    });

    // Created here, not by Lambda on first run, so retention is set and destroy removes it.
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.role = new IamRole(this, "role", {
      name: props.functionName,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: renderPolicy(
        serviceTrustPolicy("lambda.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": props.account },
        }),
      ),
    });
    this.rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: `${props.functionName}-least-privilege`,
      role: this.role.id,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${this.logGroup.arn}:log-stream:*`],
          },
          ...props.statements,
        ),
      ),
    });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: props.bundle.sha256Base64,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      environment: { variables: { ...props.environment } },
      dependsOn: [this.logGroup, this.rolePolicy],
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
