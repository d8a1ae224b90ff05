import { relative, resolve } from "node:path";
import { writeModule } from "../modules/tooling/terraform-module/synthesize-module";

const USAGE = "usage: npm run module -- --out <dir>";

/**
 * Writes the Terraform module into <dir>: HCL files by concern, the function zips under
 * functions/, examples/, mocks/ and a README with its inputs and outputs. It runs with terraform
 * alone; no Node.js at plan or apply.
 */
async function main(args: string[]): Promise<number> {
  const at = args.indexOf("--out");
  const out = at >= 0 ? args[at + 1] : undefined;
  if (!out || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const directory = resolve(out);
  await writeModule(directory);
  console.log(`Terraform module written to ${relative(process.cwd(), directory) || "."}`);
  return 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
