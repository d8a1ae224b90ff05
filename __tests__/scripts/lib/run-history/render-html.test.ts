import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HistoryEntry } from "../../../../scripts/lib/run-history/history";
import type { History } from "../../../../scripts/lib/run-history/read-history";
import { historyHtml, STATE_COLOURS } from "../../../../scripts/lib/run-history/render-html";

const CHROMIUM = "/usr/bin/chromium";

const entry = (schedule: string, scheduledTime: string, state: HistoryEntry["state"], more: Partial<HistoryEntry> = {}): HistoryEntry => ({
  schedule,
  task: "report",
  scheduledTime,
  state,
  scheduled: true,
  ...more,
});

const HISTORY: History = {
  schedules: [
    {
      name: "daily-report",
      entries: [
        entry("daily-report", "2026-11-16T14:00:00Z", "completed", {
          trigger: "schedule",
          sources: 3,
          lines: 12,
          processed: 9,
          quarantined: 3,
        }),
        entry("daily-report", "2026-11-17T14:00:00Z", "failed", { attempts: 2, reason: "InternalError: <b>not</b> markup" }),
        entry("daily-report", "2026-11-18T14:00:00Z", "missed"),
        entry("daily-report", "2026-11-18T15:30:12Z", "completed", { scheduled: false, trigger: "manual", executionId: "manual-1" }),
      ],
      notes: [],
    },
    {
      name: "hourly",
      entries: [
        entry("hourly", "2026-11-16T14:00:00Z", "skipped", { excludedDate: "2026-11-16" }),
        entry("hourly", "2026-11-16T15:00:00Z", "running"),
      ],
      notes: ["hourly should have run more than 1,000 times in the window"],
    },
  ],
  notes: [],
};

/** What headless Chromium makes of the page once its script has run: the DOM, serialized. */
function renderedDom(html: string): string {
  const folder = mkdtempSync(join(tmpdir(), "runs-html-"));
  const page = join(folder, "runs.html");
  writeFileSync(page, html);
  try {
    const run = spawnSync(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        `--user-data-dir=${join(folder, "profile")}`,
        "--dump-dom",
        `file://${page}`,
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (run.status !== 0) throw new Error(`chromium exited ${run.status}: ${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Each drawn cell's attributes, in the order drawn. */
function cells(dom: string): Array<Record<string, string>> {
  return [...dom.matchAll(/<td ([^>]*)>/g)].map(([, attributes]) =>
    Object.fromEntries([...attributes.matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
  );
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

const withChromium = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM))
  console.warn(`skipped: the runs page's browser test needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);

withChromium("the runs page in headless Chromium", () => {
  let dom: string;
  beforeAll(() => {
    dom = renderedDom(
      historyHtml(HISTORY, {
        environment: "dev",
        window: { from: new Date("2026-11-16T00:00:00Z"), to: new Date("2026-11-19T00:00:00Z") },
        generatedAt: new Date("2026-11-19T08:00:00Z"),
      }),
    );
  });

  it("draws one row a schedule and one column a scheduled time, each cell coloured by its state", () => {
    const rows = [...dom.matchAll(/<tr data-schedule="([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toEqual(["daily-report", "hourly"]);
    const drawn = cells(dom).filter((c) => c.class?.startsWith("run"));
    expect(drawn.map((c) => [c["data-time"], c["data-state"], c.style])).toEqual([
      ["2026-11-16T14:00:00Z", "completed", `background: ${rgb(STATE_COLOURS.completed)};`],
      ["2026-11-17T14:00:00Z", "failed", `background: ${rgb(STATE_COLOURS.failed)};`],
      ["2026-11-18T14:00:00Z", "missed", `background: ${rgb(STATE_COLOURS.missed)};`],
      ["2026-11-18T15:30:12Z", "completed", `background: ${rgb(STATE_COLOURS.completed)};`],
      ["2026-11-16T14:00:00Z", "skipped", `background: ${rgb(STATE_COLOURS.skipped)};`],
      ["2026-11-16T15:00:00Z", "running", `background: ${rgb(STATE_COLOURS.running)};`],
    ]);
    // Five times in all: hourly has no cell at daily-report's times, and the other way round.
    expect(cells(dom).filter((c) => c.class === "empty")).toHaveLength(2 * 5 - 6);
    // A run nobody scheduled is marked as such.
    expect(drawn[3].class).toBe("run unscheduled");
  });

  it("gives each cell its counts or its reason on hover", () => {
    const titles = cells(dom)
      .filter((c) => c.class?.startsWith("run"))
      .map((c) => c.title);
    expect(titles).toEqual([
      "daily-report 2026-11-16T14:00:00Z: completed (schedule), 3 sources, 12 lines, 9 processed, 3 quarantined",
      "daily-report 2026-11-17T14:00:00Z: failed, 2 attempts: InternalError: &lt;b&gt;not&lt;/b&gt; markup",
      "daily-report 2026-11-18T14:00:00Z: missed",
      "daily-report 2026-11-18T15:30:12Z: completed (manual), not scheduled",
      "hourly 2026-11-16T14:00:00Z: skipped, excluded date 2026-11-16",
      "hourly 2026-11-16T15:00:00Z: running, an attempt holds it",
    ]);
  });

  it("shows a legend of every state, each schedule's summary and the notes", () => {
    expect(
      [...dom.matchAll(/<span class="state"><i style="background: ([^;]+);"><\/i>([a-z]+)<\/span>/g)].map((m) => [m[2], m[1]]),
    ).toEqual(Object.entries(STATE_COLOURS).map(([state, colour]) => [state, rgb(colour)]));
    expect(dom).toContain('<td class="summary">3 scheduled times: 1 completed, 1 failed, 1 missed; 1 run not scheduled</td>');
    expect(dom).toContain("<li>hourly should have run more than 1,000 times in the window</li>");
    expect(dom).toContain("<p>Read from the bucket at 2026-11-19T08:00:00.000Z.</p>");
  });
});

describe("the runs page", () => {
  it("is one file that asks for nothing over the network", () => {
    const html = historyHtml(HISTORY, { environment: "dev", window: { from: new Date(0), to: new Date(1) }, generatedAt: new Date() });
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    // Text from the bucket cannot close the script element that carries it.
    expect(html).not.toContain("<b>not</b>");
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });
});
