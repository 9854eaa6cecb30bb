// The one dossier renderer: a case snapshot and its evidence files in, a PDF/A-3b out. Used by the
// server's worker thread and by the workstation offline; the same snapshot gives the same bytes on
// both, because nothing here reads the clock, the locale or chance: the dates come from the
// snapshot, the file ID from its hash, and pdfkit's own inputs are pinned (see `createDocument`).
// (Streams are deflated by the runtime's zlib: server and workstation need a zlib that compresses
// alike, as Node's and Electron's Chromium-derived ones do on the same kind of CPU.)
//
// Order of work: the cover, pages reserved for the contents, then every section (each heading a
// bookmark and a named destination), then the contents are filled in (their page numbers are known
// by then), then each page's furniture (case number, confidentiality, page X of Y, Bates numbers on
// exhibit pages). The attachments (the original evidence files and manifest.json) are written
// first of all.
import { AppError } from '../../errors';
import { canonical, snapshotHash as snapshotHashOf, type DossierExhibit, type DossierSnapshot } from '../../dossier/snapshot';
import type { PdfFonts } from '../fonts';
import { DOSSIER_RENDERER_PRODUCER } from '../../dossier/version';
import { labelsFor, type Labels } from '../../dossier/format';
import { COLOR, CONTENT_BOTTOM, CONTENT_WIDTH, DossierLayout, MARGIN, PAGE } from './layout';
import { openFaces } from '../faces';
import { PDFDocument, type AfRelationship, type PdfDoc, type PdfRef } from '../pdf-doc';
import { analyseTrades } from '../../dossier/trade-analysis';
import { renderExhibit } from './exhibits';
import {
  exhibitTitle,
  renderApprovals,
  renderAssessment,
  renderClaims,
  renderCover,
  renderCustody,
  renderEscalations,
  renderEvidenceIndex,
  renderInternal,
  renderParties,
  renderRemedies,
  renderRulings,
  renderSummary,
  renderTimeline,
  renderTradeAnalysis,
  sectionHeading,
  type DossierContext,
  type TocEntry,
} from './sections';

export interface DossierAssets {
  fonts: PdfFonts;
  /** Original evidence files by SHA-256 (hex). */
  files: ReadonlyMap<string, Uint8Array>;
  /** The issuing organisation is not a render input: the dossier names no one the snapshot does not. */
  orgName?: never;
}

/** Exhibit types whose content is read into records, which redaction applies to. */
const RECORD_TYPES = new Set(['trade_records', 'order_history', 'fills', 'activity_log', 'chat_transcript', 'onchain_reference']);
/** Media types already compressed: deflating them again would only cost time. */
const COMPRESSED_MEDIA = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'application/zip']);

/**
 * Whether the original file travels with the dossier. Internally always; to an external recipient
 * only when redaction could not have touched it: a file whose records were redacted for them
 * would hand over, in the original, exactly what was cut (PII never leaves the company unredacted).
 */
export function attachesOriginal(exhibit: DossierExhibit, external: boolean): boolean {
  return !external || (exhibit.records.length === 0 && !RECORD_TYPES.has(exhibit.type));
}

export function attachmentName(exhibit: DossierExhibit): string {
  return exhibit.fileName ? `${exhibit.exhibitNumber}_${exhibit.fileName}` : exhibit.exhibitNumber;
}

/** Bates number of the n-th exhibit page (1-based): the case number and six digits. */
export function batesNumber(caseNumber: string, n: number): string {
  return `${caseNumber}-${String(n).padStart(6, '0')}`;
}

/**
 * Renders a dossier. The PDF is returned as a view of a buffer that may be larger than the PDF
 * (copy it, e.g. with `slice()`, before transferring its buffer).
 */
