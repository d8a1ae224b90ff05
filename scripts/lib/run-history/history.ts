import { excludedDateOf } from "../../../core/excluded-dates";
import { canonicalInstant, type RunHistoryState, type RunTrigger, triggerOf } from "../../../core/run-history";
import { type ArchivedFailure, type RunFacts, runKey } from "./bucket-history";
import type { HistorySchedule, ScheduledTimes } from "./schedule-times";

/** One time of one schedule, and how it stands. */
export interface HistoryEntry {
  readonly schedule: string;
  readonly task: string;
  /** Canonical (`2026-11-23T10:00:00Z`): the time the run is keyed by. */
  readonly scheduledTime: string;
  readonly state: RunHistoryState;
  /** The schedule should have fired then; false for a run now, a one-time schedule, or a time the schedule no longer has. */
  readonly scheduled: boolean;
  /** What fired it, told by its execution id (where the bucket keeps one). */
  readonly trigger?: RunTrigger;
  readonly executionId?: string;
  readonly sources?: number;
  readonly lines?: number;
  readonly processed?: number;
  readonly quarantined?: number;
  /** failed: the last error; running: what it waits for. */
  readonly reason?: string;
  /** failed: the attempts made. */
  readonly attempts?: number;
  /** failed: the event archived under failed/ (for `npm run replay`). */
  readonly archivedKey?: string;
  /** skipped: the excluded local date it fell on. */
  readonly excludedDate?: string;
  /** running: until when the attempt holds the run unless it renews its lease. */
  readonly leaseExpiresAt?: string;
}

export interface ScheduleHistory {
  readonly name: string;
  /** Absent for a schedule the environment's config does not have (a one-time schedule of the API, one since removed). */
  readonly schedule?: HistorySchedule;
  /** Oldest first. */
  readonly entries: readonly HistoryEntry[];
  readonly notes: readonly string[];
}

export interface HistoryInput {
  readonly schedules: ReadonlyArray<{
    readonly schedule: HistorySchedule;
    readonly times: ScheduledTimes;
    /**
     * Match a run to a scheduled time within the same minute (a rate() schedule counted from its
     * creation, whose runs' seconds Scheduler decides).
     */
    readonly sameMinute?: boolean;
  }>;
  readonly facts: readonly RunFacts[];
  readonly archived: readonly ArchivedFailure[];
  readonly now: Date;
  /** List the runs of schedules the config does not have (not when one schedule was asked for). */
  readonly otherSchedules: boolean;
}

/**
 * Beside each time a schedule should have fired, what the bucket records for it; then the runs
 * it has that were not scheduled (run now, a replay of a time the schedule no longer has), and
 * the runs of schedules the config does not have (one-time schedules).
 */
export function runHistory(input: HistoryInput): ScheduleHistory[] {
  const now = input.now.getTime();
  const unclaimedFacts = new Map(input.facts.map((f) => [runKey(f.task, f.scheduledTime, f.schedule), f]));
  const unclaimedArchive = new Map<string, ArchivedFailure>();
  for (const failure of input.archived) unclaimedArchive.set(`${failure.schedule}|${failure.scheduledTime}`, failure);

  const histories: ScheduleHistory[] = input.schedules.map(({ schedule, times, sameMinute }) => {
    const slot = (time: string) => (sameMinute ? String(Math.floor(Date.parse(time) / 60_000)) : time);
    const ownFacts = new Map<string, RunFacts>();
    for (const facts of input.facts)
      if (facts.schedule === schedule.name && facts.task === schedule.task) ownFacts.set(slot(facts.scheduledTime), facts);
    const ownArchive = new Map<string, ArchivedFailure>();
    for (const failure of input.archived) if (failure.schedule === schedule.name) ownArchive.set(slot(failure.scheduledTime), failure);
    const entries: HistoryEntry[] = times.times.map((time) => {
      const expected = canonicalInstant(time);
      const facts = ownFacts.get(slot(expected));
      const archived = ownArchive.get(slot(expected));
      const scheduledTime = facts?.scheduledTime ?? archived?.scheduledTime ?? expected;
      unclaimedFacts.delete(runKey(schedule.task, scheduledTime, schedule.name));
      unclaimedArchive.delete(`${schedule.name}|${scheduledTime}`);
      const excluded = excludedDateOf(time, schedule.timezone, schedule.exclude);
      return { schedule: schedule.name, task: schedule.task, scheduledTime, scheduled: true, ...stateOf(facts, archived, excluded, now) };
    });
    entries.push(...unscheduled(schedule.name, unclaimedFacts, unclaimedArchive, now));
    return { name: schedule.name, schedule, entries: byTime(entries), notes: times.notes };
  });
  if (input.otherSchedules) {
    const names = new Set([...unclaimedFacts.values(), ...unclaimedArchive.values()].map((r) => r.schedule));
    for (const name of [...names].sort())
      histories.push({ name, entries: byTime(unscheduled(name, unclaimedFacts, unclaimedArchive, now)), notes: [] });
  }
  return histories;
}

