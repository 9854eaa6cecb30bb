// Mixed Chinese and Latin text in a dossier: which embedded face draws which characters. Each run
// of characters goes to one face: CJK ranges to Noto Sans SC, the rest to Noto Sans (or Noto Sans
// Mono for hashes and ids); a character the chosen face lacks goes to the first face that has it,
// so the reader sees the character rather than a box. Pure: the faces' coverage is passed in.

export type TextFace = 'sans' | 'mono';
export type FontKey = 'sans' | 'sansBold' | 'cjk' | 'cjkBold' | 'mono';
export const FONT_KEYS: readonly FontKey[] = ['sans', 'sansBold', 'cjk', 'cjkBold', 'mono'];

export interface TextRun {
  text: string;
  font: FontKey;
}

/** Whether a face has a glyph for a code point (from the font's cmap). */
export type GlyphCoverage = (font: FontKey, codePoint: number) => boolean;

// Han ideographs and their extensions, CJK symbols and punctuation, kana, bopomofo, Hangul,
// enclosed/compatibility CJK, and the full- and half-width forms Chinese text uses for , 。( ) etc.
const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x11ff],
  [0x2e80, 0x2fdf],
  [0x2ff0, 0x303f],
  [0x3040, 0x31ff],
  [0x3200, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa960, 0xa97f],
  [0xac00, 0xd7ff],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
  [0x20000, 0x3ffff],
];

export function isCjkCodePoint(cp: number): boolean {
  if (cp < 0x1100) return false;
  if (cp >= 0x4e00 && cp <= 0x9fff) return true; // the common ideographs: most of Chinese text
  for (const [lo, hi] of CJK_RANGES) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** Characters that never start a run of their own: they belong with what precedes them. */
function clingsToPrevious(cp: number): boolean {
  return (
    cp === 0x20 ||
    cp === 0xa0 ||
    (cp >= 0x300 && cp <= 0x36f) || // combining diacritics
    cp === 0x200d || // zero-width joiner
    (cp >= 0xfe00 && cp <= 0xfe0f) // variation selectors
  );
}

export function preferredFont(face: TextFace, bold: boolean, cjk: boolean): FontKey {
  if (cjk) return bold ? 'cjkBold' : 'cjk';
  if (face === 'mono') return 'mono';
  return bold ? 'sansBold' : 'sans';
}

const REPLACEMENT = 0xfffd;

// A whole string of printable ASCII needs no look at each character.
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/**
 * Splits text into runs of one face each. `face` is the run's intent (sans for prose, mono for
 * hashes); CJK characters always go to the CJK face; with `coverage`, a character the chosen face
 * lacks goes to the first of sans, CJK, mono that has it, and one no face has becomes U+FFFD.
 */
export function splitRuns(text: string, face: TextFace, bold: boolean, coverage?: GlyphCoverage): TextRun[] {
  if (text === '') return [];
  const base = preferredFont(face, bold, false);
  if (PLAIN_ASCII.test(text)) return [{ text, font: base }];
  const fallbacks: FontKey[] = [base, bold ? 'sansBold' : 'sans', bold ? 'cjkBold' : 'cjk', 'mono'];
  const runs: TextRun[] = [];
  let current: TextRun | null = null;
  for (const original of text) {
    let ch = original;
    const cp = ch.codePointAt(0)!;
    if (current && clingsToPrevious(cp)) {
      current.text += ch;
      continue;
    }
    let font = cp < 0x80 ? base : preferredFont(face, bold, isCjkCodePoint(cp));
    if (coverage && cp >= 0x80 && !coverage(font, cp)) {
      const other = fallbacks.find((f) => coverage(f, cp));
      if (other) font = other;
      else {
        // No face has it (an emoji, say): a replacement character, never an empty glyph box.
        font = fallbacks.find((f) => coverage(f, REPLACEMENT)) ?? base;
        ch = coverage(font, REPLACEMENT) ? String.fromCodePoint(REPLACEMENT) : '?';
      }
    }
    if (current && current.font === font) current.text += ch;
    else {
      current = { text: ch, font };
      runs.push(current);
    }
  }
  return runs;
}
