/**
 * Checks one JSON text without building it: the grammar of RFC 8259, no duplicate key in any
 * object, and which top-level fields are present with a value. The processor keeps a valid
 * record's text as written, so a number a double cannot hold (12345678901234567890, 1e400,
 * 0.1000000000000000055511151231257827) reaches processed/ digit for digit, keys keep their
 * order, and no value is ever re-encoded. JSON.parse cannot do this: it keeps only the last of
 * duplicate keys and rounds numbers. The one change: whitespace between tokens other than a
 * plain space (a raw tab or carriage return, legal in JSON) becomes a space, so the row stays
 * one line for readers that split on CR as well as LF.
 */
export type RecordCheck =
  | { readonly ok: true; readonly text: string; readonly absentFields: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Deeper nesting than this is refused rather than risking the stack. */
export const MAX_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Runs of string characters that need no attention: not a quote, backslash or control character. */
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class Invalid extends Error {}

const NONE: readonly string[] = [];
/** Whitespace JSON allows between tokens that would break a row for some readers. */
const ROW_BREAKING_SPACE = /[\t\n\r]/g;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function describeChar(code: number): string {
  if (code < 0x20) return `control character U+${code.toString(16).padStart(4, "0").toUpperCase()}`;
  return `'${String.fromCharCode(code)}'`;
}

/**
 * Validates `line` as one JSON object. `requiredFields` are top-level fields that must be
 * present, not null and not a blank string; those that are not are returned as absent.
 */
export function checkRecord(line: string, requiredFields: readonly string[] = []): RecordCheck {
  const scanner = new Scanner(line, requiredFields);
  try {
    return scanner.run();
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    if (error instanceof RangeError) return { ok: false, reason: `nesting is deeper than ${MAX_DEPTH} levels` };
    throw error;
  }
}

class Scanner {
  private pos = 0;
  private readonly end: number;
  private readonly start: number;
  /** For each required field: seen with a value (not null, not blank). */
  private readonly present: boolean[];
  /** Keys and indexes leading to the value being scanned; read only to word an error. */
  private readonly path: Array<string | number> = [];
  /** Seen a tab, CR or LF between tokens (inside a string it would be invalid). */
  private sawRowBreakingSpace = false;

  constructor(
    private readonly text: string,
    private readonly required: readonly string[],
  ) {
    let start = 0;
    let end = text.length;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    this.start = start;
    this.end = end;
    this.pos = start;
    this.present = required.map(() => false);
  }

  run(): RecordCheck {
    if (this.start === this.end) throw new Invalid("line is blank");
    const first = this.text.charCodeAt(this.pos);
    if (first !== OPEN_BRACE) {
      const kind = this.kindAt(first);
      if (kind === undefined) this.fail();
      this.value(1);
      this.expectEnd();
      throw new Invalid(`not a JSON object: got ${kind}`);
    }
    this.object(1, true);
    this.expectEnd();
    const absent = this.required.length === 0 ? NONE : this.required.filter((_, i) => !this.present[i]);
    const text = this.start === 0 && this.end === this.text.length ? this.text : this.text.slice(this.start, this.end);
    return { ok: true, text: this.sawRowBreakingSpace ? text.replace(ROW_BREAKING_SPACE, " ") : text, absentFields: absent };
  }

  private kindAt(code: number): string | undefined {
    if (code === OPEN_BRACKET) return "an array";
    if (code === QUOTE) return "a string";
    if (code === MINUS || (code >= ZERO && code <= NINE)) return "a number";
    if (code === 0x74 || code === 0x66) return "a boolean";
    if (code === 0x6e) return "null";
    return undefined;
  }

  private fail(): never {
    if (this.pos >= this.end) throw new Invalid("not valid JSON: unexpected end of line");
    throw new Invalid(`not valid JSON: unexpected ${describeChar(this.text.charCodeAt(this.pos))} at position ${this.pos - this.start}`);
  }

  private skipSpace(): void {
    const text = this.text;
    for (; this.pos < this.end; this.pos++) {
      const code = text.charCodeAt(this.pos);
      if (code === 0x20) continue;
      if (!isSpace(code)) return;
      this.sawRowBreakingSpace = true;
    }
  }

  private expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.end) this.fail();
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError();
    const code = this.text.charCodeAt(this.pos);
    if (code === OPEN_BRACE) this.object(depth, false);
    else if (code === OPEN_BRACKET) this.array(depth);
    else if (code === QUOTE) this.string();
    else if (code === MINUS || (code >= ZERO && code <= NINE)) this.number();
    else if (code === 0x74) this.literal("true");
    else if (code === 0x66) this.literal("false");
    else if (code === 0x6e) this.literal("null");
    else this.fail();
  }

  private literal(word: string): void {
    if (this.text.startsWith(word, this.pos) && this.pos + word.length <= this.end) this.pos += word.length;
    else this.fail();
  }

  private number(): void {
    const text = this.text;
    if (text.charCodeAt(this.pos) === MINUS) this.pos++;
    const first = text.charCodeAt(this.pos);
    if (first === ZERO) this.pos++;
    else if (first > ZERO && first <= NINE) this.digits();
    else this.fail();
    if (text.charCodeAt(this.pos) === DOT) {
      this.pos++;
      this.requireDigits();
    }
    const e = text.charCodeAt(this.pos);
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === PLUS || sign === MINUS) this.pos++;
      this.requireDigits();
    }
  }

  private requireDigits(): void {
    const code = this.text.charCodeAt(this.pos);
    if (!(code >= ZERO && code <= NINE) || this.pos >= this.end) this.fail();
    this.digits();
  }

  private digits(): void {
    const text = this.text;
    while (this.pos < this.end) {
      const code = text.charCodeAt(this.pos);
      if (code < ZERO || code > NINE) break;
      this.pos++;
    }
  }

  /** Scans a string starting at its opening quote; returns whether it holds an escape. */
  private string(): boolean {
    const text = this.text;
    let escaped = false;
    this.pos++;
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = this.pos;
      PLAIN_STRING_RUN.test(text);
      this.pos = PLAIN_STRING_RUN.lastIndex;
      if (this.pos >= this.end) throw new Invalid("not valid JSON: unterminated string");
      const code = text.charCodeAt(this.pos);
      if (code === QUOTE) {
        this.pos++;
        return escaped;
      }
      if (code === BACKSLASH) {
        escaped = true;
        const next = text.charCodeAt(this.pos + 1);
        if (next === 0x75) {
          if (!HEX4.test(text.slice(this.pos + 2, this.pos + 6))) {
            this.pos += 1;
            throw new Invalid(`not valid JSON: bad \\u escape at position ${this.pos - 1 - this.start}`);
          }
          this.pos += 6;
        } else if (
          next === QUOTE ||
          next === BACKSLASH ||
          next === 0x2f ||
          next === 0x62 ||
          next === 0x66 ||
          next === 0x6e ||
          next === 0x72 ||
          next === 0x74
        ) {
          this.pos += 2;
        } else {
          this.pos += 1;
          if (this.pos >= this.end) throw new Invalid("not valid JSON: unterminated string");
          throw new Invalid(`not valid JSON: bad escape ${describeChar(next)} at position ${this.pos - this.start}`);
        }
        continue;
      }
      this.fail(); // a raw control character
    }
  }

  private object(depth: number, topLevel: boolean): void {
    if (depth > MAX_DEPTH) throw new RangeError();
    const text = this.text;
    this.pos++; // {
    this.skipSpace();
    if (text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    // Most objects are small: a list beats a Set until they are not.
    const keys: string[] = [];
    let keySet: Set<string> | undefined;
    for (;;) {
      if (text.charCodeAt(this.pos) !== QUOTE) this.fail();
      const opening = this.pos;
      const key = this.string() ? (JSON.parse(text.slice(opening, this.pos)) as string) : text.slice(opening + 1, this.pos - 1);
      if (keySet ? keySet.has(key) : keys.includes(key)) {
        throw new Invalid(`duplicate key ${JSON.stringify(key)} in ${this.describePath()}: a JSON reader keeps only one of the values`);
      }
      keys.push(key);
      if (!keySet && keys.length > 16) keySet = new Set(keys);
      else keySet?.add(key);
      this.skipSpace();
      if (text.charCodeAt(this.pos) !== COLON) this.fail();
      this.pos++;
      this.skipSpace();
      const valueStart = this.pos;
      this.path.push(key);
      this.value(depth + 1);
      this.path.pop();
      if (topLevel && this.required.length > 0) this.notePresence(key, valueStart, this.pos);
      if (this.closesAfterMember(CLOSE_BRACE)) return;
    }
  }

  /** After a member or an element: true past the closing bracket, false past a comma. */
  private closesAfterMember(close: number): boolean {
    this.skipSpace();
    const next = this.text.charCodeAt(this.pos);
    if (next === COMMA) {
      this.pos++;
      this.skipSpace();
      return false;
    }
    if (next === close) {
      this.pos++;
      return true;
    }
    return this.fail();
  }

  /** `$.order.lines[2]`: where in the record a problem is. */
  private describePath(): string {
    return this.path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : `${text}.${part}`), "$");
  }

  private notePresence(key: string, from: number, to: number): void {
    const index = this.required.indexOf(key);
    if (index < 0) return;
    const code = this.text.charCodeAt(from);
    if (code === 0x6e) return; // null
    if (code === QUOTE) {
      const value = JSON.parse(this.text.slice(from, to)) as string;
      if (value.trim() === "") return;
    }
    this.present[index] = true;
  }

  private array(depth: number): void {
    const text = this.text;
    this.pos++; // [
    this.skipSpace();
    if (text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.path.push(index);
      this.value(depth + 1);
      this.path.pop();
      if (this.closesAfterMember(CLOSE_BRACKET)) return;
    }
  }
}
