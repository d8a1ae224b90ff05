import { isIanaTimeZone } from "../../../core/schedule-expression";
import { closestTimeZones, editDistance, timeZoneSuggestion } from "../../../core/schedule-expression/time-zone-suggestions";

describe("closestTimeZones", () => {
  it.each([
    ["Europe/Londn", ["Europe/London"]],
    ["europe/london", ["Europe/London"]],
    ["London", ["Europe/London"]],
    ["America/New York", ["America/New_York"]],
    ["Sao Paulo", ["America/Sao_Paulo"]],
    ["Amerika/Chicago", ["America/Chicago"]],
    ["Europe/Berlinn", ["Europe/Berlin"]],
    ["Asia/Calcuta", ["Asia/Calcutta"]],
    ["Eastern", ["Canada/Eastern", "US/Eastern"]],
  ])("%s: %j", (misspelt, expected) => {
    expect(closestTimeZones(misspelt)).toEqual(expected);
    for (const name of expected) expect(isIanaTimeZone(name)).toBe(true);
  });

  it("suggests nothing when nothing is near", () => {
    for (const name of ["Mars/Olympus_Mons", "Moon/Base", "+05:00", "UTC+1", ""]) expect(closestTimeZones(name)).toEqual([]);
  });

  it("words the suggestion for a message", () => {
    expect(timeZoneSuggestion("Europe/Londn")).toBe("; did you mean Europe/London?");
    expect(timeZoneSuggestion("Eastern")).toBe("; did you mean Canada/Eastern or US/Eastern?");
    expect(timeZoneSuggestion("Moon/Base")).toBe("");
  });
});

describe("editDistance", () => {
  it("counts inserts, deletes, replacements and swapped neighbours as one edit each", () => {
    expect(editDistance("london", "london")).toBe(0);
    expect(editDistance("londn", "london")).toBe(1);
    expect(editDistance("lodnon", "london")).toBe(1);
    expect(editDistance("berlin", "tallinn")).toBe(4);
    expect(editDistance("", "abc")).toBe(3);
  });
});
