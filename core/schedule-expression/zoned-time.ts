import type { CivilDate } from "./calendar";

/** A wall-clock time: a civil date plus hours, minutes and seconds, in no particular zone. */
export interface WallTime extends CivilDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time in `timeZone` at the UTC instant `epochMs`. */
export function wallTimeAt(epochMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

function asUtcMs(time: WallTime): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

// Since 1970 every zone changes offset on a quarter hour of UTC, so an offset holds for a whole
// quarter-hour bucket: caching by bucket turns most lookups into a map hit.
const QUARTER_HOUR_MS = 900_000;
const offsetCache = new Map<string, Map<number, number>>();

/** The zone's offset from UTC at `epochMs`, in milliseconds (positive east of Greenwich). */
export function offsetAt(epochMs: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const start = bucket * QUARTER_HOUR_MS;
    offset = asUtcMs(wallTimeAt(start, timeZone)) - start;
    if (zone.size > 100_000) zone.clear();
    zone.set(bucket, offset);
  }
  return offset;
}

const DAY_MS = 86_400_000;

/**
 * Every UTC instant at which the zone's clocks show `time`, earliest first: none in a
 * spring-forward gap, two in a fall-back overlap, one otherwise. Assumes at most one offset
 * change within a day either side, which holds for every zone in the IANA database.
 */
export function instantsOf(time: WallTime, timeZone: string): number[] {
  const local = asUtcMs(time);
  const offsets = new Set([offsetAt(local - DAY_MS, timeZone), offsetAt(local + DAY_MS, timeZone), offsetAt(local, timeZone)]);
  // A candidate is real when the zone's offset at that instant is the one it was built from.
  return [...offsets]
    .map((offset) => ({ offset, instant: local - offset }))
    .filter(({ offset, instant }) => offsetAt(instant, timeZone) === offset)
    .map(({ instant }) => instant)
    .sort((a, b) => a - b);
}

/** A stretch of wall-clock time a spring-forward change skips: from `from` (included) to `to` (excluded). */
export interface DaylightSavingGap {
  readonly from: WallTime;
  readonly to: WallTime;
}

/** The spring-forward gap that `time` falls in, in `timeZone`, or undefined when the zone's clocks show it. */
export function daylightSavingGapAt(time: WallTime, timeZone: string): DaylightSavingGap | undefined {
  if (instantsOf(time, timeZone).length > 0) return undefined;
  const local = asUtcMs(time);
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  // The change happens between these instants; find it to the minute.
  let low = local - after;
  let high = local - before;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (offsetAt(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  const asWallTime = (ms: number): WallTime => {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  };
  return { from: asWallTime(high + before), to: asWallTime(high + after) };
}

/**
 * One instant for a wall time, read the way Temporal's "compatible" option does: an overlap
 * time at its first occurrence, a gap time with the offset in force before the gap (so it
 * lands as far after the jump as it was into the gap).
 */
export function compatibleInstantOf(time: WallTime, timeZone: string): number {
  const local = asUtcMs(time);
  return instantsOf(time, timeZone)[0] ?? local - offsetAt(local - DAY_MS, timeZone);
}

/** `2026-11-23 09:00 EST`: how a run reads on the clocks of `timeZone`. */
export function formatLocal(epochMs: number, timeZone: string): string {
  const time = wallTimeAt(epochMs, timeZone);
  const zoneName =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(new Date(epochMs))
      .find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${time.year}-${pad(time.month)}-${pad(time.day)} ${pad(time.hour)}:${pad(time.minute)} ${zoneName}`;
}
