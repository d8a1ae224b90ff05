import { allPolicies, ENVIRONMENTS, resources, synthEnvironment } from "../../../support/synth";

/** Conditions AWS documents against the confused-deputy problem. */
const CONFUSED_DEPUTY_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"];

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("IAM in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const policies = allPolicies(stack);
  const statements = policies.flatMap(({ where, document }) => document.Statement.map((statement) => ({ where, statement })));

  it("parses every policy in the stack", () => {
    expect(policies.length).toBeGreaterThanOrEqual(14);
    for (const { document } of policies) expect(document.Version).toBe("2012-10-17");
  });

  it("never allows a wildcard action", () => {
    for (const { where, statement } of statements.filter((s) => s.statement.Effect === "Allow")) {
      for (const action of statement.Action) {
        expect({ where, action, wildcard: action === "*" || action.endsWith(":*") }).toEqual({ where, action, wildcard: false });
      }
    }
  });

  it("names the resource * only where AWS forces it: key policies, and actions IAM gives no resource type", () => {
    const starred = statements.filter(({ statement }) => (statement.Resource ?? []).includes("*"));
    expect(starred.map(({ where, statement }) => `${where.split(".")[0]} ${statement.Sid}`).sort()).toEqual([
      "aws_iam_role_policy ListSchedules",
      // One a function, where tracing is on: X-Ray's write actions.
      ...(config.processor.tracing ? Array(3).fill("aws_iam_role_policy WriteTraces") : []),
      "aws_kms_key AccountAdministersAndUsesKey",
      "aws_kms_key StackAlarmsEncryptNotices",
    ]);
    for (const traces of starred.filter(({ statement }) => statement.Sid === "WriteTraces"))
      expect(traces.statement.Action).toEqual(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
    const listing = starred.find(({ statement }) => statement.Sid === "ListSchedules")!.statement;
    expect(listing.Action).toEqual(["scheduler:ListSchedules"]);
  });

  it("names resources on every identity-policy statement", () => {
    for (const [id, body] of resources(stack, "aws_iam_role_policy")) {
      for (const statement of JSON.parse(body.policy).Statement) {
        expect({ id, sid: statement.Sid, count: statement.Resource.length > 0 }).toEqual({ id, sid: statement.Sid, count: true });
      }
    }
  });

  it("never allows the public principal", () => {
    for (const { where, statement } of statements.filter((s) => s.statement.Effect === "Allow")) {
      expect({ where, principal: statement.Principal }).not.toEqual({ where, principal: "*" });
      expect(JSON.stringify(statement.Principal ?? {})).not.toContain('"*"');
    }
  });

  it("puts confused-deputy conditions on every service trust policy", () => {
    const roles = resources(stack, "aws_iam_role");
    expect(roles).toHaveLength(4);
    for (const [id, role] of roles) {
      for (const statement of JSON.parse(role.assume_role_policy).Statement) {
        const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block as object));
        expect({ id, guarded: keys.some((k) => CONFUSED_DEPUTY_KEYS.includes(k)) }).toEqual({ id, guarded: true });
        expect(statement.Condition.StringEquals["aws:SourceAccount"]).toBe(config.account);
      }
    }
  });

  it("passes the scheduler role only to EventBridge Scheduler", () => {
    const pass = statements.filter(({ statement }) => statement.Action.includes("iam:PassRole"));
    expect(pass).toHaveLength(1);
    expect(pass[0].statement.Resource).toHaveLength(1);
    expect(pass[0].statement.Resource![0]).toBe("${aws_iam_role.scheduler.arn}");
    expect(pass[0].statement.Condition).toEqual({ StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } });
  });

  it("uses deny statements only to refuse insecure transport or other principals", () => {
    for (const { where, statement } of statements.filter((s) => s.statement.Effect === "Deny")) {
      expect({ where, sid: statement.Sid }).toEqual({
        where,
        sid: expect.stringMatching(/^Deny(InsecureTransport|PublishFromOtherPrincipals)$/),
      });
    }
  });
});
