import { checkContract, readContract } from "../../scripts/lib/address-contract";
import { ENVIRONMENTS, synthEnvironment } from "../support/synth";

/**
 * Each stack's state is its users': an address that moves is a destroy and a create. Every
 * address any release has had (state-contract/<env>.json) must still be declared or be carried
 * by a moved block, and every declared address must be recorded there.
 */
describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("state of %s", (name, config) => {
  const document = synthEnvironment(config).document as any;

  it("keeps every recorded address, or carries it over with a moved block", () => {
    const check = checkContract(readContract(name), document);
    expect(check.gone).toEqual([]);
    expect(check.unrecorded).toEqual([]);
    // Release 0.1's hashed addresses, each carried to its pinned one.
    expect(check.moved).toEqual(expect.arrayContaining([["aws_s3_bucket.storage_bucket_6AF501AE", "aws_s3_bucket.data"]]));
    expect(
      check.moved.some(
        ([from, to]) =>
          from.startsWith("aws_scheduler_schedule.schedules_schedule-daily-report_") &&
          to === 'aws_scheduler_schedule.tasks["daily-report"]',
      ),
    ).toBe(true);
  });

  it("gives every stateful resource a readable address that does not depend on the construct tree", () => {
    const declared = (type: string) => Object.keys(document.resource[type] ?? {}).sort();
    expect(declared("aws_s3_bucket")).toEqual(["data"]);
    expect(declared("aws_kms_key")).toEqual(["operations"]);
    expect(declared("aws_sns_topic")).toEqual(["notifications", "operations"]);
    expect(declared("aws_sqs_queue")).toEqual(["processor_failures", "scheduler_dlq", "work", "work_dlq"]);
    expect(declared("aws_scheduler_schedule_group")).toEqual(["tasks"]);
    expect(declared("aws_cloudwatch_log_group")).toEqual(["failure_handler", "processor", "schedule_api"]);
  });

  it(
    `${config.protection.preventDestroy ? "protects" : "lets dev tear down"} the data bucket and the KMS keys, and never ` +
      `force-destroys a bucket`,
    () => {
      for (const [type, name] of [
        ["aws_s3_bucket", "data"],
        ["aws_kms_key", "operations"],
      ]) {
        expect(document.resource[type][name].lifecycle).toEqual({ prevent_destroy: config.protection.preventDestroy });
      }
      for (const bucket of Object.values<any>(document.resource.aws_s3_bucket)) expect(bucket.force_destroy).toBeUndefined();
    },
  );
});

describe("state of a caller of the Terraform module", () => {
  it("keeps every recorded address of the module's HCL, or carries it over with a moved block", async () => {
    type Synthesis = typeof import("../../modules/tooling/terraform-module/synthesize-module");
    const { synthesizeModule } = require("../../modules/tooling/terraform-module/synthesize-module") as Synthesis;
    type Reading = typeof import("../../modules/tooling/terraform-module/module-document");
    const { moduleDocument } = require("../../modules/tooling/terraform-module/module-document") as Reading;
    const main = await moduleDocument((await synthesizeModule()).files);
    const check = checkContract(readContract("module"), main);
    expect(check.gone).toEqual([]);
    expect(check.unrecorded).toEqual([]);
    expect(Object.keys(main.resource.aws_s3_bucket)).toEqual(["data"]);
  });
});

describe("the contract check", () => {
  const document = {
    resource: { aws_s3_bucket: { data: {} }, aws_sqs_queue: { work: {} } },
    moved: [{ from: "aws_s3_bucket.storage_bucket_6AF501AE", to: "aws_s3_bucket.data" }],
  };

  it("accepts an address carried by a moved block", () => {
    expect(checkContract(["aws_s3_bucket.storage_bucket_6AF501AE", "aws_s3_bucket.data", "aws_sqs_queue.work"], document)).toEqual({
      gone: [],
      unrecorded: [],
      moved: [["aws_s3_bucket.storage_bucket_6AF501AE", "aws_s3_bucket.data"]],
    });
  });

  it("fails a rename without a moved block, and an address nobody recorded", () => {
    const renamed = { resource: { aws_s3_bucket: { tasks: {} }, aws_sqs_queue: { work: {} } } };
    expect(checkContract(["aws_s3_bucket.data", "aws_sqs_queue.work"], renamed)).toEqual({
      gone: ["aws_s3_bucket.data"],
      unrecorded: ["aws_s3_bucket.tasks"],
      moved: [],
    });
  });

  it("fails a moved block whose target is not declared", () => {
    const dangling = { resource: { aws_sqs_queue: { work: {} } }, moved: [{ from: "aws_s3_bucket.data", to: "aws_s3_bucket.tasks" }] };
    expect(checkContract(["aws_s3_bucket.data"], dangling).gone).toEqual(["aws_s3_bucket.data"]);
  });
});
