/**
 * Mock defaults for `terraform test` with `mock_provider "aws"`: mock values are random strings
 * unless given, and the provider validates ARNs and URLs where one resource feeds another, so
 * every attribute used that way gets a well-formed default. The module ships them as
 * `mocks/aws.tfmock.hcl` (read with `mock_provider "aws" { source = "<that folder>" }`), and
 * this repository's rehearsals and examples read the same file.
 */
export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "us-east-1";

export function awsMockDefaults(account = MOCK_ACCOUNT, region = MOCK_REGION): string {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
  const resources: Record<string, Record<string, string>> = {
    aws_s3_bucket: { arn: "arn:aws:s3:::mock-bucket" },
    aws_sns_topic: { arn: arn("sns", "mock-topic") },
    aws_sns_topic_subscription: { arn: arn("sns", "mock-topic:00000000-0000-0000-0000-000000000000") },
    aws_sqs_queue: { arn: arn("sqs", "mock-queue"), url: `https://sqs.${region}.amazonaws.com/${account}/mock-queue` },
    aws_iam_role: { arn: `arn:aws:iam::${account}:role/mock-role` },
    aws_iam_policy: { arn: `arn:aws:iam::${account}:policy/mock-policy` },
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
    aws_region: { id: region, name: region },
    aws_partition: { partition: "aws" },
  };
  const block = (kind: string, type: string, values: Record<string, string>) =>
    `${kind} "${type}" {\n  defaults = {\n${Object.entries(values)
      .map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`)
      .join("\n")}\n  }\n}\n`;
  return [
    `# Mock defaults for terraform test: mock_provider "aws" { source = "<this folder>" }.\n# Account ${account}, region ${region}; ` +
      `every ARN and URL is well formed.\n`,
    ...Object.entries(data).map(([type, values]) => block("mock_data", type, values)),
    ...Object.entries(resources).map(([type, values]) => block("mock_resource", type, values)),
  ].join("\n");
}

/** A `mock_provider "aws"` block that reads the mock defaults from `source` (a folder of *.tfmock.hcl). */
export function mockAwsProvider(source: string, alias?: string): string {
  return ['mock_provider "aws" {', ...(alias ? [`  alias  = "${alias}"`] : []), `  source = ${JSON.stringify(source)}`, "}"].join("\n");
}
