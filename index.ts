/**
 * scheduled-task-processing as a library: the construct to place in your own CDKTF stack, the
 * config it takes and its validation, and the pure helpers behind them (schedule expressions,
 * next runs, the security rules). Import from here, not from deep paths.
 */
export { ScheduledTaskProcessing, type ScheduledTaskProcessingProps, type FunctionBundles } from "./modules/scheduled-task-processing";
export { TaskProcessingResources, type OutputValue } from "./modules/task-processing-resources";
export type { EnvironmentConfig, EnvironmentFile, ScheduleConfig } from "./modules/config/schema";
export { ConfigError, formatProblem, validateEnvironment, type ConfigProblem } from "./modules/config/validate";
export type { FunctionBundle } from "./modules/function-bundle";
export { nextRuns, validateScheduleExpression, isIanaTimeZone } from "./core/schedule-expression";
export { checkStack, type SecurityReport } from "./modules/security/check";
export { StackDocument } from "./modules/security/stack-document";
export { movedBlocksUnder, pinnedAddresses } from "./modules/addresses";
