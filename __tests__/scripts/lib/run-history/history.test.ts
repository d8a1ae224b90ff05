import type { RunFacts } from "../../../../scripts/lib/run-history/bucket-history";
import { runHistory, stateOf } from "../../../../scripts/lib/run-history/history";
import type { HistorySchedule } from "../../../../scripts/lib/run-history/schedule-times";

const NOW = Date.parse("2026-12-01T00:00:00Z");
const facts = (more: Partial<RunFacts> = {}): RunFacts => ({
  task: "report",
  schedule: "daily-report",
  scheduledTime: "2026-11-16T14:00:00Z",
  attempts: [],
  attemptCount: 0,
  fannedOut: false,
  ...more,
});
const attempt = (n: number, reason: string) => ({
  task: "report",
  schedule: "daily-report",
  scheduledTime: "2026-11-16T14:00:00Z",
  executionId: "e-1",
  attempt: n,
  attemptId: `a-${n}`,
  reason,
  failedAt: `2026-11-16T14:0${n}:00.000Z`,
});
const record = (status: "completed" | "partial" | "incomplete" | "skipped", more = {}) => ({
  task: "report",
  schedule: "daily-report",
  environment: "dev",
  scheduledTime: "2026-11-16T14:00:00Z",
  status,
  counts: {},
  published: true,
  ...more,
});
const archived = {
  key: "failed/2026-11-17/m.json",
  schedule: "daily-report",
  scheduledTime: "2026-11-16T14:00:00Z",
  error: "Boom: for good",
  attempts: 3,
};

describe("how a run stands", () => {
  it.each([
    ["nothing at all", undefined, undefined, undefined, { state: "missed" }],
    ["nothing, on an excluded date", undefined, undefined, "2026-11-16", { state: "skipped", excludedDate: "2026-11-16" }],
    [
      "its record, over everything else",
      facts({
        record: record("completed", { totals: { sources: 2, lines: 5, processed: 4, quarantined: 1 }, executionId: "backfill-9" }),
        attempts: [attempt(1, "Boom")],
        attemptCount: 1,
      }),
      archived,
      "2026-11-16",
      { state: "completed", trigger: "backfill", executionId: "backfill-9", sources: 2, lines: 5, processed: 4, quarantined: 1 },
    ],
    [
      "a report's record: its counts",
      facts({ record: record("completed", { counts: { runs: 2, sources: 3, lines: 9, processed: 8, quarantined: 1 } }) }),
      undefined,
      undefined,
      { state: "completed", sources: 3, lines: 9, processed: 8, quarantined: 1 },
    ],
    [
      "a skipped record",
      facts({ record: record("skipped", { excludedDate: "2026-11-16" }) }),
      undefined,
      undefined,
      { state: "skipped", excludedDate: "2026-11-16" },
    ],
    [
      "a record kept but never announced, its attempt failed",
      facts({
        record: record("completed", { published: false }),
        lease: { expiresAt: 0 },
        attempts: [attempt(1, "NotFound: no topic")],
        attemptCount: 1,
      }),
      undefined,
      undefined,
      {
        state: "failed",
        reason: "its completed record is kept but was never announced: NotFound: no topic",
        attempts: 1,
        trigger: "schedule",
        executionId: "e-1",
      },
    ],
    [
      "a record kept and being announced now",
      facts({ record: record("partial", { published: false }), lease: { expiresAt: NOW + 1_000 } }),
      undefined,
      undefined,
      { state: "running", reason: "announcing its record", leaseExpiresAt: "2026-12-01T00:00:01.000Z" },
    ],
    [
      "a lease held now",
      facts({ lease: { expiresAt: NOW + 5_000 }, attempts: [attempt(1, "Boom")], attemptCount: 1 }),
      archived,
      undefined,
      { state: "running", leaseExpiresAt: "2026-12-01T00:00:05.000Z", trigger: "schedule", executionId: "e-1" },
    ],
    [
      "an archived failure, with the attempts on record",
      facts({ lease: { expiresAt: 0 }, attempts: [attempt(1, "A"), attempt(2, "B"), attempt(3, "C"), attempt(4, "D")], attemptCount: 4 }),
      { ...archived, executionId: "e-2" },
      undefined,
      { state: "failed", reason: "Boom: for good", attempts: 4, archivedKey: archived.key, trigger: "schedule", executionId: "e-2" },
    ],
    [
      "a run spread over the work queue",
      facts({ lease: { expiresAt: 0 }, fannedOut: true }),
      undefined,
      undefined,
      { state: "running", reason: "spread over the work queue: its last batch finishes it" },
    ],
    [
      "failed attempts: the last one's reason",
      facts({ lease: { expiresAt: 0 }, attempts: [attempt(1, "First"), attempt(2, "Second")], attemptCount: 2 }),
      undefined,
      undefined,
      { state: "failed", reason: "Second", attempts: 2, trigger: "schedule", executionId: "e-1" },
    ],
    [
      "a lease that ran out, and nothing else",
      facts({ lease: { expiresAt: NOW - 1 } }),
      undefined,
      "2026-11-16",
      { state: "failed", reason: "an attempt began and stopped without a record or a reason (a timeout, or its process ended)" },
    ],
  ])("%s", (_, found, failure, excluded, expected) => {
    expect(stateOf(found, failure, excluded, NOW)).toEqual(expected);
  });
});

