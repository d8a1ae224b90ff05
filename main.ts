import { App } from "cdktf";
import { loadEnvironments } from "./modules/config/load";
import { ConfigError, formatProblem } from "./modules/config/validate";
import { buildFunctionBundles } from "./modules/function-bundle";
import { TaskProcessingStack } from "./modules/task-processing-stack";

/** Builds one stack per environment; nothing is written unless every config is valid. */
export function buildApp(outdir?: string, environments?: readonly string[]): App {
  const configs = loadEnvironments(environments);
  const bundles = buildFunctionBundles();
  const app = new App(outdir ? { outdir } : undefined);
  for (const config of configs) new TaskProcessingStack(app, { config, bundles });
  return app;
}

if (require.main === module) {
  try {
    buildApp().synth();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    process.exit(1);
  }
}
