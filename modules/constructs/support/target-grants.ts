import {
  kindsOf,
  type ScheduleTargetInput,
  TARGET_KEY_ACTIONS,
  TARGET_KEY_SID,
  TARGET_KIND_NAMES,
  TARGET_KINDS,
} from "../../../core/schedule-targets";
import type { PolicyStatement } from "./policy-document";

/**
 * What Scheduler's role may do on the schedules' external targets: the one action each kind
 * needs, on exactly the ARNs the schedules name (one statement a kind, in the kinds' order, the
 * ARNs in the schedules' order), and the key of an encrypted queue or topic. The Terraform
 * module computes the same statements in HCL (templates/schedules.tf).
 */
export function targetStatements(targets: readonly ScheduleTargetInput[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const kind of TARGET_KIND_NAMES) {
    const arns = [...new Set(targets.flatMap((target) => (kindsOf(target).includes(kind) ? [target[kind] as string] : [])))];
    if (arns.length > 0)
      statements.push({ Sid: TARGET_KINDS[kind].sid, Effect: "Allow", Action: [TARGET_KINDS[kind].action], Resource: arns });
  }
  const keys = [...new Set(targets.flatMap((target) => (target.kmsKeyArn ? [target.kmsKeyArn] : [])))];
  if (keys.length > 0) statements.push({ Sid: TARGET_KEY_SID, Effect: "Allow", Action: [...TARGET_KEY_ACTIONS], Resource: keys });
  return statements;
}
