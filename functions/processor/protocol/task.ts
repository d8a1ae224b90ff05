import { TASK_NAME } from "../../../core/task-types";
import type { Logger } from "../../commons/logger";
import { fitSubject } from "../../commons/subject";
import type { FailedSource, RunRecord, SourceSummary } from "./run-record";

/**
 * The API a task is written against: the built-in tasks (data_processing, report,
 * notification) and a team's own, alike. A task is a name, an optional payload schema and a
 * `run(ctx, payload)`; the runtime gives the run its identity, takes its lease, records it,
 * announces it once and measures it, and `ctx` hands it sources exactly once across runs and
 * writes its outputs so that a rerun writes the same objects. Packaged as
 * `scheduled-task-processing/task`.
 */

export type { FailedSource, RunRecord, SourceSummary };
export type TaskLogger = Logger;
export { fitSubject };

/**
 * Invocations that may try a source and give up on it before it is set aside (the bad-source
 * rule's bound): each counts once, in the source's claim, however many runs meet it.
 */
export const MAX_SOURCE_ATTEMPTS = 3;

/** A run's figures, by name: kept in its record as `counts`, listed in its notice. */
export type Counts = Readonly<Record<string, number>>;

/** One problem a payload schema found: zod's issue shape (zod 3 and 4 alike). */
export interface PayloadIssue {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly code?: string;
  /** The unknown keys, for an issue about keys a strict object does not allow. */
  readonly keys?: readonly string[];
}

export type PayloadParseResult<P> =
  | { readonly success: true; readonly data: P }
  | { readonly success: false; readonly error: { readonly issues: readonly PayloadIssue[] } };

/**
 * A payload schema: anything with zod's `safeParse` (a zod 3 or zod 4 schema of the task's own
 * zod, which this package does not impose, or another library shaped alike).
 */
export interface PayloadSchema<P> {
  // biome-ignore lint/suspicious/noExplicitAny: each schema library takes its own parse options.
  safeParse(value: unknown, params?: any): PayloadParseResult<P>;
}

/**
 * Sources up to this size may be read whole: `forEachSource` budgets four times their size of
 * memory for each (bytes, text and outputs); a larger one is budgeted 32 MiB, for streaming.
 */
export const WHOLE_READ_BYTES = 8 * 1024 * 1024;

/** A byte range of a large source: the lines that start in [start, end), numbered from `firstLine`. */
export interface ByteRange {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly firstLine: number;
  /** How many lines start in the range, counted when the source was split. */
  readonly lines: number;
}

/** A source as a handler gets it: one version of one object, claimed for this run. */
export interface Source {
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  /**
   * The source's identity (sha256 of its key and ETag, 32 hex digits). Outputs named after it
   * (or after `key`) are found again by a retry, which then writes the same objects.
   */
  readonly id: string;
  readonly etag: string;
  /** The S3 version, in a versioned bucket. */
  readonly versionId?: string;
  /** When S3 received it, ISO-8601. */
  readonly lastModified: string;
  /** The whole object as UTF-8 text. */
  text(): Promise<string>;
  /** Its lines one at a time, without the line break (a CR before it is dropped too), never the whole object in memory. */
  lines(): AsyncIterable<string>;
}

/**
 * Handles one source. Resolving finishes the source: it is archived, removed, and never handed
 * out again. Throwing leaves it for the next run; after `MAX_SOURCE_ATTEMPTS` (3) invocations
 * that gave up on it, it is set aside whole under quarantine/ with the reason.
 */
export type SourceHandler = (source: Source) => Promise<void> | void;

/** A source as a processor gets it: claimed, with the output keys its claim keeps. */
export interface ClaimedSource extends Omit<Source, "text" | "lines"> {
  /** data_processing's line outputs (incoming/ sources only), and the archive every source has. */
  readonly outputs: { readonly processed?: string; readonly quarantine?: string; readonly archive: string };
  /** What every output of the source carries as metadata (its key, ETag and version), encoded as S3 headers carry it. */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Exactly this version's bytes: the whole object in one read, or, with `window`, from
   * `window.from` on in ranged reads, the first of `window.firstWindow` bytes.
   */
  read(window?: { readonly from: number; readonly firstWindow: number }): AsyncIterable<Uint8Array> & { destroy?(): void };
}

/** How a processor's source (or range) went: every line in exactly one of processed or quarantined. */
export interface ProcessedSource {
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  /** The outputs written (none for a source without such lines). */
  readonly processedKey?: string;
  readonly quarantineKey?: string;
}

/**
 * Processes sources line by line into outputs keyed by the source, and byte ranges of large
 * ones, which lets a run spread over the work queue (data_processing is one).
 */
export interface SourceProcessor {
  process(source: ClaimedSource, range?: ByteRange): Promise<ProcessedSource>;
}

export interface ForEachSourceOptions {
  /** Sources handled at once. @default the function's SOURCE_CONCURRENCY (16) */
  readonly concurrency?: number;
  /**
   * With a processor, and a function that has a work queue: a run with more than one
   * invocation should take on is spread over the queue. `forEachSource` then does not return in
   * this invocation; the run is completed by its last batch. @default false
   */
  readonly spread?: boolean;
}

/** What `forEachSource` did in this run (across its attempts). */
export interface SourcesOutcome {
  /**
   * sources, lines, processed, quarantined; `failed` and `waiting` first when any, `set aside`
   * when any. A handler's source counts the lines it read (text() or lines()) as processed.
   */
  readonly counts: Counts;
  /** Every source this run counts, each in exactly one run. */
  readonly sources: readonly SourceSummary[];
  /** Sources that failed in this run and wait for the next. */
  readonly failed: readonly FailedSource[];
  /** Sources not started before the invocation's time ran out; they wait for the next run. */
  readonly waiting: number;
}

