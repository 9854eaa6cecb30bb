// The transparency report as a PDF (pdfkit): a title page with the period, the headline figures and
// the definitions, then tables and vector charts (complaints by category and by channel, outcomes,
// response and resolution times, SLA breach rates, objection and escalation rates, satisfaction).
// PDF/A-3b, tagged, with the document language set; fonts embedded as subsets.
// Deterministic: the same stats, language and generatedAt give the same bytes (no clock, no
// randomness, no locale-dependent formatting).
//
// Text goes through the PDF text engine the dossier uses too: its faces (../faces.ts), its split of
// mixed text into runs of one face (../text-runs.ts), its line breaking (../text-layout.ts) and its
// table columns (../table.ts). What is the report's own is its look: blocks measured before they
// are drawn, fixed-height table rows, the charts. Its text is drawn with pdfkit's text(), shaped
// and kerned (the dossier draws unkerned glyphs, for speed), so the engine measures it `shaped`,
// as pdfkit draws it.
import type { Language } from '../../domain';
import { PDFDocument, type PdfDoc, type PdfStructElement as PdfStruct } from '../pdf-doc';
import type { PdfFonts } from '../fonts';
import { openFacesOnFirstUse } from '../faces';
import { A4 } from '../layout';
import { columnStarts, widthsByWeight, type TableColumn } from '../table';
import { plainText, TextLayout, type TextStyle } from '../text-layout';
import { hasMessage, translate } from '../../i18n';
import { OUTCOMES, type CountShare, type TransparencyStats } from '../../reports/transparency';

/** The audit chain's newest signed checkpoint (server/src/audit/checkpoint.ts), as the report prints it. */
export interface TransparencyAuditCheckpoint {
  seq: string;
  hash: string;
  at: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

export interface RenderTransparencyOptions {
  language: Language;
  fonts: PdfFonts;
  /** Printed on the title page and written as the document's creation date. Never the clock. */
  generatedAt: Date;
  /** The audit checkpoint section: printed when given (null: none written yet), left out when undefined. */
  auditCheckpoint?: TransparencyAuditCheckpoint | null;
}

// ---- layout ------------------------------------------------------------------------------------

const PAGE = A4;
const MARGIN = { left: 56, right: 56, top: 56, bottom: 72 };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

const COLOR = {
  text: '#1b1f24',
  muted: '#5b6470',
  rule: '#c9ced6',
  grid: '#e3e6eb',
  band: '#f3f5f8',
  primary: '#1f4e79',
  accent: '#2e86c1',
  p90: '#e08e0b',
  breach: '#c0392b',
  good: '#2e8b57',
};

/** Colours of the outcome bars, in OUTCOMES order. */
const OUTCOME_COLORS = ['#2e8b57', '#7fb3d5', '#17a589', '#6c3483', '#c0392b', '#95a5a6'];

type Weight = 'regular' | 'bold';

// ---- number and date formats (fixed, not the host's locale) ------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function grouped(n: number): string {
  const [int, frac] = String(n).split('.');
  const withCommas = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? withCommas : `${withCommas}.${frac}`;
}

