import { validateEnvironment } from "../../../modules/config/validate";
import { StackDocument } from "../../../modules/tooling/security/stack-document";
import { evaluateCalls } from "../../../scripts/lib/iam-audit/audit";
import { platformCalls } from "../../../scripts/lib/iam-audit/platform-calls";
import { stackPolicies } from "../../../scripts/lib/iam-audit/stack-policies";
import { differences, environmentReview, permissionMatrix, readable, stackDiagram } from "../../../scripts/lib/review-report";
import { environment, synthEnvironment } from "../../support/synth";

const now = new Date("2026-11-23T00:00:00Z");
const stackOf = (name: "dev" | "staging" | "prod") => StackDocument.parse(synthEnvironment(environment(name)).json);

describe("review report", () => {
  it("shows every environment side by side and marks the settings that differ", () => {
    const table = differences(["dev", "staging", "prod"].map(environment));
    expect(table).toContain("| setting | dev | staging | prod |");
    expect(table).toContain("| **data-processing: expression** | rate(6 hours) UTC | rate(2 hours) UTC | rate(1 hour) UTC |");
    expect(table).toContain("| **log retention (days)** | 14 | 30 | 365 |");
    expect(table).toContain("| **async retries** | 0 | 1 | 2 |");
    expect(table).toContain(
      "| weekly-notification: expression | cron(0 10 ? * MON *) America/New_York | cron(0 10 ? * MON *) America/New_York | cron(0 10 ? " +
        "* MON *) America/New_York |",
    );
  });

  it("reads every policy into principal, actions, resources and conditions, with names instead of references", () => {
    const matrix = permissionMatrix(stackOf("prod"));
    expect(matrix).toContain(
      "| service scheduler.amazonaws.com | Allow | sts:AssumeRole | role ‹scheduler-prod-scheduler› | " +
        "StringEquals aws:SourceAccount = 333333333333<br>ArnEquals aws:SourceArn = ‹scheduler-prod› |",
    );
    expect(matrix).toContain("| role ‹scheduler-prod-scheduler› | Allow | lambda:InvokeFunction | ‹scheduler-prod-processor› |  |");
    expect(matrix).toContain(
      "| role ‹scheduler-prod-processor› | Allow | s3:DeleteObject | ‹scheduler-prod-data-333333333333›/incoming/* |  |",
    );
    expect(matrix).toContain("| * (anyone) | Deny | s3:* |");
    expect(matrix).not.toContain("${");
  });

  it("draws the stack as a mermaid graph of its modules and references", () => {
    const diagram = stackDiagram(stackOf("dev"));
    expect(diagram.startsWith("```mermaid\nflowchart LR")).toBe(true);
    for (const module of ["storage", "notifications", "processor", "schedules"]) expect(diagram).toContain(`["${module}"]`);
    expect(diagram).toContain("aws_scheduler_schedule_tasks__daily_report__ --> aws_lambda_function_processor");
    expect(diagram).not.toContain("${");
  });

  it("puts plan, resources, permissions, schedules and security findings in one section per environment", () => {
    const config = environment("staging");
    const review = environmentReview(
      { config, stack: stackOf("staging"), planSummary: [{ type: "aws_s3_bucket", create: 1, update: 0, replace: 0, delete: 0 }] },
      now,
    );
    for (const heading of [
      "### Plan",
      "### Diagram",
      "### Resources by module",
      "### IAM permissions",
      "### Schedules",
      "### Security rules",
    ])
      expect(review).toContain(heading);
    expect(review).toContain("| aws_s3_bucket | 1 | 0 | 0 | 0 |");
    expect(review).toContain("2026-11-23 09:00 EST (2026-11-23T14:00:00Z)");
    expect(review).toContain("No violations.");
    // staging processes every 2 hours (29 five-minute buckets) and digests weekly (7 days).
    expect(review).toContain("after 29 x 5 min without a run");
    expect(review).toContain("after 7 x day without a run");
  });

  it("includes the IAM audit: each role's calls, the statement that allowed them, and what no call used", async () => {
    // The calls AWS makes with the roles: no recording needed to see how the review shows an audit.
    const stack = stackPolicies(synthEnvironment(environment("prod")).document);
    const iamAudit = await evaluateCalls(stack, platformCalls(stack));
    const review = environmentReview({ config: environment("prod"), stack: stackOf("prod"), iamAudit }, now);
    expect(review).toContain("### IAM audit: recorded calls against these policies");
    expect(review).toContain("**`aws_iam_role.scheduler`**");
    expect(review).toMatch(
      /\| `lambda:InvokeFunction` \| `arn:aws:lambda:us-east-1:333333333333:function:scheduler-prod-processor` \| [^|]*InvokeProcessor \|/,
    );
    // Without the functions' own calls, their S3 grants are unused: the review says the audit failed.
    expect(review).toMatch(/\*\*0 denied call\(s\), [1-9]\d* unexplained grant\(s\)\.\*\*/);
    expect(review).toContain("`s3:PutObject` (**unexplained**)");
  });

  it("lists producers and readers in the IAM matrix: cross-account ones by the bucket policy, the others by their managed policy", () => {
    const prod = environment("prod");
    const validated = validateEnvironment({
      ...prod,
      access: {
        producers: [{ name: "partner-a", principals: ["arn:aws:iam::210987654321:role/uploader"], prefix: "partner-a/" }],
        readers: [{ name: "analytics", principals: [`arn:aws:iam::${prod.account}:role/analytics`], prefixes: ["reports/"] }],
      },
    });
    if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
    const matrix = permissionMatrix(StackDocument.parse(synthEnvironment(validated.config).json));
    expect(matrix).toMatch(
      /\| arn:aws:iam::210987654321:role\/uploader \| Allow \| s3:PutObject, s3:AbortMultipartUpload \| [^|]*incoming\/partner-a\/\* \|/,
    );
    expect(matrix).toMatch(/\| reader ‹analytics› \(managed policy to attach\) \| Allow \| s3:GetObject \| [^|]*reports\/\* \|/);
  });

  it("says which schedules no missed-run alarm can watch", () => {
    const config = {
      ...environment("dev"),
      schedules: [{ ...environment("dev").schedules[0], name: "monthly", expression: "cron(0 8 1 * ? *)" }],
    };
    const review = environmentReview({ config, stack: stackOf("dev") }, now);
    expect(review).toContain("**none: runs further apart than CloudWatch's 7-day range**");
  });

  it("lists every waiver with its reason, and flags waivers that match nothing", () => {
    const config = {
      ...environment("prod"),
      waivers: [
        { rule: "LMB-05", reason: "kept on the old runtime until the vendor library is upgraded" },
        { rule: "S3-07", resource: "aws_s3_bucket_policy.other", reason: "an exception that no longer applies" },
      ],
    };
    const document = JSON.parse(synthEnvironment(environment("prod")).json);
    for (const fn of Object.values(document.resource.aws_lambda_function) as any[]) fn.runtime = "nodejs18.x";
    const review = environmentReview({ config, stack: new StackDocument(document) }, now);
    expect(review).toMatch(
      /\| LMB-05 \| aws_lambda_function\.processor \| kept on the old runtime until the vendor library is upgraded \| applies \|/,
    );
    expect(review).toContain("| S3-07 | aws_s3_bucket_policy.other | an exception that no longer applies | matches nothing: remove it |");
  });

  it("turns references into the names reviewers know", () => {
    const stack = stackOf("dev");
    const bucket = Object.keys(stack.resources.aws_s3_bucket)[0];
    expect(readable(stack, `\${aws_s3_bucket.${bucket}.arn}/runs/*`)).toBe("‹scheduler-dev-data-111111111111›/runs/*");
  });
});