export async function renderDossier(snapshot: DossierSnapshot, assets: DossierAssets, onProgress?: (done: number, total: number) => void): Promise<Uint8Array> {
  const external = snapshot.recipient.kind === 'external';
  const l = labelsFor(snapshot.recipient.language);
  const hash = snapshotHashOf(snapshot);
  const id = dossierIdOfHash(hash);
  const asOf = new Date(snapshot.asOf);

  // Every file the dossier shows or carries must be there, and be the file the snapshot names.
  const attachmentNames = new Map<string, string | null>();
  const verified = new Set<string>();
  for (const e of snapshot.exhibits) {
    const attach = attachesOriginal(e, external);
    attachmentNames.set(e.exhibitNumber, attach ? attachmentName(e) : null);
    const shown = e.type === 'image' || e.mediaType.startsWith('image/');
    if (!attach && !shown) continue;
    const bytes = assets.files.get(e.sha256);
    if (!bytes) throw new AppError('not_found', 'dossier.file_missing', { params: { exhibitNumber: e.exhibitNumber } });
    if (!verified.has(e.sha256)) {
      if ((await sha256Hex(bytes)) !== e.sha256) throw new AppError('conflict', 'dossier.file_mismatch', { params: { exhibitNumber: e.exhibitNumber } });
      verified.add(e.sha256);
    }
  }

  const doc = createDocument(snapshot, l, hash, id, asOf);
  // Room for every file twice (shown and attached), the pages and the fonts; only what is written is used.
  const fileBytes = snapshot.exhibits.reduce((n, e) => n + (assets.files.get(e.sha256)?.length ?? 0), 0);
  const recordCount = snapshot.exhibits.reduce((n, e) => n + e.records.length, 0);
  const output = collect(doc, 2 * fileBytes + 1024 * recordCount + 64 * 1024 * 1024);
  // The originals go into the file first: their copies are garbage long before the pages' peak.
  attachFiles(doc, l, snapshot, assets.files, attachmentNames, hash, id);
  const handles = openFaces(doc, assets.fonts);
  const watermark = external ? l.t('dossier.watermark', { recipient: snapshot.recipient.name }) : null;
  const layout: DossierLayout = new DossierLayout(doc, handles, () => {
    if (watermark) drawWatermark(layout, watermark);
  });

  // ---- plan: every section and exhibit, in order, each with its destination --------------------
  const toc: TocEntry[] = [];
  const entry = (title: string, level: 1 | 2): TocEntry => {
    // Destination names sort the same in every locale (pdfkit sorts name trees with localeCompare).
    const e: TocEntry = { title, level, destination: `d${String(toc.length + 1).padStart(5, '0')}`, page: null };
    toc.push(e);
    return e;
  };
  const tradeAnalysis = analyseTrades(snapshot.exhibits);
  const ctx: DossierContext = { snapshot, layout, l, external, dossierId: id, snapshotHash: hash, attachmentNames, files: assets.files, tradeAnalysis, outline: doc.outline, toc };
  const section = (key: string) => entry(l.t(`dossier.section.${key}`), 1);

  type Step = () => void | Promise<void>;
  const steps: Step[] = [];
  const plan = (key: string, draw: (ctx: DossierContext, e: TocEntry) => void) => {
    const e = section(key);
    steps.push(() => draw(ctx, e));
  };
  plan('summary', renderSummary);
  plan('parties', renderParties);
  plan('timeline', renderTimeline);
  plan('claims', renderClaims);
  plan('evidence_index', renderEvidenceIndex);
  const exhibitsEntry = section('exhibits');
  if (snapshot.exhibits.length === 0)
    steps.push(() => {
      sectionHeading(ctx, exhibitsEntry, { newPage: true });
      layout.paragraph(l.t('dossier.none'));
    });
  let exhibitsOutline: ReturnType<typeof doc.outline.addItem> | null = null;
  snapshot.exhibits.forEach((exhibit, i) => {
    const e = entry(exhibitTitle(l, exhibit), 2);
    steps.push(async () => {
      exhibitsOutline = await renderExhibit(ctx, exhibit, e, exhibitsOutline, i === 0 ? exhibitsEntry : null);
    });
  });
  steps.push(() => {
    layout.exhibitMarker = null; // pages after the exhibits carry no Bates number
  });
  if (tradeAnalysis) plan('trade_analysis', renderTradeAnalysis);
  plan('assessment', renderAssessment);
  plan('remedies', renderRemedies);
  if (!external) {
    plan('approvals', renderApprovals);
    plan('internal', renderInternal);
  }
  plan('escalation', renderEscalations);
  plan('ruling', renderRulings);
  plan('custody', renderCustody);

  const total = steps.length + 3;
  let done = 0;
  let lastYield = performance.now();
  const progress = async () => {
    done++;
    onProgress?.(done, total);
    // Let the caller's event loop breathe (the workstation renders on its main process).
    if (performance.now() - lastYield > 20) {
      await yieldToLoop();
      lastYield = performance.now();
    }
  };

  // ---- cover, reserved contents pages, body ------------------------------------------------------
  layout.newPage();
  renderCover(ctx);
  const tocPageCount = tocPagesFor(toc.length);
  layout.newPage();
  const tocFirstPage = layout.pageIndex;
  doc.outline.addItem(l.t('dossier.section.toc'), { top: MARGIN.top, left: PAGE.width });
  for (let i = 1; i < tocPageCount; i++) layout.newPage();
  await progress();
  for (const step of steps) {
    await step();
    await progress();
  }
  layout.endSection();

  drawContents(layout, l, toc, tocFirstPage);
  await progress();
  drawFurniture(layout, l, snapshot, id);
  layout.finish();
  await progress();

  // pdfkit writes xmp:CreateDate from the info dictionary; PDF/A wants the modification date too.
  const xmpDate = asOf.toISOString().split('.')[0] + 'Z';
  doc.appendXML(`<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:ModifyDate>${xmpDate}</xmp:ModifyDate><xmp:MetadataDate>${xmpDate}</xmp:MetadataDate></rdf:Description>`);
  doc.end();
  const pdf = await output;
  onProgress?.(total, total);
  return pdf;
}

