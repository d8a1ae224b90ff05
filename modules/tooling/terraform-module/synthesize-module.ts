import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { format } from "@cdktf/hcl-tools";
import { App, Aspects, type IAspect, TerraformOutput, TerraformResource, TerraformStack, Token } from "cdktf";
import type { IConstruct } from "constructs";
import { FAN_OUT_SIZING as SIZING } from "../../../core/fan-out-sizing";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIME_NAMES, LAMBDA_RUNTIMES, type LambdaRuntime } from "../../../core/lambda-runtimes";
import { OUTPUT_ACCESS, protocolAreas, SOURCE_ACCESS } from "../../../core/own-task-access";
import { IANA_TIME_ZONES } from "../../../core/schedule-expression/iana-time-zones";
import { schedulerContextMembers } from "../../../core/schedule-input";
import { TARGET_KEY_ACTIONS, TARGET_KEY_SID, TARGET_KIND_NAMES, TARGET_KINDS } from "../../../core/schedule-targets";
import { buildFunctionBundles, PROJECT_ROOT } from "../../bundling/function-bundle";
import { FUNCTION_ZIPS } from "../../bundling/prebuilt-bundles";
import { snakeCase } from "../../config/fields/field";
import type { FunctionBundles } from "../../constructs/scheduled-task-processing";
import { OWN_TASKS_SID } from "../../constructs/schedules";
import { GRANT_KINDS } from "../../constructs/storage";
import { toHcl } from "../../constructs/support/terraform-values";
import { TASK_ALARM_NAMES, TaskProcessingResources } from "../../constructs/task-processing-resources";
import { providerSchema } from "./aws-provider-schema";
import { checkExpressionLengths } from "./expression-lengths";
import { resourceBlock } from "./hcl/blocks";
import { fromJson } from "./hcl/hcl-value";
import { HoistedLocals, printHcl } from "./hcl/print-hcl";
import { literalReferences } from "./literal-references";
import { awsMockDefaults } from "./module-mocks";
import { moduleReadme } from "./module-readme";
import { moduleSpec } from "./module-spec";
import { fillTemplate, TEMPLATES } from "./templates";
import { validationsTf, variablesTf } from "./variables-tf";

/** The oldest Terraform the module is tested with (its tests run 1.11). */
export const MODULE_REQUIRED_TERRAFORM = ">= 1.11.0";

/**
 * The provider versions the module runs with: from 5.100 (the one planned and applied in this
 * repository's tests) through 6.x (every name the module sets is checked against the 6.x
 * schema, from the jsii assembly of the 6.x bindings). No cap below 7: a root on `~> 6.0` can call it.
 */
export const MODULE_AWS_PROVIDER = ">= 5.100.0, < 7.0.0";

/** The files of the module, by path relative to its folder (zips as bytes). */
export type ModuleFiles = Map<string, string | Buffer>;

/** What the module was rendered from: the construct's resources as CDKTF synthesized them (for audits and contracts). */
export interface SynthesizedModule {
  readonly files: ModuleFiles;
  /** The resources and outputs in Terraform's JSON syntax, before they were written as HCL. */
  readonly document: {
    readonly resource: Record<string, Record<string, Record<string, unknown>>>;
    readonly output: Record<string, unknown>;
  };
  /**
   * The same module with its resources and outputs as the construct synthesized them (Terraform's
   * JSON syntax) beside the same variables and template locals: what the HCL is rendered from, for
   * tests that plan both and compare.
   */
  readonly asSynthesized: ModuleFiles;
}

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

/** Each concern's file, by the construct that builds its resources (its id under the construct). */
const FILE_OF_CONSTRUCT: Record<string, string> = {
  storage: "storage.tf",
  access: "access.tf",
  notifications: "notifications.tf",
  "processor-failures": "processor.tf",
  "work-queue": "processor.tf",
  processor: "processor.tf",
  tasks: "tasks.tf",
  schedules: "schedules.tf",
  "failure-handler": "failure-handler.tf",
  "schedule-api": "schedule-api.tf",
  "operations-key": "alarms.tf",
  operations: "alarms.tf",
  alarms: "alarms.tf",
  dashboard: "dashboard.tf",
};

const CONCERN_FILES = [...new Set(Object.values(FILE_OF_CONSTRUCT))];

/**
 * The Terraform module, rendered as HCL from the same construct as the stacks: the construct is
 * synthesized with the module's spec (every value a variable or a local), and each resource is
 * written in native syntax into the file of its concern, beside the locals its concern derives
 * (templates/*.tf). Variables and their validation blocks come from the field descriptions;
 * outputs from the construct. No provider configuration and no backend: it runs under its
 * caller's provider, in its caller's state.
 */
