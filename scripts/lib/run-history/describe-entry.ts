import type { HistoryEntry } from "./history";

/** One line of what a run's state says: its counts, its reason, its date. */
export function entryDetails(entry: HistoryEntry): string {
  const parts: string[] = [];
  if (!entry.scheduled) parts.push("not scheduled");
  const figures = (["sources", "lines", "processed", "quarantined"] as const)
    .filter((name) => entry[name] !== undefined)
    .map((name) => `${entry[name]} ${name}`);
  if (figures.length > 0) parts.push(figures.join(", "));
  if (entry.state === "skipped" && entry.excludedDate) parts.push(`excluded date ${entry.excludedDate}`);
  if (entry.state === "failed")
    parts.push(`${entry.attempts ?? 0} attempt${entry.attempts === 1 ? "" : "s"}: ${entry.reason ?? "unknown"}`);
  if (entry.state === "running")
    parts.push(
      entry.reason ?? (entry.leaseExpiresAt ? `an attempt holds it (lease until ${entry.leaseExpiresAt})` : "an attempt holds it"),
    );
  if (entry.archivedKey) parts.push(`archived at ${entry.archivedKey}`);
  return parts.join("; ");
}
