import { dirname } from "node:path";
import { synthesizeModule } from "../../modules/tooling/terraform-module/synthesize-module";
import { namesMissingFrom, providerSchema } from "../../scripts/lib/provider-schema";
import { ENVIRONMENTS, synthEnvironment } from "../support/synth";

/**
 * No AWS provider 6.x binary is reachable here, so the 6.x schema is read from the jsii assembly
 * of its bindings (@cdktf/provider-aws 21.22.1 = hashicorp/aws 6.25.0, @cdktn/provider-aws 25.7.0
 * = 6.66.0): every resource type,
 * argument and nested block the stacks and the module set must be in it, as in 5.100's.
 */
const bindings = (name: string) => dirname(require.resolve(`${name}/package.json`));
const SCHEMAS = [
  providerSchema(bindings("@cdktf/provider-aws")),
  providerSchema(bindings("@cdktf/provider-aws-6")),
  providerSchema(bindings("@cdktn/provider-aws")),
];
/** The module's resources as the construct synthesized them, before they were written as HCL (the same names). */
let moduleDocument: Record<string, unknown>;
beforeAll(async () => {
  moduleDocument = (await synthesizeModule()).document;
});

describe.each(SCHEMAS.map((schema) => [schema.version, schema] as const))("the AWS provider schema of bindings %s", (_version, schema) => {
  it.each(ENVIRONMENTS.map((c) => c.name))("has every name the %s stack sets", (name) => {
    const stack = synthEnvironment(ENVIRONMENTS.find((c) => c.name === name)!);
    expect(namesMissingFrom(schema, stack.document as unknown as Record<string, unknown>)).toEqual([]);
  });

  it("has every name the module sets", () => {
    expect(namesMissingFrom(schema, moduleDocument)).toEqual([]);
  });
});

describe("the schema check", () => {
  const [, six] = SCHEMAS;
  it("names an argument, a nested block's argument and a resource type the schema lacks", () => {
    const main = structuredClone(moduleDocument) as any;
    main.resource.aws_s3_bucket.data.acceleration_mode = "fast";
    main.resource.aws_s3_bucket_lifecycle_configuration.data.rule[0].expiration[0].after_days = 3;
    main.resource.aws_opsworks_stack = { old: { name: "x" } };
    expect(namesMissingFrom(six, main)).toEqual([
      "aws_s3_bucket.data.acceleration_mode",
      "aws_s3_bucket_lifecycle_configuration.data.rule.expiration.after_days",
      `aws_opsworks_stack: no such resource type in ${six.version}`,
    ]);
  });

  it("reads the names of the version it was given: 6.x adds `region` to every regional resource", () => {
    const [five] = SCHEMAS;
    expect(five.resources.aws_sqs_queue.region).toBeUndefined();
    expect(six.resources.aws_sqs_queue.region).toBeNull();
  });

  it("finds nothing 6.x deprecates in the module or the stacks: no data.aws_region's name, no aws_s3_bucket's region", () => {
    const texts = [JSON.stringify(moduleDocument), ...ENVIRONMENTS.map((c) => synthEnvironment(c).json)];
    for (const text of texts) expect(text).not.toMatch(/data\.aws_region\.[a-z_]+\.name\b|aws_s3_bucket\.[a-z_]+\.region\b/);
  });
});
