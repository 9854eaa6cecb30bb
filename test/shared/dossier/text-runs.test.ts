// Mixed Chinese and Latin text goes to the right embedded face run by run, so nothing renders as a
// box: CJK to Noto Sans SC, Latin to Noto Sans (or Mono for hashes), and a character the chosen face
// lacks to one that has it.
import { describe, expect, it } from 'vitest';
import { isCjkCodePoint, splitRuns, type FontKey } from '../../../shared/pdf/text-runs';

const runs = (text: string, face: 'sans' | 'mono' = 'sans', bold = false, coverage?: (f: FontKey, cp: number) => boolean) => splitRuns(text, face, bold, coverage).map((r) => [r.font, r.text]);

describe('splitRuns', () => {
  it('keeps plain Latin text in one run of the face asked for', () => {
    expect(runs('Case ARB-2026-000123, page 3')).toEqual([['sans', 'Case ARB-2026-000123, page 3']]);
    expect(runs('d35832372fb7', 'mono')).toEqual([['mono', 'd35832372fb7']]);
    expect(runs('Bold', 'sans', true)).toEqual([['sansBold', 'Bold']]);
    expect(runs('')).toEqual([]);
  });

  it('gives Chinese to the CJK face and Latin to the Latin face, spaces staying with the run before them', () => {
    expect(runs('用户 Alice 称限价单 BTC-USDT 以 64,950 成交。')).toEqual([
      ['cjk', '用户 '],
      ['sans', 'Alice '],
      ['cjk', '称限价单 '],
      ['sans', 'BTC-USDT '],
      ['cjk', '以 '],
      ['sans', '64,950 '],
      ['cjk', '成交。'],
    ]);
    expect(runs('第 1 页,共 21 页', 'sans', true)).toEqual([
      ['cjkBold', '第 '],
      ['sansBold', '1 '],
      ['cjkBold', '页'],
      ['sansBold', ','],
      ['cjkBold', '共 '],
      ['sansBold', '21 '],
      ['cjkBold', '页'],
    ]);
  });

  it('treats full-width punctuation, kana and Hangul as CJK', () => {
    expect(runs('（注）')).toEqual([['cjk', '（注）']]);
    for (const ch of ['，', '。', '、', '「', 'あ', 'カ', '한', '𠀋']) expect(isCjkCodePoint(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of ['A', 'é', '—', '€', '·']) expect(isCjkCodePoint(ch.codePointAt(0)!), ch).toBe(false);
  });

  it('sends a character the chosen face lacks to the first face that has it', () => {
    // A coverage like the real faces': the Latin face lacks the redaction block and the arrow.
    const coverage = (font: FontKey, cp: number) => !(font.startsWith('sans') && (cp === 0x2588 || cp === 0x2192));
    expect(runs('ID ██ → ok', 'sans', false, coverage)).toEqual([
      ['sans', 'ID '],
      ['cjk', '██ → '],
      ['sans', 'ok'],
    ]);
    // A character no face has becomes the replacement character (PDF/A forbids drawing .notdef).
    const noEmoji = (font: FontKey, cp: number) => cp !== 0x1f600 && (cp !== 0xfffd || font.startsWith('cjk'));
    expect(runs('ok 😀!', 'sans', false, noEmoji)).toEqual([
      ['sans', 'ok '],
      ['cjk', '\ufffd'],
      ['sans', '!'],
    ]);
    // Without coverage, the intent decides (the renderer always passes the faces' coverage).
    expect(runs('A → B')).toEqual([['sans', 'A → B']]);
  });

  it('keeps combining marks with the letter before them', () => {
    expect(runs('Nguyễn Thi\u0323')).toEqual([['sans', 'Nguyễn Thi\u0323']]);
  });
});
