import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { satisfies } from "semver";
import { synthesizeModule } from "../../../../modules/tooling/terraform-module/synthesize-module";

const PUBLISHED = join(__dirname, "..", "..", "..", "..", "terraform-module");

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(PUBLISHED, path)];
  });
}

/**
 * terraform-module/ is what teams point `source` at: it must be exactly what
 * `npm run module -- --out terraform-module` writes from the code as it is now.
 */
describe("the published Terraform module", () => {
  const generated = synthesizeModule();

  it("is up to date with the construct and the functions (else: npm run module -- --out terraform-module)", () => {
    expect(existsSync(PUBLISHED)).toBe(true);
    expect(filesUnder(PUBLISHED).sort()).toEqual([...generated.keys()].sort());
    for (const [path, contents] of generated) {
      const published = readFileSync(join(PUBLISHED, path));
      expect({ path, same: published.equals(Buffer.isBuffer(contents) ? contents : Buffer.from(contents)) }).toEqual({ path, same: true });
    }
  });

  it("has no provider configuration and no backend, and says which providers it needs", () => {
    for (const [path, contents] of generated) {
      if (!path.endsWith(".tf.json")) continue;
      const document = JSON.parse(contents.toString());
      expect(document.provider).toBeUndefined();
      expect(document.terraform?.backend).toBeUndefined();
    }
    expect(JSON.parse(generated.get("versions.tf.json")!.toString()).terraform.required_providers.aws).toEqual({
      source: "hashicorp/aws",
      version: ">= 5.100.0, < 7.0.0",
    });
  });

  it("tells users to pin ref to a tag or a full commit SHA, and to init -upgrade after moving it", () => {
    const readme = generated.get("README.md")!.toString();
    const refs = [...readme.matchAll(/\?ref=([^"\s]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
    expect(readme).toContain("terraform init -upgrade");
  });

  it("admits AWS provider 5.100 and every 6.x, so a root pinned to ~> 6.0 can call it", () => {
    const { version } = JSON.parse(generated.get("versions.tf.json")!.toString()).terraform.required_providers.aws;
    // Terraform's constraint list is comma-separated; with only >= and < it reads as an npm range.
    const range = version.replace(/,/g, " ");
    const admitted = (v: string) => satisfies(v, range);
    expect(["5.100.0", "6.0.0", "6.25.0", "6.66.0"].filter(admitted)).toEqual(["5.100.0", "6.0.0", "6.25.0", "6.66.0"]);
    expect(["5.99.0", "7.0.0"].filter(admitted)).toEqual([]);
  });

  it("ships the function zips it deploys, referred to relative to path.module", () => {
    const main = JSON.parse(generated.get("main.tf.json")!.toString());
    for (const [name, file] of [
      ["processor", "processor"],
      ["failure_handler", "failure-handler"],
      ["schedule_api", "schedule-api"],
    ]) {
      expect(main.resource.aws_lambda_function[name].filename).toBe(`\${path.module}/functions/${file}.zip`);
      expect(generated.get(`functions/${file}.zip`)).toBeInstanceOf(Buffer);
    }
  });
});
