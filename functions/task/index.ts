/**
 * `scheduled-task-processing/task`: what a team's own task imports. Its entry file's default
 * export is `defineTask({ name, payload?, run })`; `npx scheduled-task-processing bundle` wraps
 * it in `createTaskHandler` and bundles it into a Lambda zip. The package builds this entry
 * into one file with everything it runs on inside (the AWS SDK, Powertools), so a task's app
 * installs neither. See docs/drafts/own-tasks.md.
 */
export {
  type ByteRange,
  type ClaimedSource,
  type Counts,
  defineTask,
  type FailedSource,
  type FinishedRun,
  type ForEachSourceOptions,
  fitSubject,
  MAX_SOURCE_ATTEMPTS,
  type Notice,
  type OutputOptions,
  type OutputWriter,
  type PayloadIssue,
  type PayloadParseResult,
  type PayloadSchema,
  type ProcessedSource,
  type RunRecord,
  type Source,
  type SourceHandler,
  type SourceProcessor,
  type SourceSummary,
  type SourcesOutcome,
  type TaskContext,
  type TaskDefinition,
  type TaskLogger,
  type TaskMetrics,
  WHOLE_READ_BYTES,
} from "../processor/protocol/task";
export { createTaskHandler, type TaskHandler, type TaskLambdaContext } from "../processor/runtime/task-handler";
