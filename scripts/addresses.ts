import { readFileSync } from "node:fs";
import { join } from "node:path";
import { environmentNames } from "../environments";
import { buildApp } from "../main";
import { moduleDocument } from "../modules/tooling/terraform-module/module-document";
import { synthesizeModule } from "../modules/tooling/terraform-module/synthesize-module";
import { checkContract, declaredAddresses, readContract, recordAddresses } from "./lib/address-contract";

const USAGE = "usage: npm run addresses [-- --update]";

/**
 * Checks every stack's (and the Terraform module's) resource addresses against
 * state-contract/<env>.json and state-contract/module.json: an address that
 * is gone without a moved block would be destroyed by the next apply. `--update` records new
 * addresses (it never drops one). See docs/state-safety.md, "Renaming a resource safely".
 */
async function main(args: string[]): Promise<number> {
  if (args.some((a) => a !== "--update")) {
    console.error(USAGE);
    return 2;
  }
  const app = buildApp();
  app.synth();
  let problems = 0;
  const documents: Array<[string, any]> = environmentNames().map((name) => [
    name,
    JSON.parse(readFileSync(join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8")),
  ]);
  documents.push(["module", await moduleDocument((await synthesizeModule()).files)]);
  for (const [name, document] of documents) {
    if (args.includes("--update")) recordAddresses(name, declaredAddresses(document));
    const check = checkContract(readContract(name), document);
    for (const address of check.gone)
      console.error(`${name}: ${address} is gone and no moved block carries it: the next apply would destroy it`);
    for (const address of check.unrecorded) console.error(`${name}: ${address} is new; record it with npm run addresses -- --update`);
    console.log(`${name}: ${declaredAddresses(document).length} addresses, ${check.moved.length} carried over by moved blocks`);
    problems += check.gone.length + check.unrecorded.length;
  }
  return problems > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
