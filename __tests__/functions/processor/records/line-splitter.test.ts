import { LineSplitter, type SourceLine } from "../../../../functions/processor/records/line-splitter";

function split(chunks: Array<string | Buffer>, maxLineBytes?: number): SourceLine[] {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: SourceLine[] = [];
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk, (l) => lines.push(l));
  splitter.end((l) => lines.push(l));
  return lines;
}

describe("LineSplitter", () => {
  it("numbers lines from 1 and does not count the final newline as a line", () => {
    expect(split(["a\nb\n"]).map((l) => [l.number, l.text])).toEqual([[1, "a"], [2, "b"]]);
  });

  it("keeps a last line that has no newline", () => {
    expect(split(["a\nb"]).map((l) => l.text)).toEqual(["a", "b"]);
  });

  it("joins lines split across chunks, even inside a multi-byte character", () => {
    const bytes = Buffer.from('{"name":"Zoë"}\n{"name":"日本"}\n');
    const lines = split([bytes.subarray(0, 12), bytes.subarray(12, 20), bytes.subarray(20)]);
    expect(lines.map((l) => l.text)).toEqual(['{"name":"Zoë"}', '{"name":"日本"}']);
    expect(lines.every((l) => !l.invalidUtf8 && !l.truncated)).toBe(true);
  });

  it("strips CRLF line ends and a leading byte-order mark", () => {
    expect(split(["\uFEFFa\r\nb\r\n"]).map((l) => l.text)).toEqual(["a", "b"]);
  });

  it("counts blank lines as lines", () => {
    expect(split(["a\n\n \nb\n"]).map((l) => l.text)).toEqual(["a", "", " ", "b"]);
  });

  it("yields nothing for an empty object", () => {
    expect(split([])).toEqual([]);
    expect(split([""])).toEqual([]);
  });

  it("caps a line at the limit, marks it truncated, and keeps counting the lines after it", () => {
    const lines = split(["x".repeat(10), "y".repeat(10), "\nshort\n"], 8);
    expect(lines).toEqual([
      { number: 1, text: "xxxxxxxx", truncated: true, invalidUtf8: false, startOffset: 0 },
      { number: 2, text: "short", truncated: false, invalidUtf8: false, startOffset: 21 },
    ]);
  });

  it("gives each line its byte offset in the source, also for a range that starts mid-source", () => {
    expect(split(["ab\r\n", "\nc", "d\n"]).map((l) => [l.number, l.startOffset])).toEqual([[1, 0], [2, 4], [3, 5]]);
    const splitter = new LineSplitter(undefined, 41, 1_000);
    const lines: SourceLine[] = [];
    splitter.push(Buffer.from("x\nyy\n"), (l) => lines.push(l));
    splitter.end((l) => lines.push(l));
    expect(lines.map((l) => [l.number, l.text, l.startOffset])).toEqual([[41, "x", 1_000], [42, "yy", 1_002]]);
  });

  it("flags bytes that are not UTF-8", () => {
    const [line] = split([Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]);
    expect(line.invalidUtf8).toBe(true);
  });
});
