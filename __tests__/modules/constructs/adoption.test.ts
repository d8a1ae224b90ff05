import { Testing } from "cdktf";
import { prod } from "../../../environments/prod";
import { buildFunctionBundles } from "../../../modules/bundling/function-bundle";
import { validateEnvironment } from "../../../modules/config/validate";
import { TaskProcessingStack } from "../../../modules/constructs/task-processing-stack";
import { checkStack } from "../../../modules/tooling/security/check";
import { StackDocument } from "../../../modules/tooling/security/stack-document";

const KEY_ARN = "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC_ARN = "arn:aws:sns:us-east-1:333333333333:legacy-notices";

function synthWith(adopt: object): any {
  const result = validateEnvironment({ ...structuredClone(prod), adopt }, { expectedName: "prod" });
  if (!result.ok) throw new Error(result.problems.map((p) => p.reason).join("; "));
  return JSON.parse(Testing.synth(new TaskProcessingStack(Testing.app(), { config: result.config, bundles: buildFunctionBundles() })));
}
const statementsOf = (document: any, role: string) =>
  JSON.parse(document.resource.aws_iam_role_policy[role].policy).Statement as Array<{ Sid: string; Resource: string[] }>;

describe("adopting existing resources", () => {
  it("uses an existing bucket as it is: nothing created on it, every policy scoped to its name", () => {
    const document = synthWith({ bucket: { name: "legacy-data", manage: false } });
    for (const type of ["aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration"])
      expect(document.resource[type]).toBeUndefined();
    expect(document.resource.aws_lambda_function.processor.environment.variables.BUCKET_NAME).toBe("legacy-data");
    const read = statementsOf(document, "processor").find((s) => s.Sid === "ReadTaskObjects")!;
    expect(read.Resource).toEqual([
      "arn:aws:s3:::legacy-data/incoming/*",
      "arn:aws:s3:::legacy-data/claims/*",
      "arn:aws:s3:::legacy-data/runs/*",
    ]);
    expect(document.output.bucket_name.value).toBe("legacy-data");
    expect(document.import).toBeUndefined();
  });

  it("brings an existing bucket under management with an import block, and sets it up like its own", () => {
    const document = synthWith({ bucket: { name: "legacy-data", manage: true } });
    expect(document.import).toEqual([{ to: "aws_s3_bucket.data", id: "legacy-data" }]);
    expect(document.resource.aws_s3_bucket.data).toMatchObject({ bucket: "legacy-data", lifecycle: { prevent_destroy: true } });
    expect(document.resource.aws_s3_bucket_versioning.data.bucket).toBe("${aws_s3_bucket.data.id}");
    expect(checkStack(new StackDocument(document), prod.waivers ?? []).violations).toEqual([]);
  });

  it("publishes to an existing topic, subscribes the targets to it, and leaves its policy to its owner", () => {
    const document = synthWith({ notificationTopic: { arn: TOPIC_ARN, manage: false } });
    expect(Object.keys(document.resource.aws_sns_topic)).toEqual(["operations"]);
    expect(Object.keys(document.resource.aws_sns_topic_policy)).toEqual(["operations"]);
    expect(document.resource.aws_sns_topic_subscription.notifications.topic_arn).toBe(TOPIC_ARN);
    expect(statementsOf(document, "processor").find((s) => s.Sid === "PublishNotices")!.Resource).toEqual([TOPIC_ARN]);
    expect(statementsOf(document, "failure_handler").find((s) => s.Sid === "PublishNotices")!.Resource).toEqual([TOPIC_ARN]);
  });

  it("imports an existing operations key by its key id, or uses it as it is", () => {
    const managed = synthWith({ operationsKey: { arn: KEY_ARN, manage: true } });
    expect(managed.import).toEqual([{ to: "aws_kms_key.operations", id: "1234abcd-12ab-34cd-56ef-1234567890ab" }]);
    const used = synthWith({ operationsKey: { arn: KEY_ARN, manage: false } });
    expect(used.resource.aws_kms_key).toBeUndefined();
    expect(used.resource.aws_kms_alias).toBeUndefined();
    expect(used.resource.aws_sns_topic.operations.kms_master_key_id).toBe(KEY_ARN);
  });

  it("refuses adoption settings that are not what they claim, naming the field", () => {
    const result = validateEnvironment(
      { ...structuredClone(prod), adopt: { notificationTopic: { arn: "legacy-notices", manage: false }, operationsKey: { arn: KEY_ARN } } },
      { expectedName: "prod" },
    );
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.reason}`)).toEqual([
      'adopt.notificationTopic.arn: must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got "legacy-notices"',
      "adopt.operationsKey.manage: is required",
    ]);
  });
});
