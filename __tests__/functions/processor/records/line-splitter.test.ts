import { isUtf8 } from "node:buffer";
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
    expect(split(["a\nb\n"]).map((l) => [l.number, l.text])).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
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
    expect(split(["ab\r\n", "\nc", "d\n"]).map((l) => [l.number, l.startOffset])).toEqual([
      [1, 0],
      [2, 4],
      [3, 5],
    ]);
    const splitter = new LineSplitter(undefined, 41, 1_000);
    const lines: SourceLine[] = [];
    splitter.push(Buffer.from("x\nyy\n"), (l) => lines.push(l));
    splitter.end((l) => lines.push(l));
    expect(lines.map((l) => [l.number, l.text, l.startOffset])).toEqual([
      [41, "x", 1_000],
      [42, "yy", 1_002],
    ]);
  });

  it("flags bytes that are not UTF-8", () => {
    const [line] = split([Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]);
    expect(line.invalidUtf8).toBe(true);
  });

  // ASCII runs are split in one step and everything else line by line: however the bytes are
  // cut into chunks, the lines must come out as a plain reading of the whole source gives them.
  it("gives the same lines for any chunking of mixed ASCII, multi-byte, CRLF, over-long and invalid lines", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pieces = ['{"a":1}', "plain ascii", "", "\r", "Zoë", "日本", "😀", "x".repeat(40), "\uFEFF", "\u2028"];
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        Array.from({ length: Math.floor(random() * 4) }, () => pieces[Math.floor(random() * pieces.length)]).join(""),
      );
      let bytes = Buffer.from(lines.join(random() < 0.5 ? "\n" : "\r\n") + (random() < 0.5 ? "\n" : ""));
      if (random() < 0.2) bytes = Buffer.concat([bytes, Buffer.from([0xff, 0x0a, 0x41])]);
      const maxLineBytes = random() < 0.3 ? 16 : undefined;
      const cuts = Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * (bytes.length + 1))).sort((a, b) => a - b);
      const chunks = [0, ...cuts, bytes.length].slice(1).map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
      expect(split(chunks, maxLineBytes)).toEqual(readPlainly(bytes, maxLineBytes));
    }
  });
});

/** The reference: the whole source at once, one line at a time. */
function readPlainly(bytes: Buffer, maxLineBytes = 1024 * 1024): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const truncated = end - start > maxLineBytes;
    let raw = bytes.subarray(start, truncated ? start + maxLineBytes : end);
    if (!truncated && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    let text = raw.toString("utf8");
    if (lines.length === 0 && text.startsWith("\uFEFF")) text = text.slice(1);
    const invalidUtf8 = !truncated && !isUtf8(raw);
    lines.push({ number: lines.length + 1, text, truncated, invalidUtf8, startOffset: start });
    start = end + 1;
  }
  return lines;
}
