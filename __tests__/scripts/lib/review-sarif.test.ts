import "@microsoft/jest-sarif";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { SECURITY_RULES } from "../../../modules/tooling/security/rules";
import { StackDocument } from "../../../modules/tooling/security/stack-document";
import { securitySarif } from "../../../scripts/lib/review-sarif";
import { environment, synthEnvironment } from "../../support/synth";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeValidSarifLog(): R;
    }
  }
}

const ROOT = join(__dirname, "..", "..", "..");

describe("the security rules as SARIF", () => {
  it("npm run review -- prod --format sarif writes a schema-valid SARIF 2.1.0 log describing every rule", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "review.ts"), "prod", "--format", "sarif"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const log = JSON.parse(run.stdout);
    expect(log).toBeValidSarifLog();
    expect(log.version).toBe("2.1.0");
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(SECURITY_RULES.map((r) => r.id));
    for (const rule of rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.help.text).toContain("Fix:");
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
    expect(log.runs[0].results).toEqual([]);
  });

  it("locates findings at the config field responsible, else the stack, and carries waivers as suppressions", () => {
    const prod = environment("prod");
    const document = JSON.parse(synthEnvironment(prod).json);
    delete document.resource.aws_s3_bucket_versioning; // S3-01: the stack's own
    document.resource.aws_cloudwatch_log_group.processor.retention_in_days = undefined; // LMB-01: processor.logRetentionDays
    const stack = StackDocument.parse(JSON.stringify(document));
    const configText = "export const prod = {\n  processor: {\n    logRetentionDays: 90,\n  },\n};\n";
    const review = (waivers: { rule: string; reason: string }[]) => ({
      config: { ...prod, waivers },
      stack,
      stackFile: "cdktf.out/stacks/prod/cdk.tf.json",
      configFile: { path: "environments/prod.ts", text: configText },
    });
    const log = securitySarif([review([{ rule: "S3-01", reason: "versioning is managed by the platform team" }])], "0.2.0");
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results!;
    const versioning = results.find((r) => r.ruleId === "S3-01")!;
    expect(versioning.suppressions).toEqual([
      { kind: "inSource", status: "accepted", justification: "versioning is managed by the platform team" },
    ]);
    expect(versioning.message.text).toContain("aws_s3_bucket.data");
    expect(versioning.locations![0].physicalLocation!.artifactLocation!.uri).toBe("cdktf.out/stacks/prod/cdk.tf.json");
    const retention = results.find((r) => r.ruleId === "LMB-01")!;
    expect(retention.suppressions).toBeUndefined();
    expect(retention.level).toBe("error");
    expect(retention.locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: "environments/prod.ts" },
      region: { startLine: 3 },
    });
  });
});