// ---- the document ----------------------------------------------------------------------------------

/** Text in the info dictionary is also written, unescaped, into the XMP packet: keep it XML-safe. */
const xmlSafe = (s: string) => s.replace(/[<>&"]/g, ' ');

/**
 * The pdfkit document, with every input pdfkit would take from the clock or from chance pinned:
 * - the info dictionary's CreationDate (pdfkit's default: now) and ModDate: the snapshot's asOf;
 *   the XMP packet's dates are written from them;
 * - the file ID (pdfkit: an MD5 of the info dictionary): the snapshot hash's first 16 bytes;
 * - embedded files' dates (pdfkit: the file system's, for paths): the exhibits' intake times;
 * - subset tags (ABCDEF+): pdfkit derives them from the font's resource name, fixed by the order
 *   the faces are opened in (openFaces, ../faces.ts); random bytes are used only for encryption,
 *   which a dossier has not;
 * - name trees (destinations, embedded files) are sorted with localeCompare: their keys are chosen
 *   to sort the same in every locale.
 */
function createDocument(snapshot: DossierSnapshot, l: Labels, hash: string, id: string, asOf: Date): PdfDoc {
  const category = l.label('dossier.category', snapshot.case.category);
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    subset: 'PDF/A-3b',
    pdfVersion: '1.7',
    tagged: true,
    lang: snapshot.recipient.language === 'zh-CN' ? 'zh-CN' : 'en-US',
    displayTitle: true,
    info: {
      Title: xmlSafe(l.t('dossier.document_title', { caseNumber: snapshot.case.caseNumber })),
      Author: xmlSafe(l.t('dossier.author')),
      Subject: xmlSafe(l.t('dossier.subject', { category, recipient: snapshot.recipient.name })),
      Keywords: xmlSafe(l.t('dossier.keywords', { caseNumber: snapshot.case.caseNumber, dossierId: id, category })),
      Creator: 'Arbitra',
      Producer: DOSSIER_RENDERER_PRODUCER,
      // Never the clock: the dossier is dated by the case state it shows.
      CreationDate: asOf,
      ModDate: asOf,
    },
  });
  // pdfkit derives the file ID from the info dictionary; the dossier's is its snapshot's hash.
  doc._id = hexBytes(hash.slice(0, 32));
  deflateStreams(doc);
  return doc;
}

/**
 * Collects the PDF as pdfkit writes it into one buffer reserved up front, larger than the PDF can
 * be: memory is only committed where bytes are written, and the bytes are never copied a second
 * time (joining the chunks at the end would hold the whole PDF twice, the peak of a large render).
 * The result is a view of that buffer.
 *
 * pdfkit writes every piece of the file (each object's header, dictionary, stream) through its
 * readable stream, one push per piece: thousands of trips through Node's stream machinery, and a
 * byte array made for each string. Here pdfkit's `_write` (internal: it converts strings to bytes,
 * one byte per character, pushes them and advances the file offset) writes straight into the
 * buffer instead; what was written before (the header) is read out of the stream first, and the
 * stream still ends as ever (pdfkit pushes the end after the trailer). If `_write` is not there,
 * the stream's data events are collected as they come.
 */
