import { TARGET_KEY_ACTIONS, TARGET_KIND_NAMES, TARGET_KINDS } from "../../../core/schedule-targets";
import type { IamCall } from "./iam-calls";
import { REFERENCED_NAME, type StackPolicies } from "./stack-policies";

/**
 * The address a reference names: `${aws_iam_role.processor.arn}` → "processor",
 * `${aws_iam_role.task["ledger"].arn}` → `task["ledger"]`.
 */
function addressIn(reference: unknown, type: string): string | undefined {
  const match = new RegExp(`^\\$\\{${type}\\.(${REFERENCED_NAME})\\.[a-z_]+\\}$`).exec(String(reference));
  return match?.[1];
}

/**
 * The calls AWS services make with the stack's roles, which no function's code makes and so no
 * recording sees: Lambda polling each event source queue with the function's role, Lambda's
 * on-failure destination sending with it, and EventBridge Scheduler invoking each schedule's
 * target (the processor, or a function, queue, topic, state machine or event bus outside the
 * stack, with the key of an encrypted queue or topic) and writing its dead-letter queue with
 * the scheduler role.
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
  for (const { address, target, keyArn } of scheduleInstances(stack)) {
    const role = addressIn(target.role_arn, "aws_iam_role");
    if (!role) throw new Error(`aws_scheduler_schedule.${address} has no role of the stack`);
    const scenario = `EventBridge Scheduler runs aws_scheduler_schedule.${address}`;
    const outside = !target.arn.startsWith("${") ? ({ outsideTheStack: true } as const) : {};
    const resource = stack.resolve(target.arn);
    calls.push({ role, action: targetAction(resource), resource, context, scenario, ...outside });
    // An encrypted queue or topic: the service uses the key with the role's credentials on each send.
    for (const action of keyArn ? TARGET_KEY_ACTIONS : [])
      calls.push({ role, action, resource: keyArn!, context, scenario, outsideTheStack: true });
    if (target.dead_letter_config)
      calls.push({ role, action: "sqs:SendMessage", resource: stack.resolve(target.dead_letter_config.arn), context, scenario });
  }
  return calls;
}

interface ScheduleTarget {
  readonly arn: string;
  readonly role_arn: string;
  readonly dead_letter_config?: { readonly arn: string };
}

/**
 * Each schedule Scheduler runs: one instance a key of a literal `for_each` (the stacks'), its
 * target's ARN and key from that key's value; a resource without one is one schedule.
 */
function scheduleInstances(stack: StackPolicies): Array<{ address: string; target: ScheduleTarget; keyArn?: string }> {
  return Object.entries(stack.declared("aws_scheduler_schedule")).flatMap(([address, schedule]) => {
    const target = schedule.target as ScheduleTarget;
    const each = schedule.for_each;
    if (!each || typeof each !== "object") return [{ address, target }];
    return Object.entries(each as Record<string, { targetArn?: string; targetKeyArn?: string | null }>).map(([key, value]) => ({
      address: `${address}[${JSON.stringify(key)}]`,
      target: { ...target, arn: target.arn === "${each.value.targetArn}" ? String(value.targetArn) : target.arn },
      keyArn: value.targetKeyArn ?? undefined,
    }));
  });
}

/** The one action Scheduler calls on a target, by the service its ARN names. */
function targetAction(arn: string): string {
  const service = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(arn)?.[1];
  const kind = TARGET_KIND_NAMES.find((k) => TARGET_KINDS[k].service === service);
  if (!kind) throw new Error(`a schedule targets ${arn}, which is no service Scheduler's templated targets call`);
  return TARGET_KINDS[kind].action;
}
