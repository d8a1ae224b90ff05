import { dirname } from "node:path";
import { type ProviderSchema, providerSchema as schemaOf } from "./provider-schema";

/**
 * The AWS provider's schema the module is rendered with: which arguments are nested blocks
 * (`rule { ... }`) and which attributes (`tags = { ... }`), from the bindings' jsii assembly.
 * The same in 5.100 and 6.x for every argument the module sets (the provider-schema test checks
 * each name against both).
 */
export function providerSchema(): ProviderSchema {
  return schemaOf(dirname(require.resolve("@cdktf/provider-aws/package.json")));
}
