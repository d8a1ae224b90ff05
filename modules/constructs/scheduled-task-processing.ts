import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { Annotations, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { MAX_LENGTHS } from "../../core/config-rules";
import type { LambdaRuntime } from "../../core/lambda-runtimes";
import type { FunctionBundle } from "../bundling/function-bundle";
import { prebuiltBundles } from "../bundling/prebuilt-bundles";
import { taskLoader } from "../bundling/task-bundle";
import { cachedTaskBundle } from "../bundling/task-bundle-cache";
import type { EnvironmentConfig, EnvironmentFile } from "../config/schema";
import { ConfigError, entriesChecked, formatProblem, isValidatedConfig, validateEnvironment } from "../config/validate";
import { type ProcessingSpec, specFromConfig } from "./processing-spec";
import { TaskProcessingResources } from "./task-processing-resources";

/** The bundles of the functions under functions/. */
export interface FunctionBundles {
  readonly processor: FunctionBundle;
  readonly failureHandler: FunctionBundle;
  readonly scheduleApi: FunctionBundle;
}

export interface ScheduledTaskProcessingProps {
  /**
   * The environment: its `name`, its `schedules` and who hears about them (`notifications`);
   * everything else defaults as the Terraform module does (docs/configuration.md), and a
   * schedule needs only `name`, `expression` and `task`. `projectName` defaults to the stack's
   * name, `account` and `region` to the AWS provider's (looked up at plan time). It is validated
   * here with the same rules and messages as this repository's own environments; every problem
   * is reported at once in one ConfigError.
   */
  readonly config: EnvironmentFile;
  /**
   * The function bundles to deploy, built for `processor.runtime` (each says which runtime it was
   * built for; others are refused).
   * @default the zips the installed package ships for the runtime (built before it was packed);
   * in this repository, built from functions/ with esbuild, once per process (reproducible zips)
   */
  readonly bundles?: FunctionBundles;
}

/** The package's prebuilt zips for the runtime; in a source checkout (none shipped), a build, loaded only then. */
function defaultBundles(runtime: LambdaRuntime): FunctionBundles {
  const shipped = prebuiltBundles(runtime);
  if (shipped) return shipped;
  const { buildFunctionBundles } = require("../bundling/function-bundle") as typeof import("../bundling/function-bundle");
  return buildFunctionBundles({ runtime });
}

/** The bundles given, if each was built for the runtime the functions will run on. */
function bundlesFor(bundles: FunctionBundles, runtime: LambdaRuntime): FunctionBundles {
  const other = Object.values(bundles).find((bundle) => bundle.runtime !== runtime);
  if (other)
    throw new Error(
      `the ${other.name} bundle was built for ${other.runtime}, but processor.runtime is ${runtime}: ` +
        `build the bundles with buildFunctionBundles({ runtime: "${runtime}" }), or leave bundles out`,
    );
  return bundles;
}

/**
 * The config with its defaults, validated here unless validateEnvironment (or the app's loader) already did, its own
 * tasks' entries loaded too (each task's name, and the schedules' payloads against its schema).
 */
function validated(config: EnvironmentFile | EnvironmentConfig, scope: Construct): EnvironmentConfig {
  if (isValidatedConfig(config) && entriesChecked(config)) return config;
  const result = validateEnvironment(config, { loadTask: taskLoader() });
  if (!result.ok) throw new ConfigError(result.problems);
  // A schedule that has fired for the last time: synth goes on, and says so.
  for (const warning of result.warnings) Annotations.of(scope).addWarning(formatProblem(warning));
  return result.config;
}

/**
 * The stack's name as a project name: lower case, a-z 0-9 and single dashes, starting with a
 * letter and ending with a letter or digit, at most MAX_LENGTHS.projectName characters.
 */
export function projectNameFrom(stackName: string): string {
  const name = stackName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, MAX_LENGTHS.projectName)
    .replace(/-+$/, "");
  return name.length >= 2 ? name : "tasks";
}

