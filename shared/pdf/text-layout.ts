// The PDF text engine: mixed Chinese and Latin text broken into lines, for the dossier and the
// transparency report alike. pdfkit's own wrapper knows one font per call, so text is cut here into
// runs of one face each (text-runs.ts), the runs into pieces that may not be parted (a Latin word, a
// Chinese character with the punctuation that clings to it), and the pieces are set on lines by
// measured width, with the Chinese line-breaking rules (禁则).
//
// Text is measured as it will be drawn: from the faces' advance widths when it is drawn glyph by
// glyph (glyphs.ts, the dossier: no kerning, and much faster), or as pdfkit's text() shapes it
// (the report, which draws with pdfkit and keeps its kerning). Nothing here draws.
import type { PdfFontHandle } from './pdf-doc';
import { splitRuns, type FontKey, type TextFace, type TextRun } from './text-runs';

/** Tolerance of comparisons of lengths (points): rounding must not push a piece to the next line or page. */
export const EPSILON = 0.01;

export interface TextStyle {
  face: TextFace;
  bold: boolean;
  size: number;
  color: string;
}

/** A piece of text with its own style; unset fields take the block's style. */
export interface Span {
  text: string;
  face?: TextFace;
  bold?: boolean;
  size?: number;
  color?: string;
}

export type Content = string | readonly Span[];

export interface LineItem {
  text: string;
  font: FontKey;
  size: number;
  color: string;
  x: number;
  width: number;
}

export interface Line {
  items: LineItem[];
  width: number;
  size: number;
}

/**
 * A piece of a line that is never parted (a word, a Chinese character and the punctuation that
 * clings to it), measured. Atoms are shared between lines and calls: never changed once made.
 */
export interface Atom {
  text: string;
  /** Trailing spaces, drawn only inside a line. */
  spaces: string;
  font: FontKey;
  size: number;
  color: string;
  width: number;
  spaceWidth: number;
  breakAfter: boolean;
  hard?: true;
}

// Control characters and bidirectional overrides never reach the page: text is plain text.
// Variation selectors only choose emoji forms, which no embedded face has.
// eslint-disable-next-line no-control-regex
const STRIP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFE00-\uFE0F\uFEFF]|\uDB40[\uDD00-\uDDEF]/g;
export function plainText(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/\t/g, '    ').replace(STRIP, '');
}

// Chinese line-breaking rules (禁则): no line starts with closing punctuation, none ends with opening.
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〉〕”’…·,.;:!?)]}％%']);
const NO_LINE_END = new Set([...'（《「『【〈〔“‘([{']);

/**
 * How text is measured, which must be how it is drawn: `advances` for text drawn glyph by glyph from
 * the faces' character maps (glyphs.ts), `shaped` for text drawn with pdfkit's text(), which shapes
 * (and kerns) each word as it draws it.
 */
export type Measuring = 'advances' | 'shaped';

export class TextLayout {
  private readonly coverageCache: Record<FontKey, Map<number, boolean>> = { sans: new Map(), sansBold: new Map(), cjk: new Map(), cjkBold: new Map(), mono: new Map() };
  private readonly spaceWidths = new Map<string, number>();
  private readonly advances: Record<FontKey, Map<number, number>> = { sans: new Map(), sansBold: new Map(), cjk: new Map(), cjkBold: new Map(), mono: new Map() };
  private readonly sharedAtoms = new Map<string, readonly Atom[]>();
  private readonly asciiAdvances: Record<FontKey, Float64Array> = { sans: nanTable(), sansBold: nanTable(), cjk: nanTable(), cjkBold: nanTable(), mono: nanTable() };
  private readonly shaped: boolean;

  constructor(
    private readonly fonts: Readonly<Record<FontKey, PdfFontHandle>>,
    measuring: Measuring = 'advances',
  ) {
    this.shaped = measuring === 'shaped';
  }

  private hasGlyph = (font: FontKey, cp: number): boolean => {
    const cache = this.coverageCache[font];
    let has = cache.get(cp);
    if (has === undefined) {
      has = this.fonts[font].font.hasGlyphForCodePoint(cp);
      cache.set(cp, has);
    }
    return has;
  };