function collect(doc: PdfDoc, reserve: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let out = new Uint8Array(reserve);
    // Node's Buffer writes a string's bytes natively (latin1: the low byte of each character, as pdfkit does).
    const NodeBuffer = (globalThis as { Buffer?: { from(buffer: ArrayBufferLike, offset: number, length: number): { write(text: string, offset: number, encoding: 'latin1'): number } } }).Buffer;
    const view = () => (NodeBuffer ? NodeBuffer.from(out.buffer, out.byteOffset, out.byteLength) : null);
    let bytes = view();
    let size = 0;
    const room = (n: number) => {
      if (size + n <= out.length) return;
      const grown = new Uint8Array(Math.max(out.length * 2, size + n));
      grown.set(out.subarray(0, size));
      out = grown;
      bytes = view();
    };
    const put = (chunk: Uint8Array) => {
      room(chunk.length);
      out.set(chunk, size);
      size += chunk.length;
    };
    const internals = doc as unknown as { _write?: unknown; _offset: number; read(): Uint8Array | null };
    if (typeof internals._write === 'function' && typeof internals._offset === 'number') {
      for (let chunk = internals.read(); chunk !== null; chunk = internals.read()) put(chunk);
      internals._write = (data: Uint8Array | string) => {
        if (data instanceof Uint8Array) {
          put(data);
          internals._offset += data.length;
          return;
        }
        const text = `${data}\n`;
        room(text.length);
        if (bytes && text.length > 64) bytes.write(text, size, 'latin1');
        else for (let i = 0; i < text.length; i++) out[size + i] = text.charCodeAt(i) & 0xff;
        size += text.length;
        internals._offset += text.length;
      };
    }
    doc.on('data', put);
    doc.on('error', reject);
    doc.on('end', () => resolve(out.subarray(0, size)));
  });
}

/**
 * Deflate level of the file's streams: for page content (most of what is deflated) about half the
 * time of zlib's default (6) for about 7 % more compressed bytes (0.15 % of a dossier with images).
 */
const DEFLATE_LEVEL = 2;

/**
 * Streams shorter than this (bytes) are stored, not deflated: setting up a deflate stream costs
 * more than the few hundred bytes it saves (a page's furniture, small font tables).
 */
const STORED_BELOW = 4096;

/** Streams written as they are from this size (bytes) on are not copied first (see deflateStreams). */
const WRITTEN_DIRECTLY_ABOVE = 16 * 1024;

const docWrite = (doc: PdfDoc): unknown => (doc as unknown as { _write?: unknown })._write;

type SyncDeflate = (data: Uint8Array, options: { level: number }) => Uint8Array;
const deflateSync: SyncDeflate | null = (() => {
  try {
    const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const zlib = typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule('node:zlib') as { deflateSync?: SyncDeflate } | undefined) : undefined;
    return typeof zlib?.deflateSync === 'function' ? zlib.deflateSync : null;
  } catch {
    return null;
  }
})();

/**
 * Streams are deflated at DEFLATE_LEVEL rather than pdfkit's (zlib's default, 6), by the same zlib:
 * each object pdfkit makes gets a finalize that deflates its data first and hands pdfkit the
 * result as data not to compress again (the object keeps its /Filter). Relies on pdfkit internals
 * (a reference's `compress`, `buffer` and `finalize`); without Node's zlib, pdfkit deflates as ever.
 */
