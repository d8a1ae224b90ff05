import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import {
  App,
  Aspects,
  type IAspect,
  TerraformCount,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Token,
} from "cdktf";
import type { IConstruct } from "constructs";
import { buildFunctionBundles, type FunctionBundle } from "../../bundling/function-bundle";
import { toHcl } from "../../constructs/support/terraform-values";
import { TaskProcessingResources } from "../../constructs/task-processing-resources";
import { literalReferences } from "./literal-references";
import { awsMockDefaults } from "./module-mocks";
import { moduleReadme } from "./module-readme";
import { MODULE_LOCALS, moduleSpec } from "./module-spec";
import { MODULE_VARIABLES } from "./module-variables";

/**
 * The provider versions the module runs with: from 5.100 (the one planned and applied in this
 * repository's tests) through 6.x (every name the module sets is checked against the 6.x
 * schema, from the jsii assembly of the 6.x bindings). No cap below 7: a root on `~> 6.0` can call it.
 */
/** The oldest Terraform the module is tested with (its tests run 1.11). */
export const MODULE_REQUIRED_TERRAFORM = ">= 1.11.0";

export const MODULE_REQUIRED_PROVIDERS = { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } };

/** The files of the module, by path relative to its folder (zips as bytes). */
export type ModuleFiles = Map<string, string | Buffer>;

/** Tags every resource that takes tags with `var.tags` (merged with tags it sets itself). */
class TagWithVariable implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const descriptor = findSetter(Object.getPrototypeOf(node), "tags");
    if (!descriptor) return;
    const own = (node as unknown as { tagsInput?: Record<string, string> }).tagsInput;
    const merged =
      own && Object.keys(own).length > 0
        ? `\${merge(var.tags, {${Object.entries(own)
            .map(([k, v]) => `${JSON.stringify(k)} = ${toHcl(v)}`)
            .join(", ")}})}`
        : "${var.tags}";
    (node as unknown as { tags: unknown }).tags = Token.asStringMap(merged);
  }
}

function findSetter(prototype: object | null, name: string): PropertyDescriptor | undefined {
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor?.set) return descriptor;
  }
  return undefined;
}

/**
 * The Terraform module, synthesized from the same construct as the stacks: variables (with
 * their validation blocks), locals that derive the spec, the resources, outputs under the
 * stacks' names, `required_providers`, and the function zips beside it. No provider
 * configuration and no backend: it runs under its caller's provider, in its caller's state.
 */
export function synthesizeModule(
  bundles: Record<"processor" | "failureHandler" | "scheduleApi", FunctionBundle> = buildFunctionBundles(),
): ModuleFiles {
  const outdir = mkdtempSync(join(tmpdir(), "terraform-module-"));
  try {
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, "module");
    for (const variable of MODULE_VARIABLES) {
      const declared = new TerraformVariable(stack, `variable-${variable.name}`, {
        type: variable.type,
        description: variable.description,
        ...(variable.default !== undefined && variable.default !== null ? { default: variable.default } : {}),
        ...(variable.nullable !== undefined ? { nullable: variable.nullable } : {}),
        validation: variable.validations.map((v) => ({ condition: `\${${v.condition}}`, errorMessage: v.message })),
      });
      declared.overrideLogicalId(variable.name);
      // CDKTF cannot write a null default itself; an optional input defaults to null.
      if (variable.default === null) declared.addOverride("default", null);
    }
    for (const [name, expression] of Object.entries(MODULE_LOCALS))
      new TerraformLocal(stack, `local-${name}`, expression).overrideLogicalId(name);
    new DataAwsCallerIdentity(stack, "caller", {
      count: TerraformCount.of(Token.asNumber("${var.account_id == null ? 1 : 0}")),
    }).overrideLogicalId("current");
    new DataAwsRegion(stack, "region").overrideLogicalId("current");
    new DataAwsPartition(stack, "partition").overrideLogicalId("current");

    const file = (name: string) => `\${path.module}/functions/${name}.zip`;
    const resources = new TaskProcessingResources(stack, "resources", {
      spec: moduleSpec(),
      code: {
        processor: { path: file("processor"), sha256Base64: bundles.processor.sha256Base64 },
        failureHandler: { path: file("failure-handler"), sha256Base64: bundles.failureHandler.sha256Base64 },
        scheduleApi: { path: file("schedule-api"), sha256Base64: bundles.scheduleApi.sha256Base64 },
      },
    });
    for (const [name, { value, description }] of Object.entries(resources.outputs()))
      new TerraformOutput(stack, name, { value, description, staticId: true });
    Aspects.of(stack).add(new TagWithVariable());
    app.synth();

    const document = stripMetadata(JSON.parse(readFileSync(join(outdir, "stacks", "module", "cdk.tf.json"), "utf8"))) as Record<
      "variable" | "output" | "locals" | "data" | "resource",
      unknown
    >;
    const { variable, output, locals, data, resource } = document;
    refuseLiteralReferences(document);
    const files: ModuleFiles = new Map();
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    files.set(
      "versions.tf.json",
      json({ terraform: { required_version: MODULE_REQUIRED_TERRAFORM, required_providers: MODULE_REQUIRED_PROVIDERS } }),
    );
    files.set("variables.tf.json", json({ variable }));
    files.set("main.tf.json", json({ locals, data, resource }));
    files.set("outputs.tf.json", json({ output }));
    files.set("mocks/aws.tfmock.hcl", awsMockDefaults());
    files.set("functions/processor.zip", readFileSync(bundles.processor.zipPath));
    files.set("functions/failure-handler.zip", readFileSync(bundles.failureHandler.zipPath));
    files.set("functions/schedule-api.zip", readFileSync(bundles.scheduleApi.zipPath));
    files.set("README.md", moduleReadme(MODULE_VARIABLES, output as Record<string, { description?: string }>));
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * A reference written as text is a string to Terraform: plans and mock providers accept it, the
 * AWS API refuses it at the first apply. The module is never written with one.
 */
export function refuseLiteralReferences(document: unknown): void {
  const found = literalReferences(document);
  if (found.length === 0) return;
  throw new Error(
    `the module would hold references written as text (wrap each in \${...} or pass the token itself):\n${found
      .map((f) => `  ${f.path}: ${JSON.stringify(f.literal)} names ${f.reference}`)
      .join("\n")}`,
  );
}

/** CDKTF's `//` metadata (construct paths, versions) means nothing to a module's users. */
function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//")
        .map(([k, v]) => [k, stripMetadata(v)]),
    );
  return value;
}

/** Writes the module into `directory` (replacing what the module wrote there before). */
export function writeModule(directory: string, files: ModuleFiles = synthesizeModule()): void {
  rmSync(join(directory, "functions"), { recursive: true, force: true });
  for (const [path, contents] of files) {
    mkdirSync(join(directory, path, ".."), { recursive: true });
    writeFileSync(join(directory, path), contents);
  }
}
