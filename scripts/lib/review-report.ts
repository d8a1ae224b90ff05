import { formatLocal, nextRuns } from "../../core/schedule-expression";
import { runsWhat } from "../../core/schedule-targets";
import { missedRunWindow } from "../../modules/config/missed-run-window";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { checkStack } from "../../modules/tooling/security/check";
import { listOf, policiesOf, type StackDocument, type Statement } from "../../modules/tooling/security/stack-document";
import type { StackAudit } from "./iam-audit/audit";
import { auditMarkdown } from "./iam-audit/report";
import { markdownTable } from "./markdown";
import { type PlanGuard, renderPlanGuard } from "./plan-guard";
import type { ResourceChangeSummary } from "./terraform-runner";

/**
 * The name a resource is known by in AWS (bucket, function or plain name); for a resource
 * that only configures another (a bucket policy, say), what it configures; else its
 * construct path.
 */
function friendlyName(stack: StackDocument, address: string): string {
  const [type, name] = address.split(".");
  const body = stack.resources[type]?.[name] ?? {};
  const named = body.bucket ?? body.function_name ?? body.alarm_name ?? body.dashboard_name ?? body.name;
  if (typeof named === "string") return named.includes("${") ? readable(stack, named) : named;
  return stack.constructPath(body) || address;
}

/** `${aws_s3_bucket.storage_bucket_6AF501AE.arn}/incoming/*` → `‹scheduler-prod-data-…›/incoming/*`. */
export function readable(stack: StackDocument, text: string): string {
  return text.replace(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g, (whole, type, name, attribute) => {
    if (!stack.resources[type]?.[name]) return whole;
    const label = `‹${friendlyName(stack, `${type}.${name}`)}›`;
    return ["arn", "id", "name", "bucket", "function_name", "url"].includes(attribute) ? label : `${label}.${attribute}`;
  });
}

/**
 * The construct a resource belongs to (storage, processor, schedules, ...): the first part of
 * its construct path below the environment's resources, else its address's name.
 */
