import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { AssetType, TerraformAsset, Token } from "cdktf";
import { Construct } from "constructs";
import { METRIC_NAMESPACE } from "../../core/metric-names";
import { OWN_TASK_SERVICE_ACTIONS, ownTaskBucketAccess } from "../../core/own-task-access";
import type { TaskBundle } from "../bundling/task-bundle";
import type { EncryptedQueue } from "./encrypted-queue";
import type { OwnTaskSpec, ProcessingSpec } from "./processing-spec";
import type { TaskStorage } from "./storage";
import { pinCollection } from "./support/addresses";
import {
  type PolicyStatement,
  policyDocument,
  renderPolicy,
  renderPolicyWithOptional,
  serviceTrustPolicy,
} from "./support/policy-document";
import { type Collection, choose, iteratorOf, knownKeys, textOf } from "./support/terraform-values";

/** Six hours, the Lambda maximum, as for the processor: an event waits out a long outage before it counts as failed. */
const MAX_EVENT_AGE_SECONDS = 21_600;

/** The resources' address name: `aws_lambda_function.task["<name>"]`, `aws_iam_role.task["<name>"]`, … */
export const OWN_TASK_ADDRESS = "task";

/** Writing its own log group's streams: the first of a task's own statements. */
function writeOwnLogs(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`${logGroupArn}:log-stream:*`],
  };
}

/**
 * The module's own statements of a task, in HCL (templates/tasks.tf): writeOwnLogs on its log group
 * (a local of its own, since the log groups are made from task_specs), then its bucket grants.
 */
const MODULE_TASK_STATEMENTS = "concat(local.task_log_statements[each.key], each.value.bucketStatements)";

/** X-Ray's two write actions: no resource type, so `*` (as for the product's own functions). */
const WRITE_TRACES: PolicyStatement = {
  Sid: "WriteTraces",
  Effect: "Allow",
  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
  Resource: ["*"],
};

export interface OwnTaskFunctionsProps {
  readonly tasks: Collection<OwnTaskSpec>;
  /**
   * Each task's bundle, by name (a stack's). The module's tasks carry theirs in the collection
   * (`filename`, `sourceCodeHash`) and their bucket grants in HCL (`bucketStatements`).
   */
  readonly bundles?: Readonly<Record<string, TaskBundle>>;
  readonly environment: string;
  readonly account: string;
  readonly storage: TaskStorage;
  readonly topicArn: string;
  /** Where an event goes once Lambda's retries are spent (the failure handler archives it), and where a rejected one is kept. */
  readonly failureQueue: EncryptedQueue;
  /** The runtime, log level, tracing, source concurrency and asynchronous retries the tasks share with the processor. */
  readonly processor: ProcessingSpec["processor"];
}

/**
 * The environment's own tasks, each a Lambda function of its own (one `for_each` resource a kind,
 * keyed by the task's name): its log group, its role (trusted by Lambda in this account) whose
 * policy grants the run protocol's areas named for the task and exactly the prefixes it declares
 * (core/own-task-access.ts: nothing of the built-in tasks' areas), publishing on the notification
 * topic and sending to the failure queue; its asynchronous retries and on-failure destination
 * (the processor's failure queue, so the failure handler archives what it failed), and, once
 * `addAlarms` is called, an alarm on its errors.
 */
