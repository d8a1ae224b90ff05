import { checkRecord, MAX_DEPTH } from "../../../../functions/processor/records/json-record";

describe("checkRecord", () => {
  it.each([
    '{"a":1}',
    '{ "a" : [ 1 , -2.5e+3 , 0 , -0 , 1E-7 , true , false , null , "" , {} , [] ] }',
    '{"s":"quote \\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 é 😀"}',
    '{"lone":"\\ud800"}',
    '{"deep":{"er":{"est":[[[{"x":[]}]]]}}}',
    '{"":0,"\\u0000":1}',
    '{"u2028":"\u2028\u2029"}',
  ])("accepts the valid record %s and returns its text unchanged", (text) => {
    expect(checkRecord(text)).toEqual({ ok: true, text, absentFields: [] });
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each([
    ['{"a":01}', "unexpected '1' at position 6"],
    ['{"a":1.}', "unexpected '}' at position 7"],
    ['{"a":.5}', "unexpected '.' at position 5"],
    ['{"a":+1}', "unexpected '+' at position 5"],
    ['{"a":1e}', "unexpected '}' at position 7"],
    ['{"a":NaN}', "unexpected 'N' at position 5"],
    ["{'a':1}", "unexpected ''' at position 1"],
    ['{"a":1,}', "unexpected '}' at position 7"],
    ['{"a" 1}', "unexpected '1' at position 5"],
    ['{"a":"\\x"}', "bad escape 'x' at position 7"],
    ['{"a":"\\u12G4"}', "bad \\u escape at position 6"],
    ['{"a":"tab\there"}', "unexpected control character U+0009 at position 9"],
    ['{"a":"open}', "unterminated string"],
    ['{"a":1}}', "unexpected '}' at position 7"],
    ['{"a":[1,2}', "unexpected '}' at position 9"],
    ['{"a":true1}', "unexpected '1' at position 9"],
    ['{"a"', "unexpected end of line"],
  ])("refuses %s, saying where", (text, reason) => {
    expect(checkRecord(text)).toEqual({ ok: false, reason: `not valid JSON: ${reason}` });
  });

  it("refuses nesting deeper than the limit instead of overflowing the stack", () => {
    const deep = `{"a":${"[".repeat(MAX_DEPTH + 5)}${"]".repeat(MAX_DEPTH + 5)}}`;
    expect(checkRecord(deep)).toEqual({ ok: false, reason: `nesting is deeper than ${MAX_DEPTH} levels` });
    const fine = `{"a":${"[".repeat(MAX_DEPTH - 2)}${"]".repeat(MAX_DEPTH - 2)}}`;
    expect(checkRecord(fine).ok).toBe(true);
  });

  it("finds duplicate keys however they are spelled, in large objects too", () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const text = JSON.stringify(many).replace(/}$/, ',"k17":0}');
    expect(checkRecord(text)).toEqual({ ok: false, reason: 'duplicate key "k17" in $: a JSON reader keeps only one of the values' });
    expect(checkRecord('{"a":1,"\\u0061":2}')).toMatchObject({ ok: false, reason: expect.stringContaining('duplicate key "a"') });
    expect(checkRecord('{"a":{"x":1},"b":{"x":1}}').ok).toBe(true);
  });

  // Random corruptions of valid records: the scanner never accepts what JSON.parse refuses, and
  // whatever it accepts parses to an object JSON.parse agrees with.
  it("agrees with JSON.parse on thousands of corrupted records", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['"', "{", "}", "[", "]", ",", ":", "0", "1", "-", ".", "e", "\\", "u", "t", "n", " ", "x"];
    const bases = [
      '{"id":1,"amount":-12.5e3,"tags":["a","b"],"ok":true,"none":null}',
      '{"nested":{"s":"a\\nb","u":"\\u00e9"},"list":[1,[2,[3]]]}',
    ];
    for (let i = 0; i < 5000; i++) {
      const chars = [...bases[i % bases.length]];
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]);
        else chars[at] = alphabet[Math.floor(random() * alphabet.length)];
      }
      const text = chars.join("");
      let parsed: unknown;
      let parses = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        parses = false;
      }
      const result = checkRecord(text);
      if (!parses) expect(result.ok).toBe(false);
      if (result.ok) expect(JSON.parse(result.text)).toEqual(parsed);
    }
  });

  it.each([
    ['{"a":1,\r"b":[2,\r\n3]}', '{"a":1, "b":[2,  3]}'],
    ['{\t"big":12345678901234567890,\t"e":1e400 }', '{ "big":12345678901234567890, "e":1e400 }'],
    ['{"z":0.1000000000000000055511151231257827,"a":"x\\ty"\r}', '{"z":0.1000000000000000055511151231257827,"a":"x\\ty" }'],
  ])("keeps %j on one line: tabs and line breaks between tokens become spaces, values and key order stay", (text, row) => {
    const check = checkRecord(text);
    expect(check).toEqual({ ok: true, text: row, absentFields: [] });
    expect(row).not.toMatch(/[\t\r\n]/);
    expect(JSON.parse(row)).toEqual(JSON.parse(text));
    expect(Object.keys(JSON.parse(row))).toEqual(Object.keys(JSON.parse(text)));
  });

  it("reports required fields that are absent, null or blank at the top level", () => {
    expect(checkRecord('{"id":"  ","b":null,"c":0}', ["id", "b", "c", "d"])).toEqual({
      ok: true,
      text: '{"id":"  ","b":null,"c":0}',
      absentFields: ["id", "b", "d"],
    });
  });
});
