// Page flow of a PDF on pdfkit, over the text engine (text-layout.ts, table.ts): paragraphs and
// tables that continue across pages (tables repeat their header row), images scaled to fit, and the
// tagged structure (one section element per section, one element per block). The page's size,
// margins, body text and colours are the document's (the dossier's are in dossier/layout.ts).
//
// Text is drawn one run per face (glyphs.ts), on a common baseline, so a Latin word inside Chinese
// text sits on the same line. Everything is laid out before it is drawn: a table's column widths
// come from all of its cells, each row's height from its cells' lines, and a row never splits (its
// header row is repeated on the next page).
import type { PdfDoc, PdfFontHandle, PdfRef, PdfStructElement } from './pdf-doc';
import type { PlaceableImage } from './images';
import type { FontKey } from './text-runs';
import { GlyphWriter } from './glyphs';
import { EPSILON, TextLayout, type Atom, type Content, type Line, type TextStyle } from './text-layout';
import { cellLines, columnStarts, columnWidths, type TableColumn } from './table';

export const A4 = { width: 595.28, height: 841.89 };

/** Ascent of the line box above the baseline, as a share of the font size (Noto Sans SC's is 1.16, Noto Sans's 1.07). */
const ASCENT = 1.12;

/** A document's page and the look of its running text and tables. */
export interface FlowStyle {
  page: { width: number; height: number };
  margin: { left: number; right: number; top: number; bottom: number };
  /** Paragraphs' text, unless a paragraph sets its own. */
  body: TextStyle;
  colors: {
    text: string;
    /** Cut cells' ellipses. */
    muted: string;
    /** Rules, table ends and image frames. */
    rule: string;
    /** Every other table row. */
    band: string;
    /** Table header rows. */
    headerBand: string;
  };
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

export class Layout {
  y: number;
  readonly text: TextLayout;
  readonly page: FlowStyle['page'];
  readonly margin: FlowStyle['margin'];
  readonly contentWidth: number;
  readonly contentBottom: number;

  private pages = 0;
  private readonly colors: FlowStyle['colors'];
  private readonly body: TextStyle;
  private readonly root: PdfStructElement;
  private section: PdfStructElement | null = null;
  private fill: string | null = null;
  private readonly glyphs: GlyphWriter;

  constructor(
    readonly doc: PdfDoc,
    fonts: Readonly<Record<FontKey, PdfFontHandle>>,
    style: FlowStyle,
    private readonly onPageAdded: () => void,
  ) {
    this.page = style.page;
    this.margin = style.margin;
    this.contentWidth = style.page.width - style.margin.left - style.margin.right;
    this.contentBottom = style.page.height - style.margin.bottom;
    this.colors = style.colors;
    this.body = style.body;
    this.y = style.margin.top;
    this.text = new TextLayout(fonts);
    this.glyphs = new GlyphWriter(doc, fonts);
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
    doc.on('pageAdded', () => {
      this.fill = null;
      this.onPageAdded();
    });
  }

  get pageIndex(): number {
    return this.pages - 1;
  }
  get pageCount(): number {
    return this.pages;
  }
  get room(): number {
    return this.contentBottom - this.y;
  }
  get atPageTop(): boolean {
    return this.y <= this.margin.top + EPSILON;
  }

  newPage(): void {
    const previous = this.pages ? this.doc.page : null;
    if (!previous) this.doc.addPage({ size: [this.page.width, this.page.height], margin: 0 });
    // Continuing carries an open tagged block over to the new page (closing it on this one).
    else this.doc.continueOnNewPage();
    if (previous) sealContent(this.doc, previous);
    this.pages++;
    this.y = this.margin.top;
  }

