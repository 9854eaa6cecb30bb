// The dossier's page on the shared page flow (../layout.ts): its margins, colours and type scale,
// the blocks only a dossier has (headings that become bookmarks and named destinations, label–value
// grids), and which exhibit each page belongs to, for the Bates numbers the furniture prints on
// exhibit pages (render.ts).
import type { PdfDoc, PdfFontHandle, PdfOutline } from '../pdf-doc';
import type { FontKey } from '../text-runs';
import type { Content, TextStyle } from '../text-layout';
import { A4, Layout, type FlowStyle } from '../layout';

export const PAGE = A4;
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

export const BODY: TextStyle = { face: 'sans', bold: false, size: 9.5, color: COLOR.text };
const HEADINGS = {
  1: { size: 16, color: COLOR.primary, before: 14, after: 8 },
  2: { size: 12, color: COLOR.primary, before: 10, after: 5 },
  3: { size: 10, color: COLOR.text, before: 7, after: 3 },
} as const;

const DOSSIER_PAGE: FlowStyle = { page: PAGE, margin: MARGIN, body: BODY, colors: COLOR };

export class DossierLayout extends Layout {
  /** For each page, the exhibit it belongs to (Bates-numbered pages), or null. */
  readonly pageExhibits: (string | null)[] = [];
  /** Pages added while this is set are exhibit pages. */
  exhibitMarker: string | null = null;

  constructor(doc: PdfDoc, fonts: Readonly<Record<FontKey, PdfFontHandle>>, onPageAdded: () => void) {
    super(doc, fonts, DOSSIER_PAGE, onPageAdded);
  }

  override newPage(): void {
    super.newPage();
    this.pageExhibits.push(this.exhibitMarker);
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
}
