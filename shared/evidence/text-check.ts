// The checks text evidence passes before it is read: valid UTF-8 (else the line and column of the
// first invalid sequence) and no line over the limit. One implementation for bytes that arrive in
// pieces (an upload as it streams in) and for bytes held whole (parseEvidence), with the same answer
// whatever the pieces: the input is judged in steps of TEXT_CHECK_STEP bytes from its start, and
// after each step the earlier of the two problems found so far (by byte offset), if any, is the
// answer. A 200 MB single-line file is refused after its first step past the line limit.
//
// The two checks are those of createUtf8Checker (./utf8) and createLineSplitter (./lines), with the
// same rules and positions, made in one pass over the bytes: a run of plain ASCII (no line break)
// moves both by its length at once, and only line breaks and bytes ≥ 0x80 are looked at one by one.
// This runs over the first 64 MiB of every large text upload while it streams in.
import type { EvidenceError } from './common';
import { DEFAULT_MAX_LINE_LENGTH, type LineTooLong } from './lines';
import type { Utf8Result } from './utf8';

/** Bytes between two judgements. */
export const TEXT_CHECK_STEP = 1024 * 1024;

export interface TextCheck {
  /** Feeds the next bytes; returns the problem once one is found (and from then on ignores input). */
  push(bytes: Uint8Array): EvidenceError | null;
  /**
   * The input is over. `whole`: it was the whole file, so a sequence cut at the end is an error
   * (false when only the file's beginning was checked: it may end mid-character).
   */
  end(whole: boolean): EvidenceError | null;
  /** Bytes fed so far. */
  readonly length: number;
}

const BOM_LENGTH = 3;
const LF = 0x0a;
const CR = 0x0d;

type Utf8Failure = Extract<Utf8Result, { ok: false }>;

/** Both checks over consecutive bytes, their first problems kept (each stops at its own). */
class TwoChecks {
  offset = 0; // absolute offset of the next byte
  private bomPending = true;
  // UTF-8 (as createUtf8Checker): position for messages, and the sequence in progress.
  utf8Failure: Utf8Failure | null = null;
  private uLine = 1;
  private uColumn = 0; // characters completed on the current line
  private uAfterCR = false;
  private need = 0; // continuation bytes still needed
  private lower = 0x80; // bounds of the next continuation byte
  private upper = 0xbf;
  private seqStart = 0; // offset of the sequence's first byte
  private codePoint = 0;
  // Line length (as createLineSplitter without onLine).
  lineFailure: LineTooLong | null = null;
  private lLine = 1;
  private lBytes = 0; // bytes of the current line counted against the limit
  private lChars = 0; // its characters (bytes that are not continuation bytes)
  private lAfterCR = false;

  constructor(private readonly maxLen: number) {}

  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    const base = this.offset;
    let k = 0;
    if (this.bomPending) {
      // A UTF-8 byte-order mark at offset 0, whole in the first bytes: not a column, not counted
      // against the line (the UTF-8 check reads it as a valid character that is not a column).
      if (n >= BOM_LENGTH && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) k = BOM_LENGTH;
      this.bomPending = false;
    }
    const maxLen = this.maxLen;
    while (k < n) {
      if (this.utf8Failure && this.lineFailure) break;
      // A run of plain ASCII: no line break, not within a sequence (or after the UTF-8 check
      // stopped). Both checks move by its length.
      if (this.need === 0 || this.utf8Failure) {
        const from = k;
        while (k < n) {
          const b = chunk[k]!;
          if (b >= 0x80 || b === LF || b === CR) break;
          k++;
        }
        const run = k - from;
        if (run > 0) {
          if (!this.utf8Failure) {
            this.uColumn += run;
            this.uAfterCR = false;
          }
          if (!this.lineFailure) {
            this.lAfterCR = false;
            if (this.lBytes + run > maxLen) {
              // The first byte over the limit is in this run.
              const over = maxLen - this.lBytes; // bytes of the run still within the limit
              const column = this.lChars + over + 1;
              this.lineFailure = {
                messageKey: 'evidence.parse.line_too_long',
                line: this.lLine,
                column,
                byteOffset: base + from + over,
                params: { line: this.lLine, column, maxLength: maxLen },
              };
            } else {
              this.lBytes += run;
              this.lChars += run;
            }
          }
          continue;
        }
      }
      // One byte as each check reads it: a line break, a byte ≥ 0x80, or any byte within a sequence.
      const b = chunk[k]!;
      if (!this.utf8Failure) this.utf8Byte(b, base + k);
      if (!this.lineFailure) this.lineByte(b, base + k);
      k++;
    }
    this.offset = base + n;
  }

  /** The input is over: a sequence left unfinished is an error. */
  endUtf8(): Utf8Failure | null {
    if (!this.utf8Failure && this.need > 0) this.failUtf8();
    return this.utf8Failure;
  }

  private failUtf8(): void {
    this.utf8Failure = { ok: false, line: this.uLine, column: this.uColumn + 1, byteOffset: this.seqStart };
  }

  private utf8Byte(b: number, at: number): void {
    if (this.need > 0) {
      if (b < this.lower || b > this.upper) return this.failUtf8();
      this.lower = 0x80;
      this.upper = 0xbf;
      this.codePoint = (this.codePoint << 6) | (b & 0x3f);
      if (--this.need === 0) {
        if (!(this.seqStart === 0 && this.codePoint === 0xfeff)) this.uColumn++;
        this.uAfterCR = false;
      }
      return;
    }
    if (b < 0x80) {
      if (b === LF) {
        if (!this.uAfterCR) this.uLine++;
        this.uColumn = 0;
        this.uAfterCR = false;
      } else if (b === CR) {
        this.uLine++;
        this.uColumn = 0;
        this.uAfterCR = true;
      } else {
        this.uColumn++;
        this.uAfterCR = false;
      }
      return;
    }
    this.seqStart = at;
    if (b >= 0xc2 && b <= 0xdf) {
      this.need = 1;
      this.codePoint = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      this.need = 2;
      this.codePoint = b & 0x0f;
      if (b === 0xe0) this.lower = 0xa0;
      else if (b === 0xed) this.upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      this.need = 3;
      this.codePoint = b & 0x07;
      if (b === 0xf0) this.lower = 0x90;
      else if (b === 0xf4) this.upper = 0x8f;
    } else {
      this.failUtf8(); // continuation byte without a lead, C0, C1, F5–FF
    }
  }

  private lineByte(b: number, at: number): void {
    if (b === LF || b === CR) {
      if (b === LF && this.lAfterCR) {
        this.lAfterCR = false; // second half of CRLF
        return;
      }
      this.lLine++;
      this.lBytes = 0;
      this.lChars = 0;
      this.lAfterCR = b === CR;
      return;
    }
    this.lAfterCR = false;
    this.lBytes++;
    if ((b & 0xc0) !== 0x80) this.lChars++;
    if (this.lBytes > this.maxLen) {
      this.lineFailure = {
        messageKey: 'evidence.parse.line_too_long',
        line: this.lLine,
        column: this.lChars,
        byteOffset: at,
        params: { line: this.lLine, column: this.lChars, maxLength: this.maxLen },
      };
    }
  }
}