export interface OutputOptions {
  /** @default from the key's extension (.json, .jsonl, .csv, .txt), else application/octet-stream */
  readonly contentType?: string;
  /** S3 user metadata, encoded as headers carry it. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** An output written piece by piece (a multipart upload), never held whole. */
export interface OutputWriter {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** Gives up: nothing is written, no part left behind. */
  abort(): Promise<void>;
}

/** Powertools Metrics for the task's own figures, with the run's dimensions (service, environment, task); flushed once per invocation. */
export interface TaskMetrics {
  /** `unit`: a Powertools MetricUnit such as "Count", "Milliseconds" or "Bytes". */
  addMetric(name: string, unit: string, value: number): void;
  addDimension(name: string, value: string): void;
  addMetadata(key: string, value: string): void;
}

/** What a task's run is given. */
export interface TaskContext {
  /** The task's name. */
  readonly task: string;
  readonly schedule: string;
  readonly environment: string;
  /** The scheduled time this run is for, in UTC (`2026-11-23T10:00:00Z`): with the task and schedule, the run's identity. */
  readonly scheduledTime: string;
  /** Scheduler's execution id (or `manual-…` / `backfill-…` from the operator's commands). */
  readonly executionId: string;
  /** Scheduler's attempt number: 1 for the first delivery. */
  readonly attempt: number;
  /** Milliseconds left before the function times out. */
  remainingTimeMs(): number;
  /** Powertools Logger: every line carries the run's keys (task, schedule, execution_id, scheduled_time, attempt). */
  readonly log: TaskLogger;
  readonly metrics: TaskMetrics;
  /**
   * Hands each object waiting under `prefix` (every version, oldest first) to `handler`,
   * exactly once across runs: claimed first, archived and removed once the handler resolves,
   * set aside after it kept failing. Several at once (`options.concurrency`); a source another
   * run holds is left to it. Returns what this run did.
   */
  forEachSource(prefix: string, handler: SourceHandler, options?: ForEachSourceOptions): Promise<SourcesOutcome>;
  forEachSource(prefix: string, processor: SourceProcessor, options?: ForEachSourceOptions): Promise<SourcesOutcome>;
  /**
   * Writes an output object. Keyed by what the run reads (a source's key or id, the scheduled
   * time), a rerun writes the same object again, byte for byte, never a second one.
   */
  writeOutput(key: string, body: string | Uint8Array, options?: OutputOptions): Promise<void>;
  /** An output too large to hold, written as its text arrives. */
  openOutput(key: string, options?: OutputOptions): OutputWriter;
  /** Keeps `fields` (JSON) in the run's record beside its counts: a retry that announces the run reads them back. */
  keep(fields: Readonly<Record<string, unknown>>): void;
  /** The records of `task`'s runs scheduled in (from, to], oldest first. */
  runRecords(task: string, from: Date, to: Date): Promise<RunRecord[]>;
}

/** An announcement on the environment's topic. */
export interface Notice {
  readonly subject: string;
  readonly message: string;
  /** Message attributes; task, environment, schedule and status are added unless given. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A run as its notice sees it, once its record is kept. */
export interface FinishedRun {
  readonly task: string;
  readonly schedule: string;
  readonly environment: string;
  /** As the event said it. */
  readonly scheduledTime?: string;
  readonly executionId?: string;
  readonly status: "completed" | "partial" | "incomplete";
  readonly counts: Counts;
  readonly record: RunRecord;
  /** The notice a task gets when it says nothing else: OK, PARTIAL or INCOMPLETE with the counts, and the sources set aside or failed. */
  standardNotice(): Notice;
}

export interface TaskDefinition<P = Record<string, unknown>> {
  /** What schedules name in `task` (and their events in `task_type`): 1-32 of a-z 0-9 _ -, starting with a letter. */
  readonly name: string;
  /** Checks a schedule's payload: before each run, and when the config is validated. @default any object */
  readonly payload?: PayloadSchema<P>;
  /**
   * The run's work. What it returns goes in the run record's `counts` and the notice. A thrown
   * error fails the run with its reason: announced as failed, and retried.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a run that returns nothing is an async function returning void.
  run(ctx: TaskContext, payload: P): Promise<Counts | undefined | void>;
  /** What the run's notice says; undefined to announce nothing. @default run.standardNotice() */
  notice?(run: FinishedRun, payload: P): Notice | undefined;
}

const NAME = new RegExp(TASK_NAME.pattern);

/** A task, checked: the default export of a task's entry file. */
export function defineTask<P = Record<string, unknown>>(definition: TaskDefinition<P>): TaskDefinition<P> {
  if (typeof definition !== "object" || definition === null) throw new TypeError("defineTask takes { name, payload?, run }");
  if (typeof definition.name !== "string" || !NAME.test(definition.name))
    throw new TypeError(`defineTask: name must be ${TASK_NAME.rule}, got ${JSON.stringify(definition.name)}`);
  if (typeof definition.run !== "function") throw new TypeError(`defineTask: task ${definition.name} needs a run(ctx, payload) function`);
  if (definition.payload !== undefined && typeof definition.payload?.safeParse !== "function")
    throw new TypeError(
      `defineTask: task ${definition.name}'s payload must be a schema with safeParse (zod), got ${typeof definition.payload}`,
    );
  return Object.freeze({ ...definition });
}

/** Whether `value` is a task defineTask made (or shaped like one). */
export function isTaskDefinition(value: unknown): value is TaskDefinition<unknown> {
  const task = value as Partial<TaskDefinition<unknown>> | null;
  return typeof task === "object" && task !== null && typeof task.name === "string" && typeof task.run === "function";
}
