// The dossier as a reader gets it: rendered from a realistic trade dispute and read back with a
// real PDF reader (pdf.js) — the text in both languages, the page furniture, the contents and the
// bookmarks, the attached originals and their manifest, PDF/A markers, embedded subset fonts, the
// external recipient's redacted and watermarked copy, and byte-for-byte determinism.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDossier, batesNumber } from '../../../shared/pdf/dossier/render';
import { loadPdfFonts } from '../../../shared/pdf/fonts';
import { buildDossierSnapshot, dossierId, snapshotHash, type DossierSnapshot } from '../../../shared/dossier/snapshot';
import { AppError } from '../../../shared/errors';
import { translate } from '../../../shared/i18n';
import { CASE_NUMBER, TEXT, externalRecipient, fixtureFiles, fixtureRows, fixtureSnapshot, internalRecipient } from './fixture';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocumentProxy = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
interface OutlineNode {
  title: string;
  dest: unknown;
  items: OutlineNode[];
}

interface Read {
  bytes: Uint8Array;
  pdf: PdfDocumentProxy;
  /** The text of each page, runs joined as they are drawn. */
  pages: string[];
  outline: OutlineNode[];
  attachments: Record<string, { filename: string; content: Uint8Array; description?: string }>;
}

let pdfjs: PdfJs;
const fonts = loadPdfFonts();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function read(bytes: Uint8Array): Promise<Read> {
  // pdf.js may detach the buffer it is given: it reads a copy.
  const pdf = await pdfjs.getDocument({ data: bytes.slice(), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  return { bytes, pdf, pages, outline: ((await pdf.getOutline()) ?? []) as OutlineNode[], attachments: ((await pdf.getAttachments()) ?? {}) as Read['attachments'] };
}

async function pageOf(pdf: PdfDocumentProxy, dest: unknown): Promise<number> {
  const explicit = (typeof dest === 'string' ? await pdf.getDestination(dest) : dest) as [{ num: number; gen: number }, ...unknown[]];
  return (await pdf.getPageIndex(explicit[0])) + 1;
}

/** The contents page's lines: the title on the left, the page number at the right margin. */
async function contentsLines(pdf: PdfDocumentProxy, pageNumber: number): Promise<{ title: string; page: number }[]> {
  const content = await (await pdf.getPage(pageNumber)).getTextContent();
  const rows = new Map<number, { x: number; str: string }[]>();
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const y = Math.round(item.transform[5] as number);
    rows.set(y, [...(rows.get(y) ?? []), { x: item.transform[4] as number, str: item.str }]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, items]) => items.sort((a, b) => a.x - b.x))
    .filter((items) => items.length > 1 && /^\d+$/.test(items[items.length - 1]!.str) && items[items.length - 1]!.x > 480)
    .map((items) => ({ title: items.slice(0, -1).map((i) => i.str).join(''), page: Number(items[items.length - 1]!.str) }));
}

const render = (snapshot: DossierSnapshot, files = fixtureFiles()) => renderDossier(snapshot, { fonts, files });

const zhSnapshot = fixtureSnapshot(internalRecipient('zh-CN'));
const enSnapshot = fixtureSnapshot(internalRecipient('en'));
const externalSnapshot = fixtureSnapshot(externalRecipient('en'));
let zh: Read;
let en: Read;
let external: Read;

beforeAll(async () => {
  pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const progress: [number, number][] = [];
  zh = await read(await renderDossier(zhSnapshot, { fonts, files: fixtureFiles() }, (done, total) => progress.push([done, total])));
  expect(progress.length).toBeGreaterThan(5);
  expect(progress[progress.length - 1]).toEqual([progress[0]![1], progress[0]![1]]);
  en = await read(await render(enSnapshot));
  external = await read(await render(externalSnapshot));
}, 120_000);

const t = (language: 'zh-CN' | 'en', key: string, params?: Record<string, string | number>) => translate(language, key, params);
const compact = (s: string) => s.replace(/\s+/g, '');

