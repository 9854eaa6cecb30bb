// The part of pdfkit the dossier and the transparency report use, typed (pdfkit ships no type
// declarations). A few members are pdfkit internals, marked as such: the file ID (pinned to the
// snapshot hash) and the current font's handle (to measure text and ask the font which characters
// it has).
// @ts-ignore -- pdfkit ships no type declarations; the subset used here is typed below.
import PDFDocumentModule from 'pdfkit';

export interface PdfStructElement {
  /** A child element, marked content, or a function whose drawing becomes this element's content. */
  add(child: PdfStructElement | PdfStructContent | (() => void)): PdfStructElement;
  end(): void;
}
/** Marked content on one or more pages, to be added to a structure element. */
export interface PdfStructContent {
  readonly refs: readonly unknown[];
}

export interface PdfOutline {
  addItem(title: string, options?: { expanded?: boolean; top?: number; left?: number; zoom?: number }): PdfOutline;
}

/** An image as pdfkit opens it; `obj` is its XObject, written once its data is ready. */
export interface PdfImage {
  width: number;
  height: number;
  orientation?: number;
  obj?: { offset?: number };
}

/** The parsed font (fontkit) inside pdfkit's embedded font. */
export interface FontkitFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
  /** pdfkit opens a font given as an object with `layout` as it is, without parsing bytes again. */
  layout(text: string): unknown;
}

/** pdfkit's embedded font (one per document: it collects the subset), with the internals runs are drawn with. */
export interface PdfFontHandle {
  /** Its resource name on pages, e.g. F3. */
  id: string;
  font: FontkitFont;
  subset: { includeGlyph(glyphId: number): number };
  widths: (number | undefined)[];
  unicode: (number[] | undefined)[];
  /** Width of text at a size as pdfkit's text() draws it: shaped (and kerned) word by word, as pdfkit parts words at spaces. */
  widthOfString(text: string, size: number): number;
  /** Shapes text (pdfkit caches it per word): glyph ids in hex and their positions in thousandths. */
  encode(text: string): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
  /** The font's dictionary, to list in a page's resources. */
  ref(): unknown;
}

/** An indirect object (a stream when data is written to it). */
export interface PdfRef {
  /** Whether its stream is deflated; read when the object is written. */
  compress: boolean;
  write(data: Uint8Array): void;
  end(data?: Uint8Array): void;
}

export type AfRelationship = 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';

export interface PdfDoc {
  /** The current page; `write` appends to its content stream (bytes as they are, a string with a newline). */
  page: { width: number; height: number; fonts: Record<string, unknown>; xobjects: Record<string, unknown>; write(data: Uint8Array | string): void };
  outline: PdfOutline;
  /** Internal: the file identifier written to the trailer's /ID. */
  _id: Uint8Array;
  /** Internal: the current font. */
  _font: PdfFontHandle;
  registerFont(name: string, src: Uint8Array | FontkitFont): PdfDoc;
  font(name: string): PdfDoc;
  fontSize(size: number): PdfDoc;
  fillColor(color: string): PdfDoc;
  strokeColor(color: string): PdfDoc;
  fillOpacity(opacity: number): PdfDoc;
  lineWidth(width: number): PdfDoc;
  rect(x: number, y: number, w: number, h: number): PdfDoc;
  moveTo(x: number, y: number): PdfDoc;
  lineTo(x: number, y: number): PdfDoc;
  fill(color?: string): PdfDoc;
  stroke(color?: string): PdfDoc;
  save(): PdfDoc;
  restore(): PdfDoc;
  rotate(angle: number, options?: { origin?: [number, number] }): PdfDoc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfDoc;
  widthOfString(text: string): number;
  /** Internal: draws one run of text at a position, without pdfkit's line wrapping and bookkeeping. */
  _fragment(text: string, x: number, y: number, options: { baseline: 'alphabetic'; textWidth: number; wordCount: number }): void;
  image(image: PdfImage, x: number, y: number, options: { width?: number; height?: number }): PdfDoc;
  openImage(src: Uint8Array): PdfImage;
  ref(data: Record<string, unknown>): PdfRef;
  addNamedEmbeddedFile(name: string, fileSpec: PdfRef): void;
  /** Internal: the document catalog (its /AF array lists the associated files of PDF/A-3). */
  _root: { data: { AF?: PdfRef[] } };
  addNamedDestination(name: string, kind: 'XYZ', x: number, y: number, zoom: null): void;
  goTo(x: number, y: number, w: number, h: number, name: string): PdfDoc;
  addPage(options?: Record<string, unknown>): PdfDoc;
  continueOnNewPage(): PdfDoc;
  switchToPage(n: number): unknown;
  bufferedPageRange(): { start: number; count: number };
  struct(type: string, options?: { alt?: string; title?: string; lang?: string; scope?: string }, children?: (() => void)[]): PdfStructElement;
  addStructure(element: PdfStructElement): PdfDoc;
  markStructureContent(tag: string, options?: Record<string, unknown>): PdfStructContent;
  markContent(tag: string, options?: Record<string, unknown>): PdfDoc;
  endMarkedContent(): PdfDoc;
  appendXML(xml: string, newline?: boolean): void;
  /** Appends operators to the current page's content stream. */
  addContent(operators: string): PdfDoc;
  on(event: 'pageAdded', fn: () => void): PdfDoc;
  on(event: 'data', fn: (chunk: Uint8Array) => void): PdfDoc;
  on(event: 'end', fn: () => void): PdfDoc;
  on(event: 'error', fn: (e: unknown) => void): PdfDoc;
  end(): void;
}

export type PdfDocCtor = new (options: Record<string, unknown>) => PdfDoc;
export const PDFDocument = PDFDocumentModule as unknown as PdfDocCtor;