/** The runs of `schedule` no scheduled time claimed, taken out of the maps. */
function unscheduled(schedule: string, facts: Map<string, RunFacts>, archive: Map<string, ArchivedFailure>, now: number): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const [key, run] of facts) {
    if (run.schedule !== schedule) continue;
    facts.delete(key);
    const archived = archive.get(`${schedule}|${run.scheduledTime}`);
    archive.delete(`${schedule}|${run.scheduledTime}`);
    entries.push({
      schedule,
      task: run.task,
      scheduledTime: run.scheduledTime,
      scheduled: false,
      ...stateOf(run, archived, undefined, now),
    });
  }
  for (const [key, failure] of archive) {
    if (failure.schedule !== schedule) continue;
    archive.delete(key);
    const task = failure.task ?? "unknown";
    entries.push({
      schedule,
      task,
      scheduledTime: failure.scheduledTime,
      scheduled: false,
      ...stateOf(undefined, failure, undefined, now),
    });
  }
  return entries;
}

type State = Omit<HistoryEntry, "schedule" | "task" | "scheduledTime" | "scheduled">;

/**
 * How a run stands, from what the bucket keeps, strongest evidence first: its announced record
 * (one kept but never announced is running while its lease is held, else failed); a lease
 * held now; an archived failure; a plan spread over the work queue (its batches still running);
 * failed attempts; an attempt that began and left nothing else (it timed out or its process
 * ended); an excluded date; and otherwise nothing at all: missed.
 */
export function stateOf(
  facts: RunFacts | undefined,
  archived: ArchivedFailure | undefined,
  excluded: string | undefined,
  now: number,
): State {
  const record = facts?.record;
  if (record?.published) {
    const totals = record.totals ?? countsOf(record.counts);
    return {
      state: record.status,
      ...identity(record.executionId),
      ...(record.status === "skipped" ? { excludedDate: record.excludedDate } : totals),
    };
  }
  if (record && facts) {
    // Kept, never announced: no notice, no metric. Until an attempt announces it, the run has not finished.
    if (facts.lease && facts.lease.expiresAt > now)
      return { state: "running", reason: "announcing its record", leaseExpiresAt: new Date(facts.lease.expiresAt).toISOString() };
    const last = facts.attempts.at(-1);
    return {
      state: "failed",
      reason: `its ${record.status} record is kept but was never announced${last ? `: ${last.reason}` : ""}`,
      attempts: Math.max(facts.attemptCount, 1),
      ...identity(last?.executionId ?? record.executionId),
      ...(archived ? { archivedKey: archived.key } : {}),
    };
  }
  if (facts?.lease && facts.lease.expiresAt > now)
    return { state: "running", leaseExpiresAt: new Date(facts.lease.expiresAt).toISOString(), ...identity(lastAttemptId(facts)) };
  const last = facts?.attempts.at(-1);
  if (archived)
    return {
      state: "failed",
      reason: archived.error,
      attempts: Math.max(archived.attempts ?? 0, facts?.attemptCount ?? 0, 1),
      archivedKey: archived.key,
      ...identity(archived.executionId ?? last?.executionId),
    };
  if (facts?.fannedOut) return { state: "running", reason: "spread over the work queue: its last batch finishes it" };
  if (facts && facts.attemptCount > 0)
    return { state: "failed", reason: last?.reason ?? "unknown", attempts: facts.attemptCount, ...identity(last?.executionId) };
  if (facts)
    return { state: "failed", reason: "an attempt began and stopped without a record or a reason (a timeout, or its process ended)" };
  if (excluded) return { state: "skipped", excludedDate: excluded };
  return { state: "missed" };
}

function identity(executionId: string | undefined) {
  return executionId ? { trigger: triggerOf(executionId), executionId } : {};
}

function lastAttemptId(facts: RunFacts): string | undefined {
  return facts.attempts.at(-1)?.executionId;
}

/** The four figures of a run whose record has no totals (a report: its counts). */
function countsOf(counts: Readonly<Record<string, number>> | undefined) {
  const pick = (name: string) => (typeof counts?.[name] === "number" ? { [name]: counts[name] } : {});
  return { ...pick("sources"), ...pick("lines"), ...pick("processed"), ...pick("quarantined") };
}

function byTime(entries: HistoryEntry[]): HistoryEntry[] {
  return entries.sort((a, b) => Date.parse(a.scheduledTime) - Date.parse(b.scheduledTime) || (a.scheduled ? -1 : 1));
}
