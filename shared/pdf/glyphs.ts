// Drawing laid-out runs of text into the page's content stream, one text object per run, with the
// glyphs registered in pdfkit's own subset of the face (so the embedded subset, its widths and its
// ToUnicode map are pdfkit's as ever).
//
// Glyphs come straight from the face's character map, cached per character: in these faces Chinese,
// monospaced and Latin text need no shaping to be correct, and running the shaping engine for each
// of the many unique numbers, hashes, ids and sentences of a dossier (and parsing its tables in a
// fresh process) cost a third of a render. Text the shaper must place (combining marks, scripts
// written with contextual forms) still goes through pdfkit's shaping. Latin text is set without
// kerning, exactly as wide as it was measured.
import type { FontKey } from './text-runs';
import type { PdfDoc, PdfFontHandle } from './pdf-doc';

/** Characters whose glyphs depend on their neighbours: combining marks, joiners, complex scripts. */
const NEEDS_SHAPING = /[\u0300-\u036f\u0483-\u0489\u0591-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f]/;

/** A string's bytes, the low byte of each character (pdfkit's conversion), where Node's Buffer is there. */
const latin1: ((text: string) => Uint8Array) | null = (() => {
  const B = (globalThis as { Buffer?: { from(text: string, encoding: 'latin1'): Uint8Array } }).Buffer;
  return B && typeof B.from === 'function' ? (text: string) => B.from(text, 'latin1') : null;
})();

/** PDF numbers: at most three decimals, never an exponent or "-0". */
function num(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return r === 0 ? '0' : String(r);
}

export class GlyphWriter {
  private readonly hexes = new Map<FontKey, Map<number, string>>();
  /** The same, for ASCII characters, by code. */
  private readonly asciiHexes = new Map<FontKey, (string | undefined)[]>();
  /** Fill colour operators by #rrggbb. */
  private readonly colors = new Map<string, string>();
  /** Operators held back to be written as one piece (pdfkit keeps one array per write). */
  private pending: string[] | null = null;

  constructor(
    private readonly doc: PdfDoc,
    private readonly fonts: Readonly<Record<FontKey, PdfFontHandle>>,
  ) {}

  /** Until release(), text and colour operators are collected; nothing else may be drawn meanwhile. */
  hold(): void {
    this.release();
    this.pending = [];
  }

  release(): void {
    const ops = this.pending;
    this.pending = null;
    if (ops && ops.length) this.write(ops.join('\n'));
  }

  private emit(operators: string): void {
    if (this.pending) this.pending.push(operators);
    else this.write(operators);
  }

  /**
   * Appends operators (and the newline pdfkit ends each with) to the page's content: as bytes made
   * natively where Node's Buffer is (pdfkit converts a string one character at a time), else as
   * pdfkit would.
   */
  private write(operators: string): void {
    if (latin1) this.doc.page.write(latin1(`${operators}\n`));
    else this.doc.addContent(operators);
  }

  /** Sets the fill colour (#rrggbb) for the text that follows. */
  color(hex: string): void {
    this.emit(this.colorOperator(hex));
  }

  /**
   * Fills a rectangle (top-down page coordinates) in a colour, inside its own graphics state: the
   * fill colour the text was set in is the same after it.
   */
  fillRect(hex: string, x: number, y: number, w: number, h: number): void {
    this.emit(`q ${this.colorOperator(hex)} ${num(x)} ${num(y)} ${num(w)} ${num(h)} re f Q`);
  }

  private colorOperator(hex: string): string {
    let op = this.colors.get(hex);
    if (op === undefined) {
      const v = parseInt(hex.slice(1), 16);
      op = `${num((v >> 16) / 255)} ${num(((v >> 8) & 0xff) / 255)} ${num((v & 0xff) / 255)} rg`;
      this.colors.set(hex, op);
    }
    return op;
  }

  /** Draws `text` in one face with its baseline at (x, baseline), in top-down page coordinates. */
  draw(key: FontKey, size: number, text: string, x: number, baseline: number): void {
    const font = this.fonts[key];
    const shown = NEEDS_SHAPING.test(text) ? this.shaped(font, text) : `<${this.mapped(key, font, text)}> Tj`;
    if (shown === null) {
      // Glyphs the shaper positions (marks): pdfkit's own drawing places them.
      this.release();
      this.doc.font(key).fontSize(size);
      this.doc._fragment(text, x, baseline, { baseline: 'alphabetic', textWidth: 0, wordCount: 1 });
      return;
    }
    const fonts = this.doc.page.fonts;
    if (fonts[font.id] === undefined) fonts[font.id] = font.ref();
    // The page's coordinates run top-down (pdfkit flips them once per page); the text matrix
    // flips the glyphs back upright, so no change of the page's matrix (q … cm … Q) is needed.
    this.emit(`BT 1 0 0 -1 ${num(x)} ${num(baseline)} Tm /${font.id} ${num(size)} Tf ${shown} ET`);
  }

  private mapped(key: FontKey, font: PdfFontHandle, text: string): string {
    let cache = this.hexes.get(key);
    if (!cache) this.hexes.set(key, (cache = new Map()));
    let ascii = this.asciiHexes.get(key);
    if (!ascii) this.asciiHexes.set(key, (ascii = new Array<string | undefined>(128).fill(undefined)));
    const scale = 1000 / font.font.unitsPerEm;
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let hex = cp < 0x80 ? ascii[cp] : cache.get(cp);
      if (hex === undefined) {
        let glyph = font.font.glyphForCodePoint(cp);
        // Never the empty glyph (PDF/A forbids drawing .notdef): a replacement mark, still read as the character.
        if (glyph.id === 0) glyph = font.font.hasGlyphForCodePoint(0xfffd) ? font.font.glyphForCodePoint(0xfffd) : font.font.glyphForCodePoint(0x3f);
        const gid = font.subset.includeGlyph(glyph.id);
        font.widths[gid] ??= glyph.advanceWidth * scale;
        font.unicode[gid] ??= [cp];
        hex = gid.toString(16).padStart(4, '0');
        if (cp < 0x80) ascii[cp] = hex;
        else cache.set(cp, hex);
      }
      out += hex;
    }
    return out;
  }

  /** A TJ array with the shaper's kerning, or null when glyphs carry offsets (marks). */
  private shaped(font: PdfFontHandle, text: string): string | null {
    const [encoded, positions] = font.encode(text);
    let out = '[';
    let hex = '';
    for (let i = 0; i < encoded.length; i++) {
      const p = positions[i]!;
      if (p.xOffset || p.yOffset) return null;
      hex += encoded[i];
      const adjust = p.xAdvance - p.advanceWidth;
      if (adjust !== 0) {
        out += `<${hex}> ${num(-adjust)} `;
        hex = '';
      }
    }
    if (hex) out += `<${hex}>`;
    return `${out}] TJ`;
  }
}
