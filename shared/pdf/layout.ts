// Page layout of the dossier on pdfkit: our own line breaking over mixed-face runs (pdfkit's
// wrapper knows one font per call), paragraphs and tables that continue across pages (tables
// repeat their header row), headings that become bookmarks, images scaled to fit, and the tagged
// structure (one section element per dossier section, one element per block).
//
// Text is measured from the faces' advance widths and drawn one run per face (glyphs.ts), on a
// common baseline, so a Latin word inside Chinese text sits on the same line. Everything is laid
// out before it is drawn: a table's column widths come from all of its cells, each row's height
// from its cells' lines, and a row never splits (its header row is repeated on the next page).
import type { PdfDoc, PdfFontHandle, PdfOutline, PdfRef, PdfStructElement } from './pdf-doc';
import type { PlaceableImage } from './images';
import { splitRuns, type FontKey, type TextFace } from './text-runs';
import { GlyphWriter } from './glyphs';

export const PAGE = { width: 595.28, height: 841.89 }; // A4
export const MARGIN = { left: 50, right: 50, top: 64, bottom: 60 };
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
export const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom;

export const COLOR = {
  text: '#1b1f24',
  muted: '#5b6470',
  faint: '#8a929c',
  rule: '#c3c9d1',
  band: '#f1f3f6',
  headerBand: '#e3e8ef',
  primary: '#1f3f66',
  warning: '#8a1c1c',
};

/** Ascent of the line box above the baseline, as a share of the font size (Noto Sans SC's is 1.16, Noto Sans's 1.07). */
const ASCENT = 1.12;
const EPSILON = 0.01;
/** Table content up to this wide (points) keeps to one line when columns are sized from content. */
const SHORT_CELL = 50;

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

interface Atom {
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
const STRIP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFE00-\uFE0F\uFEFF]|\uDB40[\uDD00-\uDDEF]/g;
export function plainText(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/\t/g, '    ').replace(STRIP, '');
}

// Chinese line-breaking rules (禁则): no line starts with closing punctuation, none ends with opening.
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〉〕”’…·,.;:!?)]}％%']);
const NO_LINE_END = new Set([...'（《「『【〈〔“‘([{']);

export class Layout {
  y = MARGIN.top;
  /** For each page, the exhibit it belongs to (Bates-numbered pages), or null. */
  readonly pageExhibits: (string | null)[] = [];
  /** Pages added while this is set are exhibit pages. */
  exhibitMarker: string | null = null;

  private readonly root: PdfStructElement;
  private section: PdfStructElement | null = null;
  private fill: string | null = null;
  private readonly coverageCache: Record<FontKey, Map<number, boolean>> = { sans: new Map(), sansBold: new Map(), cjk: new Map(), cjkBold: new Map(), mono: new Map() };
  private readonly spaceWidths = new Map<string, number>();
  private readonly glyphs: GlyphWriter;
  private readonly advances: Record<FontKey, Map<number, number>> = { sans: new Map(), sansBold: new Map(), cjk: new Map(), cjkBold: new Map(), mono: new Map() };
  private readonly sharedAtoms = new Map<string, readonly Atom[]>();
  private readonly asciiAdvances: Record<FontKey, Float64Array> = { sans: nanTable(), sansBold: nanTable(), cjk: nanTable(), cjkBold: nanTable(), mono: nanTable() };

  constructor(
    readonly doc: PdfDoc,
    private readonly fonts: Readonly<Record<FontKey, PdfFontHandle>>,
    private readonly onPageAdded: () => void,
  ) {
    this.glyphs = new GlyphWriter(doc, fonts);
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
    doc.on('pageAdded', () => {
      this.fill = null;
      this.onPageAdded();
    });
  }

  get pageIndex(): number {
    return this.pageExhibits.length - 1;
  }
  get pageCount(): number {
    return this.pageExhibits.length;
  }
  get room(): number {
    return CONTENT_BOTTOM - this.y;
  }
  get atPageTop(): boolean {
    return this.y <= MARGIN.top + EPSILON;
  }

  newPage(): void {
    const previous = this.pageExhibits.length ? this.doc.page : null;
    if (!previous) this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    // Continuing carries an open tagged block over to the new page (closing it on this one).
    else this.doc.continueOnNewPage();
    if (previous) sealContent(this.doc, previous);
    this.pageExhibits.push(this.exhibitMarker);
    this.y = MARGIN.top;
  }