function fixed(n: number, digits: number): string {
  // toFixed rounds binary halves unpredictably for display; round on the decimal value first.
  const f = 10 ** digits;
  return (Math.round(n * f + Number.EPSILON * f) / f).toFixed(digits);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function isoMinute(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
const atMidnight = (d: Date) => d.getTime() % DAY === 0;

/** The period as people read it: whole days show the last day included. */
export function periodLabels(from: Date, to: Date): { from: string; to: string } {
  return {
    from: atMidnight(from) ? isoDate(from) : isoMinute(from),
    to: atMidnight(to) ? isoDate(new Date(to.getTime() - DAY)) : isoMinute(to),
  };
}

/** A time unit fitting durations up to `maxMs`. */
function unitFor(maxMs: number): { ms: number; key: 'minutes' | 'hours' | 'days' } {
  if (maxMs < 2 * HOUR) return { ms: MINUTE, key: 'minutes' };
  if (maxMs < 3 * DAY) return { ms: HOUR, key: 'hours' };
  return { ms: DAY, key: 'days' };
}

// ---- the document ------------------------------------------------------------------------------

class ReportWriter {
  readonly doc: PdfDoc;
  readonly root: PdfStruct;
  y = MARGIN.top;
  /** The text engine, measuring as pdfkit's text() draws. */
  private readonly engine: TextLayout;

  constructor(
    readonly language: Language,
    fonts: PdfFonts,
    info: Record<string, unknown>,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      pdfVersion: '1.7',
      subset: 'PDF/A-3b',
      tagged: true,
      lang: language,
      displayTitle: true,
      bufferPages: true,
      autoFirstPage: true,
      info,
    });
    // Noto Sans is opened first (F2); the other faces as the text first needs them.
    this.engine = new TextLayout(openFacesOnFirstUse(this.doc, fonts), 'shaped');
    this.doc.font('sans');
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }

  t(key: string, params: Record<string, string | number> = {}): string {
    return translate(this.language, key, params);
  }
  /** A label that may be missing from the dictionary (an unknown category): the raw key then. */
  label(prefix: string, key: string): string {
    return hasMessage(`${prefix}.${key}`) ? this.t(`${prefix}.${key}`) : key;
  }

  // ---- text ----

  private style(size: number, weight: Weight): TextStyle {
    return { face: 'sans', bold: weight === 'bold', size, color: COLOR.text };
  }

  width(text: string, size: number, weight: Weight = 'regular'): number {
    let w = 0;
    for (const run of this.engine.runs(text, 'sans', weight === 'bold')) w += this.engine.measure(run.font, size, run.text);
    return w;
  }

  /**
   * One line of text with its baseline at `baseline`, cut with an ellipsis to `maxWidth` if given;
   * `align` positions it within [x, x + maxWidth].
   */
  line(text: string, x: number, baseline: number, o: { size: number; weight?: Weight; color?: string; align?: 'left' | 'right' | 'center'; maxWidth?: number }) {
    const weight = o.weight ?? 'regular';
    let s = plainText(text);
    if (o.maxWidth !== undefined && this.width(s, o.size, weight) > o.maxWidth) {
      while (s.length > 1 && this.width(`${s}…`, o.size, weight) > o.maxWidth) s = s.slice(0, -1);
      s = `${s.trimEnd()}…`;
    }
    const w = this.width(s, o.size, weight);
    let cx = x;
    if (o.align === 'right' && o.maxWidth !== undefined) cx = x + o.maxWidth - w;
    if (o.align === 'center' && o.maxWidth !== undefined) cx = x + (o.maxWidth - w) / 2;
    this.doc.fillColor(o.color ?? COLOR.text);
    for (const run of this.engine.runs(s, 'sans', weight === 'bold')) {
      this.doc.font(run.font).fontSize(o.size);
      this.doc.text(run.text, cx, baseline, { lineBreak: false, baseline: 'alphabetic' });
      cx += this.engine.measure(run.font, o.size, run.text);
    }
  }

  /** Breaks text into lines no wider than `width` (no lines for blank text). */
  wrap(text: string, width: number, size: number, weight: Weight = 'regular'): string[] {
    return text.trim() === '' ? [] : this.engine.lineTexts(text, this.style(size, weight), width);
  }

  lineHeight(size: number): number {
    return size * 1.5;
  }

  paragraphHeight(text: string, width: number, size: number, weight: Weight = 'regular'): number {
    return this.wrap(text, width, size, weight).length * this.lineHeight(size);
  }

  /** A wrapped paragraph whose first line's top is at `top`; returns its height. */
  paragraph(text: string, x: number, top: number, width: number, o: { size: number; weight?: Weight; color?: string }): number {
    const lines = this.wrap(text, width, o.size, o.weight);
    const lh = this.lineHeight(o.size);
    lines.forEach((l, i) => this.line(l, x, top + i * lh + o.size * 1.1, { ...o }));
    return lines.length * lh;
  }

  // ---- structure and flow ----

  /** Content of one structure element (H1, P, Figure, …), drawn now. */
  tag(type: string, draw: () => void, options: Record<string, unknown> = {}) {
    this.root.add(this.doc.struct(type, options, [draw]));
  }

  /** Decoration that is not content: rules, bands, page furniture. */
  artifact(draw: () => void, type = 'Layout') {
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }

  newPage() {
    this.doc.addPage({ size: 'A4', margins: MARGIN });
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `height` more fits on this one. */
  need(height: number) {
    if (this.y + height > BOTTOM) this.newPage();
  }

  heading(text: string, level: 1 | 2 | 3) {
    const size = level === 1 ? 22 : level === 2 ? 15 : 11;
    const before = level === 1 ? 0 : level === 2 ? 14 : 8;
    const height = level === 2 ? HEADING2_H : before + this.lineHeight(size) + 2;
    // Keep a heading with at least a few lines of what follows.
    this.need(height + 60);
    const top = this.y + before;
    this.tag(`H${level}`, () =>
      this.line(text, MARGIN.left, top + size * 1.1, { size, weight: 'bold', color: level === 3 ? COLOR.text : COLOR.primary, maxWidth: CONTENT_W }),
    );
    if (level === 2) {
      const ruleY = top + this.lineHeight(size) + 2;
      this.artifact(() => this.doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + CONTENT_W, ruleY).lineWidth(0.8).strokeColor(COLOR.primary).stroke());
    }
    this.y = top + height - before;
  }

  text(text: string, o: { size?: number; weight?: Weight; color?: string; gapAfter?: number; bullet?: boolean } = {}) {
    const size = o.size ?? 9.5;
    // A list item hangs its text after the bullet.
    const indent = o.bullet ? 20 : 0;
    const h = this.paragraphHeight(text, CONTENT_W - indent, size, o.weight);
    this.need(h);
    const top = this.y;
    const color = o.color ?? COLOR.text;
    if (o.bullet) {
      this.tag('P', () => {
        this.line('•', MARGIN.left + 8, top + size * 1.1, { size, color });
        this.paragraph(text, MARGIN.left + indent, top, CONTENT_W - indent, { size, weight: o.weight, color });
      });
    } else this.tag('P', () => this.paragraph(text, MARGIN.left, top, CONTENT_W, { size, weight: o.weight, color }));
    this.y += h + (o.gapAfter ?? 4);
  }

  // ---- blocks: tables and figures, measured before they are drawn ----

  /**
   * A table with a header row, `width` wide at `x`; columns get `widths` (fractions of the table's
   * width); the first column is left-aligned and the others, numbers, right-aligned. One line a
   * cell, cut with an ellipsis if it must be.
   */
  tableBlock(header: string[], rows: string[][], o: { widths: number[]; boldLast?: boolean; x?: number; width?: number }): Block {
    const size = 9;
    const rowH = 17;
    const headH = 20;
    const x0 = o.x ?? MARGIN.left;
    const tableW = o.width ?? CONTENT_W;
    const columns: TableColumn[] = header.map((h, i) => ({ header: h, weight: o.widths[i]!, align: i === 0 ? 'left' : 'right' }));
    const widths = widthsByWeight(columns, tableW);
    const xs = columnStarts(x0, widths);
    return {
      height: headH + rows.length * rowH + 6,
      draw: (top: number) => {
        this.artifact(() => {
          this.doc.rect(x0, top, tableW, headH).fill(COLOR.band);
          rows.forEach((_, r) => {
            const y = top + headH + (r + 1) * rowH;
            this.doc.moveTo(x0, y).lineTo(x0 + tableW, y).lineWidth(0.4).strokeColor(COLOR.grid).stroke();
          });
          this.doc.moveTo(x0, top + headH).lineTo(x0 + tableW, top + headH).lineWidth(0.8).strokeColor(COLOR.rule).stroke();
        });
        const table = this.doc.struct('Table');
        this.root.add(table);
        const cell = (type: 'TH' | 'TD', text: string, col: number, baseline: number, weight: Weight) =>
          this.doc.struct(type, type === 'TH' ? { scope: 'Column' } : {}, [
            () => this.line(text, xs[col]! + 5, baseline, { size, weight, color: type === 'TH' ? COLOR.muted : COLOR.text, align: columns[col]!.align, maxWidth: widths[col]! - 10 }),
          ]);
        const head = this.doc.struct('TR');
        table.add(head);
        header.forEach((h, c) => head.add(cell('TH', h, c, top + 13.5, 'bold')));
        head.end();
        rows.forEach((row, r) => {
          const tr = this.doc.struct('TR');
          table.add(tr);
          const weight: Weight = o.boldLast && r === rows.length - 1 ? 'bold' : 'regular';
          row.forEach((v, c) => tr.add(cell('TD', v, c, top + headH + r * rowH + 12, weight)));
          tr.end();
        });
        table.end();
      },
    };
  }

  /** A figure: its title, then the chart (`chart.draw` gets the top of the plot area). */
  figureBlock(title: string, alt: string, chart: Block): Block {
    const titleH = 20;
    return {
      height: titleH + chart.height + 10,
      draw: (top: number) => {
        this.tag('P', () => this.line(title, MARGIN.left, top + 11, { size: 10.5, weight: 'bold', color: COLOR.text, maxWidth: CONTENT_W }));
        this.tag('Figure', () => chart.draw(top + titleH), { alt, bbox: [MARGIN.left, top + titleH, MARGIN.left + CONTENT_W, top + titleH + chart.height] });
      },
    };
  }

  /** Blocks side by side, as tall as the tallest. */
  sideBySide(blocks: Block[]): Block {
    return { height: Math.max(...blocks.map((b) => b.height)), draw: (top) => blocks.forEach((b) => b.draw(top)) };
  }

  gap(height: number): Block {
    return { height, draw: () => {} };
  }

  /**
   * A section: its heading and blocks. It starts on a new page when it does not fit on this one
   * but would on an empty one; a longer section breaks between blocks.
   */
  section(title: string, blocks: Block[]) {
    const total = HEADING2_H + blocks.reduce((n, b) => n + b.height, 0);
    if (this.y + total > BOTTOM && MARGIN.top + total <= BOTTOM) this.newPage();
    this.heading(title, 2);
    for (const b of blocks) {
      this.need(b.height);
      b.draw(this.y);
      this.y += b.height;
    }
  }
}

