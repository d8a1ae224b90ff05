import type { EnvironmentConfig } from "../modules/config/schema";
import { ConfigError, type ConfigProblem, formatProblem, validateEnvironment } from "../modules/config/validate";
import { environmentNames, environments } from "./index";

/** How a warning reaches the person running a command: on stderr, beside the command's own output. */
export function printWarning(problem: ConfigProblem): void {
  process.stderr.write(`warning: ${formatProblem(problem)}\n`);
}

/**
 * Validates the named environments (all by default) and returns their configs.
 * Throws one ConfigError listing every problem in every environment; warnings go to `warn`.
 */
export function loadEnvironments(
  names: readonly string[] = environmentNames(),
  sources: Readonly<Record<string, unknown>> = environments,
  warn: (problem: ConfigProblem) => void = printWarning,
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
    result.warnings.forEach(warn);
    if (result.ok) configs.push(result.config);
    else problems.push(...result.problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

export function loadEnvironment(name: string): EnvironmentConfig {
  return loadEnvironments([name])[0];
}
