// Incremental UTF-8 validation: the line and column (in characters) of the first invalid sequence,
// whatever the chunk boundaries.
import { describe, it, expect } from 'vitest';
import { checkUtf8, createUtf8Checker, type Utf8Result } from '../../../shared/evidence/utf8';

const enc = (s: string) => Array.from(new TextEncoder().encode(s));
const b = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? enc(p) : p)));

/** Feeds the bytes in chunks cut at the given offsets. */
function inChunks(bytes: Uint8Array, cuts: number[]): Utf8Result {
  const checker = createUtf8Checker();
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const r = checker.push(bytes.subarray(from, cut));
    if (!r.ok) return r;
    from = cut;
  }
  return checker.end();
}

describe('UTF-8 validation', () => {
  it('accepts ASCII, Chinese, emoji and an empty input', () => {
    expect(checkUtf8(b('time,speaker\n2026-03-01,客服 Alice 😀\r\n'))).toEqual({ ok: true });
    expect(checkUtf8(new Uint8Array(0))).toEqual({ ok: true });
    // Edges of the ranges: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF.
    expect(checkUtf8(b([0xc2, 0x80, 0xdf, 0xbf, 0xe0, 0xa0, 0x80, 0xef, 0xbf, 0xbf, 0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf]))).toEqual({ ok: true });
  });

  it('reports the line and the column in characters, not bytes', () => {
    // Line 2 holds 币 (3 bytes) then an invalid byte: column 2, byte offset 3 + 3.
    expect(checkUtf8(b('ab\n币', [0xff]))).toEqual({ ok: false, line: 2, column: 2, byteOffset: 6 });
    // Two emoji (4 bytes each) before it: column 3.
    expect(checkUtf8(b('😀😀', [0x80]))).toEqual({ ok: false, line: 1, column: 3, byteOffset: 8 });
  });

  it('counts CRLF, LF and lone CR line breaks as csv.ts does', () => {
    expect(checkUtf8(b('a\r\nb\rc\n', [0xfe]))).toEqual({ ok: false, line: 4, column: 1, byteOffset: 7 });
  });

  it('does not count a leading byte-order mark as a column', () => {
    expect(checkUtf8(b([0xef, 0xbb, 0xbf], 'a', [0xc0, 0xaf]))).toEqual({ ok: false, line: 1, column: 2, byteOffset: 4 });
    // A BOM elsewhere is a character like any other.
    expect(checkUtf8(b('a', [0xef, 0xbb, 0xbf], [0xff]))).toEqual({ ok: false, line: 1, column: 3, byteOffset: 4 });
  });

  it('refuses overlong forms, surrogates, code points above U+10FFFF and stray bytes, at the sequence start', () => {
    const at = (bad: number[]) => checkUtf8(b('x', bad, 'y'));
    expect(at([0xc0, 0xaf])).toEqual({ ok: false, line: 1, column: 2, byteOffset: 1 }); // overlong '/'
    expect(at([0xc1, 0xbf])).toMatchObject({ ok: false, byteOffset: 1 });
    expect(at([0xe0, 0x80, 0xaf])).toMatchObject({ ok: false, byteOffset: 1 }); // overlong 3-byte
    expect(at([0xf0, 0x80, 0x80, 0xaf])).toMatchObject({ ok: false, byteOffset: 1 }); // overlong 4-byte
    expect(at([0xed, 0xa0, 0x80])).toMatchObject({ ok: false, byteOffset: 1 }); // U+D800
    expect(at([0xf4, 0x90, 0x80, 0x80])).toMatchObject({ ok: false, byteOffset: 1 }); // U+110000
    expect(at([0xf5, 0x80, 0x80, 0x80])).toMatchObject({ ok: false, byteOffset: 1 });
    expect(at([0x80])).toMatchObject({ ok: false, byteOffset: 1 }); // continuation without a lead
    expect(at([0xe4, 0xb8, 0x41])).toMatchObject({ ok: false, byteOffset: 1 }); // cut short by 'A'
    expect(at([0xe4, 0x0a])).toMatchObject({ ok: false, line: 1, column: 2 }); // cut short by a line break
  });

  it('reports a sequence cut off by the end of the input at end()', () => {
    const checker = createUtf8Checker();
    expect(checker.push(b('abc', [0xe4, 0xb8]))).toEqual({ ok: true });
    expect(checker.end()).toEqual({ ok: false, line: 1, column: 4, byteOffset: 3 });
  });

  it('finds the same position whatever the chunk boundaries, also inside a split character', () => {
    // "行1\n" is 5 bytes; then 中 split across chunks, fine; then E4 B8 cut short by 'A' at offset 8.
    const input = b('行1\n中', [0xe4, 0xb8], 'A');
    const expected = { ok: false, line: 2, column: 2, byteOffset: 8 };
    expect(checkUtf8(input)).toEqual(expected);
    for (let cut = 0; cut <= input.length; cut++) expect(inChunks(input, [cut])).toEqual(expected);
    // One byte at a time.
    expect(inChunks(input, Array.from({ length: input.length }, (_, k) => k))).toEqual(expected);
    // A valid text split everywhere stays valid.
    const valid = b('第一行\r\n第二行 😀 end');
    for (let cut = 0; cut <= valid.length; cut++) expect(inChunks(valid, [cut])).toEqual({ ok: true });
  });

  it('keeps returning the first failure after it', () => {
    const checker = createUtf8Checker();
    const first = checker.push(b('a', [0xff]));
    expect(first).toEqual({ ok: false, line: 1, column: 2, byteOffset: 1 });
    expect(checker.push(b('\n', [0xfe]))).toEqual(first);
    expect(checker.end()).toEqual(first);
  });
});
