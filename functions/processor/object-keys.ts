import { BUCKET_LAYOUT } from "../commons/bucket-layout";

/** The UTC calendar day of a run, `yyyy-mm-dd`: every key a run writes derives from it. */
export function runDate(scheduledTime: string): string {
  return new Date(scheduledTime).toISOString().slice(0, 10);
}

/** Scheduled time in one canonical form, so keys do not depend on how the time was spelled. */
export function canonicalInstant(scheduledTime: string): string {
  return new Date(scheduledTime).toISOString().replace(".000Z", "Z");
}

export interface SourceOutputKeys {
  readonly processed: string;
  readonly quarantine: string;
  readonly archive: string;
}

/**
 * Output keys of one source. `incoming/orders/2026.jsonl` on 2026-11-23 →
 * `processed/2026-11-23/orders/2026.jsonl`, `quarantine/…/orders/2026.jsonl`,
 * `archive/2026-11-23/orders/2026.jsonl`. A `variant` (set when a different source of the
 * same name was already processed that day) is added before the extension.
 */
export function sourceOutputKeys(sourceKey: string, date: string, variant?: string): SourceOutputKeys {
  const name = sourceKey.slice(BUCKET_LAYOUT.incoming.prefix.length);
  const stem = name.replace(/\.(jsonl|ndjson|json)$/i, "");
  const extension = name.slice(stem.length);
  const suffix = variant ? `~${variant}` : "";
  return {
    processed: `${BUCKET_LAYOUT.processed.prefix}${date}/${stem}${suffix}.jsonl`,
    quarantine: `${BUCKET_LAYOUT.quarantine.prefix}${date}/${stem}${suffix}.jsonl`,
    archive: `${BUCKET_LAYOUT.archive.prefix}${date}/${stem}${suffix}${extension}`,
  };
}

/** `runs/<task>/<scheduled_time>/<schedule>.json`: one manifest per task, time and schedule. */
export function manifestKey(task: string, scheduledTime: string, schedule: string): string {
  return `${manifestPrefix(task)}${canonicalInstant(scheduledTime)}/${schedule}.json`;
}

export function manifestPrefix(task: string): string {
  return `${BUCKET_LAYOUT.runs.prefix}${task}/`;
}

export function reportKey(scheduledTime: string, schedule: string): string {
  return `${BUCKET_LAYOUT.reports.prefix}${runDate(scheduledTime)}/${schedule}.csv`;
}
