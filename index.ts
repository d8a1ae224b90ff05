/**
 * scheduled-task-processing as a library: the construct to place in your own CDKTF stack, the
 * config it takes and its validation, and the pure helpers behind them (schedule expressions,
 * next runs, the security rules). Import from here, not from deep paths.
 */

export { isIanaTimeZone, nextRuns, validateScheduleExpression } from "./core/schedule-expression";
export { movedBlocksUnder, pinnedAddresses } from "./modules/addresses";
export type { EnvironmentConfig, EnvironmentFile, ScheduleConfig } from "./modules/config/schema";
export { ConfigError, type ConfigProblem, formatProblem, validateEnvironment } from "./modules/config/validate";
export type { FunctionBundle } from "./modules/function-bundle";
export { type FunctionBundles, ScheduledTaskProcessing, type ScheduledTaskProcessingProps } from "./modules/scheduled-task-processing";
export { checkStack, type SecurityReport } from "./modules/security/check";
export { StackDocument } from "./modules/security/stack-document";
export { type OutputValue, TaskProcessingResources } from "./modules/task-processing-resources";
