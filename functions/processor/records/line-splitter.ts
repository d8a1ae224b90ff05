import { isAscii } from "node:buffer";

/** One line of a JSON Lines source, numbered from 1. */
export interface SourceLine {
  readonly number: number;
  readonly text: string;
  /** The line was longer than the limit and `text` holds only its first bytes. */
  readonly truncated: boolean;
  /** The line's bytes were not valid UTF-8 (`text` has replacement characters). */
  readonly invalidUtf8: boolean;
  /** Byte offset in the source where the line starts. */
  readonly startOffset: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
// ignoreBOM keeps a U+FEFF that starts a later line: only the source's own byte-order mark goes.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * Splits a byte stream into lines without holding more than one line (capped at
 * `maxLineBytes`) in memory, so memory stays flat whatever the object's size.
 * Splitting on the 0x0A byte is safe in UTF-8: it never occurs inside a multi-byte character.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private droppedBytes = 0;
  private lineNumber: number;
  /** Offset in the source of the next byte pushed, and of the line being gathered. */
  private offset: number;
  private lineStart: number;

  /**
   * `firstLine` and `startOffset` let a byte range of a source, starting at a line boundary,
   * number its lines as the whole source would.
   */
  constructor(
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
    firstLine = 1,
    startOffset = 0,
  ) {
    this.lineNumber = firstLine - 1;
    this.offset = startOffset;
    this.lineStart = startOffset;
  }

  /** Feeds a chunk; calls `onLine` for every line the chunk completes. */
  push(chunk: Uint8Array, onLine: (line: SourceLine) => void): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    const base = this.offset;
    this.offset += buffer.length;
    let triedAscii = false;
    while (start < buffer.length) {
      // Once the line carried over from the last chunk is done, the rest may go in one step.
      if (!triedAscii && this.pending.length === 0 && this.droppedBytes === 0) {
        triedAscii = true;
        start = this.pushAsciiLines(buffer, start, base, onLine);
        if (start >= buffer.length) return;
      }
      const end = buffer.indexOf(NEWLINE, start);
      if (end === -1) {
        this.keep(buffer.subarray(start));
        return;
      }
      // A line wholly inside this chunk is decoded where it lies, without a copy.
      const whole = this.pending.length === 0 && this.droppedBytes === 0 && end - start <= this.maxLineBytes;
      if (!whole) this.keep(buffer.subarray(start, end));
      const line = this.takeLine(whole ? buffer.subarray(start, end) : undefined);
      this.lineStart = base + end + 1;
      onLine(line);
      start = end + 1;
    }
  }

  /**
   * The common case in one step: when every byte up to the chunk's last newline is ASCII, those
   * lines are decoded at once, and a character's index in the text is its byte offset. Returns
   * where the general path takes over (an over-long line, or the chunk's unfinished last line).
   */
  private pushAsciiLines(buffer: Buffer, from: number, base: number, onLine: (line: SourceLine) => void): number {
    const last = buffer.lastIndexOf(NEWLINE);
    if (last < from || !isAscii(buffer.subarray(from, last))) return from;
    const text = buffer.toString("latin1", from, last);
    const length = last - from;
    let start = 0;
    while (start <= length) {
      const newline = text.indexOf("\n", start);
      const end = newline === -1 ? length : newline;
      if (end - start > this.maxLineBytes) return from + start;
      const textEnd = end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end;
      this.lineNumber += 1;
      onLine({
        number: this.lineNumber,
        text: text.slice(start, textEnd),
        truncated: false,
        invalidUtf8: false,
        startOffset: base + from + start,
      });
      start = end + 1;
      this.lineStart = base + from + start;
    }
    return from + start;
  }

  /** Ends the stream: a last line without a trailing newline is still a line. */
  end(onLine: (line: SourceLine) => void): void {
    if (this.pendingBytes > 0 || this.droppedBytes > 0) onLine(this.takeLine());
  }

  private keep(part: Buffer): void {
    const room = this.maxLineBytes - this.pendingBytes;
    if (part.length <= room) {
      if (part.length > 0) this.pending.push(Buffer.from(part));
      this.pendingBytes += part.length;
    } else {
      if (room > 0) this.pending.push(Buffer.from(part.subarray(0, room)));
      this.pendingBytes += Math.max(room, 0);
      this.droppedBytes += part.length - Math.max(room, 0);
    }
  }

  private takeLine(direct?: Buffer): SourceLine {
    let bytes = direct ?? (this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes));
    const truncated = this.droppedBytes > 0;
    this.pending = [];
    this.pendingBytes = 0;
    this.droppedBytes = 0;
    this.lineNumber += 1;
    if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    let text: string;
    let invalidUtf8 = false;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      // A truncated line may end mid-character; only a complete line is judged on its encoding.
      text = lenientUtf8.decode(bytes);
      invalidUtf8 = !truncated;
    }
    if (this.lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { number: this.lineNumber, text, truncated, invalidUtf8, startOffset: this.lineStart };
  }
}
