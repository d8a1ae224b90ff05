import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const directory = mkdtempSync(join(tmpdir(), "review-plan-"));
const planFile = (name: string, changes: unknown[]) => {
  const path = join(directory, `${name}.json`);
  writeFileSync(path, JSON.stringify({ format_version: "1.2", resource_changes: changes }));
  return path;
};
const review = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "scripts", "review.ts"), ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });

describe("npm run review -- <env> --plan <plan.json>", () => {
  it("refuses a plan that replaces prod's data bucket, naming the address and the reason", () => {
    const run = review(
      "prod",
      "--no-iam-audit",
      "--plan",
      planFile("replace-bucket", [
        {
          address: "aws_s3_bucket.data",
          type: "aws_s3_bucket",
          action_reason: "replace_because_cannot_update",
          change: { actions: ["delete", "create"], replace_paths: [["bucket"]] },
        },
      ]),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "prod: the plan would replace aws_s3_bucket.data (an argument that cannot change in place changed (bucket))",
    );
    expect(run.stdout).toContain("### Deleted and replaced");
    expect(run.stdout).toContain("**blocked**");
  });

  it("refuses a plan that deletes a failure queue", () => {
    const run = review(
      "prod",
      "--no-iam-audit",
      "--plan",
      planFile("delete-queue", [
        {
          address: "aws_sqs_queue.processor_failures",
          type: "aws_sqs_queue",
          action_reason: "delete_because_no_resource_config",
          change: { actions: ["delete"] },
        },
      ]),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("prod: the plan would delete aws_sqs_queue.processor_failures (the configuration no longer declares it)");
  });

  it("passes a plan that only updates and replaces stateless resources, listing the replace", () => {
    const run = review(
      "prod",
      "--no-iam-audit",
      "--plan",
      planFile("stateless", [
        { address: "aws_iam_role_policy.processor", type: "aws_iam_role_policy", change: { actions: ["update"] } },
        {
          address: "aws_lambda_function_url.schedule_api",
          type: "aws_lambda_function_url",
          action_reason: "replace_because_cannot_update",
          change: { actions: ["create", "delete"] },
        },
      ]),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("| aws_lambda_function_url.schedule_api | replace |");
  });
});