  /** Text in runs of one face each (text-runs.ts), with the faces' own coverage. */
  runs(text: string, face: TextFace, bold: boolean): TextRun[] {
    return splitRuns(text, face, bold, this.hasGlyph);
  }

  /**
   * Width of text. From the faces' advance widths, cached per character: line breaking needs many
   * measurements and no shaping (glyphs.ts draws by the same advances). Or, measuring `shaped`, as
   * pdfkit's text() will draw it (pdfkit caches each word's shaping).
   */
  measure(font: FontKey, size: number, text: string): number {
    if (this.shaped) return this.fonts[font].widthOfString(text, size);
    const cache = this.advances[font];
    const ascii = this.asciiAdvances[font];
    const face = this.fonts[font].font;
    let w = 0;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp < 0x80) {
        // ASCII from a flat table (NaN until first measured): most of a dossier's text.
        let a = ascii[cp]!;
        if (a !== a) {
          a = face.glyphForCodePoint(cp).advanceWidth / face.unitsPerEm;
          ascii[cp] = a;
        }
        w += a;
        continue;
      }
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        cp = text.codePointAt(i)!;
        i++;
      }
      let a = cache.get(cp);
      if (a === undefined) {
        a = face.glyphForCodePoint(cp).advanceWidth / face.unitsPerEm;
        cache.set(cp, a);
      }
      w += a;
    }
    return w * size;
  }

  private spaceWidth(font: FontKey, size: number): number {
    const key = `${font}:${size}`;
    let w = this.spaceWidths.get(key);
    if (w === undefined) {
      w = this.measure(font, size, ' ');
      this.spaceWidths.set(key, w);
    }
    return w;
  }

  /** Content in atoms, in the order they are set. */
  atoms(content: Content, base: TextStyle): readonly Atom[] {
    // Short strings recur (labels, sides, statuses, pairs, column headers): their atoms are made
    // once per style and shared (atoms are never changed once made; breaking copies what it parts).
    if (typeof content === 'string' && content.length <= SHARED_ATOMS_UP_TO) {
      const key = `${base.face}\u0000${base.bold ? 1 : 0}\u0000${base.size}\u0000${base.color}\u0000${content}`;
      let atoms = this.sharedAtoms.get(key);
      if (atoms === undefined) {
        atoms = this.makeAtoms(content, base);
        if (this.sharedAtoms.size < 50_000) this.sharedAtoms.set(key, atoms);
      }
      return atoms;
    }
    return this.makeAtoms(content, base);
  }

  private makeAtoms(content: Content, base: TextStyle): Atom[] {
    // Printable ASCII in one style (most table cells: numbers, times, ids, short labels): plain text
    // already, one run of the base face, words parted only at spaces. The same atoms as below.
    if (typeof content === 'string' && PLAIN_ASCII.test(content)) return this.asciiAtoms(content, base);
    const spans: readonly Span[] = typeof content === 'string' ? [{ text: content }] : content;
    const out: Atom[] = [];
    const make = (text: string, font: FontKey, size: number, color: string, breakAfter: boolean): Atom => {
      if (text !== '' && !isWhiteSpace(text.charCodeAt(text.length - 1))) {
        // No trailing white space (the usual case, and every single CJK character): no need to look.
        return { text, spaces: '', font, size, color, width: this.measure(font, size, text), spaceWidth: 0, breakAfter };
      }
      const m = /\s+$/.exec(text);
      const body = m ? text.slice(0, m.index) : text;
      const spaces = m ? m[0] : '';
      return { text: body, spaces, font, size, color, width: this.measure(font, size, body), spaceWidth: spaces.length * this.spaceWidth(font, size), breakAfter: breakAfter || spaces.length > 0 };
    };
    for (const span of spans) {
      const face = span.face ?? base.face;
      const bold = span.bold ?? base.bold;
      const size = span.size ?? base.size;
      const color = span.color ?? base.color;
      const paragraphs = plainText(span.text).split('\n');
      paragraphs.forEach((para, p) => {
        if (p > 0) out.push({ text: '', spaces: '', font: preferredBase(face, bold), size, color, width: 0, spaceWidth: 0, breakAfter: true, hard: true });
        for (const run of splitRuns(para, face, bold, this.hasGlyph)) {
          if (isCjkFont(run.font)) {
            // Any two CJK characters may be parted, within the punctuation rules.
            const chars = [...run.text];
            let k = 0;
            while (k < chars.length) {
              let text = chars[k]!;
              k++;
              while (k < chars.length && (chars[k] === ' ' || NO_LINE_START.has(chars[k]!) || NO_LINE_END.has(text[text.length - 1]!))) {
                text += chars[k]!;
                k++;
              }
              out.push(make(text, run.font, size, color, true));
            }
          } else {
            // Within a Latin run, words part only at spaces.
            for (const m of run.text.matchAll(/\S+\s*|\s+/g)) out.push(make(m[0], run.font, size, color, false));
          }
        }
      });
    }
    // Where runs meet: CJK text may part from what is next to it, Latin runs of different faces
    // (a hash inside prose) stay together unless a space parts them, and the punctuation rules hold.
    for (let i = 0; i + 1 < out.length; i++) {
      const a = out[i]!;
      const b = out[i + 1]!;
      if (a.hard || b.hard || a.spaces) continue;
      // The rules' characters are all single UTF-16 units: the first and last unit decide.
      const bFirst = b.text.charAt(0);
      const aLast = a.text.charAt(a.text.length - 1);
      if (NO_LINE_START.has(bFirst) || NO_LINE_END.has(aLast)) a.breakAfter = false;
      else a.breakAfter = isCjkFont(a.font) || isCjkFont(b.font);
    }
    return out;
  }

  /** atoms() of a string of printable ASCII: words and their trailing spaces, in the base face. */
  private asciiAtoms(text: string, base: TextStyle): Atom[] {
    const out: Atom[] = [];
    const font = preferredBase(base.face, base.bold);
    const { size, color } = base;
    const n = text.length;
    let i = 0;
    while (i < n) {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 0x20) j++;
      let k = j;
      while (k < n && text.charCodeAt(k) === 0x20) k++;
      const body = j > i ? text.slice(i, j) : '';
      const spaces = k - j;
      out.push({
        text: body,
        spaces: spaces ? text.slice(j, k) : '',
        font,
        size,
        color,
        width: body ? this.measure(font, size, body) : 0,
        spaceWidth: spaces ? spaces * this.spaceWidth(font, size) : 0,
        breakAfter: spaces > 0,
      });
      i = k;
    }
    return out;
  }

  /** Breaks content into lines no wider than `width`. */
  lines(content: Content, base: TextStyle, width: number): Line[] {
    return this.breakAtoms(this.atoms(content, base), base.size, width);
  }

  /** Breaks content into lines no wider than `width`, each as the text it shows (for text drawn as strings). */
  lineTexts(content: Content, base: TextStyle, width: number): string[] {
    return this.breakInto(this.atoms(content, base), width, lineText);
  }

  /** The widest line content makes with no wrapping, and its widest unbreakable piece. */
  extent(atoms: readonly Atom[]): { natural: number; minimum: number } {
    let natural = 0;
    let minimum = 0;
    let line = 0;
    let word = 0;
    for (const a of atoms) {
      if (a.hard) {
        line = 0;
        word = 0;
        continue;
      }
      line += a.width;
      word += a.width;
      natural = Math.max(natural, line);
      minimum = Math.max(minimum, word);
      line += a.spaceWidth;
      if (a.breakAfter) word = 0;
    }
    return { natural, minimum };
  }

  /** Sets atoms on lines no wider than `width`. */
  breakAtoms(atoms: readonly Atom[], defaultSize: number, width: number): Line[] {
    if (atoms.length === 1) {
      // One piece that fits (most table cells): its line, as the general case below makes it.
      const a = atoms[0]!;
      if (!a.hard && a.text !== '' && a.width <= width + EPSILON) return [{ items: [{ text: a.text, font: a.font, size: a.size, color: a.color, x: 0, width: a.width }], width: a.width, size: a.size || defaultSize }];
    }
    return this.breakInto(atoms, width, (placed, xs) => toLine(placed, xs, defaultSize));
  }

  /** The line breaking: each line's atoms and where each starts go to `make`. */
  private breakInto<L>(atoms: readonly Atom[], width: number, make: (placed: readonly Atom[], xs: readonly number[]) => L): L[] {
    const lines: L[] = [];
    // Atoms on the current line and where each starts (kept apart: atoms are shared, never copied).
    let placed: Atom[] = [];
    let xs: number[] = [];
    let end = 0; // right edge of the last atom's text
    let pending = 0; // its trailing spaces
    const flush = () => {
      lines.push(make(placed, xs));
      placed = [];
      xs = [];
      end = 0;
      pending = 0;
    };
    const place = (a: Atom) => {
      const x = placed.length ? end + pending : 0;
      placed.push(a);
      xs.push(x);
      end = x + a.width;
      pending = a.spaceWidth;
    };
    let i = 0;
    while (i < atoms.length) {
      const first = atoms[i]!;
      if (first.hard) {
        flush();
        i++;
        continue;
      }
      if (placed.length === 0 && first.text === '') {
        i++; // spaces at the start of a wrapped line
        continue;
      }
      let j = i;
      let wordWidth = first.width;
      while (!atoms[j]!.breakAfter && j + 1 < atoms.length && !atoms[j + 1]!.hard) {
        wordWidth += atoms[j]!.spaceWidth + atoms[j + 1]!.width;
        j++;
      }
      const start = placed.length ? end + pending : 0;
      if (start + wordWidth <= width + EPSILON) {
        for (let k = i; k <= j; k++) place(atoms[k]!);
        i = j + 1;
      } else if (placed.length) {
        flush();
      } else {
        // One word wider than the line (a hash, a long id): part it between characters.
        for (let k = i; k <= j; k++) {
          const a = atoms[k]!;
          let piece: Atom | null = null;
          for (const ch of a.text) {
            const w = this.measure(a.font, a.size, ch);
            if (placed.length && end + pending + w > width + EPSILON) flush();
            piece = { ...a, text: ch, spaces: '', width: w, spaceWidth: 0 };
            place(piece);
          }
          if (piece) {
            piece.spaces = a.spaces;
            piece.spaceWidth = a.spaceWidth;
            pending = a.spaceWidth;
          }
        }
        i = j + 1;
      }
    }
    if (placed.length || lines.length === 0) flush();
    return lines;
  }
}

