import type { IamCall } from "./iam-calls";
import type { StackPolicies } from "./stack-policies";

/** `${aws_iam_role.processor.arn}` → "processor": the address a reference names. */
function addressIn(reference: unknown, type: string): string | undefined {
  const match = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.[a-z_]+\\}$`).exec(String(reference));
  return match?.[1];
}

/**
 * The calls AWS services make with the stack's roles, which no function's code makes and so no
 * recording sees: Lambda polling each event source queue with the function's role, Lambda's
 * on-failure destination sending with it, and EventBridge Scheduler invoking each schedule's
 * target and writing its dead-letter queue with the scheduler role.
 */
export function platformCalls(stack: StackPolicies): IamCall[] {
  const calls: IamCall[] = [];
  const context = { "aws:SecureTransport": "true" };
  const roleOfFunction = (reference: unknown): string => {
    const fn = addressIn(reference, "aws_lambda_function");
    const role = fn && addressIn(stack.resources("aws_lambda_function")[fn]?.role, "aws_iam_role");
    if (!role) throw new Error(`no role found for the function ${String(reference)}`);
    return role;
  };
  for (const [address, mapping] of Object.entries(stack.resources("aws_lambda_event_source_mapping"))) {
    const role = roleOfFunction(mapping.function_name);
    const queue = stack.resolve(String(mapping.event_source_arn));
    for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"])
      calls.push({ role, action, resource: queue, context, scenario: `Lambda polls ${address}` });
  }
  for (const [address, config] of Object.entries(stack.resources("aws_lambda_function_event_invoke_config"))) {
    const destination = (config.destination_config as { on_failure?: { destination?: string } } | undefined)?.on_failure?.destination;
    if (!destination) continue;
    calls.push({
      role: roleOfFunction(String(config.function_name).replace(".function_name}", ".arn}")),
      action: "sqs:SendMessage",
      resource: stack.resolve(destination),
      context,
      scenario: `Lambda's on-failure destination (${address})`,
    });
  }
  for (const [address, schedule] of Object.entries(stack.resources("aws_scheduler_schedule"))) {
    const target = schedule.target as { arn: string; role_arn: string; dead_letter_config?: { arn: string } };
    const role = addressIn(target.role_arn, "aws_iam_role");
    if (!role) throw new Error(`aws_scheduler_schedule.${address} has no role of the stack`);
    const scenario = `EventBridge Scheduler runs aws_scheduler_schedule.${address}`;
    calls.push({ role, action: "lambda:InvokeFunction", resource: stack.resolve(target.arn), context, scenario });
    if (target.dead_letter_config)
      calls.push({ role, action: "sqs:SendMessage", resource: stack.resolve(target.dead_letter_config.arn), context, scenario });
  }
  return calls;
}
