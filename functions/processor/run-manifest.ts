import type { S3Client } from "@aws-sdk/client-s3";
import { listObjects, readJson, writeText } from "../commons/s3-objects";
import type { TaskEvent } from "../commons/task-event";
import { canonicalInstant, manifestKey, manifestPrefix } from "./object-keys";

/** What one source contributed to a data_processing run. */
export interface SourceResult {
  readonly source: string;
  readonly etag: string;
  readonly lines: number;
  readonly processed: number;
  readonly quarantined: number;
  readonly processedKey?: string;
  readonly quarantineKey?: string;
  readonly archiveKey: string;
}

/**
 * The record of one task run, `runs/<task>/<scheduled_time>/<schedule>.json`. It holds no
 * wall-clock times, so a rerun of the same event writes the same bytes.
 */
export interface RunManifest {
  readonly task: string;
  readonly schedule: string;
  readonly environment: string;
  readonly scheduledTime: string;
  /** in_progress: written while sources are handled; partial: stopped early for time. */
  status: "in_progress" | "partial" | "complete";
  sources: SourceResult[];
  totals: { lines: number; processed: number; quarantined: number };
  /** Task-specific figures (report rows, digest runs, ...). */
  counts?: Record<string, number>;
}

export function newManifest(event: TaskEvent): RunManifest {
  return {
    task: event.task_type,
    schedule: event.schedule,
    environment: event.environment,
    scheduledTime: canonicalInstant(event.scheduled_time),
    status: "in_progress",
    sources: [],
    totals: { lines: 0, processed: 0, quarantined: 0 },
  };
}

export function readManifest(s3: S3Client, bucket: string, event: TaskEvent): Promise<RunManifest | undefined> {
  return readJson<RunManifest>(s3, bucket, manifestKey(event.task_type, event.scheduled_time, event.schedule));
}

export async function writeManifest(s3: S3Client, bucket: string, manifest: RunManifest): Promise<string> {
  const key = manifestKey(manifest.task, manifest.scheduledTime, manifest.schedule);
  await writeText(s3, bucket, key, `${JSON.stringify(manifest, null, 2)}\n`, "application/json");
  return key;
}

/** Adds or replaces a source's result (by key, kept sorted) and recomputes the totals. */
export function recordSource(manifest: RunManifest, result: SourceResult): void {
  manifest.sources = [...manifest.sources.filter((s) => s.source !== result.source), result].sort((a, b) =>
    a.source < b.source ? -1 : a.source > b.source ? 1 : 0,
  );
  manifest.totals = manifest.sources.reduce(
    (sum, s) => ({ lines: sum.lines + s.lines, processed: sum.processed + s.processed, quarantined: sum.quarantined + s.quarantined }),
    { lines: 0, processed: 0, quarantined: 0 },
  );
}

/**
 * Manifests of `task` whose scheduled time is in (from, to], oldest first. Keys begin with the
 * scheduled time, so the listing starts at `from` instead of reading the whole history.
 */
export async function readManifestsInPeriod(
  s3: S3Client,
  bucket: string,
  task: string,
  from: Date,
  to: Date,
): Promise<RunManifest[]> {
  const prefix = manifestPrefix(task);
  const manifests: RunManifest[] = [];
  const startAfter = `${prefix}${from.toISOString().slice(0, 19)}`;
  for await (const object of listObjects(s3, bucket, prefix, startAfter)) {
    const instant = Date.parse(object.key.slice(prefix.length).split("/")[0]);
    if (Number.isNaN(instant) || instant <= from.getTime()) continue;
    if (instant > to.getTime()) break;
    const manifest = await readJson<RunManifest>(s3, bucket, object.key);
    if (manifest) manifests.push(manifest);
  }
  return manifests;
}