  /** A new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.y + height > this.contentBottom + EPSILON) this.newPage();
  }

  space(height: number): void {
    this.y = Math.min(this.y + height, this.contentBottom);
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

  // ---- text ---------------------------------------------------------------------------------------

  measure(font: FontKey, size: number, text: string): number {
    return this.text.measure(font, size, text);
  }

  /** Breaks content into lines no wider than `width`. */
  lines(content: Content, base: TextStyle, width: number): Line[] {
    return this.text.lines(content, base, width);
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
    const base = { ...this.body, ...style };
    const x = options.x ?? this.margin.left;
    const width = options.width ?? this.contentWidth - (x - this.margin.left);
    const leading = options.leading ?? 1.5;
    const lines = this.lines(content, base, width);
    const first = lines[0]!.size * leading;
    this.ensure(Math.min(first * 2, first * lines.length));
    this.block(options.tag ?? 'P', () => {
      // The paragraph's text is written as one piece per page.
      this.glyphs.hold();
      for (const line of lines) {
        const h = line.size * leading;
        if (this.y + h > this.contentBottom + EPSILON) {
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

  /** A table whose rows never split; on a new page the header row is drawn again. */
  table(columns: readonly TableColumn[], rows: readonly (readonly Content[])[], options: TableOptions = {}): void {
    const size = options.size ?? 7.6;
    const x0 = options.x ?? this.margin.left;
    const width = options.width ?? this.contentWidth - (x0 - this.margin.left);
    const padX = 3;
    const padY = options.padY ?? 2.4;
    const leading = options.leading ?? 1.32;
    const lineHeight = size * leading;
    const showHeader = options.header !== false;
    const maxLines = options.maxCellLines ?? 40;
    const pageCapacity = Math.floor((this.contentBottom - this.margin.top - (showHeader ? 3 * lineHeight : 0) - 2 * padY) / lineHeight);
    const styleOf = (c: TableColumn): TextStyle => ({ face: c.face ?? 'sans', bold: c.bold ?? false, size, color: c.color ?? this.colors.text });
    const headerStyle: TextStyle = { face: 'sans', bold: true, size, color: this.colors.text };
    // Every cell is broken into pieces once; the column widths and the lines are made from them.
    const cellAtoms = rows.map((row) => columns.map((c, i) => this.text.atoms(row[i] ?? '', styleOf(c))));
    const headerAtoms = showHeader ? columns.map((c) => this.text.atoms(c.header, headerStyle)) : [];
    const widths = columnWidths(this.text, columns, cellAtoms, headerAtoms, width, padX, options.autoWidth !== false);
    const xs = columnStarts(x0, widths);

    // A row's text is written as one piece.
    const drawCells = (cells: readonly (readonly Line[])[]) => {
      this.glyphs.hold();
      cells.forEach((lines, i) => {
        lines.forEach((line, k) => this.drawLine(line, xs[i]! + padX, this.y + padY + k * lineHeight, widths[i]! - 2 * padX, columns[i]!.align));
      });
      this.glyphs.release();
    };
    const headerLines = showHeader ? headerAtoms.map((atoms, i) => this.text.breakAtoms(atoms, size, widths[i]! - 2 * padX)) : [];
    const headerHeight = showHeader ? Math.max(...headerLines.map((l) => l.length)) * lineHeight + 2 * padY : 0;
    const drawHeader = () => {
      if (!showHeader) return;
      this.glyphs.fillRect(this.colors.headerBand, x0, this.y, width, headerHeight);
      drawCells(headerLines);
      this.y += headerHeight;
    };

    const limit = Math.min(maxLines, pageCapacity);
    const layoutRow = (atomsOfRow: readonly (readonly Atom[])[]) => columns.map((_c, i) => cellLines(this.text, atomsOfRow[i]!, size, widths[i]! - 2 * padX, limit, this.colors.muted));

    const rowHeight = (cells: Line[][]) => Math.max(1, ...cells.map((l) => l.length)) * lineHeight + 2 * padY;
    const first = cellAtoms.length ? layoutRow(cellAtoms[0]!) : null;
    this.ensure(headerHeight + (first ? rowHeight(first) : 0));
    this.block(options.tag ?? 'Table', () => {
      drawHeader();
      cellAtoms.forEach((atomsOfRow, r) => {
        const cells = r === 0 && first ? first : layoutRow(atomsOfRow);
        const height = rowHeight(cells);
        if (r > 0 && this.y + height > this.contentBottom + EPSILON) {
          this.newPage();
          drawHeader();
        }
        if (options.zebra !== false && r % 2 === 1) {
          this.glyphs.fillRect(this.colors.band, x0, this.y, width, height);
        }
        drawCells(cells);
        this.y += height;
      });
      this.doc.save().lineWidth(0.5).strokeColor(this.colors.rule).moveTo(x0, this.y).lineTo(x0 + width, this.y).stroke().restore();
      this.resetColor();
    });
    this.y += options.spaceAfter ?? 8;
  }

  /** An image scaled to the content width and the room left (a new page when too little is left). */
  image(image: PlaceableImage, alt: string, options: { maxHeight?: number; reserve?: number } = {}): void {
    const iw = image.turned ? image.height : image.width;
    const ih = image.turned ? image.width : image.height;
    // `reserve`: room kept below the image for its caption.
    const reserve = options.reserve ?? 0;
    const fullHeight = this.contentBottom - this.margin.top - reserve;
    const maxHeight = Math.min(options.maxHeight ?? fullHeight, fullHeight);
    const scale = Math.min(this.contentWidth / iw, maxHeight / ih, 2);
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
    const x = this.margin.left + (this.contentWidth - w) / 2;
    this.block(
      'Figure',
      () => {
        image.draw(x, this.y, w, h);
        this.doc.save().lineWidth(0.4).strokeColor(this.colors.rule).rect(x, this.y, w, h).stroke().restore();
        this.resetColor();
      },
      alt,
    );
    this.y += h + 6;
  }

  rule(color = this.colors.rule): void {
    this.doc.save().lineWidth(0.5).strokeColor(color).moveTo(this.margin.left, this.y).lineTo(this.margin.left + this.contentWidth, this.y).stroke().restore();
    this.resetColor();
  }
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
