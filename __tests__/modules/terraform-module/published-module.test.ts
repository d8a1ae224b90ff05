import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { synthesizeModule } from "../../../modules/terraform-module/synthesize-module";

const PUBLISHED = join(__dirname, "..", "..", "..", "terraform-module");

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
    expect(JSON.parse(generated.get("versions.tf.json")!.toString()).terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: ">= 5.100.0, < 6.0.0" });
  });

  it("ships the function zips it deploys, referred to relative to path.module", () => {
    const main = JSON.parse(generated.get("main.tf.json")!.toString());
    for (const [name, file] of [["processor", "processor"], ["failure_handler", "failure-handler"], ["schedule_api", "schedule-api"]]) {
      expect(main.resource.aws_lambda_function[name].filename).toBe(`\${path.module}/functions/${file}.zip`);
      expect(generated.get(`functions/${file}.zip`)).toBeInstanceOf(Buffer);
    }
  });
});
