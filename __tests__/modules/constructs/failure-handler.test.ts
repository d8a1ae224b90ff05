import {
  ENVIRONMENTS,
  named,
  parsePolicy,
  powertoolsVariables,
  referenceTo,
  resources,
  synthEnvironment,
  writeTracesWhereTraced,
} from "../../support/synth";

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("failure handler in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const [functionId, fn] = named(stack, "aws_lambda_function", "failure_handler");
  const queueArn = (name: string) => `\${aws_sqs_queue.${resources(stack, "aws_sqs_queue").find(([, q]) => q.name === name)![0]}.arn}`;
  const prefix = `${config.projectName}-${config.name}`;
  const queues = [queueArn(`${prefix}-processor-failures`), queueArn(`${prefix}-scheduler-dlq`), queueArn(`${prefix}-work-dlq`)];

  it("consumes the three failure queues with partial batch responses", () => {
    const mappings = resources(stack, "aws_lambda_event_source_mapping")
      .map(([, m]) => m)
      .filter((m) => m.function_name === `\${aws_lambda_function.${functionId}.arn}`);
    expect(mappings.map((m) => m.event_source_arn).sort()).toEqual([...queues].sort());
    for (const mapping of mappings) {
      expect(mapping).toMatchObject({
        function_name: `\${aws_lambda_function.${functionId}.arn}`,
        batch_size: 10,
        function_response_types: ["ReportBatchItemFailures"],
      });
    }
  });

  it("is told where to archive, whom to tell and which queue is which", () => {
    expect(fn.environment.variables).toEqual({
      BUCKET_NAME: referenceTo(stack, "aws_s3_bucket", "data", "bucket"),
      TOPIC_ARN: referenceTo(stack, "aws_sns_topic", "notifications", "arn"),
      ENVIRONMENT: config.name,
      PROCESSOR_FAILURE_QUEUE_ARN: queues[0],
      SCHEDULER_DEAD_LETTER_QUEUE_ARN: queues[1],
      WORK_DEAD_LETTER_QUEUE_ARN: queues[2],
      ...powertoolsVariables(config, fn.function_name),
    });
    expect(fn.tracing_config).toEqual({ mode: config.processor.tracing ? "Active" : "PassThrough" });
  });

  it("hides received messages longer than it may take to handle them", () => {
    for (const [, queue] of resources(stack, "aws_sqs_queue"))
      expect(queue.visibility_timeout_seconds).toBeGreaterThanOrEqual(6 * fn.timeout);
  });

  it("may consume the three queues, write only to failed/ and publish only to the topic", () => {
    const [, policy] = named(stack, "aws_iam_role_policy", "failure_handler");
    const bucket = referenceTo(stack, "aws_s3_bucket", "data", "arn");
    expect(parsePolicy(policy.policy).Statement).toEqual([
      expect.objectContaining({ Sid: "WriteOwnLogs" }),
      {
        Sid: "ConsumeFailureQueues",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: queues,
      },
      { Sid: "WriteTaskObjects", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucket}/failed/*`] },
      {
        Sid: "PublishNotices",
        Effect: "Allow",
        Action: ["sns:Publish"],
        Resource: [referenceTo(stack, "aws_sns_topic", "notifications", "arn")],
      },
      ...writeTracesWhereTraced(config),
    ]);
  });
});
