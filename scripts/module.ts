import { relative, resolve } from "node:path";
import { writeModule } from "../modules/tooling/terraform-module/synthesize-module";

const USAGE = "usage: npm run module -- --out <dir>";

/**
 * Writes the Terraform module into <dir>: *.tf.json, the function zips under functions/, and a
 * README with its inputs and outputs. It runs with terraform alone; no Node.js at plan or apply.
 */
function main(args: string[]): number {
  const at = args.indexOf("--out");
  const out = at >= 0 ? args[at + 1] : undefined;
  if (!out || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const directory = resolve(out);
  writeModule(directory);
  console.log(`Terraform module written to ${relative(process.cwd(), directory) || "."}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
