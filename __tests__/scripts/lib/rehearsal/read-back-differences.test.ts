import { classifyReplan } from "../../../../scripts/lib/rehearsal/read-back-differences";

const logging = { application_log_level: null, log_format: "Text", log_group: "/aws/lambda/x", system_log_level: null };
const update = (address: string, type: string, before: Record<string, unknown>, after: Record<string, unknown>, unknown = {}) => ({
  address,
  type,
  change: { actions: ["update"], before, after, after_unknown: unknown },
});

describe("the re-plan after apply", () => {
  it("explains moto's missing LoggingConfig and its RedrivePolicy spacing, naming each", () => {
    const { explained, unexplained } = classifyReplan({
      resource_changes: [
        update(
          "aws_lambda_function.processor",
          "aws_lambda_function",
          { logging_config: [], memory_size: 256 },
          { logging_config: [logging], memory_size: 256 },
        ),
        update(
          "aws_sqs_queue.work",
          "aws_sqs_queue",
          { redrive_policy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq", "maxReceiveCount": 5}' },
          { redrive_policy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":5}' },
        ),
        { address: "aws_s3_bucket.data", type: "aws_s3_bucket", change: { actions: ["no-op"] } },
      ],
      output_changes: { bucket_name: { actions: ["no-op"] } },
    });
    expect(unexplained).toEqual([]);
    expect(explained.map((f) => [f.address, f.attribute, f.difference])).toEqual([
      ["aws_lambda_function.processor", "logging_config", "lambda-logging-config"],
      ["aws_sqs_queue.work", "redrive_policy", "sqs-redrive-policy-spacing"],
    ]);
  });

  it("reports a redrive policy that really changed, another attribute beside a known one, and every other kind of change", () => {
    const { explained, unexplained } = classifyReplan({
      resource_changes: [
        update(
          "aws_sqs_queue.work",
          "aws_sqs_queue",
          { redrive_policy: '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq", "maxReceiveCount": 5}' },
          { redrive_policy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":6}' },
        ),
        update(
          "aws_lambda_function.processor",
          "aws_lambda_function",
          { logging_config: [], timeout: 60 },
          { logging_config: [logging], timeout: 90 },
        ),
        update("aws_sqs_queue.dlq", "aws_sqs_queue", { redrive_policy: "" }, { redrive_policy: null }, { redrive_policy: true }),
        { address: "aws_s3_bucket.data", type: "aws_s3_bucket", change: { actions: ["delete", "create"] } },
        { address: "aws_iam_role.x", type: "aws_iam_role", change: { actions: ["create"] } },
      ],
      output_changes: { bucket_arn: { actions: ["update"] } },
    });
    expect(explained.map((f) => `${f.address} ${f.attribute}`)).toEqual(["aws_lambda_function.processor logging_config"]);
    expect(unexplained.map((f) => `${f.address} ${f.actions.join("/")}${f.attribute ? ` ${f.attribute}` : ""}`)).toEqual([
      "aws_sqs_queue.work update redrive_policy",
      "aws_lambda_function.processor update timeout",
      "aws_sqs_queue.dlq update redrive_policy",
      "aws_s3_bucket.data delete/create",
      "aws_iam_role.x create",
      "output.bucket_arn update",
    ]);
  });

  it("does not take a known attribute of another resource type for a read-back difference", () => {
    const { unexplained } = classifyReplan({
      resource_changes: [
        update("aws_lambda_function_url.api", "aws_lambda_function_url", { logging_config: [] }, { logging_config: [logging] }),
      ],
    });
    expect(unexplained.map((f) => f.attribute)).toEqual(["logging_config"]);
  });
});