export class OwnTaskFunctions extends Construct {
  readonly functions: LambdaFunction;
  readonly roles: IamRole;
  readonly rolePolicies: IamRolePolicy;
  readonly logGroups: CloudwatchLogGroup;
  private readonly keys: readonly string[] | undefined;
  /** What a resource's `for_each` holds of each task: the module's whole spec, or (a stack's) the fields it reads. */
  private readonly fieldsOf: (fields: readonly string[]) => ReturnType<typeof iteratorOf>;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OwnTaskFunctionsProps,
  ) {
    super(scope, id);
    const { processor } = props;
    this.keys = knownKeys(props.tasks);
    const tasks = typeof props.tasks === "string" ? props.tasks : this.withCode(props.tasks);
    this.fieldsOf = (fields) =>
      iteratorOf(
        typeof tasks === "string"
          ? tasks
          : Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, Object.fromEntries(fields.map((f) => [f, task[f]]))])),
      );
    const own = (type: string, attribute: string) => `\${${type}.${OWN_TASK_ADDRESS}[each.key].${attribute}}`;
    const pinned = <T extends Parameters<typeof pinCollection>[0]>(resource: T) =>
      pinCollection(resource, OWN_TASK_ADDRESS, this.keys) as T;

    let each = this.fieldsOf(["functionName", "logRetentionDays"]);
    this.logGroups = pinned(
      new CloudwatchLogGroup(this, "log-groups", {
        forEach: each,
        name: `/aws/lambda/${each.getString("functionName")}`,
        retentionInDays: each.getNumber("logRetentionDays"),
      }),
    );
    each = this.fieldsOf(["functionName"]);
    this.roles = pinned(
      new IamRole(this, "roles", {
        forEach: each,
        name: each.getString("functionName"),
        description: `Execution role of ${each.getString("functionName")}`,
        assumeRolePolicy: renderPolicy(
          serviceTrustPolicy("lambda.amazonaws.com", { StringEquals: { "aws:SourceAccount": props.account } }),
        ),
      }),
    );
    each = this.fieldsOf(["functionName", "policy"]);
    this.rolePolicies = pinned(
      new IamRolePolicy(this, "role-policies", {
        forEach: each,
        name: `${each.getString("functionName")}-least-privilege`,
        role: own("aws_iam_role", "id"),
        // A stack's policy is literal JSON, built below for each task; the module's appends the grants its HCL derives.
        policy:
          typeof props.tasks === "string"
            ? renderPolicyWithOptional(this.fixedStatements(), MODULE_TASK_STATEMENTS, this.optional())
            : each.getString("policy"),
      }),
    );
    each = this.fieldsOf(["functionName", "description", "filename", "sourceCodeHash", "memoryMb", "timeoutSeconds"]);
    this.functions = pinned(
      new LambdaFunction(this, "functions", {
        forEach: each,
        functionName: each.getString("functionName"),
        description: each.getString("description"),
        role: own("aws_iam_role", "arn"),
        runtime: processor.runtime,
        architectures: ["arm64"],
        handler: "index.handler",
        filename: each.getString("filename"),
        sourceCodeHash: each.getString("sourceCodeHash"),
        memorySize: each.getNumber("memoryMb"),
        timeout: each.getNumber("timeoutSeconds"),
        loggingConfig: { logFormat: "Text", logGroup: own("aws_cloudwatch_log_group", "name") },
        tracingConfig: { mode: choose(processor.tracing, "Active", "PassThrough") },
        // What the task's runtime reads (docs/own-tasks.md, "Run it"); the service is the function, as the processor's is.
        environment: {
          variables: {
            BUCKET_NAME: props.storage.bucketName,
            TOPIC_ARN: props.topicArn,
            ENVIRONMENT: props.environment,
            FAILURE_QUEUE_URL: props.failureQueue.url,
            FUNCTION_TIMEOUT_SECONDS: `\${each.value.timeoutSeconds}`,
            SOURCE_CONCURRENCY: textOf(processor.concurrency),
            POWERTOOLS_SERVICE_NAME: each.getString("functionName"),
            POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
            POWERTOOLS_LOG_LEVEL: processor.logLevel,
            POWERTOOLS_TRACE_ENABLED: choose(processor.tracing, "true", "false"),
          },
        },
        dependsOn: [this.logGroups, this.rolePolicies],
      }),
    );
    each = this.fieldsOf(["functionName"]);
    pinned(
      new LambdaFunctionEventInvokeConfig(this, "async-invoke", {
        forEach: each,
        functionName: own("aws_lambda_function", "function_name"),
        maximumRetryAttempts: processor.asyncRetries,
        maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
        destinationConfig: { onFailure: { destination: props.failureQueue.arn } },
        // Lambda checks the role may send to the destination when the config is created.
        dependsOn: [this.rolePolicies],
      }),
    );
  }

  /** A stack's tasks with their code (an asset each) and their literal policy. */
  private withCode(tasks: Readonly<Record<string, OwnTaskSpec>>): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
      Object.entries(tasks).map(([name, task]) => {
        const bundle = this.props.bundles?.[name];
        if (!bundle) throw new Error(`no bundle was given for the own task ${name}`);
        const asset = new TerraformAsset(this, `code-${name}`, { path: bundle.zipPath, type: AssetType.FILE, assetHash: bundle.sha256Hex });
        return [name, { ...task, filename: asset.path, sourceCodeHash: bundle.sha256Base64, policy: this.literalPolicy(name, task) }];
      }),
    );
  }

  /** A task's policy as literal JSON: the fixed statements with its log group, then its bucket grants, then the optional ones. */
  private literalPolicy(name: string, task: OwnTaskSpec): string {
    const grants = this.props.storage.prefixStatements(ownTaskBucketAccess({ name, reads: task.reads, writes: task.writes }));
    const logGroup = `\${aws_cloudwatch_log_group.${OWN_TASK_ADDRESS}[${JSON.stringify(name)}].arn}`;
    return renderPolicyWithOptional(this.fixedStatements(), [writeOwnLogs(logGroup), ...grants], this.optional());
  }

  /** What every task's role may do beside its own logs and bucket grants: announce, and keep a failed event. */
  private fixedStatements() {
    return policyDocument(
      { Sid: "PublishNotices", Effect: "Allow", Action: [...OWN_TASK_SERVICE_ACTIONS.topic], Resource: [this.props.topicArn] },
      // Lambda's on-failure destination sends with this role, and so does the rejection of a bad event.
      {
        Sid: "KeepFailedEvents",
        Effect: "Allow",
        Action: [...OWN_TASK_SERVICE_ACTIONS.failureQueue],
        Resource: [this.props.failureQueue.arn],
      },
    );
  }

  /** The bucket's key where it has one, and X-Ray where tracing is on. */
  private optional() {
    return [...this.props.storage.keyStatements(), { presence: this.props.processor.tracing, statement: WRITE_TRACES }];
  }

  /** Whether there is any task: a stack without tasks builds none of these resources. */
  static anyIn(tasks: Collection<OwnTaskSpec>): boolean {
    return typeof tasks === "string" || Object.keys(tasks).length > 0;
  }

  /** The functions' ARNs: by name for a stack (`${aws_lambda_function.task["ledger"].arn}`), an HCL list for the module. */
  functionArns(): readonly string[] | string {
    if (!this.keys) return `[for f in aws_lambda_function.${OWN_TASK_ADDRESS} : f.arn]`;
    return this.keys.map((name) => `\${aws_lambda_function.${OWN_TASK_ADDRESS}[${JSON.stringify(name)}].arn}`);
  }

  /** The roles' ARNs, as functionArns. */
  roleArns(): readonly string[] | string {
    if (!this.keys) return `[for r in aws_iam_role.${OWN_TASK_ADDRESS} : r.arn]`;
    return this.keys.map((name) => `\${aws_iam_role.${OWN_TASK_ADDRESS}[${JSON.stringify(name)}].arn}`);
  }

  /** The ARN of one task's function, by name (a stack's). */
  functionArnOf(name: string): string {
    return `\${aws_lambda_function.${OWN_TASK_ADDRESS}[${JSON.stringify(name)}].arn}`;
  }

  /** Task name → function ARN (and name), for outputs. */
  outputMaps(): { functionArns: unknown; roleArns: unknown } {
    return {
      functionArns: Token.asAnyMap(`\${{ for name, f in aws_lambda_function.${OWN_TASK_ADDRESS} : name => f.arn }}`),
      roleArns: Token.asAnyMap(`\${{ for name, r in aws_iam_role.${OWN_TASK_ADDRESS} : name => r.arn }}`),
    };
  }

  /** An alarm on each task's function's errors (`<prefix>task-<name>-errors`), notifying the operations topic. */
  addAlarms(alarmNamePrefix: string, topicArn: string, threshold: number): CloudwatchMetricAlarm {
    const each = this.fieldsOf(["functionName"]);
    return pinCollection(
      new CloudwatchMetricAlarm(this, "errors", {
        forEach: each,
        alarmName: `${alarmNamePrefix}task-${each.key}-errors`,
        alarmDescription: `${this.props.environment}: the own task ${each.key} failed`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: each.getString("functionName") },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topicArn],
        okActions: [topicArn],
      }),
      "task_errors",
      this.keys,
    );
  }
}
