import type { RunHistoryState } from "../../../core/run-history";
import { formatLocal } from "../../../core/schedule-expression";
import { renderTable } from "../table";
import { entryDetails } from "./describe-entry";
import type { HistoryEntry } from "./history";
import type { History } from "./read-history";

/** `--json`: one object a line, each time of each schedule with its state and its counts or reason. */
export function historyJsonLines(history: History): string {
  return history.schedules.flatMap((s) => s.entries.map((entry) => `${JSON.stringify(entry)}\n`)).join("");
}

/** The notes of a listing (bounds reached, creation times unknown, disabled schedules), one a line. */
export function historyNotes(history: History): string[] {
  return [...history.schedules.flatMap((s) => s.notes), ...history.notes];
}

/** A table of every time, then one summary line a schedule. */
export function historyTable(history: History): string {
  const rows = history.schedules.flatMap((s) =>
    s.entries.map((entry) => [
      s.name,
      entry.scheduledTime,
      formatLocal(Date.parse(entry.scheduledTime), s.schedule?.timezone ?? "UTC"),
      entry.state,
      entry.trigger ?? "",
      entryDetails(entry),
    ]),
  );
  const table =
    rows.length === 0
      ? "no scheduled time and no run in the window"
      : renderTable(["schedule", "scheduled time (UTC)", "local time", "state", "trigger", "details"], rows);
  const summaries = history.schedules.map((s) => `${s.name}: ${summaryOf(s.entries)}`);
  return [table, "", ...summaries].join("\n");
}

/** `5 times: 3 completed, 1 failed, 1 missed; 1 run not scheduled`. */
export function summaryOf(entries: readonly HistoryEntry[]): string {
  const scheduled = entries.filter((e) => e.scheduled);
  const counts = new Map<RunHistoryState, number>();
  for (const entry of scheduled) counts.set(entry.state, (counts.get(entry.state) ?? 0) + 1);
  const states = [...counts].map(([state, count]) => `${count} ${state}`).join(", ");
  const others = entries.length - scheduled.length;
  const head = `${scheduled.length} scheduled time${scheduled.length === 1 ? "" : "s"}${states ? `: ${states}` : ""}`;
  return others > 0 ? `${head}; ${others} run${others === 1 ? "" : "s"} not scheduled` : head;
}