export async function synthesizeModule(
  bundlesOf: (runtime: LambdaRuntime) => FunctionBundles = (runtime) => buildFunctionBundles({ runtime }),
): Promise<SynthesizedModule> {
  const bundles = Object.fromEntries(LAMBDA_RUNTIME_NAMES.map((runtime) => [runtime, bundlesOf(runtime)])) as Record<
    LambdaRuntime,
    FunctionBundles
  >;
  const { document, fileOf, order, alarmNames } = synthesizeConstruct();
  refuseLiteralReferences(document);
  const hoisted = new Map(CONCERN_FILES.map((file) => [file, new HoistedLocals(TEMPLATE_LOCALS)]));
  const blocks = new Map<string, string[]>(CONCERN_FILES.map((file) => [file, []]));
  const resources = Object.entries(document.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ type, name, body })),
  );
  resources.sort((a, b) => order(a.type, a.name) - order(b.type, b.name));
  const schema = providerSchema();
  for (const { type, name, body } of resources) {
    const file = fileOf(type, name);
    blocks.get(file)!.push(resourceBlock("resource", type, name, body, schema.resources[type], hoisted.get(file)!));
  }
  // The alarms' names as a list of their own, so the output reads `concat(local.alarm_names, <missed-run alarms>)`.
  const alarmsLocal = hoisted.get("alarms.tf")!.add("operational_alarm_names", printHcl(fromJson(alarmNames), "  "));

  const files: ModuleFiles = new Map();
  files.set("versions.tf", fillTemplate("versions.tf", { required_version: MODULE_REQUIRED_TERRAFORM, aws_version: MODULE_AWS_PROVIDER }));
  files.set("variables.tf", variablesTf());
  files.set("validations.tf", validationsTf());
  files.set("time-zones.tf", timeZonesTf());
  files.set("main.tf", fillTemplate("main.tf", { function_zips: functionZipsLocal(bundles) }));
  for (const file of CONCERN_FILES) {
    const locals = hoisted.get(file)!.entries;
    const localsBlock = locals.length > 0 ? `locals {\n${locals.map(([name, text]) => `  ${name} = ${text}`).join("\n")}\n}\n` : "";
    const parts = [fillTemplate(file, templateSlots(file)), localsBlock, ...blocks.get(file)!];
    files.set(
      file,
      parts
        .map((part) => part.trim())
        .filter(Boolean)
        .join("\n\n"),
    );
  }
  files.set("outputs.tf", outputsTf(document.output, alarmsLocal));
  const asSynthesized: ModuleFiles = new Map([...files].filter(([path]) => !CONCERN_FILES.includes(path) && path !== "outputs.tf"));
  for (const file of CONCERN_FILES) asSynthesized.set(file, fillTemplate(file, templateSlots(file)));
  asSynthesized.set("resources.tf.json", `${JSON.stringify({ resource: document.resource, output: document.output }, null, 2)}\n`);
  for (const [path, text] of files) files.set(path, await format(`${String(text).trimEnd()}\n`));
  checkExpressionLengths(await parsedFiles(files));

  files.set("README.md", moduleReadme(document.output as Record<string, { description?: string }>));
  for (const [path, text] of exampleFiles()) files.set(path, await format(text));
  files.set("mocks/aws.tfmock.hcl", await format(awsMockDefaults()));
  for (const runtime of LAMBDA_RUNTIME_NAMES)
    for (const [key, file] of Object.entries(FUNCTION_ZIPS)) {
      const path = `${zipFolder(runtime)}/${file}`;
      files.set(path, readFileSync(bundles[runtime][key as keyof FunctionBundles].zipPath));
      asSynthesized.set(path, files.get(path)!);
    }
  return { files, document, asSynthesized };
}

/** A runtime's folder of zips in the module: functions/ for nodejs22.x (where they always were), functions/node24/ for nodejs24.x. */
function zipFolder(runtime: LambdaRuntime): string {
  return runtime === DEFAULT_LAMBDA_RUNTIME ? "functions" : `functions/${LAMBDA_RUNTIMES[runtime].esbuildTarget}`;
}