function deflateStreams(doc: PdfDoc): void {
  const deflate = deflateSync;
  if (!deflate) return;
  const make = doc.ref.bind(doc);
  doc.ref = (data) => {
    const ref = make(data) as PdfRef & { buffer?: unknown; finalize?: () => void };
    const finalize = ref.finalize;
    if (typeof finalize !== 'function' || !Array.isArray(ref.buffer)) return ref;
    ref.finalize = function (this: typeof ref) {
      const chunks = this.buffer as Uint8Array[];
      if (!this.compress && Array.isArray(chunks) && chunks.length && chunks.reduce((n, c) => n + c.length, 0) >= WRITTEN_DIRECTLY_ABOVE && typeof docWrite(doc) === 'function') {
        // A large stream written as it is (an evidence file, an image): pdfkit would copy its
        // pieces into one buffer before writing it. It is written from where it is instead, at the place
        // pdfkit writes a stream: after the dictionary, before "endobj" (the same bytes).
        this.buffer = [];
        (this as unknown as { data: { Length?: number } }).data.Length = chunks.reduce((n, c) => n + c.length, 0);
        const internals = doc as unknown as { _write: (data: Uint8Array | string) => void };
        const write = internals._write;
        internals._write = (data) => {
          if (data === 'endobj') {
            internals._write = write;
            write.call(doc, 'stream');
            for (const chunk of chunks) write.call(doc, chunk);
            write.call(doc, '\nendstream');
          }
          write.call(doc, data);
        };
        try {
          return finalize.call(this);
        } finally {
          internals._write = write;
        }
      }
      if (this.compress && Array.isArray(chunks) && chunks.length) {
        const length = chunks.reduce((n, c) => n + c.length, 0);
        if (length < STORED_BELOW) {
          // A page's furniture, a small dictionary stream: stored as it is.
          this.compress = false;
          delete (this as unknown as { data: { Filter?: unknown } }).data.Filter;
          return finalize.call(this);
        }
        let raw: Uint8Array;
        if (chunks.length === 1) raw = chunks[0]!;
        else {
          raw = new Uint8Array(length);
          let at = 0;
          for (const c of chunks) {
            raw.set(c, at);
            at += c.length;
          }
        }
        this.buffer = [deflate(raw, { level: DEFLATE_LEVEL })];
        this.compress = false;
      }
      finalize.call(this);
    };
    return ref;
  };
}

// ---- contents ----------------------------------------------------------------------------------------

const TOC_LINE = 15;
const TOC_FIRST_PAGE_HEAD = 60;

function tocPagesFor(entries: number): number {
  const perPage = Math.floor((CONTENT_BOTTOM - MARGIN.top) / TOC_LINE);
  const first = Math.floor((CONTENT_BOTTOM - MARGIN.top - TOC_FIRST_PAGE_HEAD) / TOC_LINE);
  return entries <= first ? 1 : 1 + Math.ceil((entries - first) / perPage);
}

function drawContents(layout: DossierLayout, l: Labels, toc: readonly TocEntry[], firstPage: number): void {
  const { doc } = layout;
  let page = firstPage;
  doc.switchToPage(page);
  layout.resetColor();
  layout.beginSection(l.t('dossier.section.toc'));
  layout.y = MARGIN.top;
  layout.heading(l.t('dossier.section.toc'), 1, { keepWithNext: 0 });
  layout.y = MARGIN.top + TOC_FIRST_PAGE_HEAD;
  const numberWidth = 40;
  for (const e of toc) {
    if (layout.y + TOC_LINE > CONTENT_BOTTOM) {
      page++;
      doc.switchToPage(page);
      layout.resetColor();
      layout.y = MARGIN.top;
    }
    const indent = e.level === 1 ? 0 : 16;
    const style = e.level === 1 ? { face: 'sans' as const, bold: true, size: 10, color: COLOR.text } : { face: 'sans' as const, bold: false, size: 9, color: COLOR.text };
    const width = CONTENT_WIDTH - indent - numberWidth - 8;
    const full = layout.lines(e.title, style, width);
    let line = full[0]!;
    if (full.length > 1) {
      // One line per entry: a long title is cut, with room left for the ellipsis.
      const ellipsis = layout.measure('sans', style.size, '…');
      line = layout.lines(e.title, style, width - ellipsis)[0]!;
      line.items.push({ text: '…', font: 'sans', size: style.size, color: COLOR.muted, x: line.width, width: ellipsis });
    }
    const pageNumber = e.page === null ? '' : String(e.page + 1);
    const numberLine = layout.lines(pageNumber, { ...style, face: 'mono', bold: false }, numberWidth)[0]!;
    layout.block('TOCI', () => {
      layout.drawLine(line, MARGIN.left + indent, layout.y, width);
      layout.drawLine(numberLine, MARGIN.left + CONTENT_WIDTH - numberWidth, layout.y, numberWidth, 'right');
    });
    doc.goTo(MARGIN.left + indent, layout.y, CONTENT_WIDTH - indent, TOC_LINE - 2, e.destination);
    layout.y += TOC_LINE;
  }
  layout.endSection();
}

