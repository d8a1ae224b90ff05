import { classifyLine, normalise } from "../../../../functions/processor/records/classify-line";

const line = (text: string, extra: Partial<{ truncated: boolean; invalidUtf8: boolean }> = {}) => ({
  number: 7,
  text,
  truncated: false,
  invalidUtf8: false,
  ...extra,
});
const SOURCE = "incoming/orders.jsonl";

describe("classifyLine", () => {
  it("processes a JSON object with its source and line number, normalised", () => {
    expect(classifyLine(line('{"b": " x ", "a": {"d": 1, "c": [" y "]}}'), SOURCE, [])).toEqual({
      kind: "processed",
      output: '{"source":"incoming/orders.jsonl","line":7,"record":{"a":{"c":["y"],"d":1},"b":"x"}}',
    });
  });

  it.each([
    ["{not json", /^not valid JSON: /],
    ["[1,2]", /^not a JSON object: got an array$/],
    ['"text"', /^not a JSON object: got a string$/],
    ["42", /^not a JSON object: got a number$/],
    ["null", /^not a JSON object: got null$/],
    ["   ", /^line is blank$/],
  ])("quarantines %j with its reason and original text", (text, reason) => {
    const outcome = classifyLine(line(text), SOURCE, []);
    expect(outcome.kind).toBe("quarantined");
    const kept = JSON.parse(outcome.output);
    expect(kept).toEqual({ source: SOURCE, line: 7, reason: expect.stringMatching(reason), text });
  });

  it("quarantines a record missing required fields, naming every missing one", () => {
    const outcome = classifyLine(line('{"id": 1, "amount": null, "currency": " "}'), SOURCE, ["id", "amount", "currency", "region"]);
    expect(outcome).toMatchObject({ kind: "quarantined", reason: "missing required field(s): amount, currency, region" });
  });

  it("accepts falsy but present values for required fields", () => {
    expect(classifyLine(line('{"id": 0, "flag": false}'), SOURCE, ["id", "flag"]).kind).toBe("processed");
  });

  it("quarantines over-long and non-UTF-8 lines and says so", () => {
    expect(JSON.parse(classifyLine(line("{", { truncated: true }), SOURCE, []).output)).toMatchObject({ truncated: true, reason: expect.stringContaining("longer than the limit") });
    expect(classifyLine(line("{}", { invalidUtf8: true }), SOURCE, [])).toMatchObject({ kind: "quarantined", reason: "line is not valid UTF-8" });
  });
});

describe("normalise", () => {
  it("sorts keys at every depth and trims strings, leaving other values alone", () => {
    expect(JSON.stringify(normalise({ z: 1, a: [{ y: " q ", b: true }], m: null }))).toBe('{"a":[{"b":true,"y":"q"}],"m":null,"z":1}');
  });
});
