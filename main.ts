import { App } from "cdktf";
import { loadEnvironments } from "./environments/load";
import { buildFunctionBundles } from "./modules/bundling/function-bundle";
import { ConfigError, formatProblem } from "./modules/config/validate";
import { TaskProcessingStack } from "./modules/constructs/task-processing-stack";

/** Builds one stack per environment; nothing is written unless every config is valid. */
export function buildApp(outdir?: string, environments?: readonly string[]): App {
  const configs = loadEnvironments(environments);
  const app = new App(outdir ? { outdir } : undefined);
  // Built once per runtime (the build caches by its options): each stack's for its own runtime.
  for (const config of configs)
    new TaskProcessingStack(app, { config, bundles: buildFunctionBundles({ runtime: config.processor.runtime }) });
  return app;
}

/**
 * Runs `work` while stack traces format as empty text. CDKTF records a full stack trace with
 * every token it creates (for its own error messages), about 5% of a synth; V8 formats a
 * thrown error's stack only when it is first read, so errors thrown here keep theirs.
 */
function withoutTokenStackTraces<T>(work: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => "";
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

if (require.main === module) {
  // CDKTF captures a stack trace for every token it creates; tsx maps each through source maps,
  // which measured ~15% of a synth. Synthesis needs no mapped stacks (config errors are printed
  // by path, not by stack), so the app runs without them.
  process.setSourceMapsEnabled(false);
  try {
    withoutTokenStackTraces(() => buildApp().synth());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    process.exit(error.exitCode);
  }
}
