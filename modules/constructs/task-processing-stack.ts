import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { LAMBDA_RUNTIMES, type LambdaRuntime } from "../../core/lambda-runtimes";
import type { EnvironmentConfig } from "../config/schema";
import { ConfigError } from "../config/validate";
import { type FunctionBundles, ScheduledTaskProcessing } from "./scheduled-task-processing";
import { movedBlocksUnder } from "./support/addresses";

export type { FunctionBundles } from "./scheduled-task-processing";

/**
 * The provider constraint a stack states when its runtime needs a newer hashicorp/aws than the
 * bindings pin (5.100.0): any 6.x from the runtime's oldest (the provider-schema test checks every
 * name the stacks set against the 6.x schema). Undefined when the bindings' pin serves.
 */
export function stackProviderVersion(runtime: LambdaRuntime): string | undefined {
  const needs = LAMBDA_RUNTIMES[runtime].needsAwsProvider;
  return needs ? `>= ${needs}, < 7.0.0` : undefined;
}

export interface TaskProcessingStackProps {
  readonly config: EnvironmentConfig;
  readonly bundles: FunctionBundles;
}

/**
 * One environment of this repository: the AWS provider (only its account, with the
 * environment's default tags), the S3 backend, the ScheduledTaskProcessing construct, its
 * outputs, and the `moved` blocks that carry release 0.1's addresses over to the pinned ones.
 * Built only from the validated config; it never branches on the environment's name.
 */
export class TaskProcessingStack extends TerraformStack {
  readonly processing: ScheduledTaskProcessing;

  constructor(scope: Construct, props: TaskProcessingStackProps) {
    const { config, bundles } = props;
    super(scope, config.name);

    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.account],
      defaultTags: [{ tags: { ...config.tags, project: config.projectName, environment: config.name, "managed-by": "cdktf" } }],
    });
    const { backend } = config;
    if (!backend)
      throw new ConfigError([
        { environment: config.name, path: "backend", reason: "is required: the environment's stack keeps its state there" },
      ]);
    new S3Backend(this, { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: true });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
    this.addOverride("terraform.backend.s3.use_lockfile", true);
    // The full source address: the bare "aws" CDKTF writes is read by OpenTofu and provider mirrors as another provider.
    this.addOverride("terraform.required_providers.aws.source", "hashicorp/aws");
    // A runtime newer than the bindings' provider knows needs a newer provider (nodejs24.x: 6.19).
    const providerVersion = stackProviderVersion(config.processor.runtime);
    if (providerVersion) this.addOverride("terraform.required_providers.aws.version", providerVersion);

    this.processing = new ScheduledTaskProcessing(this, "processing", { config, bundles });
    for (const [name, { value, description }] of Object.entries(this.processing.resources.outputs())) {
      new TerraformOutput(this, name, { value, description, staticId: true });
    }
    const moved = movedBlocksUnder(this.processing);
    if (moved.length > 0) this.addOverride("moved", moved);
  }

  /**
   * CDKTF resolves every element of a stack twice at synth: once "preparing", only to find
   * references to other stacks (and add the outputs and remote state they need), then to write
   * it. An app whose stacks are all environments built from their configs has no such reference
   * (a config is validated data: a token cannot pass its patterns), so the first pass, about a
   * quarter of a synth, is skipped there. Any other stack in the app, and all is resolved twice.
   */
  override prepareStack(): void {
    const stacks = App.of(this).node.children.filter((child) => child instanceof TerraformStack);
    if (stacks.every((stack) => stack instanceof TaskProcessingStack)) this.ensureBackendExists();
    else super.prepareStack();
  }
}
