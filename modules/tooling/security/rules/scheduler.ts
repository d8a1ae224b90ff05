/** The security rules for EventBridge Scheduler. */
import { field, listOf, policiesOf, type Statement } from "../stack-document";
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
      "A scheduler role may only invoke its schedules' targets and send to their dead-letter queues, and must trust " +
      "scheduler.amazonaws.com for its schedule group",
    check: (stack) => {
      const findings: Finding[] = [];
      const allowedByRole = new Map<string, Set<string>>();
      for (const [, schedule] of stack.ofType("aws_scheduler_schedule")) {
        const role = stack.resolve(field(schedule, "target", "role_arn"));
        if (!role) continue;
        const allowed = allowedByRole.get(role.address) ?? new Set<string>();
        allowed.add(String(field(schedule, "target", "arn")));
        const deadLetterQueue = field(schedule, "target", "dead_letter_config", "arn");
        if (deadLetterQueue) allowed.add(String(deadLetterQueue));
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
            const outside = listOf(statement.Resource).filter((r) => !allowed.has(r));
            if (outside.length > 0)
              findings.push({
                resource: address,
                detail: `statement ${statement.Sid ?? "(no Sid)"} reaches beyond the schedules' targets: ${outside.join(", ")}`,
              });
          }
        }
      }
      return findings;
    },
  },
];
