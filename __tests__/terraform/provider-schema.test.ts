import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
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
const MODULE_DIR = join(__dirname, "..", "..", "terraform-module");
const moduleFiles = readdirSync(MODULE_DIR).filter((f) => f.endsWith(".tf.json"));

describe.each(SCHEMAS.map((schema) => [schema.version, schema] as const))("the AWS provider schema of bindings %s", (_version, schema) => {
  it.each(ENVIRONMENTS.map((c) => c.name))("has every name the %s stack sets", (name) => {
    const stack = synthEnvironment(ENVIRONMENTS.find((c) => c.name === name)!);
    expect(namesMissingFrom(schema, stack.document as unknown as Record<string, unknown>)).toEqual([]);
  });

  it.each(moduleFiles)("has every name the module's %s sets", (file) => {
    expect(namesMissingFrom(schema, JSON.parse(readFileSync(join(MODULE_DIR, file), "utf8")))).toEqual([]);
  });
});

describe("the schema check", () => {
  const [, six] = SCHEMAS;
  it("names an argument, a nested block's argument and a resource type the schema lacks", () => {
    const main = JSON.parse(readFileSync(join(MODULE_DIR, "main.tf.json"), "utf8"));
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
    const texts = [
      ...moduleFiles.map((f) => readFileSync(join(MODULE_DIR, f), "utf8")),
      ...ENVIRONMENTS.map((c) => synthEnvironment(c).json),
    ];
    for (const text of texts) expect(text).not.toMatch(/data\.aws_region\.[a-z_]+\.name\b|aws_s3_bucket\.[a-z_]+\.region\b/);
  });
});