// ---- page furniture ------------------------------------------------------------------------------------

function drawFurniture(layout: DossierLayout, l: Labels, snapshot: DossierSnapshot, id: string): void {
  const { doc } = layout;
  const pages = layout.pageCount;
  const marking = snapshot.recipient.kind === 'internal' ? l.t('dossier.confidential.internal') : l.t('dossier.confidential.external', { recipient: snapshot.recipient.name });
  const half = CONTENT_WIDTH / 2;
  let bates = 0;
  const one = (text: string, style: { face: 'sans' | 'mono'; bold: boolean; size: number; color: string }, width: number) => layout.lines(text, style, width)[0]!;
  const caseLine = one(snapshot.case.caseNumber, { face: 'sans', bold: true, size: 8.5, color: COLOR.primary }, half);
  const markingLine = one(marking, { face: 'sans', bold: true, size: 8, color: COLOR.warning }, half + 40);
  const idLine = one(id, { face: 'mono', bold: false, size: 7.2, color: COLOR.muted }, half);
  for (let i = 0; i < pages; i++) {
    doc.switchToPage(i);
    layout.resetColor();
    const exhibit = layout.pageExhibits[i];
    const pageLine = one(l.t('dossier.page_of', { page: i + 1, pages }), { face: 'sans', bold: false, size: 8, color: COLOR.text }, half / 2);
    layout.artifact(() => {
      layout.drawLine(caseLine, MARGIN.left, 30, half);
      layout.drawLine(markingLine, MARGIN.left + CONTENT_WIDTH - half - 40, 30, half + 40, 'right');
      doc.save().lineWidth(0.5).strokeColor(COLOR.rule).moveTo(MARGIN.left, 46).lineTo(MARGIN.left + CONTENT_WIDTH, 46).stroke();
      doc.moveTo(MARGIN.left, PAGE.height - 44).lineTo(MARGIN.left + CONTENT_WIDTH, PAGE.height - 44).stroke().restore();
      layout.resetColor();
      const footerTop = PAGE.height - 38;
      layout.drawLine(idLine, MARGIN.left, footerTop + 1, half);
      layout.drawLine(pageLine, MARGIN.left + CONTENT_WIDTH - half / 2, footerTop, half / 2, 'right');
      if (exhibit) {
        bates++;
        const batesLine = one(batesNumber(snapshot.case.caseNumber, bates), { face: 'mono', bold: false, size: 8.5, color: COLOR.text }, half);
        layout.drawLine(batesLine, MARGIN.left + (CONTENT_WIDTH - half) / 2, footerTop, half, 'center');
      }
    });
  }
}

function drawWatermark(layout: DossierLayout, text: string): void {
  const { doc } = layout;
  const line = layout.lines(text, { face: 'sans', bold: true, size: 34, color: '#7d8792' }, 2000)[0]!;
  const cx = PAGE.width / 2;
  const cy = PAGE.height / 2;
  layout.artifact(() => {
    doc.save();
    doc.rotate(-38, { origin: [cx, cy] });
    doc.fillOpacity(0.12);
    layout.resetColor();
    layout.drawLine(line, cx - line.width / 2, cy - line.size * 0.7, line.width);
    doc.restore();
    layout.resetColor();
  });
}

// ---- attachments ---------------------------------------------------------------------------------------

/** The media type an archive reader should see: sniffed text exports named for what they are. */
function mediaTypeOf(e: DossierExhibit): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(e.fileName)?.[1]?.toLowerCase();
  if (e.mediaType === 'text/plain' && ext === 'csv') return 'text/csv';
  if (e.mediaType === 'text/plain' && ext === 'json') return 'application/json';
  return e.mediaType || 'application/octet-stream';
}