  /** A new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.y + height > CONTENT_BOTTOM + EPSILON) this.newPage();
  }

  space(height: number): void {
    this.y = Math.min(this.y + height, CONTENT_BOTTOM);
  }

  // ---- tagged structure -------------------------------------------------------------------------

  beginSection(title: string): void {
    this.endSection();
    this.section = this.doc.struct('Sect', { title });
    this.root.add(this.section);
  }

  endSection(): void {
    this.section?.end();
    this.section = null;
  }

  /** Draws one structure element's content (a paragraph, a heading, a table, a figure). */
  block<T>(tag: string, draw: () => T, alt?: string): T {
    const element = this.doc.struct(tag, alt ? { alt } : {});
    (this.section ?? this.root).add(element);
    const content = this.doc.markStructureContent(tag);
    try {
      return draw();
    } finally {
      this.doc.endMarkedContent();
      element.add(content);
      element.end();
    }
  }

  /** Page furniture (headers, footers, watermark): marked as artifacts, outside the structure. */
  artifact(draw: () => void): void {
    this.doc.markContent('Artifact', { type: 'Pagination' });
    draw();
    this.doc.endMarkedContent();
  }

  finish(): void {
    this.endSection();
    this.root.end();
  }

  // ---- text layout ------------------------------------------------------------------------------

  private hasGlyph = (font: FontKey, cp: number): boolean => {
    const cache = this.coverageCache[font];
    let has = cache.get(cp);
    if (has === undefined) {
      has = this.fonts[font].font.hasGlyphForCodePoint(cp);
      cache.set(cp, has);
    }
    return has;
  };

