import { validateEnvironment } from "../../../modules/config/validate";
import { checkStack } from "../../../modules/tooling/security/check";
import { parsePolicyText, StackDocument } from "../../../modules/tooling/security/stack-document";
import { auditText } from "../../../scripts/lib/iam-audit/report";
import { environment, synthEnvironment, withLedgerTask } from "../../support/synth";
import { actionsByRole, recordedAudit } from "./support";

const ROLE = 'task["ledger"]';

describe("the IAM audit of an own task", () => {
  const config = withLedgerTask();
  const document = () => synthEnvironment(config).document;
  const audit = recordedAudit(config, document);
  /** The task's own policy as synthesized (one instance of aws_iam_role_policy.task). */
  const taskPolicy = () => parsePolicyText(document().resource.aws_iam_role_policy.task.for_each.ledger.policy) as any;

  it('allows every call its bundle made under aws_iam_role.task["ledger"], and finds every grant used or explained', async () => {
    const result = await audit();
    expect(result.denied).toEqual([]);
    expect(result.unusedGrants).toEqual([]);
    expect(result.ok).toBe(true);
    expect(actionsByRole(result)[ROLE]).toEqual([
      "s3:DeleteObject",
      "s3:DeleteObjectVersion",
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:ListBucket",
      "s3:ListBucketVersions",
      "s3:PutObject",
      "sns:Publish",
      "sqs:SendMessage",
    ]);
    const task = result.roles.find((r) => r.role === ROLE)!;
    expect(
      task.grants
        .filter((g) => !g.used)
        .map((g) => g.action)
        .sort(),
    ).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "s3:AbortMultipartUpload"]);
    // Scheduler invokes the task's own function, and sends to the queue of the other account.
    const scheduler = result.roles.find((r) => r.role === "scheduler")!;
    expect(scheduler.calls.map((c) => [c.action, c.resource.split(":").at(-1), c.allowedBy.join()])).toEqual(
      expect.arrayContaining([
        ["lambda:InvokeFunction", `${config.projectName}-dev-task-ledger`, "scheduler-invoke-target/InvokeOwnTasks"],
        ["sqs:SendMessage", "orders", "scheduler-invoke-target/SendToTargetQueues"],
      ]),
    );
  });

  it("passes the security rules, the task's role and its function included", () => {
    const stack = new StackDocument(document() as never);
    expect(stack.ofType("aws_iam_role_policy").map(([address]) => address)).toContain('aws_iam_role_policy.task["ledger"]');
    expect(checkStack(stack, config.waivers ?? []).violations).toEqual([]);
  });

  it("grants the task its protocol's areas and exactly its declared prefixes: no area of the built-in tasks", () => {
    const prefixes = new Set<string>();
    for (const statement of taskPolicy().Statement)
      for (const resource of [statement.Resource, statement.Condition?.StringLike?.["s3:prefix"]].flat())
        if (typeof resource === "string" && resource.includes("}/")) prefixes.add(resource.split("}/")[1].replace(/\*$/, ""));
    expect([...prefixes].sort()).toEqual(
      ["archive/ledger/", "claims/ledger/", "failed/", "ledger/in/", "ledger/out/", "quarantine/ledger/", "runs/ledger/"].sort(),
    );
  });

  it("fails naming the grant when the task's policy also grants a built-in task's prefix", async () => {
    const result = await audit((copy) => {
      const instance = copy.resource.aws_iam_role_policy.task.for_each.ledger;
      const policy = parsePolicyText(instance.policy) as any;
      const write = policy.Statement.find((s: { Sid: string }) => s.Sid === "WriteTaskObjects");
      write.Resource = [...[write.Resource].flat(), "${aws_s3_bucket.data.arn}/processed/*"];
      // Back to the text Terraform reads: a reference's quotes bare (`${aws_cloudwatch_log_group.task["ledger"].arn}`).
      instance.policy = JSON.stringify(policy).replace(/\$\{[^{}]*\}/g, (reference) => reference.replaceAll('\\"', '"'));
    });
    expect(result.ok).toBe(false);
    expect(result.unusedGrants.map((g) => `${g.role} ${g.sid} ${g.action} ${g.resource.split(":::")[1]}`)).toEqual([
      `${ROLE} WriteTaskObjects s3:PutObject ${config.projectName}-dev-data-${config.account}/processed/*`,
    ]);
    expect(auditText("dev", result)).toContain(`dev: UNUSED aws_iam_role.${ROLE} WriteTaskObjects grants s3:PutObject`);
  });
});

describe("the scheduler role beside an own task no schedule runs", () => {
  it("may not invoke that task's function", () => {
    const dev = environment("dev");
    const result = validateEnvironment({
      ...dev,
      tasks: { ledger: { entry: "examples/own-task/ledger.ts", reads: ["ledger/in/"], writes: ["ledger/out/"] } },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const document = synthEnvironment(result.config).document;
    expect(Object.keys(document.resource.aws_lambda_function.task.for_each)).toEqual(["ledger"]);
    const statements = (parsePolicyText(document.resource.aws_iam_role_policy.scheduler.policy) as { Statement: Array<{ Sid: string }> })
      .Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["InvokeProcessor", "SendUndeliveredToDeadLetterQueue"]);
  });
});
