import { toCsv } from "../../../../functions/processor/records/csv";

describe("toCsv", () => {
  it("writes RFC 4180: CRLF line ends, quotes only where needed, doubled quotes", () => {
    expect(
      toCsv([
        ["source", "processed"],
        ["a,b", 1],
        ['say "hi"', 2],
        ["two\nlines", 3],
        ["plain", 0],
      ]),
    ).toBe('source,processed\r\n"a,b",1\r\n"say ""hi""",2\r\n"two\nlines",3\r\nplain,0\r\n');
  });
});