export function createTextCheck(maxLineLength: number = DEFAULT_MAX_LINE_LENGTH): TextCheck {
  if (!Number.isInteger(maxLineLength) || maxLineLength < 1) throw new RangeError('maxLineLength must be a positive integer');
  const checks = new TwoChecks(maxLineLength);
  let stepEnd = TEXT_CHECK_STEP; // end of the step being fed
  let answer: EvidenceError | null = null;
  let ended = false;
  // A byte-order mark is skipped only when the first bytes fed hold all of it: they wait here
  // until there are enough of them (or the input ends).
  let first: Uint8Array | null = new Uint8Array(0);

  /** The answer after a complete step (`last`: the input's last one). */
  const judge = (last: boolean, whole: boolean): EvidenceError | null => {
    const u = last && whole ? checks.endUtf8() : checks.utf8Failure;
    const l = checks.lineFailure;
    const utf8Error: EvidenceError | null = u
      ? { messageKey: 'evidence.parse.invalid_utf8', line: u.line, column: u.column, byteOffset: u.byteOffset, params: { line: u.line, column: u.column, byteOffset: u.byteOffset } }
      : null;
    const lineError: EvidenceError | null = l ? { messageKey: l.messageKey, line: l.line, column: l.column, byteOffset: l.byteOffset, params: l.params } : null;
    if (utf8Error && lineError) answer = utf8Error.byteOffset! <= lineError.byteOffset! ? utf8Error : lineError;
    else answer = utf8Error ?? lineError;
    return answer;
  };

  return {
    push(bytes: Uint8Array): EvidenceError | null {
      if (answer || ended) return answer;
      let rest = bytes;
      if (first) {
        if (first.length + rest.length < BOM_LENGTH) {
          const more = new Uint8Array(first.length + rest.length);
          more.set(first);
          more.set(rest, first.length);
          first = more;
          return null;
        }
        if (first.length > 0) {
          const joined = new Uint8Array(first.length + rest.length);
          joined.set(first);
          joined.set(rest, first.length);
          rest = joined;
        }
        first = null;
      }
      while (rest.length > 0) {
        if (checks.offset === stepEnd) {
          // A step is complete and more input follows: judge it as not the last.
          if (judge(false, false)) return answer;
          stepEnd += TEXT_CHECK_STEP;
        }
        const n = Math.min(rest.length, stepEnd - checks.offset);
        if (n === rest.length) {
          checks.feed(rest);
          break;
        }
        checks.feed(rest.subarray(0, n));
        rest = rest.subarray(n);
      }
      return null;
    },
    end(whole: boolean): EvidenceError | null {
      if (answer || ended) return answer;
      ended = true;
      if (first) {
        checks.feed(first);
        first = null;
      }
      return judge(true, whole);
    },
    get length() {
      return checks.offset + (first?.length ?? 0);
    },
  };
}

/** Checks bytes held whole: the first problem, or null. */
export function checkText(bytes: Uint8Array, maxLineLength: number = DEFAULT_MAX_LINE_LENGTH, whole = true): EvidenceError | null {
  const check = createTextCheck(maxLineLength);
  return check.push(bytes) ?? check.end(whole);
}
