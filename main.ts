import type { App } from "cdktf";

// CDKTF captures a stack trace for every token it creates, and tsx's source maps would be read
// for every module this app loads; synthesis needs no mapped stacks (config errors are printed
// by path, not by stack), so the app turns them off before it loads anything else. The modules
// below are therefore required where they are used, not imported at the top (imports run first).
if (require.main === module) process.setSourceMapsEnabled(false);

/** Builds one stack per environment; nothing is written unless every config is valid. */
export function buildApp(outdir?: string, environments?: readonly string[]): App {
  const { App } = require("cdktf") as typeof import("cdktf");
  const { loadEnvironments } = require("./environments/load") as typeof import("./environments/load");
  const { buildFunctionBundles } = require("./modules/bundling/function-bundle") as typeof import("./modules/bundling/function-bundle");
  const { TaskProcessingStack } =
    require("./modules/constructs/task-processing-stack") as typeof import("./modules/constructs/task-processing-stack");
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
  const { ConfigError, formatProblem } = require("./modules/config/validate") as typeof import("./modules/config/validate");
  try {
    withoutTokenStackTraces(() => buildApp().synth());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(formatProblem(problem));
    process.exit(error.exitCode);
  }
}