describe('a dossier in Chinese for an internal recipient', () => {
  it('reads in Chinese: labels, sections and the case’s own Chinese and English text', () => {
    const all = zh.pages.join('\n');
    for (const label of ['案件卷宗', '目录', '案件摘要', '当事方', '处理时间线', '证据目录', '交易分析', '责任认定', '处理措施', '审批', '内部记录', '调解与仲裁', '裁决与调解协议', '附录:证据保管链'])
      expect(all, label).toContain(label);
    // Values are translated, not printed as codes.
    for (const value of ['未按设定价格成交', '在线客服', '执行中', '投诉人提出异议', '律师', '会计师', '技术专家', '反对意见', '补充意见', '赔偿'])
      expect(all, value).toContain(value);
    expect(all).not.toContain('execution_price');
    expect(compact(all)).toContain(compact(TEXT.complaintZh));
    expect(compact(all)).toContain(compact(TEXT.findingsZh));
    expect(all).toContain(TEXT.rulingEn);
    // Plain text only: a formula in a log is printed as written, never evaluated or turned into a link.
    expect(all).toContain(TEXT.formula);
    // Internal material is in the internal copy.
    expect(compact(all)).toContain(compact(TEXT.noteInternal));
    expect(all).toContain(TEXT.consultationInternal);
  });

  it('prints the case number, the confidentiality marking and “page X of Y” on every page', () => {
    const total = zh.pdf.numPages;
    expect(total).toBeGreaterThanOrEqual(15);
    zh.pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(CASE_NUMBER);
      expect(text, `page ${i + 1}`).toContain(t('zh-CN', 'dossier.confidential.internal'));
      expect(compact(text), `page ${i + 1}`).toContain(compact(t('zh-CN', 'dossier.page_of', { page: i + 1, pages: total })));
    });
  });

  it('shows the dossier ID and the document ID made from the snapshot hash', () => {
    expect(zh.pages[0]).toContain(dossierId(zhSnapshot));
    expect(compact(zh.pages[0]!)).toContain(snapshotHash(zhSnapshot));
    expect(zh.pdf.fingerprints[0]).toBe(snapshotHash(zhSnapshot).slice(0, 32));
  });

  it('has bookmarks for every section and every exhibit, nested under Exhibits', () => {
    const titles = zh.outline.map((o) => o.title);
    expect(titles).toEqual([
      '封面',
      '目录',
      ...['summary', 'parties', 'timeline', 'claims', 'evidence_index', 'exhibits', 'trade_analysis', 'assessment', 'remedies', 'approvals', 'internal', 'escalation', 'ruling', 'custody'].map((k) => t('zh-CN', `dossier.section.${k}`)),
    ]);
    const exhibits = zh.outline.find((o) => o.title === '证据')!;
    expect(exhibits.items.map((i) => i.title.split(' — ')[0])).toEqual(['证据 C-1', '证据 C-2', '证据 R-1', '证据 R-2', '证据 R-3', '证据 R-4']);
  });

  it('lists every section in the contents with the page it starts on', async () => {
    const lines = await contentsLines(zh.pdf, 2);
    const entries = zh.outline.slice(2).flatMap((o) => [o, ...o.items.filter(() => o.title === '证据')]);
    expect(entries.length).toBe(20);
    expect(lines.length).toBe(20);
    for (const [k, entry] of entries.entries()) {
      const page = await pageOf(zh.pdf, entry.dest);
      // The contents line: the title (shortened when long), then the page number.
      expect(compact(entry.title).startsWith(compact(lines[k]!.title).replace(/…$/, '')), `${entry.title} / ${lines[k]!.title}`).toBe(true);
      expect(lines[k]!.page, entry.title).toBe(page);
      // And the section really starts there: its heading is on that page.
      expect(compact(zh.pages[page - 1]!), entry.title).toContain(compact(entry.title));
      if (k > 0) expect(page).toBeGreaterThanOrEqual(lines[k - 1]!.page);
    }
  });

  it('numbers exhibit pages, and only those, with Bates numbers from 000001', async () => {
    const first = await pageOf(zh.pdf, zh.outline.find((o) => o.title === '证据')!.dest);
    const after = await pageOf(zh.pdf, zh.outline.find((o) => o.title === '交易分析')!.dest);
    expect(after - first).toBeGreaterThanOrEqual(6); // six exhibits, the order history over several pages
    zh.pages.forEach((text, i) => {
      const page = i + 1;
      const bates = text.match(/ARB-2026-000123-\d{6}/g) ?? [];
      if (page >= first && page < after) expect(bates, `page ${page}`).toEqual([batesNumber(CASE_NUMBER, page - first + 1)]);
      else expect(bates, `page ${page}`).toEqual([]);
    });
    expect(batesNumber(CASE_NUMBER, 1)).toBe('ARB-2026-000123-000001');
  });

  it('repeats the trade table’s header row on every page it runs over', async () => {
    const start = await pageOf(zh.pdf, zh.outline.find((o) => o.title === '证据')!.items[2]!.dest);
    const end = await pageOf(zh.pdf, zh.outline.find((o) => o.title === '证据')!.items[3]!.dest);
    expect(end - start).toBeGreaterThanOrEqual(2);
    for (let p = start; p < end; p++) expect(zh.pages[p - 1], `page ${p}`).toMatch(/时间\s*交易对\s*方向/);
    // All 120 orders are there.
    const orders = zh.pages.slice(start - 1, end - 1).join('').match(/61234567890123\d{4}/g) ?? [];
    expect(new Set(orders).size).toBe(120);
  });

  it('attaches every original evidence file, byte for byte, and a manifest listing them', () => {
    const values = Object.values(zh.attachments);
    const manifestFile = values.find((a) => a.filename === 'manifest.json')!;
    const manifest = JSON.parse(new TextDecoder().decode(manifestFile.content)) as { dossierId: string; snapshotSha256: string; exhibits: { exhibitNumber: string; fileName: string; sha256: string; size: number; mediaType: string; attached: boolean; attachmentName: string }[] };
    expect(manifest.dossierId).toBe(dossierId(zhSnapshot));
    expect(manifest.snapshotSha256).toBe(snapshotHash(zhSnapshot));
    expect(manifest.exhibits.map((e) => e.exhibitNumber)).toEqual(zhSnapshot.exhibits.map((e) => e.exhibitNumber));
    for (const e of zhSnapshot.exhibits) {
      const listed = manifest.exhibits.find((m) => m.exhibitNumber === e.exhibitNumber)!;
      expect(listed).toMatchObject({ fileName: e.fileName, sha256: e.sha256, size: e.size, attached: true });
      const file = values.find((a) => a.filename === listed.attachmentName)!;
      expect(file, e.exhibitNumber).toBeDefined();
      expect(file.filename.startsWith(`${e.exhibitNumber}_`)).toBe(true);
      expect(sha256(file.content)).toBe(e.sha256);
    }
    expect(manifest.exhibits.find((e) => e.exhibitNumber === 'R-1')!.mediaType).toBe('text/csv');
    expect(manifest.exhibits.find((e) => e.exhibitNumber === 'C-2')!.mediaType).toBe('image/png');
    expect(values).toHaveLength(zhSnapshot.exhibits.length + 1);
  });

  it('is PDF/A-3b with the document language and dates from the case state, fonts embedded as subsets', async () => {
    const { info, metadata } = (await zh.pdf.getMetadata()) as unknown as { info: Record<string, string>; metadata: { getRaw(): string } | null };
    const xmp = metadata!.getRaw();
    expect(xmp).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp).toContain('<xmp:CreateDate>2026-10-10T09:00:00Z</xmp:CreateDate>');
    expect(info.Language).toBe('zh-CN');
    expect(info.Title).toBe(`案件卷宗 ${CASE_NUMBER}`);
    expect(info.CreationDate).toBe('D:20261010090000Z');
    expect(info.ModDate).toBe('D:20261010090000Z');
    expect(zhSnapshot.asOf).toBe('2026-10-10T09:00:00.000Z');

    const raw = new TextDecoder('latin1').decode(zh.bytes);
    expect(raw).toContain('/OutputIntents');
    expect(raw).toMatch(/\/MarkInfo/);
    const fontNames = [...raw.matchAll(/\/BaseFont\s*\/([^\s/>]+)/g)].map((m) => m[1]!);
    expect(fontNames.length).toBeGreaterThanOrEqual(4);
    for (const name of fontNames) expect(name, name).toMatch(/^[A-Z]{6}\+Noto/);
    expect(new Set(fontNames.map((n) => n.split('+')[1]))).toEqual(new Set(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSansSC-Regular', 'NotoSansSC-Bold', 'NotoSansMono-Regular']));
    // Every font descriptor carries its embedded font program.
    const descriptors = raw.match(/\/Type \/FontDescriptor/g)!.length;
    expect(raw.match(/\/FontFile2 \d+ 0 R/g)!.length).toBe(descriptors);
    // The subsets are small: the Chinese face is 10 MB whole.
    expect(zh.bytes.length).toBeLessThan(2_000_000);
  });
});

