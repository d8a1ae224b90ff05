import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { bundleFunction } from "../../modules/function-bundle";
import { TaskProcessingStack } from "../../modules/task-processing-stack";
import { findTerraform, offlineTerraformEnv, writeOfflineOverride } from "../../scripts/lib/offline-terraform";
import { ENVIRONMENTS } from "../support/synth";

const terraform = findTerraform();
if (!terraform) console.warn("terraform is not on PATH: skipping terraform validate and plan of the stacks");
const describeWithTerraform = terraform ? describe : describe.skip;

describeWithTerraform("terraform validate and offline plan", () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, offlineTerraformEnv()));
  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("%s", (name, config) => {
    const stack = new TaskProcessingStack(Testing.app(), { config, processorBundle: bundleFunction("processor") });
    const outdir = Testing.fullSynth(stack);
    const stackDirectory = join(outdir, "stacks", name);

    it("is valid Terraform", () => {
      writeOfflineOverride(stackDirectory);
      expect(outdir).toBeValidTerraform();
    });

    it("plans successfully without an AWS account", () => {
      writeOfflineOverride(stackDirectory);
      expect(outdir).toPlanSuccessfully();
    });

    it("keeps the offline settings out of the product's own configuration", () => {
      const document = JSON.parse(readFileSync(join(stackDirectory, "cdk.tf.json"), "utf8"));
      expect(document.terraform.backend.s3).toBeDefined();
      expect(document.provider.aws[0]).not.toHaveProperty("skip_credentials_validation");
      expect(document.provider.aws[0].allowed_account_ids).toEqual([config.account]);
    });
  });
});
