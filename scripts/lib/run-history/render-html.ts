import type { RunHistoryState } from "../../../core/run-history";
import { entryDetails } from "./describe-entry";
import type { History } from "./read-history";
import { historyNotes, summaryOf } from "./render-text";

/** Each state's colour in the grid (after Airflow's grid view: success green, failed red, skipped pink). */
export const STATE_COLOURS: Readonly<Record<RunHistoryState, string>> = {
  completed: "#2e7d32",
  partial: "#c0ca33",
  incomplete: "#ef6c00",
  skipped: "#f48fb1",
  failed: "#c62828",
  running: "#1e88e5",
  missed: "#9e9e9e",
};

export interface HtmlOptions {
  readonly environment: string;
  readonly window: { readonly from: Date; readonly to: Date };
  readonly generatedAt: Date;
}

/**
 * One self-contained page (nothing fetched: its Content-Security-Policy allows no source at
 * all) with a grid of schedules by scheduled time, each cell coloured by its state, its counts
 * or reason on hover and, on a click, below the grid. The history rides in the page as JSON
 * and a short script draws the grid from it.
 */
export function historyHtml(history: History, options: HtmlOptions): string {
  const data = {
    environment: options.environment,
    from: options.window.from.toISOString(),
    to: options.window.to.toISOString(),
    colours: STATE_COLOURS,
    schedules: history.schedules.map((s) => ({
      name: s.name,
      summary: summaryOf(s.entries),
      entries: s.entries.map((e) => ({
        time: e.scheduledTime,
        state: e.state,
        scheduled: e.scheduled,
        trigger: e.trigger ?? "",
        details: entryDetails(e),
      })),
    })),
  };
  const title = `Runs of ${options.environment}, ${data.from} to ${data.to}`;
  const notes = historyNotes(history);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #212121; }
#grid { border-collapse: collapse; }
#grid th { font-weight: normal; text-align: left; padding: 0 0.6em 0 0; white-space: nowrap; }
#grid thead th { font-size: 11px; color: #616161; height: 1.6em; position: relative; padding: 0; }
#grid thead th span { position: absolute; left: 0; bottom: 2px; white-space: nowrap; }
#grid td { min-width: 12px; width: 12px; height: 14px; padding: 0; border: 1px solid #fff; }
#grid td.run { cursor: pointer; }
#grid td.unscheduled { outline: 2px solid #212121; outline-offset: -3px; }
#grid td.summary { width: auto; padding-left: 0.8em; color: #616161; white-space: nowrap; }
#legend span { display: inline-block; margin-right: 1em; }
#legend i { display: inline-block; width: 12px; height: 12px; margin-right: 0.3em; vertical-align: -1px; }
#detail { margin-top: 1em; min-height: 1.4em; font-family: ui-monospace, monospace; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Read from the bucket at ${escapeHtml(options.generatedAt.toISOString())}.</p>
<p id="legend"></p>
<table id="grid"><thead></thead><tbody></tbody></table>
<p id="detail">Point at a cell for its counts or reason; click to keep it here.</p>
${notes.length > 0 ? `<ul id="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : ""}
<noscript><p>This page draws its grid with a script; the same history is in <code>npm run runs -- --json</code>.</p></noscript>
<script type="application/json" id="history">${scriptSafeJson(data)}</script>
<script>
${GRID_SCRIPT}
</script>
</body>
</html>
`;
}

/** Draws the grid: one row a schedule, one column a scheduled time (every schedule's, in order). */
const GRID_SCRIPT = `"use strict";
(function () {
  const data = JSON.parse(document.getElementById("history").textContent);
  const element = (name, properties, children) => {
    const node = Object.assign(document.createElement(name), properties || {});
    for (const child of children || []) node.append(child);
    return node;
  };
  const legend = document.getElementById("legend");
  for (const [state, colour] of Object.entries(data.colours)) {
    const swatch = element("i");
    swatch.style.background = colour;
    legend.append(element("span", { className: "state" }, [swatch, state]));
  }
  const times = [...new Set(data.schedules.flatMap((s) => s.entries.map((e) => e.time)))].sort(
    (a, b) => Date.parse(a) - Date.parse(b),
  );
  const head = document.querySelector("#grid thead");
  const dayRow = element("tr", {}, [element("th")]);
  // A day's label starts at its first time and overhangs the next columns, leaving them their width;
  // a day follows the last label only once there is room for it.
  let lastDay = "";
  let sinceLabel = Infinity;
  for (const time of times) {
    const day = time.slice(0, 10);
    const labelled = day !== lastDay && sinceLabel >= 4;
    dayRow.append(element("th", {}, labelled ? [element("span", { textContent: day.slice(5) })] : []));
    sinceLabel = labelled ? 1 : sinceLabel + 1;
    lastDay = day;
  }
  head.append(dayRow);
  const detail = document.getElementById("detail");
  const body = document.querySelector("#grid tbody");
  for (const schedule of data.schedules) {
    const row = element("tr", {}, [element("th", { scope: "row", textContent: schedule.name })]);
    row.dataset.schedule = schedule.name;
    const byTime = new Map(schedule.entries.map((e) => [e.time, e]));
    for (const time of times) {
      const entry = byTime.get(time);
      if (!entry) {
        row.append(element("td", { className: "empty" }));
        continue;
      }
      const text = schedule.name + " " + entry.time + ": " + entry.state +
        (entry.trigger ? " (" + entry.trigger + ")" : "") + (entry.details ? ", " + entry.details : "");
      const cell = element("td", { className: "run" + (entry.scheduled ? "" : " unscheduled"), title: text });
      cell.dataset.state = entry.state;
      cell.dataset.time = entry.time;
      cell.style.background = data.colours[entry.state];
      cell.addEventListener("mouseenter", () => (detail.textContent = text));
      cell.addEventListener("click", () => (detail.textContent = text));
      row.append(cell);
    }
    row.append(element("td", { className: "summary", textContent: schedule.summary }));
    body.append(row);
  }
})();`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON that cannot end its <script> element or open a comment inside it. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}
