import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../../modules/config/schema";
import { awsProviderUnavailable, versionAtLeast } from "../../../scripts/lib/offline-terraform";
import { ProviderUnavailableError, planStack } from "../../../scripts/lib/terraform-runner";
import { checkedStatically } from "../../../scripts/plan";
import { environment, synthEnvironment } from "../../support/synth";

/** A provider mirror holding hashicorp/aws in these versions only (folders, as `terraform providers mirror` writes them). */
function mirrorWith(...versions: string[]): string {
  const mirror = mkdtempSync(join(tmpdir(), "mirror-"));
  for (const version of versions) mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", version), { recursive: true });
  return mirror;
}

describe("a stack on nodejs24.x where only hashicorp/aws 5.100 can be installed", () => {
  const dev = environment("dev");
  const config: EnvironmentConfig = { ...dev, processor: { ...dev.processor, runtime: "nodejs24.x" } };
  const directory = mkdtempSync(join(tmpdir(), "stack-24-"));
  writeFileSync(join(directory, "cdk.tf.json"), synthEnvironment(config).json);
  const env = { ...process.env, TF_PLUGIN_MIRROR: mirrorWith("5.100.0") };

  it("is not planned offline, and the reason names the runtime, the provider it needs and what the mirror holds", async () => {
    const failure = await planStack(directory, { offline: true, env }).catch((error) => error);
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure.message).toBe(
      `${directory.split("/").pop()} needs hashicorp/aws 6.19.0 or later (its functions run on nodejs24.x, which older providers ` +
        `refuse), and the provider mirror at ${env.TF_PLUGIN_MIRROR} holds hashicorp/aws 5.100.0 only, older than 6.19.0: not ` +
        "planned here. Plan it where the registry (or a mirror with that provider) is reachable.",
    );
  });

  it("is checked against the 6.x schema instead by npm run plan, which says so and exits 0", () => {
    const lines: string[] = [];
    const log = jest.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      const code = checkedStatically(new ProviderUnavailableError(directory, "6.19.0", "nodejs24.x", "no 6.x here"), directory);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toMatch(/^skipped: .* needs hashicorp\/aws 6\.19\.0 or later/);
    expect(lines[1]).toMatch(/^checked against the hashicorp\/aws 6\.\d+\.\d+ schema \(.*\) instead: every resource type, argument/);
  });

  it("is planned where the mirror holds a provider new enough, or where there is no mirror (the registry)", () => {
    expect(awsProviderUnavailable("6.19.0", { TF_PLUGIN_MIRROR: mirrorWith("5.100.0", "6.25.0") })).toBeUndefined();
    expect(awsProviderUnavailable("6.19.0", { TF_PLUGIN_MIRROR: join(tmpdir(), "no-mirror-here") })).toBeUndefined();
    expect(awsProviderUnavailable("5.100.0", { TF_PLUGIN_MIRROR: mirrorWith("5.100.0") })).toBeUndefined();
    expect([versionAtLeast("6.19.0", "6.19.0"), versionAtLeast("6.9.1", "6.19.0"), versionAtLeast("10.0.0", "6.19.0")]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