function attachFiles(doc: PdfDoc, l: Labels, snapshot: DossierSnapshot, files: ReadonlyMap<string, Uint8Array>, names: ReadonlyMap<string, string | null>, hash: string, id: string): void {
  let n = 0;
  // Name-tree keys: ASCII (readers search the tree by bytes) that sorts the same in every locale
  // (pdfkit sorts it with localeCompare): a counter and the exhibit number. The file's own name is
  // in its file specification.
  const key = (name: string) => `${String(++n).padStart(4, '0')} ${name}`;
  const manifest = {
    format: 1,
    dossierId: id,
    snapshotSha256: hash,
    caseNumber: snapshot.case.caseNumber,
    asOf: snapshot.asOf,
    recipient: { kind: snapshot.recipient.kind, language: snapshot.recipient.language },
    exhibits: snapshot.exhibits.map((e) => ({
      exhibitNumber: e.exhibitNumber,
      fileName: e.fileName,
      sha256: e.sha256,
      size: e.size,
      mediaType: mediaTypeOf(e),
      attached: names.get(e.exhibitNumber) !== null,
      attachmentName: names.get(e.exhibitNumber) ?? null,
    })),
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(canonical(manifest), null, 2)}\n`);
  const asOf = new Date(snapshot.asOf);
  embedFile(doc, key('manifest.json'), { name: 'manifest.json', bytes: manifestBytes, mediaType: 'application/json', description: l.t('dossier.attachment.manifest'), date: asOf, relationship: 'Data' });
  for (const e of snapshot.exhibits) {
    const name = names.get(e.exhibitNumber);
    if (!name) continue;
    const description = l.t('dossier.attachment.description', { exhibitNumber: e.exhibitNumber, sha256: e.sha256 });
    embedFile(doc, key(e.exhibitNumber.replace(/[^\x21-\x7e]/g, '_')), { name, bytes: files.get(e.sha256)!, mediaType: mediaTypeOf(e), description, date: new Date(e.takenInAt), relationship: 'Source' });
  }
}

/**
 * An associated file of PDF/A-3: the embedded stream (its media type, size and dates) and its file
 * specification, listed in the catalog's /AF and the EmbeddedFiles name tree. Made here rather than
 * with pdfkit's doc.file(), which also hashes every file with MD5 in JavaScript (a tenth of a large
 * render) for an optional checksum; the manifest and the evidence index carry SHA-256 instead.
 */
function embedFile(doc: PdfDoc, key: string, f: { name: string; bytes: Uint8Array; mediaType: string; description: string; date: Date; relationship: AfRelationship }): void {
  const stream = doc.ref({ Type: 'EmbeddedFile', Subtype: pdfName(f.mediaType), Params: { Size: f.bytes.length, CreationDate: f.date, ModDate: f.date } });
  stream.compress = !COMPRESSED_MEDIA.has(f.mediaType);
  stream.end(f.bytes);
  const spec = doc.ref({ Type: 'Filespec', AFRelationship: f.relationship, F: new String(f.name), UF: new String(f.name), EF: { F: stream }, Desc: new String(f.description) });
  spec.end();
  doc.addNamedEmbeddedFile(key, spec);
  (doc._root.data.AF ??= []).push(spec);
}

/** A PDF name: characters outside the regular set written as #xx. */
function pdfName(value: string): string {
  return [...new TextEncoder().encode(value)].map((b) => (b > 0x20 && b < 0x7f && !'()<>[]{}/%#'.includes(String.fromCharCode(b)) ? String.fromCharCode(b) : `#${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

// ---- small helpers ---------------------------------------------------------------------------------------

/**
 * dossierId() of snapshot.ts, from a hash already made: hashing a large snapshot's canonical JSON
 * twice costs a tenth of a second. The tests hold the two to the same result.
 */
function dossierIdOfHash(hash: string): string {
  const h = hash.toUpperCase();
  return `DOS-${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}`;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Node's crypto where it is there: hashing there and then beats a round trip to the thread pool per file. */
const nodeCreateHash: ((algorithm: 'sha256') => { update(data: Uint8Array): { digest(encoding: 'hex'): string } }) | null = (() => {
  try {
    const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const crypto = typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule('node:crypto') as { createHash?: unknown } | undefined) : undefined;
    return typeof crypto?.createHash === 'function' ? (crypto.createHash as (algorithm: 'sha256') => { update(data: Uint8Array): { digest(encoding: 'hex'): string } }) : null;
  } catch {
    return null;
  }
})();

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (nodeCreateHash) return nodeCreateHash('sha256').update(bytes).digest('hex');
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));
