import { MAX_KEY_BYTES } from "../../functions/processor/sources/source-identity";

/** `incoming/` + `日本` repeated + `a`s + `.jsonl`: exactly S3's longest key, 1,024 bytes. */
const LONGEST_KEY = `incoming/${"日本".repeat(167)}${"a".repeat(MAX_KEY_BYTES - "incoming/".length - 1002 - ".jsonl".length)}.jsonl`;

/**
 * Valid S3 keys nobody on the team would type: non-ASCII, spaces, `+`, `%`, `./` and `../`
 * segments, an empty segment, a trailing `/` (with content), spaces at both ends, text that
 * looks like an RFC 2047 encoded word, and the longest key S3 allows.
 */
export const ODD_KEYS: readonly string[] = [
  "incoming/Bestellung-日本.jsonl",
  "incoming/with space and+plus.jsonl",
  "incoming/100%25 %41 literal%.jsonl",
  "incoming/./dot/../dotdot.jsonl",
  "incoming/../escape.jsonl",
  "incoming/double//slash.jsonl",
  "incoming/folder-with-content/",
  "incoming/ leading and trailing space ",
  "incoming/=?UTF-8?B?bm90IGVuY29kZWQ=?=.jsonl",
  "incoming/emoji-😀-ü-é.ndjson",
  LONGEST_KEY,
];
