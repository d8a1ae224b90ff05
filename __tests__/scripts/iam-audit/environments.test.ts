import { auditText } from "../../../scripts/lib/iam-audit/report";
import { ENVIRONMENTS, synthEnvironment } from "../../support/synth";
import { actionsByRole, editStatement, recordedAudit } from "./support";

describe.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("the IAM audit of %s", (name, config) => {
  const audit = recordedAudit(config, () => synthEnvironment(config).document);

  it("allows every call the functions made and AWS makes for them, and finds every grant used or explained", async () => {
    const result = await audit();
    expect(result.denied).toEqual([]);
    expect(result.unusedGrants).toEqual([]);
    expect(result.ok).toBe(true);
    const actions = actionsByRole(result);
    expect(actions.processor).toEqual(
      expect.arrayContaining([
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "sns:Publish",
        "sqs:SendMessage",
        "sqs:ReceiveMessage",
      ]),
    );
    expect(actions.failure_handler).toEqual(expect.arrayContaining(["s3:PutObject", "sns:Publish", "sqs:DeleteMessage"]));
    expect(actions.schedule_api).toEqual([
      "iam:PassRole",
      "lambda:InvokeFunction",
      "scheduler:CreateSchedule",
      "scheduler:DeleteSchedule",
      "scheduler:GetSchedule",
      "scheduler:ListSchedules",
    ]);
    expect(actions.scheduler).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
    // Only what the runtime writes is kept without a call: logs, and traces where tracing is on.
    const unrecorded = result.roles.flatMap((r) => r.grants.filter((g) => !g.used).map((g) => g.action));
    expect([...new Set(unrecorded)].sort()).toEqual(
      [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        ...(config.processor.tracing ? ["xray:PutTelemetryRecords", "xray:PutTraceSegments"] : []),
      ].sort(),
    );
  });

  it("fails naming the call when the processor's policy loses an action", async () => {
    const result = await audit((copy) =>
      editStatement(copy, "processor", "DeleteVersionTaskObjects", (s) => {
        s.Action = ["s3:DeleteObject"];
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.denied.map((c) => `${c.role} ${c.action}`)).toContain("processor s3:DeleteObjectVersion");
    expect(auditText(name, result)).toMatch(
      new RegExp(`${name}: DENIED s3:DeleteObjectVersion on arn:aws:s3:::.+/incoming/\\S+ by aws_iam_role.processor`),
    );
  });

  it("fails naming the call when a resource is narrowed", async () => {
    const result = await audit((copy) =>
      editStatement(copy, "processor", "WriteTaskObjects", (s) => {
        s.Resource = s.Resource.filter((r: string) => !r.endsWith("/runs/*"));
      }),
    );
    expect(result.denied.some((c) => c.action === "s3:PutObject" && c.resource.includes("/runs/"))).toBe(true);
  });

  it("fails naming the run now's invoke when the scheduling API may not invoke the processor", async () => {
    const result = await audit((copy) =>
      editStatement(copy, "schedule_api", "RunSchedulesNow", (s) => {
        s.Action = [];
      }),
    );
    expect(result.denied.map((c) => `${c.role} ${c.action} ${c.resource.split(":").at(-1)} (${c.scenarios.join(", ")})`)).toEqual([
      `schedule_api lambda:InvokeFunction ${config.projectName}-${config.name}-processor (the scheduling API runs a schedule now)`,
    ]);
  });

  it("fails on a grant no call uses", async () => {
    const result = await audit((copy) =>
      editStatement(copy, "failure_handler", "WriteTaskObjects", (s) => {
        s.Action = [...s.Action, "s3:DeleteObject"];
      }),
    );
    expect(result.denied).toEqual([]);
    expect(result.unusedGrants.map((g) => `${g.role} ${g.sid} ${g.action}`)).toEqual(["failure_handler WriteTaskObjects s3:DeleteObject"]);
  });
});
