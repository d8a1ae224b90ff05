import { canonicalInstant, manifestKey, reportKey, runDate, sourceOutputKeys } from "../../../functions/processor/object-keys";

describe("object keys", () => {
  it("derive the day from the scheduled time in UTC", () => {
    expect(runDate("2026-11-23T23:30:00-05:00")).toBe("2026-11-24");
    expect(canonicalInstant("2026-11-23T23:30:00-05:00")).toBe("2026-11-24T04:30:00Z");
  });

  it("map a source to its processed, quarantine and archive keys", () => {
    expect(sourceOutputKeys("incoming/shop/orders.jsonl", "2026-11-23")).toEqual({
      processed: "processed/2026-11-23/shop/orders.jsonl",
      quarantine: "quarantine/2026-11-23/shop/orders.jsonl",
      archive: "archive/2026-11-23/shop/orders.jsonl",
    });
    expect(sourceOutputKeys("incoming/export", "2026-11-23").processed).toBe("processed/2026-11-23/export.jsonl");
  });

  it("add a variant before the extension when a same-named source was already processed that day", () => {
    expect(sourceOutputKeys("incoming/orders.json", "2026-11-23", "abc123")).toEqual({
      processed: "processed/2026-11-23/orders~abc123.jsonl",
      quarantine: "quarantine/2026-11-23/orders~abc123.jsonl",
      archive: "archive/2026-11-23/orders~abc123.json",
    });
  });

  it("put manifests and reports under the task, time and schedule", () => {
    expect(manifestKey("data_processing", "2026-11-23T10:00:00.000Z", "hourly")).toBe("runs/data_processing/2026-11-23T10:00:00Z/hourly.json");
    expect(reportKey("2026-11-23T09:00:00Z", "daily-report")).toBe("reports/2026-11-23/daily-report.csv");
  });
});
