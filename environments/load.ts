import type { EnvironmentConfig } from "../modules/config/schema";
import { ConfigError, type ConfigProblem, validateEnvironment } from "../modules/config/validate";
import { environmentNames, environments } from "./index";

/**
 * Validates the named environments (all by default) and returns their configs.
 * Throws one ConfigError listing every problem in every environment.
 */
export function loadEnvironments(
  names: readonly string[] = environmentNames(),
  sources: Readonly<Record<string, unknown>> = environments,
): EnvironmentConfig[] {
  const problems: ConfigProblem[] = [];
  const configs: EnvironmentConfig[] = [];
  for (const name of names) {
    if (!(name in sources)) {
      problems.push({
        environment: name,
        path: "<root>",
        reason: `no environment ${JSON.stringify(name)}; known: ${Object.keys(sources).join(", ")}`,
        unknownEnvironment: true,
      });
      continue;
    }
    const result = validateEnvironment(sources[name], { expectedName: name, requireBackend: true });
    if (result.ok) configs.push(result.config);
    else problems.push(...result.problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

export function loadEnvironment(name: string): EnvironmentConfig {
  return loadEnvironments([name])[0];
}