/** local.function_zips: each runtime's folder and each function's zip hash, so var.processor.runtime picks the build. */
function functionZipsLocal(bundles: Record<LambdaRuntime, FunctionBundles>): string {
  const entries = LAMBDA_RUNTIME_NAMES.map((runtime) => {
    const hashes = Object.keys(FUNCTION_ZIPS).map(
      (key) => `      ${snakeCase(key)} = ${JSON.stringify(bundles[runtime][key as keyof FunctionBundles].sha256Base64)}`,
    );
    return `    ${JSON.stringify(runtime)} = {\n      folder = ${JSON.stringify(zipFolder(runtime))}\n${hashes.join("\n")}\n    }`;
  });
  return `{\n${entries.join("\n")}\n  }`;
}

/** Locals the templates declare (hoisted ones get other names). */
const TEMPLATE_LOCALS: ReadonlySet<string> = new Set(
  readdirSync(TEMPLATES)
    .filter((f) => f.endsWith(".tf"))
    .flatMap((f) => [...readFileSync(join(TEMPLATES, f), "utf8").matchAll(/^ {2}([a-z_][a-z0-9_]*)\s*=/gm)].map((m) => m[1])),
);

function templateSlots(file: string): Record<string, string | number> {
  if (file === "processor.tf")
    return {
      reserve_seconds: SIZING.reserveSeconds,
      seconds_per_small_source: SIZING.secondsPerSmallSource,
      max_sources: SIZING.sources.max,
      min_sources: SIZING.sources.min,
      bytes_per_second_per_vcpu: SIZING.bytesPerSecondPerVcpu,
      vcpu_memory_mb: SIZING.vcpuMemoryMb,
      min_bytes: SIZING.minBytes,
    };
  if (file === "tasks.tf") return { grant_kinds: ownTaskGrantKindsHcl() };
  if (file === "schedules.tf")
    return {
      scheduler_context: JSON.stringify(schedulerContextMembers()),
      target_grants: `[\n${TARGET_KIND_NAMES.map(
        (kind) => `    { kind = "${snakeCase(kind)}", sid = "${TARGET_KINDS[kind].sid}", action = "${TARGET_KINDS[kind].action}" },`,
      ).join("\n")}\n  ]`,
      key_sid: TARGET_KEY_SID,
      own_tasks_sid: OWN_TASKS_SID,
      key_actions: JSON.stringify(TARGET_KEY_ACTIONS),
    };
  return {};
}

/**
 * Each kind of access an own task's prefixes get (GRANT_KINDS, the stacks' statements): the
 * protocol's areas that get it (core/own-task-access.ts, `<task>` standing for the task's name),
 * and whether the task's reads (its sources) or its writes (its outputs) do.
 */
function ownTaskGrantKindsHcl(): string {
  const areas = protocolAreas("<task>");
  const kinds = GRANT_KINDS.map(({ access, sid, actions, listing }) => {
    const fixed = areas.filter((a) => a.access.includes(access)).map((a) => a.prefix);
    const areaList = JSON.stringify(fixed).replace(/","/g, '", "');
    return (
      `    { sid = "${sid}", actions = ${JSON.stringify(actions)}, listing = ${listing}, areas = ${areaList}, ` +
      `reads = ${SOURCE_ACCESS.includes(access)}, writes = ${OUTPUT_ACCESS.includes(access)} },`
    );
  });
  return `[\n${kinds.join("\n")}\n  ]`;
}

