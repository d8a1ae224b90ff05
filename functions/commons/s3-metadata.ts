/**
 * S3 user metadata travels as `x-amz-meta-*` HTTP headers, which carry printable US-ASCII only:
 * Node refuses to send `incoming/Bestellung-日本.jsonl` in one, and HTTP drops a value's leading
 * and trailing spaces. A value that would not arrive as written is sent as an RFC 2047 encoded
 * word (`=?UTF-8?B?<base64>?=`), which S3 itself decodes on the way in and encodes again on the
 * way out; `decodeMetadataValue` reads either form back.
 */

/** S3's limit on all user metadata of one object: names and values, in UTF-8 bytes. */
export const MAX_USER_METADATA_BYTES = 2048;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
const ENCODED_WORDS_ONLY = /^\s*(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=\s*)+$/;

/** Whether `value` can go in a header as it is and arrive unchanged (and unreinterpreted). */
function travelsAsIs(value: string): boolean {
  return PRINTABLE_ASCII.test(value) && value.trim() === value && !value.includes("=?");
}

/** `value` as a header can carry it: unchanged when it can, else one RFC 2047 encoded word. */
export function encodeMetadataValue(value: string): string {
  return travelsAsIs(value) ? value : `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

/** A header value as it was meant: RFC 2047 encoded words (B or Q, UTF-8 or Latin-1) decoded. */
export function decodeMetadataValue(value: string): string {
  if (!ENCODED_WORDS_ONLY.test(value)) return value;
  // Whitespace between adjacent encoded words is not part of the text (RFC 2047, section 6.2).
  const words = [...value.matchAll(ENCODED_WORD)].map(([, charset, encoding, text]) => {
    const bytes =
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64")
        : Buffer.from(
            text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16))),
            "latin1",
          );
    return new TextDecoder(/^(us-ascii|iso-8859-1|latin1)$/i.test(charset) ? "latin1" : "utf-8").decode(bytes);
  });
  return words.join("");
}

/**
 * User metadata ready to send: every value encoded as a header can carry it. Values named in
 * `cuttable` are shortened (last first) until the whole fits S3's 2 KB, so an explanation can
 * never make the write fail; the others are sent whole.
 */
export function encodeMetadata(values: Readonly<Record<string, string>>, cuttable: readonly string[] = []): Record<string, string> {
  const plain: Record<string, string> = { ...values };
  const encoded = () => Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, encodeMetadataValue(value)]));
  let result = encoded();
  for (const name of [...cuttable].reverse()) {
    while (metadataBytes(result) > MAX_USER_METADATA_BYTES && (plain[name] ?? "").length > 0) {
      const text = [...plain[name]];
      plain[name] = text.slice(0, Math.floor(text.length * 0.8)).join("");
      result = encoded();
    }
  }
  return result;
}

/** Metadata as it was written: each value decoded. */
export function decodeMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([name, value]) => [name, decodeMetadataValue(value)]));
}

/** Counted as sent, header names in full: an upper bound of what S3 counts. */
function metadataBytes(metadata: Readonly<Record<string, string>>): number {
  return Object.entries(metadata).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(`x-amz-meta-${name}`) + Buffer.byteLength(value),
    0,
  );
}
