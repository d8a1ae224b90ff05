import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { MAX_RETENTION_SECONDS } from "../../../modules/constructs/encrypted-queue";
import {
  ENVIRONMENTS,
  named,
  parsePolicy,
  powertoolsVariables,
  referenced,
  referenceTo,
  resources,
  synthEnvironment,
  writeTracesWhereTraced,
} from "../../support/synth";

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("processor in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const [functionId, fn] = named(stack, "aws_lambda_function", "processor");
  const [logGroupId, logGroup] = named(stack, "aws_cloudwatch_log_group", "processor");
  const ref = (type: string, constructId: string, attribute: string) => referenceTo(stack, type, constructId, attribute);
  const bucketArn = ref("aws_s3_bucket", "data", "arn");
  const failureQueueArn = ref("aws_sqs_queue", "processor_failures", "arn");
  const workQueue = resources(stack, "aws_sqs_queue").find(([, q]) => q.name === `${config.projectName}-${config.name}-work`)![0];
  const workQueueArn = `\${aws_sqs_queue.${workQueue}.arn}`;

  it("runs the bundled code on Node.js 22, arm64, with the configured size", () => {
    expect(fn).toMatchObject({
      function_name: `${config.projectName}-${config.name}-processor`,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memory_size: config.processor.memoryMb,
      timeout: config.processor.timeoutSeconds,
      source_code_hash: bundleFunction("processor").sha256Base64,
    });
    expect(fn.filename).toMatch(/^assets\/[A-Za-z0-9_-]+_code_[A-Z0-9]+\/[0-9a-f]{64}\/processor\.zip$/);
    expect(fn.filename).toContain(bundleFunction("processor").sha256Hex);
  });

  it("tells the function its bucket, topic, environment, failure queue and timeout", () => {
    expect(fn.environment.variables).toEqual({
      BUCKET_NAME: ref("aws_s3_bucket", "data", "bucket"),
      TOPIC_ARN: ref("aws_sns_topic", "notifications", "arn"),
      ENVIRONMENT: config.name,
      FAILURE_QUEUE_URL: failureQueueArn.replace(".arn}", ".url}"),
      FUNCTION_TIMEOUT_SECONDS: String(config.processor.timeoutSeconds),
      SOURCE_CONCURRENCY: String(config.processor.concurrency),
      WORK_QUEUE_URL: workQueueArn.replace(".arn}", ".url}"),
      FAN_OUT_MAX_SOURCES: String(config.fanOut.sourcesPerInvocation),
      FAN_OUT_MAX_BYTES: String(config.fanOut.bytesPerInvocation),
      ...powertoolsVariables(config, fn.function_name),
    });
  });

  it("is traced by X-Ray exactly where the environment turns tracing on, and may then write traces and nothing more", () => {
    expect(fn.tracing_config).toEqual({ mode: config.processor.tracing ? "Active" : "PassThrough" });
    const statements = parsePolicy(named(stack, "aws_iam_role_policy", "processor")[1].policy).Statement;
    const traces = statements.filter((s) => s.Action.some((a) => a.startsWith("xray:")));
    expect(traces).toEqual(
      config.processor.tracing
        ? [{ Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] }]
        : [],
    );
  });

  it("takes one batch at a time from the work queue, at most maxConcurrency at once, reporting partial failures", () => {
    const mappings = resources(stack, "aws_lambda_event_source_mapping").filter(([, m]) => m.event_source_arn === workQueueArn);
    expect(mappings.map(([, m]) => m)).toEqual([
      expect.objectContaining({
        function_name: `\${aws_lambda_function.${functionId}.arn}`,
        batch_size: 1,
        function_response_types: ["ReportBatchItemFailures"],
        scaling_config: { maximum_concurrency: config.fanOut.maxConcurrency },
      }),
    ]);
    const queue = referenced(stack, workQueueArn).body;
    expect(queue.visibility_timeout_seconds).toBe(6 * config.processor.timeoutSeconds);
    const redrive = JSON.parse(queue.redrive_policy);
    expect(redrive).toEqual({
      deadLetterTargetArn: expect.stringMatching(/^\$\{aws_sqs_queue\..+\.arn\}$/),
      maxReceiveCount: config.fanOut.maxReceiveCount,
    });
    expect(referenced(stack, redrive.deadLetterTargetArn).body).toMatchObject({
      name: `${config.projectName}-${config.name}-work-dlq`,
      message_retention_seconds: 1_209_600,
      sqs_managed_sse_enabled: true,
    });
  });

  it("logs to a log group the stack owns, with the configured retention", () => {
    expect(logGroup).toMatchObject({ name: `/aws/lambda/${fn.function_name}`, retention_in_days: config.processor.logRetentionDays });
    expect(fn.logging_config).toEqual({ log_format: "Text", log_group: `\${aws_cloudwatch_log_group.${logGroupId}.name}` });
    expect(fn.depends_on).toContain(`aws_cloudwatch_log_group.${logGroupId}`);
  });

  it("keeps failed asynchronous runs in an encrypted failure queue after the configured retries", () => {
    const [, invokeConfig] = named(stack, "aws_lambda_function_event_invoke_config", "processor");
    expect(invokeConfig).toMatchObject({
      function_name: `\${aws_lambda_function.${functionId}.function_name}`,
      maximum_retry_attempts: config.processor.asyncRetries,
      maximum_event_age_in_seconds: 21600,
      destination_config: { on_failure: { destination: failureQueueArn } },
    });
    expect(referenced(stack, failureQueueArn).body).toMatchObject({
      name: `${config.projectName}-${config.name}-processor-failures`,
      sqs_managed_sse_enabled: true,
      message_retention_seconds: MAX_RETENTION_SECONDS,
    });
  });

  it("is trusted only by Lambda, for this account", () => {
    const role = referenced(stack, fn.role).body;
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "TrustedService",
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: { StringEquals: { "aws:SourceAccount": config.account } },
      },
    ]);
  });

  it("may do exactly what the tasks need and nothing else", () => {
    const [, rolePolicy] = named(stack, "aws_iam_role_policy", "processor");
    expect(rolePolicy.role).toBe(fn.role.replace(".arn}", ".id}"));
    const objects = (...prefixes: string[]) => prefixes.map((p) => `${bucketArn}/${p}/*`);
    expect(parsePolicy(rolePolicy.policy).Statement).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`\${aws_cloudwatch_log_group.${logGroupId}.arn}:log-stream:*`],
      },
      // Outputs are written, never read back: they are keyed by the source, so a retry rewrites them.
      { Sid: "ReadTaskObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: objects("incoming", "claims", "runs") },
      { Sid: "ReadVersionTaskObjects", Effect: "Allow", Action: ["s3:GetObjectVersion"], Resource: objects("incoming") },
      {
        Sid: "WriteTaskObjects",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        // failed/: a rejected event too large for the failure queue is kept there whole.
        Resource: objects("processed", "quarantine", "archive", "claims", "runs", "reports", "failed"),
      },
      // Outputs streamed in parts; the others are single PutObjects (the IAM audit found no abort there).
      { Sid: "AbortUploadTaskObjects", Effect: "Allow", Action: ["s3:AbortMultipartUpload"], Resource: objects("processed", "quarantine") },
      { Sid: "DeleteTaskObjects", Effect: "Allow", Action: ["s3:DeleteObject"], Resource: objects("incoming") },
      // A processed upload is removed for good, by its version id, from incoming/ only.
      { Sid: "DeleteVersionTaskObjects", Effect: "Allow", Action: ["s3:DeleteObjectVersion"], Resource: objects("incoming") },
      {
        Sid: "ListTaskPrefixes",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": ["incoming/*", "archive/*", "claims/*", "runs/*"] } },
      },
      // Every version waiting in incoming/ is a source: listing versions is scoped to it.
      {
        Sid: "ListVersionsOfTaskPrefixes",
        Effect: "Allow",
        Action: ["s3:ListBucketVersions"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": ["incoming/*"] } },
      },
      { Sid: "PublishNotices", Effect: "Allow", Action: ["sns:Publish"], Resource: [ref("aws_sns_topic", "notifications", "arn")] },
      { Sid: "KeepFailedEvents", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [failureQueueArn] },
      { Sid: "SpreadWorkOverQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [workQueueArn] },
      {
        Sid: "ConsumeWorkQueue",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: [workQueueArn],
      },
      ...writeTracesWhereTraced(config),
    ]);
  });
});

describe("function bundle", () => {
  function functionsRootWith(source: string): string {
    const root = mkdtempSync(join(tmpdir(), "bundle-"));
    mkdirSync(join(root, "probe"));
    writeFileSync(join(root, "probe", "index.ts"), source);
    return root;
  }

  it("is byte-for-byte reproducible, so the same source never redeploys", () => {
    const root = functionsRootWith("export const handler = async () => 1;\n");
    const first = bundleFunction("probe", { functionsRoot: root, outRoot: join(root, "out-a") });
    const second = bundleFunction("probe", { functionsRoot: root, outRoot: join(root, "out-b") });
    expect(readFileSync(first.zipPath).equals(readFileSync(second.zipPath))).toBe(true);
    expect(first.sha256Base64).toBe(createHash("sha256").update(readFileSync(first.zipPath)).digest("base64"));
  });

  it("changes its hash when the source changes, which changes the deployed code", () => {
    const build = (source: string) => {
      const root = functionsRootWith(source);
      return bundleFunction("probe", { functionsRoot: root, outRoot: join(root, "out") });
    };
    const before = build("export const handler = async () => 1;\n");
    const after = build("export const handler = async () => 2;\n");
    expect(after.sha256Base64).not.toBe(before.sha256Base64);
  });

  it("exports the processor's handler from dist/processor/index.js", () => {
    const bundle = bundleFunction("processor");
    expect(bundle.scriptPath).toMatch(/dist\/processor\/index\.js$/);
    expect(existsSync(bundle.scriptPath)).toBe(true);
    expect(readFileSync(bundle.scriptPath, "utf8")).toMatch(/handler/);
  });
});
