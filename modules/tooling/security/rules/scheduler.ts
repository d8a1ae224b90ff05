/** The security rules for EventBridge Scheduler. */
import { TARGET_KEY_ACTIONS, TARGET_KIND_NAMES, TARGET_KINDS } from "../../../../core/schedule-targets";
import { field, listOf, policiesOf, type StackDocument, type Statement } from "../stack-document";
import type { Finding, SecurityRule } from "./shared";

export const SCHEDULER_RULES: readonly SecurityRule[] = [
  {
    id: "SCH-01",
    reason: "Schedules must have a dead-letter queue, so invocations Scheduler cannot deliver are kept",
    check: (stack) =>
      stack
        .ofType("aws_scheduler_schedule")
        .filter(([, s]) => !field(s, "target", "dead_letter_config", "arn"))
        .map(([resource]) => ({ resource, detail: "target has no dead_letter_config" })),
  },
  {
    id: "SCH-02",
    reason: "Schedules must set a retry policy explicitly",
    check: (stack) =>
      stack
        .ofType("aws_scheduler_schedule")
        .filter(([, s]) => !field(s, "target", "retry_policy"))
        .map(([resource]) => ({ resource, detail: "target has no retry_policy" })),
  },
  {
    id: "SCH-03",
    reason:
      "A scheduler role may only invoke its schedules' targets (each with the one action its service needs, and the key of an " +
      "encrypted queue or topic target) and send to their dead-letter queues, and must trust scheduler.amazonaws.com for its " +
      "schedule group",
    check: (stack) => {
      const findings: Finding[] = [];
      const allowedByRole = new Map<string, { resources: Set<string>; keys: Set<string> }>();
      for (const [address, schedule] of stack.ofType("aws_scheduler_schedule")) {
        const role = stack.resolve(field(schedule, "target", "role_arn"));
        if (!role) continue;
        const allowed = allowedByRole.get(role.address) ?? { resources: new Set<string>(), keys: new Set<string>() };
        allowed.resources.add(String(field(schedule, "target", "arn")));
        const deadLetterQueue = field(schedule, "target", "dead_letter_config", "arn");
        if (deadLetterQueue) allowed.resources.add(String(deadLetterQueue));
        const key = targetKeyOf(stack, address);
        if (key) allowed.keys.add(key);
        allowedByRole.set(role.address, allowed);
      }
      // The scheduling API's one-time schedules: the function it creates them for (its TARGET_ARN), with its SCHEDULER_ROLE_ARN.
      for (const [, fn] of stack.ofType("aws_lambda_function")) {
        const variables = (field(fn, "environment", "variables") ?? {}) as Record<string, unknown>;
        const role = stack.resolve(variables.SCHEDULER_ROLE_ARN);
        if (!role || variables.TARGET_ARN === undefined) continue;
        const allowed = allowedByRole.get(role.address) ?? { resources: new Set<string>(), keys: new Set<string>() };
        allowed.resources.add(String(variables.TARGET_ARN));
        allowedByRole.set(role.address, allowed);
      }
      const policies = policiesOf(stack);
      for (const [roleAddress, allowed] of allowedByRole) {
        const roleName = roleAddress.split(".")[1];
        const trust = policies.find((p) => p.address === roleAddress)?.document?.Statement as Statement[] | undefined;
        const trustsScheduler = (trust ?? []).some(
          (s) =>
            s.Effect === "Allow" &&
            listOf((s.Principal as { Service?: string | string[] } | undefined)?.Service).includes("scheduler.amazonaws.com") &&
            Object.values(s.Condition ?? {}).some((block) =>
              listOf((block as Record<string, string | string[]>)["aws:SourceArn"]).some(
                (arn) => stack.resolve(arn)?.type === "aws_scheduler_schedule_group",
              ),
            ),
        );
        if (!trustsScheduler)
          findings.push({ resource: roleAddress, detail: "does not trust scheduler.amazonaws.com with aws:SourceArn of a schedule group" });
        for (const [address, body] of stack.ofType("aws_iam_role_policy")) {
          if (stack.resolve(body.role)?.address !== `aws_iam_role.${roleName}`) continue;
          const statements = (policies.find((p) => p.address === address)?.document?.Statement ?? []) as Statement[];
          for (const statement of statements.filter((s) => s.Effect === "Allow")) {
            const sid = statement.Sid ?? "(no Sid)";
            const resources = listOf(statement.Resource);
            const outside = resources.filter((r) => !allowed.resources.has(r) && !allowed.keys.has(r));
            if (outside.length > 0)
              findings.push({ resource: address, detail: `statement ${sid} reaches beyond the schedules' targets: ${outside.join(", ")}` });
            const needed = new Set(resources.flatMap((r) => (allowed.keys.has(r) ? [...TARGET_KEY_ACTIONS] : neededActions(stack, r))));
            const beyond = listOf(statement.Action).filter((action) => !needed.has(action));
            if (beyond.length > 0)
              findings.push({
                resource: address,
                detail: `statement ${sid} allows ${beyond.join(", ")}, more than its targets need (${[...needed].join(", ") || "nothing"})`,
              });
          }
        }
      }
      return findings;
    },
  },
];

/**
 * What Scheduler calls on a target (or a dead-letter queue): a resource of the stack by its type,
 * another by its ARN's service; one known only at plan (another stack's output) any one target's action.
 */
function neededActions(stack: StackDocument, resource: string): string[] {
  const own = stack.resolve(resource);
  const arnService = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(resource)?.[1];
  if (!own && !arnService) return TARGET_KIND_NAMES.map((k) => TARGET_KINDS[k].action);
  const service = own ? OWN_TARGET_SERVICES[own.type] : arnService;
  const kind = TARGET_KIND_NAMES.find((k) => TARGET_KINDS[k].service === service);
  return kind ? [TARGET_KINDS[kind].action] : [];
}

/** The service of a stack's own resource Scheduler may call: the processor, a dead-letter queue. */
const OWN_TARGET_SERVICES: Readonly<Record<string, string>> = { aws_lambda_function: "lambda", aws_sqs_queue: "sqs" };

/**
 * The key of an encrypted queue or topic a schedule targets, from its literal `for_each` value
 * (`targetKeyArn`, which no argument reads: it is there for this rule and the IAM audit).
 */
function targetKeyOf(stack: StackDocument, address: string): string | undefined {
  const match = /^aws_scheduler_schedule\.([A-Za-z0-9_-]+)\["(.+)"\]$/.exec(address);
  const each = match && field(stack.resources.aws_scheduler_schedule?.[match[1]], "for_each", match[2]);
  const key = field(each, "targetKeyArn");
  return typeof key === "string" ? key : undefined;
}