describe("runHistory", () => {
  const daily: HistorySchedule = {
    name: "daily-report",
    task: "report",
    expression: "cron(0 9 ? * MON-FRI *)",
    timezone: "America/New_York",
    enabled: true,
    exclude: ["2026-11-17"],
  };
  const times = { times: [new Date("2026-11-16T14:00:00Z"), new Date("2026-11-17T14:00:00Z")], truncated: false, notes: [] };

  it("puts each scheduled time beside its run, the runs no time claimed after, and other schedules' runs last", () => {
    const [history, others] = runHistory({
      schedules: [{ schedule: daily, times }],
      facts: [
        facts({ record: record("completed") }),
        facts({ scheduledTime: "2026-11-16T18:12:00Z", record: record("completed", { executionId: "manual-1" }) }),
        facts({ schedule: "once-rerun", scheduledTime: "2026-11-16T20:00:00Z", record: record("completed") }),
      ],
      archived: [{ ...archived, schedule: "once-rerun", task: "report", scheduledTime: "2026-11-16T21:00:00Z" }],
      now: new Date(NOW),
      otherSchedules: true,
    });
    expect(history.entries.map((e) => [e.scheduledTime, e.state, e.scheduled, e.trigger])).toEqual([
      ["2026-11-16T14:00:00Z", "completed", true, undefined],
      ["2026-11-16T18:12:00Z", "completed", false, "manual"],
      // No record, and an excluded date.
      ["2026-11-17T14:00:00Z", "skipped", true, undefined],
    ]);
    expect(others.name).toBe("once-rerun");
    expect(others.schedule).toBeUndefined();
    expect(others.entries.map((e) => [e.scheduledTime, e.state, e.scheduled])).toEqual([
      ["2026-11-16T20:00:00Z", "completed", false],
      ["2026-11-16T21:00:00Z", "failed", false],
    ]);
  });

  it("leaves out other schedules' runs when one schedule was asked for", () => {
    const histories = runHistory({
      schedules: [{ schedule: daily, times }],
      facts: [facts({ schedule: "once-rerun", record: record("completed") })],
      archived: [],
      now: new Date(NOW),
      otherSchedules: false,
    });
    expect(histories.map((h) => h.name)).toEqual(["daily-report"]);
  });

  it("matches the runs of a rate() schedule counted from its creation within the minute Scheduler fired them", () => {
    const rate = { ...daily, name: "sweep", expression: "rate(1 hour)", exclude: undefined };
    const [history] = runHistory({
      schedules: [
        {
          schedule: rate,
          times: { times: [new Date("2026-11-16T10:03:27Z"), new Date("2026-11-16T11:03:27Z")], truncated: false, notes: [] },
          sameMinute: true,
        },
      ],
      facts: [facts({ schedule: "sweep", scheduledTime: "2026-11-16T10:03:00Z", record: record("completed") })],
      archived: [],
      now: new Date(NOW),
      otherSchedules: true,
    });
    expect(history.entries.map((e) => [e.scheduledTime, e.state, e.scheduled])).toEqual([
      ["2026-11-16T10:03:00Z", "completed", true],
      ["2026-11-16T11:03:27Z", "missed", true],
    ]);
  });
});