  /**
   * Width of text from the faces' advance widths, cached per character: line breaking needs many
   * measurements and no shaping (pdfkit shapes each run once, when it draws it). Kerning makes
   * drawn Latin text at most slightly narrower than measured, never wider.
   */
  measure(font: FontKey, size: number, text: string): number {
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

  private atoms(content: Content, base: TextStyle): readonly Atom[] {
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

  /** The widest line content makes with no wrapping, and its widest unbreakable piece. */
  private extent(atoms: readonly Atom[]): { natural: number; minimum: number } {
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

  private breakAtoms(atoms: readonly Atom[], defaultSize: number, width: number): Line[] {
    if (atoms.length === 1) {
      // One piece that fits (most table cells): its line, as the general case below makes it.
      const a = atoms[0]!;
      if (!a.hard && a.text !== '' && a.width <= width + EPSILON) return [{ items: [{ text: a.text, font: a.font, size: a.size, color: a.color, x: 0, width: a.width }], width: a.width, size: a.size || defaultSize }];
    }
    const lines: Line[] = [];
    // Atoms on the current line and where each starts (kept apart: atoms are shared, never copied).
    let placed: Atom[] = [];
    let xs: number[] = [];
    let end = 0; // right edge of the last atom's text
    let pending = 0; // its trailing spaces
    const flush = () => {
      lines.push(toLine(placed, xs, defaultSize));
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

  /** Draws one line whose top is at `top`. */
  drawLine(line: Line, x: number, top: number, width: number, align: 'left' | 'right' | 'center' = 'left'): void {
    const offset = align === 'right' ? width - line.width : align === 'center' ? (width - line.width) / 2 : 0;
    const baseline = top + line.size * ASCENT;
    for (const item of line.items) this.drawText(item.text, item.font, item.size, item.color, x + offset + item.x, baseline);
  }

  drawText(text: string, font: FontKey, size: number, color: string, x: number, baseline: number): void {
    if (text === '') return;
    if (this.fill !== color) {
      this.glyphs.color(color);
      this.fill = color;
    }
    this.glyphs.draw(font, size, text, x, baseline);
  }

  /** Forget the fill colour after graphics state was restored or the page switched. */
  resetColor(): void {
    this.fill = null;
  }

  // ---- blocks -----------------------------------------------------------------------------------

  /** A paragraph that continues on the next page when it does not fit. */
  paragraph(
    content: Content,
    style: Partial<TextStyle> = {},
    options: { x?: number; width?: number; leading?: number; spaceAfter?: number; align?: 'left' | 'right' | 'center'; tag?: string } = {},
  ): void {
    const base = { ...BODY, ...style };
    const x = options.x ?? MARGIN.left;
    const width = options.width ?? CONTENT_WIDTH - (x - MARGIN.left);
    const leading = options.leading ?? 1.5;
    const lines = this.lines(content, base, width);
    const first = lines[0]!.size * leading;
    this.ensure(Math.min(first * 2, first * lines.length));
    this.block(options.tag ?? 'P', () => {
      // The paragraph's text is written as one piece per page.
      this.glyphs.hold();
      for (const line of lines) {
        const h = line.size * leading;
        if (this.y + h > CONTENT_BOTTOM + EPSILON) {
          this.glyphs.release();
          this.newPage();
          this.glyphs.hold();
        }
        this.drawLine(line, x, this.y, width, options.align);
        this.y += h;
      }
      this.glyphs.release();
    });
    this.y += options.spaceAfter ?? 4;
  }

  /** A heading kept with what follows it; optionally a bookmark and a named destination. */
  heading(
    text: string,
    level: 1 | 2 | 3,
    options: { outline?: PdfOutline; destination?: string; keepWithNext?: number; newPage?: boolean } = {},
  ): PdfOutline | null {
    const style = HEADINGS[level];
    const lines = this.lines(text, { face: 'sans', bold: true, size: style.size, color: style.color }, CONTENT_WIDTH);
    const height = lines.length * style.size * 1.35;
    if (options.newPage) this.newPage();
    else {
      if (!this.atPageTop) this.y += style.before;
      this.ensure(height + style.after + (options.keepWithNext ?? 48));
    }
    const top = this.y;
    // pdfkit writes an outline destination's left as (page width − left): give the page width for 0.
    const outline = options.outline ? options.outline.addItem(text, { top, left: PAGE.width }) : null;
    if (options.destination) this.doc.addNamedDestination(options.destination, 'XYZ', 0, top, null);
    this.block(`H${level}`, () => {
      for (const line of lines) {
        this.drawLine(line, MARGIN.left, this.y, CONTENT_WIDTH);
        this.y += style.size * 1.35;
      }
      if (level === 1) {
        this.doc.save().lineWidth(0.8).strokeColor(COLOR.primary).moveTo(MARGIN.left, this.y + 1).lineTo(MARGIN.left + CONTENT_WIDTH, this.y + 1).stroke().restore();
        this.resetColor();
        this.y += 3;
      }
    });
    this.y += style.after;
    return outline;
  }

  /** Label–value pairs as a two-column grid. */
  fields(rows: readonly (readonly [string, Content])[], options: { labelShare?: number; size?: number } = {}): void {
    if (rows.length === 0) return;
    const share = options.labelShare ?? 0.3;
    this.table(
      [
        { header: '', weight: share, bold: true, color: COLOR.muted },
        { header: '', weight: 1 - share },
      ],
      rows.map(([label, value]) => [label, value]),
      { header: false, zebra: false, size: options.size ?? 9, padY: 2.2, autoWidth: false },
    );
  }

  /** A table whose rows never split; on a new page the header row is drawn again. */
  table(columns: readonly TableColumn[], rows: readonly (readonly Content[])[], options: TableOptions = {}): void {
    const size = options.size ?? 7.6;
    const x0 = options.x ?? MARGIN.left;
    const width = options.width ?? CONTENT_WIDTH - (x0 - MARGIN.left);
    const padX = 3;
    const padY = options.padY ?? 2.4;
    const leading = options.leading ?? 1.32;
    const lineHeight = size * leading;
    const showHeader = options.header !== false;
    const maxLines = options.maxCellLines ?? 40;
    const pageCapacity = Math.floor((CONTENT_BOTTOM - MARGIN.top - (showHeader ? 3 * lineHeight : 0) - 2 * padY) / lineHeight);
    const styleOf = (c: TableColumn): TextStyle => ({ face: c.face ?? 'sans', bold: c.bold ?? false, size, color: c.color ?? COLOR.text });
    const headerStyle: TextStyle = { face: 'sans', bold: true, size, color: COLOR.text };
    // Every cell is broken into pieces once; the column widths and the lines are made from them.
    const cellAtoms = rows.map((row) => columns.map((c, i) => this.atoms(row[i] ?? '', styleOf(c))));
    const headerAtoms = showHeader ? columns.map((c) => this.atoms(c.header, headerStyle)) : [];
    const widths = this.columnWidths(columns, cellAtoms, headerAtoms, width, padX, options.autoWidth !== false);
    const xs = widths.map((_, i) => x0 + widths.slice(0, i).reduce((s, w) => s + w, 0));

    const headerLines = showHeader ? headerAtoms.map((atoms, i) => this.breakAtoms(atoms, size, widths[i]! - 2 * padX)) : [];
    const headerHeight = showHeader ? Math.max(...headerLines.map((l) => l.length)) * lineHeight + 2 * padY : 0;
    const drawHeader = () => {
      if (!showHeader) return;
      this.glyphs.fillRect(COLOR.headerBand, x0, this.y, width, headerHeight);
      this.glyphs.hold();
      headerLines.forEach((lines, i) => {
        lines.forEach((line, k) => this.drawLine(line, xs[i]! + padX, this.y + padY + k * lineHeight, widths[i]! - 2 * padX, columns[i]!.align));
      });
      this.glyphs.release();
      this.y += headerHeight;
    };

    const layoutRow = (atomsOfRow: readonly (readonly Atom[])[]) =>
      columns.map((_c, i) => {
        let lines = this.breakAtoms(atomsOfRow[i]!, size, widths[i]! - 2 * padX);
        const limit = Math.min(maxLines, pageCapacity);
        if (lines.length > limit) {
          lines = lines.slice(0, limit);
          const last = lines[limit - 1]!;
          const ellipsis = this.measure('sans', size, '…');
          last.items.push({ text: '…', font: 'sans', size, color: COLOR.muted, x: Math.min(last.width, widths[i]! - 2 * padX - ellipsis), width: ellipsis });
        }
        return lines;
      });

    const rowHeight = (cells: Line[][]) => Math.max(1, ...cells.map((l) => l.length)) * lineHeight + 2 * padY;
    const first = cellAtoms.length ? layoutRow(cellAtoms[0]!) : null;
    this.ensure(headerHeight + (first ? rowHeight(first) : 0));
    this.block(options.tag ?? 'Table', () => {
      drawHeader();
      cellAtoms.forEach((atomsOfRow, r) => {
        const cells = r === 0 && first ? first : layoutRow(atomsOfRow);
        const height = rowHeight(cells);
        if (r > 0 && this.y + height > CONTENT_BOTTOM + EPSILON) {
          this.newPage();
          drawHeader();
        }
        if (options.zebra !== false && r % 2 === 1) {
          this.glyphs.fillRect(COLOR.band, x0, this.y, width, height);
        }
        // A row's text is written as one piece.
        this.glyphs.hold();
        cells.forEach((lines, i) => {
          lines.forEach((line, k) => this.drawLine(line, xs[i]! + padX, this.y + padY + k * lineHeight, widths[i]! - 2 * padX, columns[i]!.align));
        });
        this.glyphs.release();
        this.y += height;
      });
      this.doc.save().lineWidth(0.5).strokeColor(COLOR.rule).moveTo(x0, this.y).lineTo(x0 + width, this.y).stroke().restore();
      this.resetColor();
    });
    this.y += options.spaceAfter ?? 8;
  }

  /**
   * Column widths: by the columns' weights, or (`auto`) from the content as a browser sizes a table:
   * each column its natural width when all fit, else between its widest unbreakable piece and its
   * natural width, in proportion; the weights then only set a floor.
   */
  private columnWidths(columns: readonly TableColumn[], cells: readonly (readonly (readonly Atom[])[])[], header: readonly (readonly Atom[])[], width: number, padX: number, auto: boolean): number[] {
    const total = columns.reduce((s, c) => s + c.weight, 0);
    const byWeight = columns.map((c) => (c.weight / total) * width);
    if (!auto || cells.length === 0) return byWeight;
    const pad = 2 * padX + 0.5;
    const extents = columns.map((_, i) => {
      let natural = header[i] ? this.extent(header[i]!).natural : 0;
      let piece = header[i] ? this.extent(header[i]!).minimum : 0;
      for (const row of cells) {
        const e = this.extent(row[i]!);
        if (e.natural > natural) natural = e.natural;
        if (e.minimum > piece) piece = e.minimum;
      }
      return { natural: pad + natural, piece: pad + Math.min(width * 0.22, piece) };
    });
    const natural = extents.map((e) => e.natural);
    // Short content (a status, an amount, a two-character Chinese label) is never broken.
    const minimum = extents.map((e, i) => Math.min(e.natural, Math.max(byWeight[i]! * 0.45, e.piece, SHORT_CELL + pad)));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const naturalSum = sum(natural);
    if (naturalSum <= width) {
      // Room to spare: shared out by weight.
      const spare = width - naturalSum;
      return natural.map((n, i) => n + (spare * columns[i]!.weight) / total);
    }
    const minimumSum = sum(minimum);
    if (minimumSum >= width) {
      // Not even the minimums fit: the widest columns (hashes, long text) give way, down to a level
      // at which all fit, and the narrow ones (numbers, times, labels) stay whole.
      const sorted = [...minimum].sort((a, b) => a - b);
      let rest = width;
      let level = 0;
      for (let k = 0; k < sorted.length; k++) {
        level = rest / (sorted.length - k);
        if (sorted[k]! >= level) break;
        rest -= sorted[k]!;
      }
      return minimum.map((m) => Math.min(m, level));
    }
    const flexible = naturalSum - minimumSum;
    return minimum.map((m, i) => m + ((width - minimumSum) * (natural[i]! - m)) / flexible);
  }

  /** An image scaled to the content width and the room left (a new page when too little is left). */
  image(image: PlaceableImage, alt: string, options: { maxHeight?: number; reserve?: number } = {}): void {
    const iw = image.turned ? image.height : image.width;
    const ih = image.turned ? image.width : image.height;
    // `reserve`: room kept below the image for its caption.
    const reserve = options.reserve ?? 0;
    const fullHeight = CONTENT_BOTTOM - MARGIN.top - reserve;
    const maxHeight = Math.min(options.maxHeight ?? fullHeight, fullHeight);
    const scale = Math.min(CONTENT_WIDTH / iw, maxHeight / ih, 2);
    let w = iw * scale;
    let h = ih * scale;
    const room = this.room - reserve - 6;
    if (h > room) {
      // Shrink to the room left when that keeps it legible; else start a page.
      if (room >= Math.min(h, 240)) {
        const s = room / h;
        w *= s;
        h *= s;
      } else this.newPage();
    }
    const x = MARGIN.left + (CONTENT_WIDTH - w) / 2;
    this.block(
      'Figure',
      () => {
        image.draw(x, this.y, w, h);
        this.doc.save().lineWidth(0.4).strokeColor(COLOR.rule).rect(x, this.y, w, h).stroke().restore();
        this.resetColor();
      },
      alt,
    );
    this.y += h + 6;
  }

  rule(color = COLOR.rule): void {
    this.doc.save().lineWidth(0.5).strokeColor(color).moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).stroke().restore();
    this.resetColor();
  }
}

export interface TableColumn {
  header: string;
  /** Share of the table's width, relative to the other columns. */
  weight: number;
  align?: 'left' | 'right' | 'center';
  face?: TextFace;
  bold?: boolean;
  color?: string;
}

export interface TableOptions {
  size?: number;
  header?: boolean;
  zebra?: boolean;
  x?: number;
  width?: number;
  padY?: number;
  leading?: number;
  maxCellLines?: number;
  spaceAfter?: number;
  /** Size the columns from their content, weights setting only a floor (default); false: by weight. */
  autoWidth?: boolean;
  tag?: string;
}

export const BODY: TextStyle = { face: 'sans', bold: false, size: 9.5, color: COLOR.text };
const HEADINGS = {
  1: { size: 16, color: COLOR.primary, before: 14, after: 8 },
  2: { size: 12, color: COLOR.primary, before: 10, after: 5 },
  3: { size: 10, color: COLOR.text, before: 7, after: 3 },
} as const;


const PLAIN_ASCII = /^[\x20-\x7e]*$/;
/** Strings up to this long have their atoms shared (see Layout.atoms). */
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

/**
 * pdfkit keeps every buffered page's content in memory, one small array per operator, until the
 * document ends: for a dossier of hundreds of pages, most of the memory. When the body leaves a
 * page, that content is finished as a stream of its own (deflated and written to the file now), and
 * the page continues in a second content stream, which only its furniture is added to later (a
 * page's /Contents may be an array of streams, read as one). Every marked-content sequence of the
 * page was closed before, so none spans the two. Relies on pdfkit internals (the page's `content`
 * and `dictionary`); if they are not as expected, the page stays as pdfkit has it.
 */
function sealContent(doc: PdfDoc, page: PdfDoc['page']): void {
  const internals = page as unknown as { content?: PdfRef; dictionary?: { data?: { Contents?: unknown } } };
  const content = internals.content;
  const data = internals.dictionary?.data;
  if (!content || typeof content.end !== 'function' || !data || data.Contents !== content) return;
  content.end();
  const rest = doc.ref({});
  // Never an empty stream object: the furniture is written to it later, but a newline makes it valid regardless.
  rest.write(new TextEncoder().encode('\n'));
  internals.content = rest;
  data.Contents = [content, rest];
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
