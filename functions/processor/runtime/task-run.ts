import { type RunMetrics, runMetrics } from "../../commons/metrics";
import type { TaskEvent } from "../../commons/task-event";
import { type RunRecord, runHeader } from "../protocol/run-record";
import { type RunRef, runRefOf } from "../protocol/run-ref";
import { runRecordsInPeriod } from "../protocol/runs-in-period";
import type {
  Counts,
  ForEachSourceOptions,
  OutputOptions,
  OutputWriter,
  SourceHandler,
  SourceProcessor,
  TaskContext,
  TaskDefinition,
} from "../protocol/task";
import type { SourceWork } from "../sources/source-work";
import { mergeDone, type SourcesDone, sourceCounts, sourcesRecord, statusOf } from "../sources/sources-outcome";
import { type ForEachContext, type SourcesMode, sourcesOfRun } from "./for-each-source";
import { checkOutputKey, contentTypeOf } from "./outputs";
import { handlerWork, noteOutput, processorWork } from "./source-access";

/** What a task's run needs beyond its sources: the run's identity, its clock, where metric lines go. */
export interface TaskRunContext extends ForEachContext {
  readonly environment: string;
  readonly remainingTimeMs: () => number;
  /** Where an embedded-metric line goes (stdout in Lambda). */
  readonly writeMetric: (line: string) => void;
  /** Own tasks: outputs may not be written where the product keeps its own objects. */
  readonly protectOutputs?: boolean;
}

/** Fields the runtime writes in every record: a task keeps others. */
const RECORD_FIELDS = new Set([
  "task",
  "schedule",
  "environment",
  "scheduledTime",
  "status",
  "counts",
  "totals",
  "sources",
  "waiting",
  "failed",
  "published",
  "executionId",
  "excludedDate",
]);

/**
 * Runs `task` for `event` in `mode` and returns the run's record (not yet kept): its status,
 * the counts the task returned, what it kept, and, when it used forEachSource, its sources.
 * Throws what the task throws (RunSpread and BatchShareDone included: the run goes on elsewhere).
 */
export async function runTask<P>(
  context: TaskRunContext,
  task: TaskDefinition<P>,
  event: TaskEvent,
  payload: P,
  mode: SourcesMode,
): Promise<Omit<RunRecord, "published">> {
  const run = runRefOf(event);
  let done: SourcesDone | undefined;
  const kept: Record<string, unknown> = {};
  const metrics = runMetrics({ task: run.task, environment: run.environment });
  const ctx = taskContext(context, run, event, metrics, {
    sourcesOf: async (prefix, work, options) => {
      const limited = options.concurrency ? { ...context, concurrency: Math.max(1, Math.floor(options.concurrency)) } : context;
      const found = await sourcesOfRun(limited, mode, event, run, prefix, work, options.spread === true);
      done = done ? mergeDone(done, found) : found;
      return found;
    },
    keep: (fields) => {
      for (const [name, value] of Object.entries(fields)) {
        if (RECORD_FIELDS.has(name)) throw new TypeError(`keep: ${name} is a field the run record keeps itself`);
        kept[name] = JSON.parse(JSON.stringify(value ?? null));
      }
    },
  });
  let returned: unknown;
  try {
    returned = await task.run(ctx, payload);
  } finally {
    const line = metrics.flush(context.now);
    if (line) context.writeMetric(line);
  }
  const counts = countsOf(task.name, returned);
  return {
    ...runHeader(run, done ? statusOf(done) : "completed"),
    counts,
    ...kept,
    ...(done ? sourcesRecord(done) : {}),
  } as Omit<RunRecord, "published">;
}

interface RunHooks {
  sourcesOf(prefix: string, work: SourceWork, options: ForEachSourceOptions): Promise<SourcesDone>;
  keep(fields: Readonly<Record<string, unknown>>): void;
}

function taskContext(context: TaskRunContext, run: RunRef, event: TaskEvent, metrics: RunMetrics, hooks: RunHooks): TaskContext {
  const refuse = (prefix: string) => {
    const reason = context.layout.refusePrefix(prefix);
    if (reason) throw new TypeError(`forEachSource: the prefix ${reason}`);
  };
  return {
    task: run.task,
    schedule: run.schedule,
    environment: context.environment,
    scheduledTime: run.scheduledTime,
    executionId: event.execution_id,
    attempt: Number(event.attempt_number ?? 1),
    remainingTimeMs: () => context.remainingTimeMs(),
    log: context.log,
    metrics: { addMetric: metrics.addMetric, addDimension: metrics.addDimension, addMetadata: metrics.addMetadata },
    async forEachSource(prefix: string, handler: SourceHandler | SourceProcessor, options = {}) {
      refuse(prefix);
      // Only a processor's sources can be cut in byte ranges, so only a processor's run may spread.
      const isHandler = typeof handler === "function";
      const work = isHandler ? handlerWork(context.store, handler) : processorWork(context.store, handler);
      const found = await hooks.sourcesOf(prefix, work, { ...options, spread: options.spread === true && !isHandler });
      return { counts: sourceCounts(found), ...found };
    },
    async writeOutput(key: string, body: string | Uint8Array, options: OutputOptions = {}) {
      if (context.protectOutputs) checkOutputKey(key);
      await context.store.put(key, body, { contentType: options.contentType ?? contentTypeOf(key), metadata: options.metadata });
      noteOutput(key);
    },
    openOutput(key: string, options: OutputOptions = {}): OutputWriter {
      if (context.protectOutputs) checkOutputKey(key);
      noteOutput(key);
      return context.store.openWriter(key, { contentType: options.contentType ?? contentTypeOf(key), metadata: options.metadata });
    },
    keep: hooks.keep,
    runRecords: (task: string, from: Date, to: Date) => runRecordsInPeriod(context.store, task, from, to),
  };
}

/** What a run returned, as the record's counts: a plain object of finite numbers, or nothing. */
function countsOf(task: string, returned: unknown): Counts {
  if (returned === undefined || returned === null) return {};
  if (typeof returned !== "object" || Array.isArray(returned))
    throw new TypeError(
      `task ${task}'s run must return a plain object of counts (or nothing), got ${Array.isArray(returned) ? "an array" : typeof returned}`,
    );
  for (const [name, value] of Object.entries(returned))
    if (typeof value !== "number" || !Number.isFinite(value))
      throw new TypeError(
        `task ${task}'s run returned count ${JSON.stringify(name)} as ${JSON.stringify(value) ?? String(value)}; counts are numbers`,
      );
  return { ...(returned as Counts) };
}