/** The construct in a stack of its own, synthesized with the module's spec. */
function synthesizeConstruct() {
  const outdir = mkdtempSync(join(tmpdir(), "terraform-module-"));
  try {
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, "module");
    // The runtime's build: local.function_code is local.function_zips[var.processor.runtime] (templates/main.tf).
    const code = (name: string, key: string) => ({
      path: `\${path.module}/\${local.function_code.folder}/${name}.zip`,
      sha256Base64: `\${local.function_code.${key}}`,
    });
    const resources = new TaskProcessingResources(stack, "resources", {
      spec: moduleSpec(),
      code: {
        processor: code("processor", "processor"),
        failureHandler: code("failure-handler", "failure_handler"),
        scheduleApi: code("schedule-api", "schedule_api"),
      },
    });
    const outputs = resources.outputs();
    for (const [name, { value, description }] of Object.entries(outputs))
      new TerraformOutput(stack, name, { value, description, staticId: true });
    Aspects.of(stack).add(new TagWithVariable());
    app.synth();
    const raw = JSON.parse(readFileSync(join(outdir, "stacks", "module", "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      output: Record<string, unknown>;
    };
    // Where each resource was built (its construct under the resources), and in which order.
    const places = new Map<string, { construct: string; rank: number }>();
    resources.node.findAll().forEach((node, rank) => {
      if (!(node instanceof TerraformResource)) return;
      const scopes = node.node.scopes;
      const construct = scopes[scopes.indexOf(resources) + 1]?.node.id ?? "";
      places.set(`${node.terraformResourceType}.${node.friendlyUniqueId}`, { construct, rank });
    });
    const place = (type: string, name: string) => {
      const found = places.get(`${type}.${name}`);
      if (!found) throw new Error(`no construct built ${type}.${name}`);
      return found;
    };
    return {
      document: { resource: stripMetadata(raw.resource) as typeof raw.resource, output: stripMetadata(raw.output) as typeof raw.output },
      fileOf: (type: string, name: string) => {
        const file = FILE_OF_CONSTRUCT[place(type, name).construct];
        if (!file) throw new Error(`no file for the resources of construct ${place(type, name).construct}`);
        return file;
      },
      order: (type: string, name: string) => place(type, name).rank,
      alarmNames: resources.alarms.alarmNames,
    };
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

/** outputs.tf: every output the stacks write, described; the alarms' names from their local. */
function outputsTf(outputs: Record<string, unknown>, alarmNamesLocal: string): string {
  const blocks = Object.entries(outputs).map(([name, output]) => {
    const { value, description } = output as { value: unknown; description?: string };
    if (!description) throw new Error(`output ${name} has no description`);
    const expression =
      name === "alarm_names"
        ? `concat(${alarmNamesLocal}, [for alarm in aws_cloudwatch_metric_alarm.missed_run : alarm.alarm_name], ${TASK_ALARM_NAMES})`
        : printHcl(fromJson(value), "  ");
    return `output "${name}" {\n  description = ${JSON.stringify(description)}\n  value       = ${expression}\n}\n`;
  });
  return `# What the module returns: the same outputs, under the same names, as each stack of the repository.\n\n${blocks.join("\n")}`;
}

/** time-zones.tf: the IANA names a schedule's timezone may be (the stacks' list, core/schedule-expression). */
function timeZonesTf(): string {
  return `# Every IANA time zone name (zones and links) a schedule's timezone may be: the list the stacks
# check against (core/schedule-expression/iana-time-zones.ts). Generated; do not edit.

locals {
  iana_time_zones = [
${IANA_TIME_ZONES.map((zone) => `    ${JSON.stringify(zone)},`).join("\n")}
  ]
}
`;
}

/**
 * The runnable examples: templates/examples/ as they are, and the repository's own root that
 * calls the module twice (examples/terraform-module/) as examples/two-environments, its paths
 * to the module made relative to where it then lies.
 */
function exampleFiles(): Array<[string, string]> {
  const walk = (directory: string): string[] =>
    readdirSync(directory).flatMap((name) => {
      const path = join(directory, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  const templates = join(TEMPLATES, "examples");
  const repositoryExample = join(PROJECT_ROOT, "examples", "terraform-module");
  return [
    ...walk(templates).map((path): [string, string] => [`examples/${path.slice(templates.length + 1)}`, readFileSync(path, "utf8")]),
    ...walk(repositoryExample)
      .filter((path) => !relative(repositoryExample, path).startsWith(".terraform"))
      .map((path): [string, string] => [
        `examples/two-environments/${relative(repositoryExample, path)}`,
        readFileSync(path, "utf8").replace(/"\.\.\/\.\.\/terraform-module(\/?)/g, (_whole, slash: string) => `"../..${slash}`),
      ]),
  ];
}

/** Every .tf file parsed (hcl2json), for the checks of what was rendered. */
async function parsedFiles(files: ModuleFiles): Promise<Map<string, Record<string, unknown>>> {
  const { parse } = await import("@cdktf/hcl2json");
  const parsed = new Map<string, Record<string, unknown>>();
  for (const [path, text] of files) if (path.endsWith(".tf")) parsed.set(path, await parse(path, String(text)));
  return parsed;
}

/** Writes the module into `directory` (replacing what the module wrote there before). */
export async function writeModule(directory: string, module?: SynthesizedModule): Promise<void> {
  const { files } = module ?? (await synthesizeModule());
  mkdirSync(directory, { recursive: true });
  for (const stale of ["functions", "examples", "mocks"]) rmSync(join(directory, stale), { recursive: true, force: true });
  for (const name of readdirSync(directory, { withFileTypes: true }))
    if (name.isFile() && /\.(tf|tf\.json|md)$/.test(name.name)) rmSync(join(directory, name.name));
  for (const [path, contents] of files) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), contents);
  }
}
