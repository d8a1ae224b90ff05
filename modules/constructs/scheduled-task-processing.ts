import { Annotations } from "cdktf";
import { Construct } from "constructs";
import type { FunctionBundle } from "../bundling/function-bundle";
import { prebuiltBundles } from "../bundling/prebuilt-bundles";
import type { EnvironmentConfig, EnvironmentFile } from "../config/schema";
import { ConfigError, formatProblem, isValidatedConfig, validateEnvironment } from "../config/validate";
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
   * The environment, in the shape of `environments/*.ts` (see docs/configuration.md, the
   * configuration reference). It is validated here with the same rules and messages as this repository's
   * own environments; every problem is reported at once in one ConfigError.
   */
  readonly config: EnvironmentFile;
  /**
   * The function bundles to deploy.
   * @default the zips the installed package ships (built before it was packed); in this
   * repository, built from functions/ with esbuild, once per process (reproducible zips)
   */
  readonly bundles?: FunctionBundles;
}

/** The package's prebuilt zips; in a source checkout (none shipped), a build, loaded only then. */
function defaultBundles(): FunctionBundles {
  const shipped = prebuiltBundles();
  if (shipped) return shipped;
  const { buildFunctionBundles } = require("../bundling/function-bundle") as typeof import("../bundling/function-bundle");
  return buildFunctionBundles();
}

/** The config with its defaults, validated here unless validateEnvironment (or the app's loader) already did. */
function validated(config: EnvironmentFile | EnvironmentConfig, scope: Construct): EnvironmentConfig {
  if (isValidatedConfig(config)) return config;
  const result = validateEnvironment(config);
  if (!result.ok) throw new ConfigError(result.problems);
  // A schedule that has fired for the last time: synth goes on, and says so.
  for (const warning of result.warnings) Annotations.of(scope).addWarning(formatProblem(warning));
  return result.config;
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
    this.config = validated(props.config, this);
    this.spec = specFromConfig(this.config);
    const bundles = props.bundles ?? defaultBundles();
    this.resources = new TaskProcessingResources(this, "resources", {
      spec: this.spec,
      code: {
        processor: { bundle: bundles.processor },
        failureHandler: { bundle: bundles.failureHandler },
        scheduleApi: { bundle: bundles.scheduleApi },
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
