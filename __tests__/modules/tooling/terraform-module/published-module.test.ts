import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { satisfies } from "semver";
import { LAMBDA_RUNTIME_NAMES } from "../../../../core/lambda-runtimes";
import { buildFunctionBundles } from "../../../../modules/bundling/function-bundle";
import { longestExpression, MAX_EXPRESSION_LENGTH } from "../../../../modules/tooling/terraform-module/expression-lengths";
import {
  MODULE_REQUIRED_TERRAFORM,
  type SynthesizedModule,
  synthesizeModule,
} from "../../../../modules/tooling/terraform-module/synthesize-module";

const PUBLISHED = join(__dirname, "..", "..", "..", "..", "terraform-module");

/** The module's files; what Terraform writes into an example it runs (.terraform, its lock file) is not the module's. */
function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    if (name.startsWith(".terraform")) return [];
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(PUBLISHED, path)];
  });
}

type Parsed = Record<string, any>;

/**
 * terraform-module/ is what teams point `source` at: HCL as a Terraform team writes it, exactly
 * what `npm run module -- --out terraform-module` writes from the code as it is now.
 */
describe("the published Terraform module", () => {
  let module: SynthesizedModule;
  const parsed = new Map<string, Parsed>();
  const text = (path: string) => module.files.get(path)!.toString();
  const all = (section: string) => [...parsed.values()].flatMap((p) => Object.entries<any[]>(p[section] ?? {}));

  beforeAll(async () => {
    module = await synthesizeModule();
    for (const [path, contents] of module.files) if (/^[^/]+\.tf$/.test(path)) parsed.set(path, await parse(path, contents.toString()));
  });

  it("is up to date with the construct, the field descriptions and the functions (else: npm run module -- --out terraform-module)", () => {
    expect(existsSync(PUBLISHED)).toBe(true);
    expect(filesUnder(PUBLISHED).sort()).toEqual([...module.files.keys()].sort());
    for (const [path, contents] of module.files) {
      const published = readFileSync(join(PUBLISHED, path));
      expect({ path, same: published.equals(Buffer.isBuffer(contents) ? contents : Buffer.from(contents)) }).toEqual({ path, same: true });
    }
  });

  it("is HCL only, split by concern, with no provider configuration and no backend", () => {
    expect([...module.files.keys()].filter((path) => path.endsWith(".json"))).toEqual([]);
    expect([...parsed.keys()].sort()).toEqual([
      "access.tf",
      "alarms.tf",
      "dashboard.tf",
      "failure-handler.tf",
      "main.tf",
      "notifications.tf",
      "outputs.tf",
      "processor.tf",
      "schedule-api.tf",
      "schedules.tf",
      "storage.tf",
      "tasks.tf",
      "time-zones.tf",
      "validations.tf",
      "variables.tf",
      "versions.tf",
    ]);
    for (const document of parsed.values()) {
      expect(document.provider).toBeUndefined();
      expect(document.terraform?.[0]?.backend).toBeUndefined();
    }
    const types = (file: string) => Object.keys(parsed.get(file)!.resource ?? {});
    expect(types("storage.tf")).toContain("aws_s3_bucket");
    expect(types("schedules.tf")).toEqual(expect.arrayContaining(["aws_scheduler_schedule", "aws_scheduler_schedule_group"]));
    expect(types("alarms.tf")).toContain("aws_cloudwatch_metric_alarm");
    expect(types("access.tf")).toEqual(["aws_iam_policy"]);
  });

  it(`holds no expression longer than ${MAX_EXPRESSION_LENGTH} characters (a variable's type aside)`, () => {
    const longest = longestExpression(parsed);
    expect(longest.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
    expect(longest.length).toBeGreaterThan(200);
  });

  it("describes and types every variable, and has one validation block a rule, each message naming its field", () => {
    const variables = all("variable");
    expect(variables.length).toBeGreaterThan(12);
    for (const [name, [variable]] of variables) {
      expect({ name, description: typeof variable.description }).toEqual({ name, description: "string" });
      expect(variable.description.length).toBeGreaterThan(20);
      expect(variable.type).toBeDefined();
      for (const validation of variable.validation ?? []) expect(`${validation.error_message}`).toMatch(new RegExp(`${name}|[a-z_]+\\[`));
    }
    const schedules = Object.fromEntries(variables).schedules[0];
    expect(schedules.type).toMatch(/timezone\s+= optional\(string, "UTC"\)/);
    expect(schedules.type).toMatch(/max_attempts\s+= optional\(number, 3\)/);
    expect(schedules.validation.length).toBeGreaterThan(15);
  });

  it("ships each runtime's build relative to path.module, and processor.runtime picks the zip and hash of all three functions", () => {
    // A plan cannot show nodejs24.x here (hashicorp/aws 5.100 refuses it, mock providers too): the choice is read from the HCL.
    const [locals] = parsed.get("main.tf")!.locals;
    expect(locals.function_code).toBe("${local.function_zips[var.processor.runtime]}");
    for (const runtime of LAMBDA_RUNTIME_NAMES) {
      const bundles = buildFunctionBundles({ runtime });
      const folder = runtime === "nodejs22.x" ? "functions" : "functions/node24";
      expect(locals.function_zips[runtime]).toEqual({
        folder,
        processor: bundles.processor.sha256Base64,
        failure_handler: bundles.failureHandler.sha256Base64,
        schedule_api: bundles.scheduleApi.sha256Base64,
      });
      expect(readFileSync(join(PUBLISHED, folder, "processor.zip")).equals(readFileSync(bundles.processor.zipPath))).toBe(true);
    }
    for (const [file, name, key] of [
      ["processor.tf", "processor", "processor"],
      ["failure-handler.tf", "failure_handler", "failure-handler"],
      ["schedule-api.tf", "schedule_api", "schedule-api"],
    ] as const) {
      const [fn] = parsed.get(file)!.resource.aws_lambda_function[name];
      expect(fn).toMatchObject({
        runtime: "${var.processor.runtime}",
        filename: `\${path.module}/\${local.function_code.folder}/${key}.zip`,
        source_code_hash: `\${local.function_code.${name}}`,
      });
    }
  });

  it("describes every output", () => {
    const outputs = all("output");
    expect(outputs.length).toBeGreaterThan(20);
    for (const [name, [output]] of outputs)
      expect({ name, described: (output.description ?? "").length > 10 }).toEqual({ name, described: true });
  });

  it("says which Terraform and providers it needs, and its example asks for the same Terraform", () => {
    const [terraform] = parsed.get("versions.tf")!.terraform;
    expect(terraform.required_version).toBe(MODULE_REQUIRED_TERRAFORM);
    expect(terraform.required_providers[0].aws).toEqual({ source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" });
    for (const [path, contents] of module.files)
      if (path.startsWith("examples/") && path.endsWith("main.tf"))
        expect({ path, version: /required_version = "([^"]+)"/.exec(contents.toString())?.[1] }).toEqual({
          path,
          version: MODULE_REQUIRED_TERRAFORM,
        });
  });

  it("tells users to pin ref to a tag or a full commit SHA, and to init -upgrade after moving it", () => {
    const readme = text("README.md");
    const refs = [...readme.matchAll(/\?ref=([^"\s]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
    expect(readme).toContain("terraform init -upgrade");
  });

  it("lists every input and its nested attributes with their defaults, and every output, in the README", () => {
    const readme = text("README.md");
    for (const [name] of all("variable")) expect(readme).toContain(`| \`${name}\` |`);
    for (const [name] of all("output")) expect(readme).toContain(`| \`${name}\` |`);
    expect(readme).toMatch(/\| `schedules\[\]\.retry\.max_attempts` \| [^|]+ \| `number` \| `3` \| no \|/);
    expect(readme).toMatch(/\| `schedules\[\]\.timezone` \| [^|]+ \| `string` \| `"UTC"` \| no \|/);
    expect(readme).toMatch(/\| `processor\.memory_mb` \| [^|]+ \| `number` \| `512` \| no \|/);
    expect(readme).toMatch(/\| `access\.producers\[\]\.require_kms` \| [^|]+ \| `bool` \| `false` \| no \|/);
    expect(readme).not.toContain("object(...)");
  });

  it("shows how to plan without credentials: the provider's settings and account_id", () => {
    const readme = text("README.md");
    const section = readme.slice(readme.indexOf("## Planning without credentials"));
    for (const setting of [
      "skip_credentials_validation = true",
      "skip_requesting_account_id  = true",
      "skip_metadata_api_check     = true",
    ])
      expect(section).toContain(setting);
    expect(section).toMatch(/access_key\s+= "/);
    expect(section).toContain("account_id");
  });

  it("admits AWS provider 5.100 and every 6.x, so a root pinned to ~> 6.0 can call it", () => {
    const { version } = parsed.get("versions.tf")!.terraform[0].required_providers[0].aws;
    // Terraform's constraint list is comma-separated; with only >= and < it reads as an npm range.
    const range = version.replace(/,/g, " ");
    const admitted = (v: string) => satisfies(v, range);
    expect(["5.100.0", "6.0.0", "6.25.0", "6.66.0"].filter(admitted)).toEqual(["5.100.0", "6.0.0", "6.25.0", "6.66.0"]);
    expect(["5.99.0", "7.0.0"].filter(admitted)).toEqual([]);
  });

  it("renders the same resources the construct synthesized, at the same addresses", () => {
    const declared = all("resource").flatMap(([type, byName]) => Object.keys(byName as unknown as object).map((name) => `${type}.${name}`));
    const synthesized = Object.entries(module.document.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((n) => `${type}.${n}`),
    );
    expect(declared.sort()).toEqual(synthesized.sort());
  });
});
