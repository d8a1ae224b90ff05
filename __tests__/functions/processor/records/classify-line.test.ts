import { classifyLine } from "../../../../functions/processor/records/classify-line";

const line = (text: string, extra: Partial<{ truncated: boolean; invalidUtf8: boolean }> = {}) => ({
  number: 7,
  text,
  truncated: false,
  invalidUtf8: false,
  startOffset: 0,
  ...extra,
});
const SOURCE = "incoming/orders.jsonl";

describe("classifyLine", () => {
  it("keeps a valid record exactly as written, with its source and line number", () => {
    const text = '{"b": " x ", "a": {"d": 1, "c": [" y "]}}';
    expect(classifyLine(line(text), SOURCE, [])).toEqual({
      kind: "processed",
      output: `{"source":"incoming/orders.jsonl","line":7,"record":${text}}`,
    });
  });

  it("keeps numbers a double cannot hold digit for digit", () => {
    const text = '{"id":12345678901234567890,"big":1e400,"amount":0.1000000000000000055511151231257827,"neg":-0.0}';
    const outcome = classifyLine(line(text), SOURCE, ["id"]);
    expect(outcome.kind).toBe("processed");
    expect(outcome.output.endsWith(`"record":${text}}`)).toBe(true);
  });

  it("drops only the whitespace around the record", () => {
    expect(classifyLine(line('  {"a": 1}\t'), SOURCE, []).output).toBe('{"source":"incoming/orders.jsonl","line":7,"record":{"a": 1}}');
  });

  it("writes a record with raw carriage returns and tabs between its tokens as one row", () => {
    const outcome = classifyLine(line('{"id":1,\r"note":"a\\rb",\t"n":[1,\r2]}'), SOURCE, ["id"]);
    expect(outcome.output).toBe('{"source":"incoming/orders.jsonl","line":7,"record":{"id":1, "note":"a\\rb", "n":[1, 2]}}');
    expect(JSON.parse(outcome.output).record).toEqual({ id: 1, note: "a\rb", n: [1, 2] });
  });

  it.each([
    ["{not json", /^not valid JSON: /],
    ["[1,2]", /^not a JSON object: got an array$/],
    ['"text"', /^not a JSON object: got a string$/],
    ["42", /^not a JSON object: got a number$/],
    ["null", /^not a JSON object: got null$/],
    ["   ", /^line is blank$/],
    ['{"id":1,"id":2}', /^duplicate key "id" in \$: a JSON reader keeps only one of the values$/],
    ['{"a":{"b":[{"c":1,"c":1}]}}', /^duplicate key "c" in \$\.a\.b\[0\]/],
    ['{"\\u0069d":1,"id":2}', /^duplicate key "id"/],
  ])("quarantines %j with its reason and original text", (text, reason) => {
    const outcome = classifyLine(line(text), SOURCE, []);
    expect(outcome.kind).toBe("quarantined");
    const kept = JSON.parse(outcome.output);
    expect(kept).toEqual({ source: SOURCE, line: 7, reason: expect.stringMatching(reason), text });
  });

  it("quarantines a record missing required fields, naming every missing one", () => {
    const outcome = classifyLine(line('{"id": 1, "amount": null, "currency": " ", "note": "\\u0020"}'), SOURCE, [
      "id",
      "amount",
      "currency",
      "region",
      "note",
    ]);
    expect(outcome).toMatchObject({ kind: "quarantined", reason: "missing required field(s): amount, currency, region, note" });
  });

  it("accepts falsy but present values for required fields, and looks only at the top level", () => {
    expect(classifyLine(line('{"id": 0, "flag": false}'), SOURCE, ["id", "flag"]).kind).toBe("processed");
    expect(classifyLine(line('{"nested": {"id": 1}}'), SOURCE, ["id"]).kind).toBe("quarantined");
  });

  it("quarantines over-long and non-UTF-8 lines and says so", () => {
    expect(JSON.parse(classifyLine(line("{", { truncated: true }), SOURCE, []).output)).toMatchObject({
      truncated: true,
      reason: expect.stringContaining("longer than the limit"),
    });
    expect(classifyLine(line("{}", { invalidUtf8: true }), SOURCE, [])).toMatchObject({
      kind: "quarantined",
      reason: "line is not valid UTF-8",
    });
  });
});
