import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../modules/bundling/function-bundle";
import { configFieldFiles } from "../modules/tooling/config-reference/generated-files";

/**
 * Writes what the field descriptions (modules/config/fields/) render: the construct's documented
 * config types, the functions' defaults and docs/configuration.md. The Terraform module's
 * variables come from the same descriptions through `npm run module`.
 */
for (const [path, text] of configFieldFiles()) {
  writeFileSync(join(PROJECT_ROOT, path), text);
  console.log(`wrote ${path}`);
}
