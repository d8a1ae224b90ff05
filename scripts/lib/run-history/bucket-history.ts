import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { canonicalInstant, currentRunStatus, type FailedAttemptRecord, runHistoryKeys, taskRunsPrefix } from "../../../core/run-history";
import { settleWithLimit } from "../../../functions/commons/pool";
import { listFiles, listFolders, readJson } from "../../../functions/commons/s3-objects";
import type { FailedEvent } from "../../../functions/failure-handler/failed-event";
import type { RunRecord } from "../../../functions/processor/protocol/run-record";
import type { Window } from "./schedule-times";

/** What the bucket keeps of one run (task, schedule, scheduled time): the facts its state is read from. */
export interface RunFacts {
  readonly task: string;
  readonly schedule: string;
  /** Canonical (`2026-11-23T10:00:00Z`). */
  readonly scheduledTime: string;
  readonly record?: RunRecord;
  /** The run's lease, when it has no record: who holds (or held) it until when (epoch ms, 0 once released). */
  readonly lease?: { readonly expiresAt: number };
  /** Failed attempts, oldest first (at most MAX_ATTEMPTS_READ of them are read). */
  readonly attempts: readonly FailedAttemptRecord[];
  /** How many failed attempts the run has on record. */
  readonly attemptCount: number;
  /** The run was spread over the work queue (its plan is kept) and has no record yet. */
  readonly fannedOut: boolean;
}

/** An event the failure handler archived under failed/ for good, as history needs it. */
export interface ArchivedFailure {
  readonly key: string;
  readonly schedule: string;
  readonly task?: string;
  readonly scheduledTime: string;
  readonly error: string;
  readonly attempts?: number;
  readonly executionId?: string;
}

/** Requests in flight at once while reading history. */
const READ_CONCURRENCY = 8;
/** Failed attempts read for one run: a bound on what one run that failed over and over costs to read. */
const MAX_ATTEMPTS_READ = 50;
/** Archived failures read for one window: a bound on what history costs when failed/ is large. */
export const MAX_ARCHIVED_FAILURES_READ = 5_000;
/** How long after its scheduled time an event may still be archived (Scheduler and Lambda retry for up to a day). */
const ARCHIVE_LAG_DAYS = 2;

export function runKey(task: string, scheduledTime: string, schedule: string): string {
  return `${task}|${scheduledTime}|${schedule}`;
}

/**
 * The runs of `tasks` scheduled in the window, read from runs/ (only their records, leases
 * and failed attempts; never the per-source records): one listing finds the scheduled times,
 * one more per time its runs, and one per run without a record its lease and attempts.
 * `schedules`, when given, keeps only those schedules' runs.
 */
export async function readRunFacts(
  s3: S3Client,
  bucket: string,
  tasks: readonly string[],
  window: Window,
  schedules?: ReadonlySet<string>,
): Promise<RunFacts[]> {
  const times: Array<{ task: string; folder: string; scheduledTime: string }> = [];
  for (const task of tasks) {
    const prefix = taskRunsPrefix(task);
    // Folder names are canonical instants, which sort as times do: start just before the window.
    for await (const folder of listFolders(s3, bucket, prefix, `${prefix}${window.from.toISOString().slice(0, 19)}`)) {
      const instant = Date.parse(folder.slice(prefix.length, -1));
      if (Number.isNaN(instant) || instant < window.from.getTime()) continue;
      if (instant > window.to.getTime()) break;
      times.push({ task, folder, scheduledTime: canonicalInstant(new Date(instant)) });
    }
  }
  const perTime = await settleAll(times, async ({ task, folder, scheduledTime }) => {
    const { files, folders } = await listLevel(s3, bucket, folder);
    const withRecord = new Set(files.filter((k) => k.endsWith(".json")).map((k) => k.slice(folder.length, -".json".length)));
    const started = folders.map((f) => f.slice(folder.length, -1)).filter((name) => !withRecord.has(name));
    const names = [...withRecord, ...started].filter((name) => !schedules || schedules.has(name));
    return settleAll(
      names,
      (schedule): Promise<RunFacts> =>
        withRecord.has(schedule)
          ? readRecorded(s3, bucket, { task, schedule, scheduledTime })
          : readUnrecorded(s3, bucket, { task, schedule, scheduledTime }),
    );
  });
  return perTime.flat();
}

type RunName = { task: string; schedule: string; scheduledTime: string };

