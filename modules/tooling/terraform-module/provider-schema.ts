import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The AWS provider's schema as its CDKTF bindings' jsii assembly states it: for every resource
 * and data source type, the argument and block names it accepts, nested blocks with their own.
 * No provider binary of that version is needed: the bindings are generated from its schema,
 * and each property's docs link names the Terraform argument (`…/docs/resources/s3_bucket#bucket`).
 */
export interface BlockSchema {
  /** Argument or block name → its own schema when it is a block, null for an attribute. */
  readonly [name: string]: BlockSchema | null;
}

export interface ProviderSchema {
  readonly version: string;
  readonly resources: Readonly<Record<string, BlockSchema>>;
  readonly dataSources: Readonly<Record<string, BlockSchema>>;
}

interface JsiiProperty {
  readonly name: string;
  readonly static?: boolean;
  readonly type?: unknown;
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}
interface JsiiType {
  readonly kind: string;
  readonly fqn: string;
  readonly properties?: readonly JsiiProperty[];
  readonly docs?: { readonly summary?: string };
}

/** Reads (and caches beside node_modules/.cache) the schema of the bindings package at `packageDir`. */
export function providerSchema(
  packageDir: string,
  cacheDir = join(process.cwd(), "node_modules", ".cache", "provider-schema"),
): ProviderSchema {
  const { name, version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name: string; version: string };
  const cached = join(cacheDir, `${name.replace(/\W+/g, "_")}-${version}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as ProviderSchema;
  const schema = extractSchema(
    JSON.parse(readFileSync(join(packageDir, ".jsii"), "utf8")) as { version: string; types: Record<string, JsiiType> },
  );
  mkdirSync(dirname(cached), { recursive: true });
  writeFileSync(cached, JSON.stringify(schema));
  return schema;
}

const CLASS_LINK = /docs\/(resources|data-sources)\/([a-z0-9_]+)\s/;
/** Attributes carry the link in `summary`, blocks in `remarks` ("rule block."). */
const ARGUMENT_ANCHOR = /docs\/(?:resources|data-sources)\/[a-z0-9_]+#([a-z0-9_]+)\s[^}]*}/;

function extractSchema(assembly: { version: string; types: Record<string, JsiiType> }): ProviderSchema {
  const types = assembly.types;
  const resources: Record<string, BlockSchema> = {};
  const dataSources: Record<string, BlockSchema> = {};
  const blocks = new Map<string, BlockSchema>();
  const blockOf = (fqn: string, seen: Set<string>): BlockSchema => {
    const known = blocks.get(fqn);
    if (known) return known;
    const struct = types[fqn];
    const block: Record<string, BlockSchema | null> = {};
    if (!seen.has(fqn)) {
      const next = new Set(seen).add(fqn);
      for (const property of struct?.properties ?? []) {
        const argument = ARGUMENT_ANCHOR.exec(`${property.docs?.summary ?? ""} ${property.docs?.remarks ?? ""}`)?.[1];
        if (!argument) continue;
        const child = structIn(property.type, types);
        block[argument] = child ? blockOf(child, next) : null;
      }
    }
    blocks.set(fqn, block);
    return block;
  };
  for (const type of Object.values(types)) {
    if (type.kind !== "class" || !(type.properties ?? []).some((p) => p.static && p.name === "tfResourceType")) continue;
    const link = CLASS_LINK.exec(type.docs?.summary ?? "");
    if (!link) continue;
    const config = `${type.fqn}Config`;
    if (!types[config]) continue;
    (link[1] === "resources" ? resources : dataSources)[`aws_${link[2]}`] = blockOf(config, new Set());
  }
  return { version: assembly.version, resources, dataSources };
}

/** The struct a property holds (directly, in a list, or in a union with IResolvable), if any. */
function structIn(type: unknown, types: Record<string, JsiiType>): string | undefined {
  const node = type as { fqn?: string; collection?: { elementtype: unknown }; union?: { types: unknown[] } } | undefined;
  if (!node) return undefined;
  if (node.fqn)
    return types[node.fqn]?.kind === "interface" && node.fqn.startsWith("@") && !node.fqn.startsWith("cdktf.") ? node.fqn : undefined;
  if (node.collection) return structIn(node.collection.elementtype, types);
  for (const member of node.union?.types ?? []) {
    const found = structIn(member, types);
    if (found) return found;
  }
  return undefined;
}

/** Terraform's meta-arguments, in every resource and data source whatever the provider. */
const META_ARGUMENTS = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//"]);

/**
 * Every argument or block a synthesized configuration (`*.tf.json` or `cdk.tf.json`) sets on an
 * AWS resource or data source that `schema` does not have, as `<type>.<name>: <path>`.
 */
export function namesMissingFrom(schema: ProviderSchema, configuration: Record<string, unknown>): string[] {
  const missing: string[] = [];
  const check = (where: string, body: unknown, block: BlockSchema) => {
    for (const item of Array.isArray(body) ? body : [body]) {
      if (typeof item !== "object" || item === null) continue;
      for (const [name, value] of Object.entries(item as Record<string, unknown>)) {
        if (META_ARGUMENTS.has(name) || name.startsWith("//")) continue;
        if (name === "dynamic") {
          for (const [blockName, dynamic] of Object.entries(value as Record<string, { content?: unknown }>)) {
            if (!(blockName in block)) missing.push(`${where}.${blockName}`);
            else if (block[blockName]) check(`${where}.${blockName}`, dynamic.content, block[blockName]!);
          }
          continue;
        }
        if (!(name in block)) missing.push(`${where}.${name}`);
        else if (block[name] && typeof value === "object" && value !== null) check(`${where}.${name}`, value, block[name]!);
      }
    }
  };
  for (const [section, known] of [
    ["resource", schema.resources],
    ["data", schema.dataSources],
  ] as const) {
    const entries = (configuration[section] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [type, instances] of Object.entries(entries)) {
      if (!type.startsWith("aws_")) continue;
      const block = known[type];
      if (!block) {
        missing.push(
          `${section === "data" ? "data." : ""}${type}: no such ${section === "data" ? "data source" : "resource type"} in ` +
            `${schema.version}`,
        );
        continue;
      }
      for (const [name, body] of Object.entries(instances)) check(`${section === "data" ? "data." : ""}${type}.${name}`, body, block);
    }
  }
  return missing;
}
