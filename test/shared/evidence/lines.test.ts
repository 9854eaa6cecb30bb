// Streaming line splitting with a bounded line length: a 200 MB single-line file costs at most the
// limit in memory and is refused quickly.
import { describe, it, expect } from 'vitest';
import { createLineSplitter, findLongLine, DEFAULT_MAX_LINE_LENGTH } from '../../../shared/evidence/lines';
import { createUtf8Checker } from '../../../shared/evidence/utf8';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function split(chunks: string[], maxLineLength?: number) {
  const lines: [number, string, number][] = [];
  const splitter = createLineSplitter({ maxLineLength, onLine: (bytes, line, offset) => lines.push([line, dec(bytes), offset]) });
  for (const c of chunks) splitter.push(enc(c));
  splitter.end();
  return { lines, splitter };
}

describe('createLineSplitter', () => {
  it('splits on LF, CRLF and lone CR, with line numbers and byte offsets; no empty last line', () => {
    expect(split(['a\nbb\r\nccc\rd\n']).lines).toEqual([
      [1, 'a', 0],
      [2, 'bb', 2],
      [3, 'ccc', 6],
      [4, 'd', 10],
    ]);
    expect(split(['x']).lines).toEqual([[1, 'x', 0]]);
    expect(split(['']).lines).toEqual([]);
    expect(split(['a\n\nb']).lines).toEqual([
      [1, 'a', 0],
      [2, '', 2],
      [3, 'b', 3],
    ]);
  });

  it('joins lines across chunks, and a CRLF split between chunks is one break', () => {
    expect(split(['he', 'llo\r', '\nwor', 'ld', '\r', 'x']).lines).toEqual([
      [1, 'hello', 0],
      [2, 'world', 7],
      [3, 'x', 13],
    ]);
  });

  it('skips a leading byte-order mark', () => {
    expect(split(['\uFEFFid,time\n1,2']).lines).toEqual([
      [1, 'id,time', 3],
      [2, '1,2', 11],
    ]);
  });

  it('accepts a line of exactly the limit and refuses one byte more, column counted in characters', () => {
    expect(split(['12345\n'], 5).splitter.error).toBeNull();
    const { splitter, lines } = split(['ok\n123456\nnext\n'], 5);
    expect(lines).toEqual([[1, 'ok', 0]]);
    expect(splitter.error).toEqual({
      messageKey: 'evidence.parse.line_too_long',
      line: 2,
      column: 6,
      byteOffset: 8,
      params: { line: 2, column: 6, maxLength: 5 },
    });
    // 币币 is 6 bytes: the 6th byte is inside the second character, column 2.
    expect(split(['币币'], 5).splitter.error).toMatchObject({ line: 1, column: 2, byteOffset: 5 });
    expect(findLongLine(enc('a\nbbbb\ncc'), 3)).toMatchObject({ line: 2, column: 4, byteOffset: 5 });
    expect(findLongLine(enc('a\nbbb\ncc'), 3)).toBeNull();
    expect(() => createLineSplitter({ maxLineLength: 0 })).toThrow(RangeError);
  });

  it('refuses a 200 MB single-line file after 1 MiB, holding at most 1 MiB, in seconds', () => {
    const CHUNK = 64 * 1024;
    const TOTAL = 200 * 1024 * 1024;
    const chunk = new Uint8Array(CHUNK).fill(0x61); // one reused buffer: the 200 MB are never held
    let seen = 0;
    let maxBuffered = 0;
    const splitter = createLineSplitter({ onLine: () => seen++ });
    const utf8 = createUtf8Checker();
    const started = Date.now();
    let firstError = null;
    for (let sent = 0; sent < TOTAL; sent += CHUNK) {
      // The UTF-8 check reads all of it (it needs no buffer); the splitter stops at the limit.
      expect(utf8.push(chunk).ok).toBe(true);
      const e = splitter.push(chunk);
      if (e && !firstError) firstError = e;
      maxBuffered = Math.max(maxBuffered, splitter.buffered);
    }
    expect(utf8.end()).toEqual({ ok: true });
    expect(splitter.end()).toBe(firstError);
    expect(firstError).toEqual({
      messageKey: 'evidence.parse.line_too_long',
      line: 1,
      column: DEFAULT_MAX_LINE_LENGTH + 1,
      byteOffset: DEFAULT_MAX_LINE_LENGTH,
      params: { line: 1, column: DEFAULT_MAX_LINE_LENGTH + 1, maxLength: DEFAULT_MAX_LINE_LENGTH },
    });
    expect(seen).toBe(0);
    expect(maxBuffered).toBeLessThanOrEqual(DEFAULT_MAX_LINE_LENGTH);
    expect(splitter.buffered).toBe(0); // released after the error
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