async function readRecorded(s3: S3Client, bucket: string, run: RunName): Promise<RunFacts> {
  const found = await readJson<RunRecord>(s3, bucket, runHistoryKeys(run).record, false);
  const record = found && { ...found.value, status: currentRunStatus(found.value.status) };
  // A record kept but not announced: an attempt is announcing it now, or failed to (its lease and attempts tell).
  if (record && !record.published) return { ...(await readUnrecorded(s3, bucket, run)), record };
  return { ...run, record, attempts: [], attemptCount: 0, fannedOut: false };
}

async function readUnrecorded(s3: S3Client, bucket: string, run: RunName): Promise<RunFacts> {
  const keys = runHistoryKeys(run);
  const base = keys.lease.slice(0, -"lease.json".length);
  const { files, folders } = await listLevel(s3, bucket, base);
  const lease = files.includes(keys.lease) ? await readJson<{ expiresAt: number }>(s3, bucket, keys.lease, false) : undefined;
  const attemptKeys: string[] = [];
  if (folders.includes(keys.attemptsPrefix))
    for await (const file of listFiles(s3, bucket, keys.attemptsPrefix)) if (file.key.endsWith(".json")) attemptKeys.push(file.key);
  const attempts = await settleAll(attemptKeys.slice(0, MAX_ATTEMPTS_READ), async (key) => {
    const attempt = await readJson<FailedAttemptRecord>(s3, bucket, key, false);
    return attempt ? [attempt.value] : [];
  });
  return {
    ...run,
    lease: lease ? { expiresAt: Number(lease.value.expiresAt) || 0 } : undefined,
    attempts: attempts.flat().sort((a, b) => (a.failedAt < b.failedAt ? -1 : a.failedAt > b.failedAt ? 1 : a.attempt - b.attempt)),
    attemptCount: attemptKeys.length,
    fannedOut: folders.includes(`${base}fan-out/`),
  };
}

/**
 * The failed/ archive of the window: every event archived from its first day to a couple of
 * days after its last (or today), read for its schedule and scheduled time. At most
 * MAX_ARCHIVED_FAILURES_READ are read; `truncated` says when there were more.
 */
export async function readArchivedFailures(
  s3: S3Client,
  bucket: string,
  window: Window,
  now: Date,
): Promise<{ failures: ArchivedFailure[]; truncated: boolean }> {
  const prefix = BUCKET_LAYOUT.failed.prefix;
  const firstDay = window.from.toISOString().slice(0, 10);
  const lastDay = new Date(Math.min(now.getTime(), window.to.getTime() + ARCHIVE_LAG_DAYS * 86_400_000)).toISOString().slice(0, 10);
  const keys: string[] = [];
  let truncated = false;
  // Day folders sort as dates: start at the window's first day.
  for await (const folder of listFolders(s3, bucket, prefix, `${prefix}${firstDay}`)) {
    const day = folder.slice(prefix.length, -1);
    if (day < firstDay) continue;
    if (day > lastDay) break;
    for await (const file of listFiles(s3, bucket, folder)) {
      if (!file.key.endsWith(".json")) continue;
      if (keys.length === MAX_ARCHIVED_FAILURES_READ) {
        truncated = true;
        break;
      }
      keys.push(file.key);
    }
    if (truncated) break;
  }
  const read = await settleAll(keys, async (key) => {
    const archived = await readJson<FailedEvent>(s3, bucket, key, false);
    const value = archived?.value;
    const time = value?.scheduledTime ? Date.parse(value.scheduledTime) : Number.NaN;
    if (!value?.schedule || Number.isNaN(time) || time < window.from.getTime() || time > window.to.getTime()) return [];
    return [
      {
        key,
        schedule: value.schedule,
        task: value.task,
        scheduledTime: canonicalInstant(new Date(time)),
        error: value.error,
        attempts: value.attempts,
        executionId: value.executionId,
      },
    ];
  });
  return { failures: read.flat(), truncated };
}

/** One level of a folder: the keys directly in it and the folders under it. */
async function listLevel(s3: S3Client, bucket: string, prefix: string): Promise<{ files: string[]; folders: string[] }> {
  const files: string[] = [];
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: token }));
    for (const item of page.Contents ?? []) if (item.Key) files.push(item.Key);
    for (const common of page.CommonPrefixes ?? []) if (common.Prefix) folders.push(common.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { files, folders };
}

/** `work` on every item, a few at a time, in the items' order; the first failure is thrown once all have settled. */
async function settleAll<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const indexed = items.map((item, index) => ({ item, index }));
  const { results, failures } = await settleWithLimit(indexed, READ_CONCURRENCY, ({ item }) => work(item));
  if (failures.length > 0) throw failures[0].error;
  const ordered: R[] = new Array(items.length);
  for (const { item, value } of results) ordered[item.index] = value;
  return ordered;
}
