import { splitLines } from "../../../../functions/processor/runtime/source-access";

async function* chunks(...parts: Array<string | Uint8Array>) {
  for (const part of parts) yield typeof part === "string" ? Buffer.from(part) : part;
}

async function lines(...parts: Array<string | Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of splitLines(chunks(...parts))) out.push(line);
  return out;
}

describe("a source's lines as a handler reads them", () => {
  it("splits on line breaks, drops a CR before one and the byte-order mark, and keeps a last line without one", async () => {
    expect(await lines("\uFEFFa,1\r\nb,2\n", "c,3")).toEqual(["a,1", "b,2", "c,3"]);
  });

  it("keeps empty lines, and yields nothing for an empty object", async () => {
    expect(await lines("a\n\nb\n")).toEqual(["a", "", "b"]);
    expect(await lines()).toEqual([]);
  });

  it("joins a line, and a character, cut between two reads", async () => {
    const snowman = Buffer.from("☃");
    expect(await lines("first li", "ne\nsecond ", snowman.subarray(0, 1), snowman.subarray(1), "\n")).toEqual(["first line", "second ☃"]);
  });
});