/** `projectName`, where the config leaves it out, from the name of the stack the construct is placed in. */
function placed(scope: Construct, config: EnvironmentFile | EnvironmentConfig): EnvironmentFile | EnvironmentConfig {
  if (isValidatedConfig(config) || config.projectName !== undefined) return config;
  return { ...config, projectName: projectNameFrom(TerraformStack.of(scope).node.id) };
}

/**
 * Scheduled business task processing for one environment, as a construct to place in any
 * TerraformStack (under that stack's AWS provider and backend): the task bucket, notification
 * and operations topics, the processor with its schedules, work queue and failure handling,
 * the one-time scheduling API, alarms and a dashboard. Resource addresses are pinned
 * (`aws_s3_bucket.data`, `aws_scheduler_schedule.tasks["daily-report"]`, ...), so where you
 * place the construct does not change them. Use one construct per stack.
 *
 * ```ts
 * new ScheduledTaskProcessing(stack, "tasks", { config: { name: "qa", account: "123456789012", ... } });
 * ```
 */
export class ScheduledTaskProcessing extends Construct {
  /** The validated config, with every default filled in. */
  readonly config: EnvironmentConfig;
  /** What the resources were built from. */
  readonly spec: ProcessingSpec;
  /** The resources, for references (bucket, topics, functions, queues, schedules, alarms). */
  readonly resources: TaskProcessingResources;

  constructor(scope: Construct, id: string, props: ScheduledTaskProcessingProps) {
    super(scope, id);
    const config = validated(placed(scope, props.config), this);
    if (config.account === undefined && (config.access?.producers?.length || config.access?.readers?.length))
      throw new ConfigError([
        {
          environment: config.name,
          path: "account",
          reason:
            "is required with access: which principals are in this account (a managed policy) and which in others (the bucket policy) " +
            "is decided at synth",
        },
      ]);
    // The account, region and partition of the stack's AWS provider, read at plan time, where the config does not say them.
    const account = config.account ?? new DataAwsCallerIdentity(this, "account").accountId;
    const region = config.region ?? new DataAwsRegion(this, "region").id;
    const partition = config.region === undefined ? new DataAwsPartition(this, "partition").partition : undefined;
    this.config = config.account === undefined || config.region === undefined ? { ...config, account, region } : config;
    this.spec = specFromConfig(this.config, { partition });
    const runtime = this.config.processor.runtime;
    const bundles = props.bundles ? bundlesFor(props.bundles, runtime) : defaultBundles(runtime);
    this.resources = new TaskProcessingResources(this, "resources", {
      spec: this.spec,
      code: {
        processor: { bundle: bundles.processor },
        failureHandler: { bundle: bundles.failureHandler },
        scheduleApi: { bundle: bundles.scheduleApi },
        // Each own task bundled with esbuild for the functions' runtime (cached by content).
        tasks: Object.fromEntries(
          Object.entries(this.config.tasks).map(([name, task]) => [name, cachedTaskBundle(task.entry, { runtime })]),
        ),
      },
    });
  }

  get bucketName(): string {
    return this.resources.storage.bucketName;
  }

  get bucketArn(): string {
    return this.resources.storage.bucketArn;
  }

  get notificationTopicArn(): string {
    return this.resources.notifications.topicArn;
  }

  get processorFunctionArn(): string {
    return this.resources.processor.functionArn;
  }

  /** Each own task's function ARN, by the task's name (none without tasks). */
  get taskFunctionArns(): Record<string, string> {
    const functions = this.resources.tasks;
    return functions ? Object.fromEntries(Object.keys(this.config.tasks).map((name) => [name, functions.functionArnOf(name)])) : {};
  }

  get scheduleGroupName(): string {
    return this.resources.schedules.groupName;
  }

  /** The managed policy of each producer with principals in this account, by name: attach it to them. */
  get producerPolicyArns(): Record<string, string> {
    return this.resources.access.arns("producer");
  }

  /** The managed policy of each reader with principals in this account, by name: attach it to them. */
  get readerPolicyArns(): Record<string, string> {
    return this.resources.access.arns("reader");
  }
}
