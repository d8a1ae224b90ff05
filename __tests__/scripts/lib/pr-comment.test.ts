import { StackDocument } from "../../../modules/tooling/security/stack-document";
import { guardPlan } from "../../../scripts/lib/plan-guard";
import { COMMENT_LIMIT, commentMarker, pullRequestComment } from "../../../scripts/lib/pr-comment";
import { summarisePlan } from "../../../scripts/lib/terraform-runner";
import { ENVIRONMENTS, synthEnvironment } from "../../support/synth";

const now = new Date("2026-12-02T10:00:00Z");
const plan = {
  resource_changes: [
    { address: "aws_s3_bucket.data", type: "aws_s3_bucket", change: { actions: ["delete", "create"] } },
    { address: "aws_lambda_function.processor", type: "aws_lambda_function", change: { actions: ["update"] } },
    { address: "aws_sqs_queue.work", type: "aws_sqs_queue", change: { actions: ["create"] } },
  ],
};

describe("the pull-request comment", () => {
  const largest = [...ENVIRONMENTS].sort((a, b) => synthEnvironment(b).json.length - synthEnvironment(a).json.length)[0];
  const stack = StackDocument.parse(synthEnvironment(largest).json);
  const review = { config: largest, stack, planSummary: summarisePlan(plan), planGuard: guardPlan(plan as never, []) };

  it("of the largest environment fits GitHub's limit and leads with what changes", () => {
    const comment = pullRequestComment(review, now, "https://ci.example/run/1");
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.startsWith(commentMarker(largest.name))).toBe(true);
    const lead = comment.slice(0, comment.indexOf("<details>"));
    expect(lead).toContain("**Plan:** 1 to add, 1 to change, 1 to replace, 0 to destroy.");
    expect(lead).toMatch(/\*\*Plan guard:\*\* \*\*refused\*\*: replace aws_s3_bucket\.data/);
    expect(lead).toContain("**Security rules:** no violations");
    expect(comment).toContain("<details><summary>IAM permissions</summary>");
  });

  it("leaves sections out with a note and a link to the full report when they would not fit", () => {
    // A stack with thousands of schedules: its sections cannot all fit.
    const many = { ...largest, schedules: Array.from({ length: 3000 }, (_, i) => ({ ...largest.schedules[0], name: `s-${i}` })) };
    const comment = pullRequestComment({ ...review, config: many }, now, "https://ci.example/run/1");
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toMatch(/Left out to fit GitHub's comment limit: .*Schedules.*\[the full report\]\(https:\/\/ci\.example\/run\/1\)/s);
  });
});
