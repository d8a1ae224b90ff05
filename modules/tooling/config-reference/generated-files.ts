import { renderConfigurationDoc } from "./configuration-doc";
import { renderRuntimeDefaults } from "./runtime-defaults";
import { renderConfigTypes } from "./typescript-types";

/** The files rendered from the field descriptions, by path from the repository's root. */
export function configFieldFiles(): ReadonlyMap<string, string> {
  return new Map([
    ["modules/config/config-types.ts", renderConfigTypes()],
    ["core/config-defaults.ts", renderRuntimeDefaults()],
    ["docs/configuration.md", renderConfigurationDoc()],
  ]);
}