const PLAIN_ASCII = /^[\x20-\x7e]*$/;
/** Strings up to this long have their atoms shared (see TextLayout.atoms). */
const SHARED_ATOMS_UP_TO = 40;

/** Whether a UTF-16 unit is white space as regular expressions' \s has it (WhiteSpace and LineTerminator). */
function isWhiteSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function nanTable(): Float64Array {
  return new Float64Array(128).fill(NaN);
}

const isCjkFont = (font: FontKey) => font === 'cjk' || font === 'cjkBold';

function preferredBase(face: TextFace, bold: boolean): FontKey {
  return face === 'mono' ? 'mono' : bold ? 'sansBold' : 'sans';
}

/** Placed atoms become line items: neighbours of one style merge into one drawn run. */
function toLine(placed: readonly Atom[], xs: readonly number[], defaultSize: number): Line {
  const items: LineItem[] = [];
  let size = placed.length ? 0 : defaultSize;
  for (let i = 0; i < placed.length; i++) {
    const a = placed[i]!;
    const x = xs[i]!;
    size = Math.max(size, a.size);
    const prev = items[items.length - 1];
    if (prev && i > 0 && prev.font === a.font && prev.size === a.size && prev.color === a.color) {
      prev.text += placed[i - 1]!.spaces + a.text;
      prev.width = x + a.width - prev.x;
    } else if (a.text !== '') {
      items.push({ text: a.text, font: a.font, size: a.size, color: a.color, x, width: a.width });
    }
  }
  const last = items[items.length - 1];
  return { items, width: last ? last.x + last.width : 0, size: size || defaultSize };
}

/** The text placed atoms show: each with the spaces after it, but for the last. */
function lineText(placed: readonly Atom[]): string {
  let text = '';
  for (let i = 0; i < placed.length; i++) text += i + 1 < placed.length ? placed[i]!.text + placed[i]!.spaces : placed[i]!.text;
  return text;
}
