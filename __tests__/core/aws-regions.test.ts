import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AWS_REGIONS, AWS_REGIONS_BY_PARTITION, isAwsRegion } from "../../core/aws-regions";

/** The installed AWS SDK's endpoint partitions: its regions, by partition. */
function sdkRegions(): Record<string, string[]> {
  const file = join(
    dirname(require.resolve("@aws-sdk/core/package.json")),
    "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js",
  );
  const source = readFileSync(file, "utf8");
  const json = source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1);
  const { partitions } = JSON.parse(json) as { partitions: Array<{ id: string; regions: Record<string, unknown> }> };
  return Object.fromEntries(partitions.map((p) => [p.id, Object.keys(p.regions).filter((r) => !r.endsWith("-global"))]));
}

describe("the AWS regions the config accepts", () => {
  it("are the regions the installed AWS SDK knows, in the commercial, China and GovCloud partitions", () => {
    const sdk = sdkRegions();
    for (const [partition, regions] of Object.entries(AWS_REGIONS_BY_PARTITION)) {
      expect({ partition, regions: [...regions].sort() }).toEqual({ partition, regions: [...sdk[partition]].sort() });
    }
  });

  it("hold real regions and nothing of a region's shape that does not exist", () => {
    expect(AWS_REGIONS).toHaveLength(40);
    for (const region of ["us-east-1", "eu-central-2", "ap-southeast-7", "mx-central-1", "cn-northwest-1", "us-gov-west-1"]) {
      expect(isAwsRegion(region)).toBe(true);
    }
    for (const region of ["us-east-9", "eu-west-4", "us-iso-east-1", "eusc-de-east-1", "aws-global", "US-EAST-1"]) {
      expect(isAwsRegion(region)).toBe(false);
    }
  });
});
