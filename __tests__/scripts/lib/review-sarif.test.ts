import "@microsoft/jest-sarif";
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

describe("the security rules as SARIF", () => {
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
