import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentTarget } from "../../../../scripts/lib/rehearsal/targets";

describe("an environment as a rehearsal target", () => {
  it("lifts prevent_destroy the way an operator would: protection.preventDestroy false in the config, synthesized again", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "rehearsal-target-"));
    const target = environmentTarget("prod");
    expect({ account: target.accountId, region: target.region }).toEqual({ account: "333333333333", region: "us-east-1" });
    const directory = await target.prepare(scratch);
    const before = JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
    expect(before.resource.aws_s3_bucket.data.lifecycle).toEqual({ prevent_destroy: true });
    expect(await target.liftProtection(scratch, directory)).toEqual(["aws_kms_key.operations", "aws_s3_bucket.data"]);
    const after = JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
    expect(after.resource.aws_s3_bucket.data.lifecycle).toEqual({ prevent_destroy: false });
    expect(after.resource.aws_kms_key.operations.lifecycle).toEqual({ prevent_destroy: false });
    expect(after.terraform.backend).toEqual(before.terraform.backend);
  });
});