describe('a dossier in English', () => {
  it('reads in English, with the same case text', () => {
    const all = en.pages.join('\n');
    for (const label of ['Case dossier', 'Contents', 'Summary', 'Timeline', 'Claims and objections', 'Evidence index', 'Exhibits', 'Trade analysis', 'Assessment of responsibility', 'Remedies', 'Approvals', 'Internal record', 'Mediation and arbitration', 'Rulings and settlements', 'Appendix: chain of custody'])
      expect(all, label).toContain(label);
    for (const value of ['Execution not at the set price', 'Live chat', 'Technical expert', 'Dissenting opinion', 'Addendum', 'Arbitral award', 'Superseded on', 'Complainant objected'])
      expect(all, value).toContain(value);
    expect(all).not.toContain('案件卷宗');
    // The case's own Chinese text stays Chinese.
    expect(compact(all)).toContain(compact(TEXT.complaintZh));
    en.pages.forEach((text, i) => expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${en.pdf.numPages}`));
  });

  it('computes the trade analysis, with the slippage of the orders filled above their limit', () => {
    const all = en.pages.join('\n');
    expect(all).toContain('Slippage against the order price');
    // The first order: limit 64,000, filled at 64,950.
    expect(all).toContain('1.4844%');
    expect(all).toMatch(/BTC-USDT: \d+ orders with slippage/);
  });
});

describe('a dossier for an external recipient', () => {
  it('carries a watermark naming the recipient on every page, and the external marking', () => {
    external.pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain('Prepared for Helen Lau');
      expect(text, `page ${i + 1}`).toContain('Confidential — prepared for Helen Lau');
    });
  });

  it('holds no internal-only section or text, and no PII', () => {
    const all = external.pages.join('\n');
    for (const hidden of ['Approvals', 'Internal record', TEXT.consultationInternal, 'UID-88001234', '13800138000', '李雷', 'ws-shanghai-07', 'TCK-20261001-0042'])
      expect(all, hidden).not.toContain(hidden);
    expect(compact(all)).not.toContain(compact(TEXT.noteInternal));
    expect(external.outline.map((o) => o.title)).not.toContain('Approvals');
    // What the arbitrator may see is there.
    expect(all).toContain(TEXT.rulingEn);
    expect(all).toContain(`complainant:${CASE_NUMBER}`);
  });

  it('attaches only originals redaction cannot have touched (images, PDFs), and lists the rest in the manifest', () => {
    const values = Object.values(external.attachments);
    const manifest = JSON.parse(new TextDecoder().decode(values.find((a) => a.filename === 'manifest.json')!.content)) as { exhibits: { exhibitNumber: string; attached: boolean }[] };
    expect(manifest.exhibits.filter((e) => e.attached).map((e) => e.exhibitNumber)).toEqual(['C-2', 'R-4']);
    expect(values.map((a) => a.filename).sort()).toEqual(['C-2_订单截图.png', 'R-4_incident-report.pdf', 'manifest.json']);
    for (const e of externalSnapshot.exhibits.filter((x) => ['C-2', 'R-4'].includes(x.exhibitNumber))) expect(values.some((a) => sha256(a.content) === e.sha256)).toBe(true);
  });
});

describe('a case with little in it', () => {
  it('renders every section, saying where nothing is recorded', async () => {
    const rows = fixtureRows();
    for (const key of ['case_amounts', 'case_events', 'notes', 'consultations', 'communications', 'objections', 'assessments', 'remedies', 'approvals', 'escalations', 'escalation_members', 'rulings', 'ruling_signatures', 'ruling_opinions', 'exhibits', 'exhibit_records', 'custody_entries', 'evidence_signals'] as const) rows[key] = [];
    rows.case = { ...rows.case, description: '', handler_summary: '', next_action: '' };
    const bare = buildDossierSnapshot(rows, internalRecipient('zh-CN'));
    const pdf = await read(await renderDossier(bare, { fonts, files: new Map() }));
    const all = pdf.pages.join('\n');
    expect(all).toContain(t('zh-CN', 'dossier.ruling.none'));
    expect(all).toContain(t('zh-CN', 'dossier.none'));
    expect(pdf.outline.map((o) => o.title)).not.toContain(t('zh-CN', 'dossier.section.trade_analysis'));
    expect(all).not.toMatch(/ARB-2026-000123-\d{6}/);
    expect(Object.values(pdf.attachments).map((a) => a.filename)).toEqual(['manifest.json']);
  });
});

describe('determinism and integrity', () => {
  it('renders the same snapshot to the same bytes, and a different one to different bytes', async () => {
    const again = await render(zhSnapshot);
    expect(sha256(again)).toBe(sha256(zh.bytes));
    expect(Buffer.compare(Buffer.from(again), Buffer.from(zh.bytes))).toBe(0);
    expect(sha256(en.bytes)).not.toBe(sha256(zh.bytes));
  });

  it('changes the manifest and the bytes when one byte of one exhibit changes', async () => {
    const altered = fixtureSnapshot(internalRecipient('zh-CN'), { alterChat: true });
    const before = zhSnapshot.exhibits.find((e) => e.exhibitNumber === 'C-1')!.sha256;
    const after = altered.exhibits.find((e) => e.exhibitNumber === 'C-1')!.sha256;
    expect(after).not.toBe(before);
    const pdf = await read(await render(altered, fixtureFiles({ alterChat: true })));
    const manifest = JSON.parse(new TextDecoder().decode(Object.values(pdf.attachments).find((a) => a.filename === 'manifest.json')!.content)) as { exhibits: { exhibitNumber: string; sha256: string }[] };
    expect(manifest.exhibits.find((e) => e.exhibitNumber === 'C-1')!.sha256).toBe(after);
    expect(sha256(pdf.bytes)).not.toBe(sha256(zh.bytes));
  });

  it('refuses to render without an exhibit’s original file, or with a file that is not the one recorded', async () => {
    const files = fixtureFiles();
    const chat = zhSnapshot.exhibits.find((e) => e.exhibitNumber === 'C-1')!;
    files.delete(chat.sha256);
    const missing = await render(zhSnapshot, files).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).messageKey).toBe('dossier.file_missing');
    expect((missing as AppError).options.params).toEqual({ exhibitNumber: 'C-1' });
    expect(t('en', 'dossier.file_missing', { exhibitNumber: 'C-1' })).toContain('C-1');

    const swapped = fixtureFiles();
    swapped.set(chat.sha256, new TextEncoder().encode('not the transcript'));
    const mismatch = await render(zhSnapshot, swapped).catch((e: unknown) => e);
    expect((mismatch as AppError).messageKey).toBe('dossier.file_mismatch');
  });
});
