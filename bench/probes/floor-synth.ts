// The floor for synth: an app that synthesizes one S3 bucket with the same cdktf and provider
// packages (deep imports, as main.ts uses them), in a process of its own.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, TerraformStack } from "cdktf";

const app = new App({ outdir: mkdtempSync(join(tmpdir(), "floor-synth-")) });
const stack = new TerraformStack(app, "floor");
new AwsProvider(stack, "aws", { region: "us-east-1" });
new S3Bucket(stack, "bucket", { bucket: "floor-bucket" });
app.synth();
