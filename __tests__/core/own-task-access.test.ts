import { declarationProblems, ownTaskBucketAccess, protocolAreas } from "../../core/own-task-access";
import { refuseTaskName } from "../../core/task-types";

describe("an own task's name", () => {
  it.each([
    ["ledger", undefined],
    ["close_books-2", undefined],
    ["", 'must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got ""'],
    ["Ledger", 'must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got "Ledger"'],
    ["2ledger", 'must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got "2ledger"'],
    ["l".repeat(33), `must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got "${"l".repeat(33)}"`],
    ["led/ger", 'must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got "led/ger"'],
    [42, "must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got 42"],
    ["report", 'must not be a built-in task\'s name (report, data_processing, notification), got "report"'],
  ])("%j: %s", (name, reason) => {
    expect(refuseTaskName(name)).toBe(reason);
  });
});

describe("ownTaskBucketAccess", () => {
  it("grants the protocol's areas named for the task, its reads and its writes, and nothing of the built-in tasks' areas", () => {
    const grants = ownTaskBucketAccess({ name: "ledger", reads: ["ledger/in/"], writes: ["ledger/out/"] });
    expect(grants.map((g) => [g.prefix, g.access])).toEqual([
      ["runs/ledger/", ["read", "write", "list"]],
      ["claims/ledger/", ["read", "write", "list"]],
      ["archive/ledger/", ["write", "list"]],
      ["quarantine/ledger/", ["write"]],
      ["failed/", ["write"]],
      ["ledger/in/", ["read", "readVersion", "delete", "deleteVersion", "list", "listVersions"]],
      ["ledger/out/", ["write", "abortUpload"]],
    ]);
    for (const area of ["incoming/", "processed/", "reports/", "runs/", "claims/", "archive/", "quarantine/"])
      expect(grants.map((g) => g.prefix)).not.toContain(area);
    expect(protocolAreas("other").map((g) => g.prefix)).not.toEqual(protocolAreas("ledger").map((g) => g.prefix));
  });
});

describe("declarationProblems", () => {
  it("finds nothing wrong with a plain declaration", () => {
    expect(declarationProblems({ name: "ledger", reads: ["ledger/in/", "partners/ledger/"], writes: ["ledger/out/"] })).toEqual([]);
  });

  it("names every problem at once, with its field", () => {
    expect(
      declarationProblems({
        name: "Ledger",
        reads: ["ledger/in", "/abs/", "a//b/", "x/../y/", "incoming/ledger/", "claims/"],
        // "r/" is no part of runs/: allowed.
        writes: ["ledger/in/out/", "runs/ledger/", "r/"],
      }),
    ).toEqual([
      'name: must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got "Ledger"',
      'reads[0]: must be a key prefix ending in / (no leading /, no empty or .. segment), got "ledger/in"',
      'reads[1]: must be a key prefix ending in / (no leading /, no empty or .. segment), got "/abs/"',
      'reads[2]: must be a key prefix ending in / (no leading /, no empty or .. segment), got "a//b/"',
      'reads[3]: must be a key prefix ending in / (no leading /, no empty or .. segment), got "x/../y/"',
      'reads[4]: must not overlap incoming/, which the product keeps for itself, got "incoming/ledger/"',
      'reads[5]: must not overlap claims/, which the product keeps for itself, got "claims/"',
      'writes[1]: must not overlap runs/, which the product keeps for itself, got "runs/ledger/"',
      'writes[0]: must not overlap reads[0] ("ledger/in"): the task\'s outputs would come back as its sources, got "ledger/in/out/"',
    ]);
  });
});
