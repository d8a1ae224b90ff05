/**
 * The AWS regions this product deploys to, by partition: the commercial partition (aws), China
 * (aws-cn) and GovCloud (aws-us-gov), the three whose ARNs core/naming.ts's partitionOf() knows.
 * The isolated partitions (aws-iso*) and the European Sovereign Cloud (aws-eusc) are left out.
 *
 * Taken on 2026-12-06 from the AWS SDK's endpoint partitions (`@aws-sdk/core` 3.981.0,
 * dist-es/submodules/client/util-endpoints/lib/aws/partitions.js), without the `*-global`
 * pseudo-regions. A test compares this list with the installed SDK's, so an SDK update that
 * adds a region says so; add it here then.
 */
export const AWS_REGIONS_BY_PARTITION = {
  aws: [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "me-west-1",
    "mx-central-1",
    "sa-east-1",
    "sa-west-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
} as const;

export type AwsRegion = (typeof AWS_REGIONS_BY_PARTITION)[keyof typeof AWS_REGIONS_BY_PARTITION][number];

export const AWS_REGIONS: readonly AwsRegion[] = /* @__PURE__ */ Object.values(AWS_REGIONS_BY_PARTITION).flat();

export function isAwsRegion(name: string): name is AwsRegion {
  return (AWS_REGIONS as readonly string[]).includes(name);
}
