/**
 * scheduled-task-processing as a library: the construct to place in your own CDKTF stack, the
 * config it takes and its validation, and the pure helpers behind them (schedule expressions,
 * next runs, the security rules). Import from here, not from deep paths.
 */

// First: a clear error where the framework this build is for is missing.
import "./modules/constructs/support/framework";

export { isIanaTimeZone, nextRuns, validateScheduleExpression } from "./core/schedule-expression";
export type { FunctionBundle } from "./modules/bundling/function-bundle";
export type { EnvironmentConfig, EnvironmentFile, ScheduleConfig } from "./modules/config/schema";
export { ConfigError, type ConfigProblem, formatProblem, validateEnvironment } from "./modules/config/validate";
export {
  type FunctionBundles,
  ScheduledTaskProcessing,
  type ScheduledTaskProcessingProps,
} from "./modules/constructs/scheduled-task-processing";
export { movedBlocksUnder, pinnedAddresses } from "./modules/constructs/support/addresses";
export { type OutputValue, TaskProcessingResources } from "./modules/constructs/task-processing-resources";
export { checkStack, type SecurityReport } from "./modules/tooling/security/check";
export { StackDocument } from "./modules/tooling/security/stack-document";
