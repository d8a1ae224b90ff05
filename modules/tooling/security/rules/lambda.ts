/** The security rules for Lambda functions. */
import { field, listOf } from "../stack-document";
import { SECRET_NAME, SECRET_VALUE, type SecurityRule, SUPPORTED_NODE_RUNTIMES } from "./shared";

export const LAMBDA_RULES: readonly SecurityRule[] = [
  {
    id: "LMB-01",
    reason: "Lambda functions must log to a log group the stack manages, with a retention period",
    check: (stack) => {
      const groups = new Map(stack.ofType("aws_cloudwatch_log_group").map(([address, g]) => [g.name as string, { address, g }]));
      return stack.ofType("aws_lambda_function").flatMap(([resource, fn]) => {
        const byConfig = stack.resolve(field(fn, "logging_config", "log_group"));
        const group = byConfig ? { g: byConfig.body } : groups.get(`/aws/lambda/${fn.function_name}`);
        if (!group) return [{ resource, detail: "no aws_cloudwatch_log_group for this function" }];
        if (!(Number(group.g.retention_in_days) > 0)) return [{ resource, detail: "its log group has no retention_in_days" }];
        return [];
      });
    },
  },
  {
    id: "LMB-02",
    reason: "Lambda functions that schedules invoke (asynchronously) must send failed events to an on-failure destination",
    check: (stack) => {
      const covered = new Set(
        stack
          .ofType("aws_lambda_function_event_invoke_config")
          .filter(([, c]) => field(c, "destination_config", "on_failure", "destination"))
          .map(([, c]) => stack.resolve(c.function_name)?.address),
      );
      const scheduled = new Set(stack.ofType("aws_scheduler_schedule").map(([, s]) => stack.resolve(field(s, "target", "arn"))?.address));
      return stack
        .ofType("aws_lambda_function")
        .filter(([address]) => scheduled.has(address) && !covered.has(address))
        .map(([resource]) => ({ resource, detail: "invoked by schedules but has no event invoke config with an on_failure destination" }));
    },
  },
  {
    id: "LMB-03",
    reason: "Lambda functions must not be invocable by the public: no permission for * and no unauthenticated function URL",
    check: (stack) => [
      ...stack
        .ofType("aws_lambda_permission")
        .filter(
          ([, p]) =>
            p.principal === "*" ||
            (!p.source_arn && !p.source_account && !p.principal_org_id && String(p.principal).endsWith(".amazonaws.com")),
        )
        .map(([resource, p]) => ({ resource, detail: `principal ${p.principal} without source_arn or source_account` })),
      ...stack
        .ofType("aws_lambda_function_url")
        .filter(([, u]) => u.authorization_type !== "AWS_IAM")
        .map(([resource]) => ({ resource, detail: "function URL without AWS_IAM authorization" })),
    ],
  },
  {
    id: "LMB-04",
    reason: "Lambda environment variables must not hold secrets (use Secrets Manager or SSM and grant read access)",
    check: (stack) =>
      stack.ofType("aws_lambda_function").flatMap(([resource, fn]) =>
        Object.entries((field(fn, "environment", "variables") ?? {}) as Record<string, unknown>)
          .filter(([name, value]) => SECRET_NAME.test(name) || SECRET_VALUE.test(String(value)))
          .map(([name]) => ({ resource, detail: `environment variable ${name} looks like a secret` })),
      ),
  },
  {
    id: "LMB-05",
    reason: "Lambda functions must run on a supported Node.js runtime (nodejs22.x or later)",
    check: (stack) =>
      stack
        .ofType("aws_lambda_function")
        .filter(([, fn]) => !SUPPORTED_NODE_RUNTIMES.test(String(fn.runtime)))
        .map(([resource, fn]) => ({ resource, detail: `runtime ${fn.runtime}` })),
  },
  {
    id: "LMB-06",
    reason:
      "SQS event sources must report partial batch failures, cap their concurrency, and read a queue that hides a message six times the " +
      "function's timeout",
    check: (stack) =>
      stack.ofType("aws_lambda_event_source_mapping").flatMap(([resource, mapping]) => {
        const queue = stack.resolve(mapping.event_source_arn);
        if (queue?.type !== "aws_sqs_queue") return [];
        const fn = stack.resolve(mapping.function_name)?.body;
        const findings: Array<{ resource: string; detail: string }> = [];
        if (!listOf(mapping.function_response_types).includes("ReportBatchItemFailures"))
          findings.push({ resource, detail: "function_response_types lacks ReportBatchItemFailures" });
        if (!(Number(field(listOf(mapping.scaling_config)[0], "maximum_concurrency")) >= 2))
          findings.push({ resource, detail: "no scaling_config.maximum_concurrency" });
        const timeout = Number(fn?.timeout ?? 3);
        if (Number(queue.body.visibility_timeout_seconds ?? 30) < 6 * timeout)
          findings.push({ resource, detail: `queue visibility timeout below 6 x the function's ${timeout} s timeout` });
        return findings;
      }),
  },
];
