import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { METRIC_NAMESPACE } from "../../core/metric-names";
import type { FunctionBundle } from "../bundling/function-bundle";
import { pin } from "./support/addresses";
import { type OptionalStatement, type PolicyStatement, policyDocument, renderPolicy, serviceTrustPolicy } from "./support/policy-document";
import { choose, type Presence } from "./support/terraform-values";

/**
 * Where a function's zip comes from: a bundle built here (a stack ships it as an asset), or a
 * file already beside the configuration (the Terraform module's `${path.module}/functions/…`).
 */
export type FunctionCode = { readonly bundle: FunctionBundle } | { readonly path: string; readonly sha256Base64: string };

/** What the three functions of an environment share: their runtime, and how their logs, metrics and traces are kept. */
export interface FunctionTelemetry {
  /** The Lambda runtime (`nodejs22.x`, `nodejs24.x`); the function's bundle is built for its Node major. */
  readonly runtime: string;
  readonly logRetentionDays: number;
  /** POWERTOOLS_LOG_LEVEL. */
  readonly logLevel: string;
  /** X-Ray: tracing mode Active, the Powertools Tracer on, and the role allowed to write traces. */
  readonly tracing: Presence;
}

/** X-Ray's two write actions: they have no resource type, so `*` is the only Resource AWS accepts. */
const WRITE_TRACES: PolicyStatement = {
  Sid: "WriteTraces",
  Effect: "Allow",
  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
  Resource: ["*"],
};

export interface BundledFunctionProps {
  /** The resources' address name: `aws_lambda_function.<address>`, `aws_iam_role.<address>`, … */
  readonly address: string;
  /** Its construct id in release 0.1, for moved blocks. */
  readonly legacyId: string;
  readonly functionName: string;
  readonly description: string;
  readonly account: string;
  readonly code: FunctionCode;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly telemetry: FunctionTelemetry;
  readonly environment: Readonly<Record<string, string>>;
  /** What the function may do besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
  /** Statements that apply only when something optional exists (the bucket's KMS key). */
  readonly optionalStatements?: readonly OptionalStatement[];
}

/**
 * A Lambda function built from a bundle under functions/: Node.js (the runtime given) on arm64, its own log
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
    const code =
      "bundle" in props.code
        ? {
            path: new TerraformAsset(this, "code", {
              path: props.code.bundle.zipPath,
              type: AssetType.FILE,
              assetHash: props.code.bundle.sha256Hex,
            }).path,
            sha256Base64: props.code.bundle.sha256Base64,
          }
        : props.code;
    const legacy = (id: string) => `${props.legacyId}/${id}`;

    // Created here, not by Lambda on first run, so retention is set and destroy removes it.
    this.logGroup = pin(
      new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/lambda/${props.functionName}`,
        retentionInDays: props.telemetry.logRetentionDays,
      }),
      props.address,
      legacy("log-group"),
    );

    this.role = new IamRole(this, "role", {
      name: props.functionName,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: renderPolicy(
        serviceTrustPolicy("lambda.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": props.account },
        }),
      ),
    });
    pin(this.role, props.address, legacy("role"));
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
        [...(props.optionalStatements ?? []), { presence: props.telemetry.tracing, statement: WRITE_TRACES }],
      ),
    });
    pin(this.rolePolicy, props.address, legacy("role-policy"));

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: props.telemetry.runtime,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: code.sha256Base64,
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      tracingConfig: { mode: choose(props.telemetry.tracing, "Active", "PassThrough") },
      // Powertools reads its configuration from these; the service is the function, unique per account.
      environment: {
        variables: {
          ...props.environment,
          POWERTOOLS_SERVICE_NAME: props.functionName,
          POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
          POWERTOOLS_LOG_LEVEL: props.telemetry.logLevel,
          POWERTOOLS_TRACE_ENABLED: choose(props.telemetry.tracing, "true", "false"),
        },
      },
      dependsOn: [this.logGroup, this.rolePolicy],
    });
    pin(this.function, props.address, legacy("function"));
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