interface Block {
  height: number;
  draw: (top: number) => void;
}

const HEADING2_H = 14 + 15 * 1.5 + 8;

/** A "nice" axis: a maximum and a step of 1, 2, 2.5 or 5 × 10^k giving about `ticks` intervals. */
export function niceAxis(max: number, ticks = 5, integer = false): { max: number; step: number } {
  if (!(max > 0)) return { max: integer ? 1 : 1, step: integer ? 1 : 0.2 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  if (integer) step = Math.max(1, Math.ceil(step));
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

function axisLabel(v: number): string {
  return Number.isInteger(v) ? grouped(v) : fixed(v, v < 1 ? 2 : 1).replace(/\.?0+$/, '');
}

interface BarSeries {
  name: string;
  color: string;
  values: number[];
  labels: string[];
}

/**
 * Horizontal bars: one row per category, one bar per series in it, the value written at the bar's
 * end; a vertical axis line, gridlines and tick labels along the bottom.
 */
function horizontalBars(
  w: ReportWriter,
  o: { categories: string[]; series: BarSeries[]; max: number; step: number; tickFormat: (v: number) => string; axisTitle: string; colors?: string[] },
) {
  const labelW = 180;
  const barH = o.series.length > 1 ? 9 : 12;
  const rowH = barH * o.series.length + 8;
  const legendH = o.series.length > 1 ? 16 : 0;
  const height = legendH + o.categories.length * rowH + 26;
  return {
    height,
    draw: (top: number) => {
      const { doc } = w;
      const x0 = MARGIN.left + labelW;
      const plotW = CONTENT_W - labelW - 60;
      const plotTop = top + legendH;
      const plotBottom = plotTop + o.categories.length * rowH;
      const scale = (v: number) => (o.max > 0 ? (Math.min(v, o.max) / o.max) * plotW : 0);
      if (legendH) {
        let lx = x0;
        for (const s of o.series) {
          doc.rect(lx, top + 2, 9, 9).fill(s.color);
          w.line(s.name, lx + 13, top + 10, { size: 8, color: COLOR.muted });
          lx += 13 + w.width(s.name, 8) + 16;
        }
      }
      for (let v = 0; v <= o.max + 1e-9; v += o.step) {
        const gx = x0 + scale(v);
        doc.moveTo(gx, plotTop).lineTo(gx, plotBottom).lineWidth(0.4).strokeColor(COLOR.grid).stroke();
        w.line(o.tickFormat(v), gx - 20, plotBottom + 11, { size: 7.5, color: COLOR.muted, align: 'center', maxWidth: 40 });
      }
      w.line(o.axisTitle, x0, plotBottom + 23, { size: 7.5, color: COLOR.muted, align: 'center', maxWidth: plotW });
      o.categories.forEach((cat, i) => {
        const rowTop = plotTop + i * rowH + 4;
        w.line(cat, MARGIN.left, rowTop + (barH * o.series.length) / 2 + 3.2, { size: 8.5, maxWidth: labelW - 8 });
        o.series.forEach((s, k) => {
          const y = rowTop + k * barH;
          const len = scale(s.values[i]!);
          const color = o.colors?.[i] ?? s.color;
          if (len > 0) doc.rect(x0, y + 1, Math.max(len, 0.8), barH - 2).fill(color);
          w.line(s.labels[i]!, x0 + len + 4, y + barH / 2 + 2.8, { size: 7.5, color: COLOR.text });
        });
      });
      doc.moveTo(x0, plotTop).lineTo(x0, plotBottom).lineWidth(0.8).strokeColor(COLOR.muted).stroke();
    },
  };
}

/** Vertical columns (the satisfaction distribution): labels under, values above, a value axis on the left. */
function columns(w: ReportWriter, o: { categories: string[]; values: number[]; color: string; axisTitle: string; xTitle: string }) {
  const height = 170;
  return {
    height,
    draw: (top: number) => {
      const { doc } = w;
      const axisW = 40;
      const x0 = MARGIN.left + axisW;
      const plotW = Math.min(CONTENT_W - axisW, 360);
      const plotTop = top + 16;
      const plotBottom = top + height - 34;
      const plotH = plotBottom - plotTop;
      const { max, step } = niceAxis(Math.max(...o.values, 0), 4, true);
      for (let v = 0; v <= max + 1e-9; v += step) {
        const gy = plotBottom - (v / max) * plotH;
        doc.moveTo(x0, gy).lineTo(x0 + plotW, gy).lineWidth(0.4).strokeColor(COLOR.grid).stroke();
        w.line(axisLabel(v), MARGIN.left, gy + 2.7, { size: 7.5, color: COLOR.muted, align: 'right', maxWidth: axisW - 6 });
      }
      const slot = plotW / o.categories.length;
      o.categories.forEach((cat, i) => {
        const v = o.values[i]!;
        const h = (v / max) * plotH;
        const bx = x0 + i * slot + slot * 0.2;
        if (h > 0) doc.rect(bx, plotBottom - h, slot * 0.6, h).fill(o.color);
        w.line(grouped(v), bx, plotBottom - h - 4, { size: 8, align: 'center', maxWidth: slot * 0.6 });
        w.line(cat, x0 + i * slot, plotBottom + 12, { size: 8.5, align: 'center', maxWidth: slot });
      });
      doc.moveTo(x0, plotBottom).lineTo(x0 + plotW, plotBottom).lineWidth(0.8).strokeColor(COLOR.muted).stroke();
      w.line(o.xTitle, x0, plotBottom + 26, { size: 7.5, color: COLOR.muted, align: 'center', maxWidth: plotW });
      w.line(o.axisTitle, MARGIN.left, plotTop - 6, { size: 7.5, color: COLOR.muted, align: 'right', maxWidth: axisW - 6 });
    },
  };
}

// ---- the report --------------------------------------------------------------------------------

/** Renders the transparency report; the same stats, language and generatedAt give the same bytes. */
export async function renderTransparencyReport(stats: TransparencyStats, options: RenderTransparencyOptions): Promise<Uint8Array> {
  const { language, fonts, generatedAt } = options;
  if (!(generatedAt instanceof Date) || !Number.isFinite(generatedAt.getTime())) throw new RangeError('renderTransparencyReport: generatedAt is not a valid Date');
  const from = new Date(stats.period.from);
  const to = new Date(stats.period.to);
  const asOf = new Date(stats.period.asOf);
  const period = periodLabels(from, to);
  const tr = (key: string, params: Record<string, string | number> = {}) => translate(language, key, params);

  const w = new ReportWriter(language, fonts, {
    Title: tr('report.title'),
    Subject: tr('report.period', period),
    Author: 'Arbitra',
    Creator: 'Arbitra',
    Producer: 'Arbitra (PDFKit)',
    CreationDate: generatedAt,
  });
  const { doc } = w;

  const none = tr('report.none');
  const pct = (rate: number | null) => (rate === null ? none : tr('report.percent', { n: fixed(rate * 100, 1) }));
  const duration = (ms: number | null) => {
    if (ms === null) return none;
    if (ms < HOUR) return tr('report.unit.minutes', { n: fixed(ms / MINUTE, ms < 10 * MINUTE ? 1 : 0) });
    if (ms < 2 * DAY) return tr('report.unit.hours', { n: fixed(ms / HOUR, 1) });
    return tr('report.unit.days', { n: fixed(ms / DAY, 1) });
  };
  const count = (n: number) => grouped(n);
  const shareOf = (c: CountShare) => pct(c.share);

  // ---- title page ----
  w.y = MARGIN.top + 14;
  w.artifact(() => doc.rect(MARGIN.left, MARGIN.top, 60, 4).fill(COLOR.accent));
  w.heading(tr('report.title'), 1);
  w.y += 6;
  w.text(tr('report.period', period), { size: 12, weight: 'bold', color: COLOR.text, gapAfter: 2 });
  w.text(tr('report.as_of', { asOf: isoMinute(asOf) }), { size: 9.5, color: COLOR.muted, gapAfter: 1 });
  w.text(tr('report.generated_at', { at: isoMinute(generatedAt) }), { size: 9.5, color: COLOR.muted, gapAfter: 1 });
  w.text(tr(stats.scope === 'all' ? 'report.scope.all' : 'report.scope.own_teams'), { size: 9.5, color: COLOR.muted, gapAfter: 6 });

  // Headline figures: six tiles in two rows.
  w.heading(tr('report.section.summary'), 2);
  const tiles: [string, string][] = [
    [tr('report.kpi.total'), count(stats.total)],
    [tr('report.kpi.first_response_median'), duration(stats.firstResponse.medianMs)],
    [tr('report.kpi.resolution_median'), duration(stats.resolution.medianMs)],
    [tr('report.kpi.first_response_breach'), pct(stats.sla.firstResponse.breachRate)],
    [tr('report.kpi.resolution_breach'), pct(stats.sla.resolution.breachRate)],
    [tr('report.kpi.satisfaction'), stats.satisfaction.average === null ? none : fixed(stats.satisfaction.average, 2)],
  ];
  const tileW = (CONTENT_W - 2 * 10) / 3;
  const tileH = 56;
  w.need(2 * tileH + 20);
  const tilesTop = w.y + 4;
  w.artifact(() => tiles.forEach((_, i) => doc.rect(MARGIN.left + (i % 3) * (tileW + 10), tilesTop + Math.floor(i / 3) * (tileH + 10), tileW, tileH).fill(COLOR.band)));
  tiles.forEach(([label, value], i) => {
    const x = MARGIN.left + (i % 3) * (tileW + 10);
    const y = tilesTop + Math.floor(i / 3) * (tileH + 10);
    w.tag('P', () => {
      w.line(label, x + 10, y + 18, { size: 8.5, color: COLOR.muted, maxWidth: tileW - 20 });
      w.line(value, x + 10, y + 43, { size: 20, weight: 'bold', color: COLOR.primary, maxWidth: tileW - 20 });
    });
  });
  w.y = tilesTop + 2 * tileH + 10 + 8;
  if (stats.total === 0) w.text(tr('report.no_data'), { size: 10, weight: 'bold', color: COLOR.breach, gapAfter: 6 });

  // Definitions.
  w.heading(tr('report.section.definitions'), 2);
  for (const key of ['cohort', 'time_zone', 'first_response', 'resolution', 'percentiles', 'sla']) w.text(tr(`report.def.${key}`), { size: 8.5, gapAfter: 4 });
  w.text(tr('report.def.outcomes'), { size: 8.5, gapAfter: 2 });
  for (const o of OUTCOMES) w.text(tr(`report.def.outcome.${o}`), { size: 8.5, gapAfter: 2, bullet: true });
  w.y += 2;
  for (const key of ['rates', 'satisfaction']) w.text(tr(`report.def.${key}`), { size: 8.5, gapAfter: 4 });

  // ---- complaints ----
  w.newPage();
  const countFigure = (title: string, items: CountShare[], labels: string[]) => {
    const { max, step } = niceAxis(Math.max(0, ...items.map((i) => i.count)), 5, true);
    const chart = horizontalBars(w, {
      categories: labels,
      series: [{ name: tr('report.col.cases'), color: COLOR.accent, values: items.map((i) => i.count), labels: items.map((i) => count(i.count)) }],
      max,
      step,
      tickFormat: axisLabel,
      axisTitle: tr('report.axis.cases'),
    });
    return w.figureBlock(title, `${title}: ${items.map((i, k) => `${labels[k]} ${i.count}`).join('; ')}`, chart);
  };
  const countRows = (items: CountShare[], labels: string[]) => [
    ...items.map((i, k) => [labels[k]!, count(i.count), shareOf(i)]),
    [tr('report.row.total'), count(stats.total), stats.total === 0 ? none : pct(1)],
  ];
  {
    const catLabels = stats.byCategory.map((i) => w.label('report.category', i.key));
    const chanLabels = stats.byChannel.map((i) => w.label('report.channel', i.key));
    const half = (CONTENT_W - 16) / 2;
    w.section(tr('report.section.complaints'), [
      countFigure(tr('report.chart.by_category'), stats.byCategory, catLabels),
      countFigure(tr('report.chart.by_channel'), stats.byChannel, chanLabels),
      w.sideBySide([
        w.tableBlock([tr('report.col.category'), tr('report.col.cases'), tr('report.col.share')], countRows(stats.byCategory, catLabels), {
          widths: [0.56, 0.22, 0.22],
          boldLast: true,
          width: half,
        }),
        w.tableBlock([tr('report.col.channel'), tr('report.col.cases'), tr('report.col.share')], countRows(stats.byChannel, chanLabels), {
          widths: [0.56, 0.22, 0.22],
          boldLast: true,
          x: MARGIN.left + half + 16,
          width: half,
        }),
      ]),
    ]);
  }

  // ---- outcomes ----
  {
    const items = stats.outcomes;
    const labels = items.map((i) => w.label('report.outcome', i.key));
    const { max, step } = niceAxis(Math.max(0, ...items.map((i) => i.count)), 5, true);
    const chart = horizontalBars(w, {
      categories: labels,
      series: [{ name: tr('report.col.cases'), color: COLOR.accent, values: items.map((i) => i.count), labels: items.map((i) => `${count(i.count)} (${shareOf(i)})`) }],
      max,
      step,
      tickFormat: axisLabel,
      axisTitle: tr('report.axis.cases'),
      colors: items.map((i) => OUTCOME_COLORS[OUTCOMES.indexOf(i.key as (typeof OUTCOMES)[number])] ?? COLOR.accent),
    });
    const title = tr('report.chart.outcomes');
    w.section(tr('report.section.outcomes'), [
      w.tableBlock([tr('report.col.outcome'), tr('report.col.cases'), tr('report.col.share')], countRows(items, labels), { widths: [0.6, 0.2, 0.2], boldLast: true }),
      w.gap(8),
      w.figureBlock(title, `${title}: ${items.map((i, k) => `${labels[k]} ${i.count}`).join('; ')}`, chart),
    ]);
  }

  // ---- times ----
  {
    const figures = (
      [
        ['report.chart.first_response', stats.firstResponse],
        ['report.chart.resolution', stats.resolution],
      ] as const
    ).map(([key, d]) => {
      const unit = unitFor(Math.max(d.medianMs ?? 0, d.p90Ms ?? 0));
      const values = [d.medianMs ?? 0, d.p90Ms ?? 0].map((v) => v / unit.ms);
      const { max, step } = niceAxis(Math.max(...values), 5);
      const names = [tr('report.legend.median'), tr('report.legend.p90')];
      const chart = horizontalBars(w, {
        categories: names,
        series: [{ name: tr('report.col.measure'), color: COLOR.accent, values, labels: [duration(d.medianMs), duration(d.p90Ms)] }],
        max,
        step,
        tickFormat: axisLabel,
        axisTitle: tr(`report.axis.${unit.key}`),
        colors: [COLOR.accent, COLOR.p90],
      });
      const title = tr(key);
      return w.figureBlock(title, `${title}: ${names[0]} ${duration(d.medianMs)}; ${names[1]} ${duration(d.p90Ms)}`, chart);
    });
    w.section(tr('report.section.times'), [
      w.tableBlock(
        [tr('report.col.measure'), tr('report.col.measured'), tr('report.col.median'), tr('report.col.p90')],
        [
          [tr('report.row.first_response'), count(stats.firstResponse.count), duration(stats.firstResponse.medianMs), duration(stats.firstResponse.p90Ms)],
          [tr('report.row.resolution'), count(stats.resolution.count), duration(stats.resolution.medianMs), duration(stats.resolution.p90Ms)],
        ],
        { widths: [0.4, 0.2, 0.2, 0.2] },
      ),
      w.gap(8),
      ...figures,
    ]);
  }

  // ---- SLA ----
  {
    const rows = [
      [tr('report.row.first_response'), stats.sla.firstResponse],
      [tr('report.row.resolution'), stats.sla.resolution],
    ] as const;
    const chart = horizontalBars(w, {
      categories: rows.map(([label]) => label),
      series: [{ name: tr('report.col.breach_rate'), color: COLOR.breach, values: rows.map(([, s]) => (s.breachRate ?? 0) * 100), labels: rows.map(([, s]) => pct(s.breachRate)) }],
      max: 100,
      step: 20,
      tickFormat: (v) => tr('report.percent', { n: axisLabel(v) }),
      axisTitle: tr('report.axis.percent'),
    });
    const title = tr('report.chart.sla');
    w.section(tr('report.section.sla'), [
      w.tableBlock(
        [tr('report.col.deadline'), tr('report.col.met'), tr('report.col.breached'), tr('report.col.pending'), tr('report.col.breach_rate')],
        rows.map(([label, s]) => [label, count(s.met), count(s.breached), count(s.pending), pct(s.breachRate)]),
        { widths: [0.32, 0.17, 0.17, 0.17, 0.17] },
      ),
      w.gap(8),
      w.figureBlock(title, `${title}: ${rows.map(([label, s]) => `${label} ${pct(s.breachRate)}`).join('; ')}`, chart),
    ]);
  }

  // ---- objections and escalations ----
  {
    const rows = [
      [tr('report.row.objections'), stats.objections],
      [tr('report.row.mediation'), stats.mediation],
      [tr('report.row.arbitration'), stats.arbitration],
    ] as const;
    const maxRate = Math.max(0, ...rows.map(([, r]) => (r.rate ?? 0) * 100));
    const { max, step } = maxRate > 50 ? { max: 100, step: 20 } : niceAxis(maxRate, 5);
    const chart = horizontalBars(w, {
      categories: rows.map(([label]) => label),
      series: [{ name: tr('report.col.rate'), color: COLOR.primary, values: rows.map(([, r]) => (r.rate ?? 0) * 100), labels: rows.map(([, r]) => pct(r.rate)) }],
      max,
      step,
      tickFormat: (v) => tr('report.percent', { n: axisLabel(v) }),
      axisTitle: tr('report.axis.percent'),
    });
    const title = tr('report.chart.escalation');
    w.section(tr('report.section.escalation'), [
      w.tableBlock(
        [tr('report.col.measure'), tr('report.col.cases'), tr('report.col.rate')],
        rows.map(([label, r]) => [label, count(r.count), pct(r.rate)]),
        { widths: [0.6, 0.2, 0.2] },
      ),
      w.gap(8),
      w.figureBlock(title, `${title}: ${rows.map(([label, r]) => `${label} ${pct(r.rate)}`).join('; ')}`, chart),
    ]);
  }

  // ---- satisfaction ----
  {
    const s = stats.satisfaction;
    const chart = columns(w, {
      categories: ['1', '2', '3', '4', '5'],
      values: s.distribution,
      color: COLOR.good,
      axisTitle: tr('report.axis.cases'),
      xTitle: tr('report.axis.score'),
    });
    const title = tr('report.chart.satisfaction');
    w.section(tr('report.section.satisfaction'), [
      w.tableBlock(
        [tr('report.col.measure'), tr('report.col.value')],
        [
          [tr('report.row.average'), s.average === null ? none : fixed(s.average, 2)],
          [tr('report.row.responses'), count(s.responses)],
          [tr('report.row.surveyed'), count(s.eligible)],
          [tr('report.row.response_rate'), pct(s.responseRate)],
        ],
        { widths: [0.6, 0.4] },
      ),
      w.gap(8),
      w.figureBlock(title, `${title}: ${s.distribution.map((n, i) => `${i + 1}: ${n}`).join('; ')}`, chart),
    ]);
  }

  // ---- audit log integrity: the chain's head as signed outside the database ----
  if (options.auditCheckpoint !== undefined) {
    const cp = options.auditCheckpoint;
    w.heading(tr('report.section.audit'), 2);
    w.text(tr('report.audit.intro'), { size: 9.5, gapAfter: 6 });
    if (cp === null) w.text(tr('report.audit.none'), { size: 9.5, weight: 'bold' });
    else {
      const table = w.tableBlock(
        [tr('report.audit.col.item'), tr('report.audit.col.value')],
        [
          [tr('report.audit.entries'), count(Number(cp.seq))],
          [tr('report.audit.signed_at'), isoMinute(new Date(cp.at))],
          [tr('report.audit.key_id'), cp.keyId],
        ],
        { widths: [0.6, 0.4] },
      );
      w.need(table.height);
      table.draw(w.y);
      w.y += table.height + 4;
      w.text(tr('report.audit.hash', { hash: cp.hash }), { size: 7.5, color: COLOR.muted, gapAfter: 2 });
      w.text(tr('report.audit.public_key', { key: cp.publicKey }), { size: 7.5, color: COLOR.muted, gapAfter: 2 });
      w.text(tr('report.audit.signature', { signature: cp.signature }), { size: 7.5, color: COLOR.muted, gapAfter: 2 });
    }
  }

  w.root.end();

  // ---- page furniture: footer with the period and page X of Y on every page ----
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    w.artifact(() => {
      const y = PAGE.height - MARGIN.bottom + 26;
      doc.moveTo(MARGIN.left, y - 12).lineTo(MARGIN.left + CONTENT_W, y - 12).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
      w.line(tr('report.footer', period), MARGIN.left, y, { size: 7.5, color: COLOR.muted, maxWidth: CONTENT_W * 0.7 });
      w.line(tr('report.page', { page: i + 1, pages: range.count }), MARGIN.left + CONTENT_W * 0.7, y, { size: 7.5, color: COLOR.muted, align: 'right', maxWidth: CONTENT_W * 0.3 });
    }, 'Pagination');
  }

  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    doc.on('data', (chunk) => chunks.push(chunk));
    doc.on('error', reject);
    doc.on('end', () => {
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.length;
      }
      resolve(out);
    });
    doc.end();
  });
}

/** A file name for the report: ASCII, the period and the language. */
export function transparencyFileName(stats: TransparencyStats, language: Language): string {
  const period = periodLabels(new Date(stats.period.from), new Date(stats.period.to));
  const safe = (s: string) => s.replace(/[^0-9A-Za-z-]/g, '');
  return `transparency-report_${safe(period.from)}_${safe(period.to)}_${language}.pdf`;
}
