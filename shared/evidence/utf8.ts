// Incremental UTF-8 validation (RFC 3629 / Unicode §3.9) over chunks of bytes, telling the line and
// column of the first invalid byte sequence, so a person can find it in their file.
//
// Rejected: stray continuation bytes, overlong forms (C0, C1, E0 80–9F, F0 80–8F), surrogates
// (ED A0–BF), code points above U+10FFFF (F4 90–, F5–FF), and a sequence cut short by another
// byte or by the end of the input. The position reported is that of the sequence's first byte.
//
// Lines are broken by LF, CRLF or a lone CR (as in shared/csv.ts). Columns are 1-based and count
// characters (code points); a byte-order mark at the very start is not a column.

export type Utf8Result = { ok: true } | { ok: false; line: number; column: number; byteOffset: number };

export interface Utf8Checker {
  /** Feeds the next bytes; returns the failure as soon as one is found (later pushes return it again). */
  push(chunk: Uint8Array): Utf8Result;
  /** The input is over: a sequence left unfinished is an error. */
  end(): Utf8Result;
}

const OK: Utf8Result = { ok: true };

export function createUtf8Checker(): Utf8Checker {
  let offset = 0; // absolute offset of the next byte
  let line = 1;
  let column = 0; // characters seen on the current line
  let afterCR = false;
  // The sequence in progress.
  let need = 0; // continuation bytes still needed
  let lower = 0x80; // bounds of the next continuation byte
  let upper = 0xbf;
  let seqStart = 0; // offset of its first byte
  let codePoint = 0;
  let failure: Utf8Result | null = null;

  const failAt = (start: number): Utf8Result => {
    failure = { ok: false, line, column: column + 1, byteOffset: start };
    return failure;
  };

  return {
    push(chunk: Uint8Array): Utf8Result {
      if (failure) return failure;
      const n = chunk.length;
      for (let k = 0; k < n; k++) {
        const b = chunk[k]!;
        if (need > 0) {
          if (b < lower || b > upper) return failAt(seqStart);
          lower = 0x80;
          upper = 0xbf;
          codePoint = (codePoint << 6) | (b & 0x3f);
          if (--need === 0) {
            // A byte-order mark at offset 0 is not a column.
            if (!(seqStart === 0 && codePoint === 0xfeff)) column++;
            afterCR = false;
          }
          continue;
        }
        if (b < 0x80) {
          if (b === 0x0a) {
            if (!afterCR) line++;
            column = 0;
            afterCR = false;
          } else if (b === 0x0d) {
            line++;
            column = 0;
            afterCR = true;
          } else {
            column++;
            afterCR = false;
          }
          continue;
        }
        seqStart = offset + k;
        if (b >= 0xc2 && b <= 0xdf) {
          need = 1;
          codePoint = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          codePoint = b & 0x0f;
          if (b === 0xe0) lower = 0xa0;
          else if (b === 0xed) upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          codePoint = b & 0x07;
          if (b === 0xf0) lower = 0x90;
          else if (b === 0xf4) upper = 0x8f;
        } else {
          return failAt(seqStart); // continuation byte without a lead, C0, C1, F5–FF
        }
      }
      offset += n;
      return OK;
    },
    end(): Utf8Result {
      if (failure) return failure;
      if (need > 0) return failAt(seqStart);
      return OK;
    },
  };
}

/** Validates a whole buffer at once. */
export function checkUtf8(bytes: Uint8Array): Utf8Result {
  const checker = createUtf8Checker();
  const r = checker.push(bytes);
  return r.ok ? checker.end() : r;
}
