import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeModule } from "../../../modules/tooling/terraform-module/synthesize-module";
import {
  AUDITED_MODULE_ENVIRONMENT,
  AUDITED_MODULE_INSTANCE,
  moduleInstanceDocument,
} from "../../../scripts/lib/iam-audit/module-instance";
import { environment, synthEnvironment } from "../../support/synth";
import { actionsByRole, editStatement, recordedAudit } from "./support";

const ROOT = join(__dirname, "..", "..", "..");
/** The module's resources as the construct synthesized them (terraform-module/ writes them as HCL). */
let moduleJson: any;
beforeAll(async () => {
  moduleJson = (await synthesizeModule()).document;
});

describe("the IAM audit of the Terraform module (one instance of it)", () => {
  const instance = AUDITED_MODULE_INSTANCE;
  const audit = recordedAudit(AUDITED_MODULE_ENVIRONMENT, () => moduleInstanceDocument(moduleJson, instance) as never);

  it("allows every recorded call against the module's own policies, and finds every grant used or explained", async () => {
    const result = await audit();
    expect({ denied: result.denied, unused: result.unusedGrants }).toEqual({ denied: [], unused: [] });
    expect(actionsByRole(result).schedule_api).toContain("iam:PassRole");
    expect(result.roles.flatMap((r) => r.grants.filter((g) => g.action.startsWith("xray:")).map((g) => g.sid))).toContain("WriteTraces");
  });

  it("fails naming the call when the module's processor policy loses one", async () => {
    const result = await audit((copy) =>
      editStatement(copy as never, "processor", "KeepFailedEvents", (s) => {
        s.Action = [];
      }),
    );
    expect(result.denied.map((c) => `${c.role} ${c.action} ${c.resource}`)).toContain(
      "processor sqs:SendMessage arn:aws:sqs:us-east-1:123456789012:acme-qa-processor-failures",
    );
  });

  it("refuses an expression it cannot evaluate instead of auditing around it", () => {
    const changed = structuredClone(moduleJson);
    changed.resource.aws_iam_role_policy.processor.policy = changed.resource.aws_iam_role_policy.processor.policy.replace(
      "${local.bucket_name}",
      "${local.some_new_local}",
    );
    expect(() => moduleInstanceDocument(changed, AUDITED_MODULE_INSTANCE)).toThrow(
      "the IAM audit cannot evaluate ${local.some_new_local} in the module's aws_iam_role_policy.processor.policy",
    );
  });
});

describe("npm run iam-audit", () => {
  const command = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "iam-audit.ts"), ...args], {
      encoding: "utf8",
      timeout: 120_000,
    });

  it("exits 1 naming the denied call when a stack's processor policy lost an action (--stack)", () => {
    const stack = structuredClone(synthEnvironment(environment("dev")).document);
    const policy = JSON.parse(stack.resource.aws_iam_role_policy.processor.policy);
    policy.Statement = policy.Statement.filter((s: { Sid: string }) => s.Sid !== "ReadVersionTaskObjects");
    stack.resource.aws_iam_role_policy.processor.policy = JSON.stringify(policy);
    const file = join(mkdtempSync(join(tmpdir(), "iam-audit-")), "cdk.tf.json");
    writeFileSync(file, JSON.stringify(stack));
    const run = command("dev", "--stack", file);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /dev: DENIED s3:GetObjectVersion on arn:aws:s3:::scheduler-dev-data-\d{12}\/incoming\/\S+ by aws_iam_role\.processor/,
    );
    expect(run.stdout).toMatch(/dev: [1-9]\d* denied call\(s\), 0 unexplained grant\(s\)\n$/);
    expect(run.stderr).toBe("");
  });

  it("explains its arguments when they are wrong", () => {
    const run = command("dev", "--stack");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: npm run iam-audit -- <env|module> [--stack <cdk.tf.json>]");
  });
});
