/** EventBridge Scheduler expressions: exact validation and a DST-aware preview of next runs. */
export { type NextRunsOptions, nextRuns } from "./next-runs";
export {
  type AtExpression,
  type CronExpression,
  parseScheduleExpression,
  type RateExpression,
  type ScheduleExpression,
  validateScheduleExpression,
} from "./parse";
export { ScheduleExpressionError } from "./schedule-expression-error";
export { isIanaTimeZone } from "./time-zone";
export { formatLocal } from "./zoned-time";
