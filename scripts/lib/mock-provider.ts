/**
 * A `mock_provider "aws"` block for `terraform test`: it applies a configuration offline. Mock
 * values are random strings unless given, and the provider validates ARNs and URLs where one
 * resource feeds another, so every attribute used that way gets a well-formed default.
 */
export function mockAwsProvider(account = "123456789012", region = "us-east-1", alias?: string): string {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  const defaults: Record<string, Record<string, string>> = {
    aws_s3_bucket: { arn: "arn:aws:s3:::mock-bucket" },
    aws_sns_topic: { arn: arn("sns", "mock-topic") },
    aws_sns_topic_subscription: { arn: arn("sns", "mock-topic:00000000-0000-0000-0000-000000000000") },
    aws_sqs_queue: { arn: arn("sqs", "mock-queue"), url: `https://sqs.${region}.amazonaws.com/${account}/mock-queue` },
    aws_iam_role: { arn: `arn:aws:iam::${account}:role/mock-role` },
    aws_lambda_function: {
      arn: arn("lambda", "function:mock"),
      invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", "function:mock")}/invocations`,
      qualified_arn: arn("lambda", "function:mock:1"),
      qualified_invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", "function:mock:1")}/invocations`,
    },
    aws_lambda_function_url: { function_url: `https://mock.lambda-url.${region}.on.aws/` },
    aws_lambda_event_source_mapping: { function_arn: arn("lambda", "function:mock") },
    aws_kms_key: { arn: arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"), key_id: "1234abcd-12ab-34cd-56ef-1234567890ab" },
    aws_kms_alias: { arn: arn("kms", "alias/mock") },
    aws_scheduler_schedule_group: { arn: arn("scheduler", "schedule-group/mock") },
    aws_scheduler_schedule: { arn: arn("scheduler", "schedule/mock/mock") },
    aws_cloudwatch_log_group: { arn: arn("logs", "log-group:mock") },
    aws_cloudwatch_metric_alarm: { arn: arn("cloudwatch", "alarm:mock") },
    aws_cloudwatch_dashboard: { dashboard_arn: `arn:aws:cloudwatch::${account}:dashboard/mock` },
  };
  const data: Record<string, Record<string, string>> = {
    aws_caller_identity: { account_id: account },
    aws_region: { name: region },
    aws_partition: { partition: "aws" },
  };
  const block = (kind: string, type: string, values: Record<string, string>) =>
    `  ${kind} "${type}" {\n    defaults = {\n${Object.entries(values).map(([k, v]) => `      ${k} = ${JSON.stringify(v)}`).join("\n")}\n    }\n  }`;
  return [
    'mock_provider "aws" {',
    ...(alias ? [`  alias = "${alias}"`] : []),
    ...Object.entries(data).map(([type, values]) => block("mock_data", type, values)),
    ...Object.entries(defaults).map(([type, values]) => block("mock_resource", type, values)),
    "}",
  ].join("\n");
}
