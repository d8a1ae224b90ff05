import { checkStack } from "../../modules/tooling/security/check";
import { renderPlanGuard } from "./plan-guard";
import {
  type EnvironmentReview,
  permissionMatrix,
  planSection,
  resourcesByModule,
  scheduleRuns,
  securitySection,
  stackDiagram,
} from "./review-report";

/** GitHub refuses a comment body over 65,536 characters; this leaves room for the truncation note. */
export const COMMENT_LIMIT = 65_536;
const BUDGET = COMMENT_LIMIT - 1_024;

/** The hidden first line that finds the environment's comment again, so a workflow updates it instead of adding one. */
export function commentMarker(environment: string): string {
  return `<!-- scheduled-task-processing review: ${environment} -->`;
}

const details = (summary: string, body: string) => `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;

/**
 * The review as a pull-request comment for one environment: what changes first (the plan's
 * creates, updates, replaces and deletes, the plan guard's verdict, the security findings),
 * then everything else collapsed in `<details>`. Sections that would take it past GitHub's
 * limit are left out, with a note and a link to the full report (the workflow's artifact).
 */
export function pullRequestComment(review: EnvironmentReview, now: Date, fullReportUrl?: string): string {
  const { config, stack, planSummary, planGuard } = review;
  const security = checkStack(stack, config.waivers ?? []);
  const totals = (planSummary ?? []).reduce(
    (sum, s) => ({
      create: sum.create + s.create,
      update: sum.update + s.update,
      replace: sum.replace + s.replace,
      delete: sum.delete + s.delete,
    }),
    {
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
    },
  );
  const verdict = !planGuard
    ? "no plan given"
    : planGuard.blocking.length > 0
      ? `**refused**: ${planGuard.blocking.map((c) => `${c.action} ${c.address}`).join(", ")}`
      : "passes (nothing stateful is deleted or replaced without a waiver)";
  const lead = [
    commentMarker(config.name),
    `## ${config.name}: account ${config.account}, ${config.region}`,
    "",
    planSummary
      ? `**Plan:** ${totals.create} to add, ${totals.update} to change, ${totals.replace} to replace, ${totals.delete} to destroy.`
      : "**Plan:** none given.",
    `**Plan guard:** ${verdict}.`,
    `**Security rules:** ${security.violations.length === 0 ? "no violations" : `**${security.violations.length} violation(s)**`}; ` +
      `${security.waived.length} waived.`,
    "",
    ...(planSummary && planSummary.length > 0 ? [planSection(planSummary), ""] : []),
    ...(security.violations.length > 0 ? ["### Security findings", "", securitySection(stack, config), ""] : []),
  ].join("\n");
  const rest: Array<[string, () => string]> = [
    ["Deleted and replaced", () => (planGuard ? renderPlanGuard(planGuard) : "No plan given.")],
    // Already in the lead when it has findings.
    ...(security.violations.length > 0
      ? []
      : ([["Security rules and waivers", () => securitySection(stack, config)]] as Array<[string, () => string]>)),
    ["IAM permissions", () => permissionMatrix(stack)],
    ["Schedules", () => scheduleRuns(config, now)],
    ["Diagram", () => stackDiagram(stack)],
    ["Resources by module", () => resourcesByModule(stack)],
  ];
  let body = lead;
  const left: string[] = [];
  for (const [title, render] of rest) {
    const section = `\n${details(title, render())}\n`;
    if (body.length + section.length <= BUDGET) body += section;
    else left.push(title);
  }
  if (left.length > 0) {
    const where = fullReportUrl ? `[the full report](${fullReportUrl})` : "the full report (`npm run review`)";
    body += `\n_Left out to fit GitHub's comment limit: ${left.join(", ")}. See ${where}._\n`;
  }
  body += `\n<sub>Generated ${now.toISOString().replace(/\.\d{3}Z$/, "Z")} by \`npm run review -- ${config.name} --format pr\`.</sub>\n`;
  return body.length <= COMMENT_LIMIT ? body : `${body.slice(0, COMMENT_LIMIT - 200)}\n\n_Truncated at GitHub's comment limit._\n`;
}
