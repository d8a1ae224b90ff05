import {
  decodeMetadata,
  decodeMetadataValue,
  encodeMetadata,
  encodeMetadataValue,
  MAX_USER_METADATA_BYTES,
} from "../../../functions/commons/s3-metadata";

describe("S3 user metadata", () => {
  it.each(["incoming/orders/eu.jsonl", "incoming/with space+plus%25.jsonl", "a=b?c"])("sends printable ASCII %j as it is", (value) => {
    expect(encodeMetadataValue(value)).toBe(value);
  });

  it.each([
    ["incoming/Bestellung-日本.jsonl", "=?UTF-8?B?aW5jb21pbmcvQmVzdGVsbHVuZy3ml6XmnKwuanNvbmw=?="],
    [" padded ", "=?UTF-8?B?IHBhZGRlZCA=?="],
    ["tab\tand\r\nbreaks", "=?UTF-8?B?dGFiCWFuZA0KYnJlYWtz?="],
    ["=?UTF-8?B?eA==?=", "=?UTF-8?B?PT9VVEYtOD9CP2VBPT0/PQ==?="],
  ])("encodes %j, which a header cannot carry as it is, as one RFC 2047 word", (value, encoded) => {
    expect(encodeMetadataValue(value)).toBe(encoded);
    expect(encodeMetadataValue(value)).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeMetadataValue(encoded)).toBe(value);
  });

  it("decodes what S3 may send back: Q encoding, Latin-1, several words", () => {
    expect(decodeMetadataValue("=?UTF-8?Q?Bestellung-=E6=97=A5=E6=9C=AC_x?=")).toBe("Bestellung-日本 x");
    expect(decodeMetadataValue("=?ISO-8859-1?Q?caf=E9?=")).toBe("café");
    expect(decodeMetadataValue("=?UTF-8?B?5pel?= =?UTF-8?B?5pys?=")).toBe("日本");
    expect(decodeMetadataValue("plain =?UTF-8?B?5pel?=")).toBe("plain =?UTF-8?B?5pel?=");
  });

  it("round-trips every value and cuts only what may be cut to fit S3's 2 KB", () => {
    const key = `incoming/${"日".repeat(330)}.jsonl`;
    const metadata = encodeMetadata({ "source-key": key, reason: `Error: ${"失敗 ".repeat(400)}` }, ["reason"]);
    const bytes = Object.entries(metadata).reduce((sum, [n, v]) => sum + Buffer.byteLength(`x-amz-meta-${n}`) + Buffer.byteLength(v), 0);
    expect(bytes).toBeLessThanOrEqual(MAX_USER_METADATA_BYTES);
    const decoded = decodeMetadata(metadata);
    expect(decoded["source-key"]).toBe(key);
    expect(decoded.reason.length).toBeGreaterThan(20);
    expect(`Error: ${"失敗 ".repeat(400)}`.startsWith(decoded.reason)).toBe(true);
  });
});
