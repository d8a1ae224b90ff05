import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { buildFunctionBundles } from "../../../modules/bundling/function-bundle";
import { prebuiltBundles } from "../../../modules/bundling/prebuilt-bundles";
import type { EnvironmentConfig } from "../../../modules/config/schema";
import { ScheduledTaskProcessing } from "../../../modules/constructs/scheduled-task-processing";
import { environment, named, synthEnvironment } from "../../support/synth";

const FUNCTIONS = ["processor", "failure_handler", "schedule_api"] as const;

describe("processor.runtime", () => {
  const dev = environment("dev");
  const on24: EnvironmentConfig = { ...dev, processor: { ...dev.processor, runtime: "nodejs24.x" } };
  const stack = synthEnvironment(on24);
  const bundles24 = buildFunctionBundles({ runtime: "nodejs24.x" });

  it("sets the runtime of all three functions, each with its bundle built for that Node major", () => {
    const hashes = { processor: bundles24.processor, failure_handler: bundles24.failureHandler, schedule_api: bundles24.scheduleApi };
    for (const name of FUNCTIONS) {
      const fn = named(stack, "aws_lambda_function", name)[1];
      expect(fn.runtime).toBe("nodejs24.x");
      expect(fn.source_code_hash).toBe(hashes[name].sha256Base64);
      expect(fn.filename).toContain(hashes[name].sha256Hex);
    }
    expect(bundles24.processor.runtime).toBe("nodejs24.x");
  });

  it("raises the stack's own provider constraint to hashicorp/aws 6.19, which knows nodejs24.x", () => {
    expect(stack.document.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: ">= 6.19.0, < 7.0.0" });
  });

  it("leaves a nodejs22.x stack as it was: the bindings' provider pin, the same bundles", () => {
    const same = synthEnvironment(dev);
    expect(dev.processor.runtime).toBe("nodejs22.x");
    expect(same.document.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "5.100.0" });
    for (const name of FUNCTIONS) expect(named(same, "aws_lambda_function", name)[1].runtime).toBe("nodejs22.x");
    expect(named(same, "aws_lambda_function", "processor")[1].source_code_hash).toBe(buildFunctionBundles().processor.sha256Base64);
  });

  it("refuses bundles built for another runtime than the config's, saying how to build the right ones", () => {
    const scope = new TerraformStack(Testing.app(), "consumer");
    expect(() => new ScheduledTaskProcessing(scope, "tasks", { config: on24, bundles: buildFunctionBundles() })).toThrow(
      "the processor bundle was built for nodejs22.x, but processor.runtime is nodejs24.x: " +
        'build the bundles with buildFunctionBundles({ runtime: "nodejs24.x" }), or leave bundles out',
    );
  });

  it("finds each runtime's prebuilt zips in its own folder of a package (node24/ for nodejs24.x)", () => {
    const root = mkdtempSync(join(tmpdir(), "function-zips-"));
    mkdirSync(join(root, "node24"));
    const files = { processor: "processor.zip", failureHandler: "failure-handler.zip", scheduleApi: "schedule-api.zip" } as const;
    const bundles22 = buildFunctionBundles();
    for (const [key, file] of Object.entries(files)) {
      copyFileSync(bundles22[key as keyof typeof files].zipPath, join(root, file));
      copyFileSync(bundles24[key as keyof typeof files].zipPath, join(root, "node24", file));
    }
    expect(prebuiltBundles("nodejs22.x", root)).toMatchObject({
      processor: { runtime: "nodejs22.x", zipPath: join(root, "processor.zip") },
    });
    expect(prebuiltBundles("nodejs24.x", root)).toMatchObject({
      processor: { runtime: "nodejs24.x", zipPath: join(root, "node24", "processor.zip"), sha256Hex: bundles24.processor.sha256Hex },
    });
  });
});