function moduleOf(stack: StackDocument, address: string, body: any): string {
  const path = stack.constructPath(body).split("/");
  const below = path.indexOf("resources");
  return (below >= 0 ? path[below + 1] : path[0]) || address.split(".")[1].split(/[_[]/)[0];
}

export function stackDiagram(stack: StackDocument): string {
  const id = (address: string) => address.replace(/[^A-Za-z0-9]/g, "_");
  const byModule = new Map<string, string[]>();
  for (const [address, , body] of stack.all()) {
    const module = moduleOf(stack, address, body);
    byModule.set(module, [...(byModule.get(module) ?? []), address]);
  }
  const lines = ["```mermaid", "flowchart LR"];
  for (const [module, addresses] of byModule) {
    lines.push(`  subgraph ${id(`module_${module}`)}["${module}"]`);
    for (const address of addresses)
      lines.push(`    ${id(address)}["${address.split(".")[0]}<br/>${friendlyName(stack, address).replace(/"/g, "'")}"]`);
    lines.push("  end");
  }
  for (const [address, , body] of stack.all()) {
    for (const target of stack.referencesFrom(body)) if (target !== address) lines.push(`  ${id(address)} --> ${id(target)}`);
  }
  lines.push("```");
  return lines.join("\n");
}

export function resourcesByModule(stack: StackDocument): string {
  const rows = stack
    .all()
    .map(([address, type, body]) => [
      moduleOf(stack, address, body),
      type,
      friendlyName(stack, address) === address ? "" : friendlyName(stack, address),
      address,
    ])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  return markdownTable(["module", "type", "name", "address"], rows);
}

/** Who may do what to which resource, under which conditions, read from every policy. */
export function permissionMatrix(stack: StackDocument): string {
  const rows: string[][] = [];
  const conditions = (s: Statement) =>
    Object.entries(s.Condition ?? {})
      .flatMap(([operator, block]) =>
        Object.entries(block).map(
          ([key, value]) =>
            `${operator} ${key} = ${listOf(value as string | string[])
              .map((v) => readable(stack, v))
              .join(", ")}`,
        ),
      )
      .join("\n");
  const principalOf = (s: Statement) => {
    const principal = s.Principal as any;
    if (principal === "*") return "* (anyone)";
    if (principal?.Service) return `service ${listOf(principal.Service).join(", ")}`;
    if (principal?.AWS)
      return listOf(principal.AWS)
        .map((p: string) => readable(stack, p))
        .join(", ");
    return "";
  };
  for (const policy of policiesOf(stack)) {
    // A producer's or reader's managed policy (for_each): who it is for, rather than a role.
    const access = /^aws_iam_policy\.(producer|reader)\["(.+)"\]$/.exec(policy.address);
    const [type, name] = policy.address.split(".");
    const body = access ? {} : stack.resources[type][name];
    for (const statement of (policy.document?.Statement ?? []) as Statement[]) {
      const actions = listOf(statement.Action).join(", ");
      const resources = listOf(statement.Resource)
        .map((r) => readable(stack, r))
        .join("\n");
      if (policy.kind === "trust") {
        rows.push([principalOf(statement), statement.Effect, actions, `role ‹${body.name}›`, conditions(statement)]);
      } else if (access) {
        const who = `${access[1]} ‹${access[2]}› (managed policy to attach)`;
        rows.push([who, statement.Effect, actions, resources, conditions(statement)]);
      } else if (policy.kind === "identity") {
        rows.push([`role ${readable(stack, String(body.role))}`, statement.Effect, actions, resources, conditions(statement)]);
      } else {
        rows.push([principalOf(statement), statement.Effect, actions, resources, conditions(statement)]);
      }
    }
    if (!policy.document) rows.push([policy.address, "?", "policy is not literal JSON", "", ""]);
  }
  return markdownTable(["principal", "effect", "actions", "resources", "conditions"], rows);
}

/** How the schedule's missed-run alarm watches it, or why none does. */
function missedRunWatch(config: EnvironmentConfig, schedule: EnvironmentConfig["schedules"][number]): string {
  if (!schedule.enabled) return "none (disabled)";
  if (schedule.expression.startsWith("at(")) return "none (one-time)";
  if (schedule.task === undefined) return "none (a target: Scheduler's group alarms watch its delivery)";
  const window = missedRunWindow(schedule, config.processor.timeoutSeconds);
  if (!window) return "**none: runs further apart than CloudWatch's 7-day range**";
  const period = window.periodSeconds >= 86400 ? "day" : window.periodSeconds >= 3600 ? "hour" : `${window.periodSeconds / 60} min`;
  return `after ${window.evaluationPeriods} x ${period} without a run`;
}

export function scheduleRuns(config: EnvironmentConfig, from: Date, count = 3): string {
  const rows = config.schedules.map((s) => {
    const runs = nextRuns(s.expression, {
      timezone: s.timezone,
      from,
      count,
      startDate: s.startDate ? new Date(s.startDate) : undefined,
      endDate: s.endDate ? new Date(s.endDate) : undefined,
    });
    const shown =
      runs.map((r) => `${formatLocal(r.getTime(), s.timezone)} (${r.toISOString().replace(".000Z", "Z")})`).join("\n") || "none";
    return [
      s.name,
      runsWhat(s),
      `\`${s.expression}\``,
      s.timezone,
      s.enabled ? "enabled" : "disabled",
      s.flexibleWindowMinutes === 0 ? "off" : `${s.flexibleWindowMinutes} min`,
      `${s.retry.maxAttempts} / ${s.retry.maxEventAgeSeconds} s`,
      missedRunWatch(config, s),
      shown,
    ];
  });
  return markdownTable(
    [
      "schedule",
      "task or target",
      "expression",
      "time zone",
      "state",
      "flexible window",
      "retries / max age",
      "missed-run alarm",
      "next runs: local (UTC)",
    ],
    rows,
  );
}

export function securitySection(stack: StackDocument, config: EnvironmentConfig): string {
  const report = checkStack(stack, config.waivers ?? []);
  const lines = [
    report.violations.length === 0
      ? "No violations."
      : markdownTable(
          ["rule", "resource", "finding", "why it matters"],
          report.violations.map((v) => [v.rule, v.resource, v.detail, v.reason]),
        ),
    "",
    "Waivers (from the environment's config):",
    "",
    report.waived.length === 0 && report.unusedWaivers.length === 0
      ? "None."
      : markdownTable(
          ["rule", "resource", "reason given", "status"],
          [
            ...report.waived.map((w) => [w.rule, w.resource, w.waivedBecause ?? "", "applies"]),
            ...report.unusedWaivers.map((w) => [w.rule, w.resource ?? "(all)", w.reason, "matches nothing: remove it"]),
          ],
        ),
  ];
  return lines.join("\n");
}

export function planSection(summary: readonly ResourceChangeSummary[]): string {
  return markdownTable(
    ["resource type", "add", "change", "replace", "destroy"],
    summary.map((s) => [s.type, String(s.create), String(s.update), String(s.replace), String(s.delete)]),
  );
}

export interface EnvironmentReview {
  readonly config: EnvironmentConfig;
  readonly stack: StackDocument;
  readonly planSummary?: readonly ResourceChangeSummary[];
  readonly planGuard?: PlanGuard;
  /** The IAM audit of the stack (npm run iam-audit), unless the review was asked to skip it. */
  readonly iamAudit?: StackAudit;
}

export function environmentReview({ config, stack, planSummary, planGuard, iamAudit }: EnvironmentReview, now: Date): string {
  const count = stack.all().length;
  return [
    `## ${config.name}: account ${config.account}, ${config.region}`,
    "",
    `${count} resources. Review generated ${now.toISOString().replace(/\.\d{3}Z$/, "Z")}.`,
    "",
    ...(planSummary ? ["### Plan", "", planSection(planSummary), ""] : []),
    ...(planGuard ? ["### Deleted and replaced", "", renderPlanGuard(planGuard), ""] : []),
    "### Diagram",
    "",
    stackDiagram(stack),
    "",
    "### Resources by module",
    "",
    resourcesByModule(stack),
    "",
    "### IAM permissions",
    "",
    permissionMatrix(stack),
    "",
    ...(iamAudit
      ? [
          "### IAM audit: recorded calls against these policies",
          "",
          iamAudit.ok
            ? "Every call the functions made in the scenarios, and every call AWS makes with these roles, is allowed; " +
              "every grant is used or explained."
            : `**${iamAudit.denied.length} denied call(s), ${iamAudit.unusedGrants.length} unexplained grant(s).**`,
          "",
          auditMarkdown(iamAudit),
        ]
      : []),
    "### Schedules",
    "",
    scheduleRuns(config, now),
    "",
    "### Security rules",
    "",
    securitySection(stack, config),
    "",
  ].join("\n");
}

/** Settings side by side for every environment; rows whose values differ are marked. */
export function differences(configs: readonly EnvironmentConfig[]): string {
  const rows: string[][] = [];
  const add = (setting: string, value: (c: EnvironmentConfig) => string) => {
    const values = configs.map(value);
    rows.push([new Set(values).size > 1 ? `**${setting}**` : setting, ...values]);
  };
  const scheduleNames = [...new Set(configs.flatMap((c) => c.schedules.map((s) => s.name)))];
  for (const name of scheduleNames) {
    const of = (c: EnvironmentConfig) => c.schedules.find((s) => s.name === name);
    add(`${name}: expression`, (c) => (of(c) ? `${of(c)!.expression} ${of(c)!.timezone}${of(c)!.enabled ? "" : " (disabled)"}` : "—"));
    add(`${name}: retries / max age`, (c) => (of(c) ? `${of(c)!.retry.maxAttempts} / ${of(c)!.retry.maxEventAgeSeconds} s` : "—"));
  }
  add("email targets", (c) => c.notifications.email.join("\n") || "—");
  add("SMS targets", (c) => c.notifications.sms.join("\n") || "—");
  add("HTTPS targets", (c) => c.notifications.https.join("\n") || "—");
  add("log retention (days)", (c) => String(c.processor.logRetentionDays));
  add("async retries", (c) => String(c.processor.asyncRetries));
  add("memory (MB) / timeout (s)", (c) => `${c.processor.memoryMb} / ${c.processor.timeoutSeconds}`);
  add("noncurrent versions kept (days)", (c) => String(c.storage.noncurrentVersionExpirationDays));
  add("bucket encryption", (c) => (c.storage.kmsKeyArn ? "SSE-KMS" : "SSE-S3"));
  add("waivers", (c) => (c.waivers ?? []).map((w) => `${w.rule}: ${w.reason}`).join("\n") || "—");
  return markdownTable(["setting", ...configs.map((c) => c.name)], rows);
}
