import { parseCommandArgs, parseInstant } from "../../../../scripts/lib/run-history/command-line";

describe("the operator's command lines", () => {
  it.each([
    ["2026-11-23T10:00:00Z", "2026-11-23T10:00:00.000Z"],
    ["2026-11-23T11:00:00+01:00", "2026-11-23T10:00:00.000Z"],
    ["2026-11-23T10:00:00.250Z", "2026-11-23T10:00:00.250Z"],
    ["2026-11-23T10:00:00", "2026-11-23T10:00:00.000Z"],
    ["2026-11-23T10:00", "2026-11-23T10:00:00.000Z"],
    ["2026-11-23", "2026-11-23T00:00:00.000Z"],
  ])("reads %s as %s", (text, instant) => {
    expect((parseInstant("--from", text) as Date).toISOString()).toBe(instant);
  });

  it.each(["2026-02-30", "2026-11-23T24:00", "yesterday", "2026-11-23 10:00", "1700000000"])("refuses %s with the reason", (text) => {
    expect(parseInstant("--to", text)).toEqual({
      problem:
        "--to must be an ISO-8601 instant (2026-11-23T10:00:00Z, 2026-11-23T11:00:00+01:00; UTC where it names no zone) " +
        `or a day (2026-11-23, from midnight UTC), got ${JSON.stringify(text)}`,
    });
  });

  it("reads options with and without values, and refuses what it does not know", () => {
    expect(parseCommandArgs(["dev", "--from", "x", "--json"], ["--from"], ["--json"])).toEqual({
      positional: ["dev"],
      values: { "--from": "x" },
      flags: new Set(["--json"]),
    });
    expect(parseCommandArgs(["--from"], ["--from"], [])).toEqual({ problem: "--from needs a value" });
    expect(parseCommandArgs(["--from", "--json"], ["--from"], ["--json"])).toEqual({ problem: "--from needs a value" });
    expect(parseCommandArgs(["--verbose"], [], [])).toEqual({ problem: "unknown option --verbose" });
    expect(parseCommandArgs(["--json", "--json"], [], ["--json"])).toEqual({ problem: "--json is given twice" });
  });
});
