// A streaming line splitter over chunks of bytes with a maximum line length, so a file that is one
// 200 MB line costs at most `maxLineLength` bytes of memory before it is refused.
//
// Lines end at LF, CRLF or a lone CR (as in shared/csv.ts); the terminator is not part of the line;
// a final line without a terminator is still a line; an empty input has no lines. The limit is
// counted in bytes (without the terminator; a leading UTF-8 byte-order mark is not counted). The
// error's column counts characters (UTF-8 lead bytes) up to and including the first byte over the
// limit, so for ASCII it is `maxLineLength + 1`.

export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

export interface LineTooLong {
  messageKey: 'evidence.parse.line_too_long';
  line: number;
  column: number;
  /** Offset of the first byte over the limit. */
  byteOffset: number;
  params: { line: number; column: number; maxLength: number };
}

export interface LineSplitterOptions {
  /** Most bytes a line may hold. Default 1 MiB. */
  maxLineLength?: number;
  /**
   * Called with each complete line (a view that is only valid during the call: copy it to keep it),
   * its 1-based number and the offset of its first byte. Without it, lines are only measured.
   */
  onLine?: (bytes: Uint8Array, line: number, byteOffset: number) => void;
}

export interface LineSplitter {
  /** Feeds the next bytes; returns the error once a line is too long (and from then on ignores input). */
  push(chunk: Uint8Array): LineTooLong | null;
  /** The input is over: hands out the last line if it had no terminator. */
  end(): LineTooLong | null;
  readonly error: LineTooLong | null;
  /** Complete lines so far. */
  readonly lines: number;
  /** Bytes held for a line that started in an earlier chunk (never more than maxLineLength). */
  readonly buffered: number;
}

export function createLineSplitter(options: LineSplitterOptions = {}): LineSplitter {
  const maxLen = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError('maxLineLength must be a positive integer');
  const onLine = options.onLine;

  let offset = 0; // absolute offset of the chunk being read
  let lineNo = 1;
  let lineStartOffset = 0; // absolute offset of the current line's first byte
  let lineBytes = 0; // bytes of the current line counted against the limit
  let lineChars = 0;
  let afterCR = false;
  let bomPending = true; // the first bytes may be a byte-order mark
  let error: LineTooLong | null = null;
  let completed = 0;
  // Part of the current line from earlier chunks (only when onLine wants the bytes).
  let carry: Uint8Array | null = onLine ? new Uint8Array(Math.min(maxLen, 64 * 1024)) : null;
  let carryLength = 0;

  const appendCarry = (chunk: Uint8Array, from: number, to: number) => {
    if (!carry || to <= from) return;
    const needed = carryLength + (to - from);
    if (needed > carry.length) {
      const bigger = new Uint8Array(Math.min(maxLen + 4, Math.max(needed, carry.length * 2)));
      bigger.set(carry.subarray(0, carryLength));
      carry = bigger;
    }
    carry.set(chunk.subarray(from, to), carryLength);
    carryLength += to - from;
  };

  const emit = (chunk: Uint8Array, from: number, to: number) => {
    completed++;
    if (onLine) {
      if (carryLength > 0) {
        appendCarry(chunk, from, to);
        onLine(carry!.subarray(0, carryLength), lineNo, lineStartOffset);
        carryLength = 0;
      } else {
        onLine(chunk.subarray(from, to), lineNo, lineStartOffset);
      }
    }
  };

  return {
    push(chunk: Uint8Array): LineTooLong | null {
      if (error) return error;
      const n = chunk.length;
      let from = 0; // start of the current line's part within this chunk
      let k = 0;
      if (bomPending && n > 0) {
        // Skip a UTF-8 BOM at offset 0 (only when it arrives whole in the first chunk).
        if (offset === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          k = 3;
          from = 3;
          lineStartOffset = 3;
        }
        bomPending = false;
      }
      for (; k < n; k++) {
        const b = chunk[k]!;
        if (b === 0x0a || b === 0x0d) {
          if (b === 0x0a && afterCR) {
            // second half of CRLF
            afterCR = false;
            from = k + 1;
            lineStartOffset = offset + k + 1;
            continue;
          }
          emit(chunk, from, k);
          lineNo++;
          lineBytes = 0;
          lineChars = 0;
          afterCR = b === 0x0d;
          from = k + 1;
          lineStartOffset = offset + k + 1;
          continue;
        }
        afterCR = false;
        lineBytes++;
        if ((b & 0xc0) !== 0x80) lineChars++;
        if (lineBytes > maxLen) {
          error = {
            messageKey: 'evidence.parse.line_too_long',
            line: lineNo,
            column: lineChars,
            byteOffset: offset + k,
            params: { line: lineNo, column: lineChars, maxLength: maxLen },
          };
          carry = null;
          carryLength = 0;
          return error;
        }
      }
      appendCarry(chunk, from, n);
      offset += n;
      return null;
    },
    end(): LineTooLong | null {
      if (error) return error;
      if (lineBytes > 0 || carryLength > 0) {
        const empty = new Uint8Array(0);
        emit(empty, 0, 0);
        lineBytes = 0;
      }
      return null;
    },
    get error() {
      return error;
    },
    get lines() {
      return completed;
    },
    get buffered() {
      return carryLength;
    },
  };
}

/** Checks a whole buffer (without copying it): the first line over the limit, or null. */
export function findLongLine(bytes: Uint8Array, maxLineLength = DEFAULT_MAX_LINE_LENGTH): LineTooLong | null {
  const splitter = createLineSplitter({ maxLineLength });
  return splitter.push(bytes) ?? splitter.end();
}
