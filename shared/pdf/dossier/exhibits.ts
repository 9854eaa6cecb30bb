// Exhibit pages, laid out by what the exhibit holds: images embedded and scaled to the page, trade
// records, activity logs and on-chain references as tables (repeating their header on every page),
// chat transcripts as messages; any other file is identified by its hash (and attached). Every
// exhibit starts on a new page, and its pages carry Bates numbers.
import type { Content } from '../text-layout';
import type { TableColumn } from '../table';
import { COLOR, MARGIN } from './layout';
import type { Labels } from '../../dossier/format';
import { embedPng, openWithPdfkit, type PlaceableImage } from '../images';
import type { DossierExhibit, DossierRecord } from '../../dossier/snapshot';
import { exhibitTitle, sectionHeading, type DossierContext, type TocEntry } from './sections';
import { isTradeRecord } from '../../dossier/trade-analysis';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

type Outline = ReturnType<DossierContext['outline']['addItem']>;

/**
 * One exhibit, from a new page. The first exhibit's page also carries the Exhibits section
 * heading (`sectionEntry`); its bookmark is returned, and later exhibits nest under it.
 */
export async function renderExhibit(ctx: DossierContext, exhibit: DossierExhibit, entry: TocEntry, parent: Outline | null, sectionEntry: TocEntry | null): Promise<Outline | null> {
  const { layout, l } = ctx;
  layout.exhibitMarker = exhibit.exhibitNumber;
  layout.newPage();
  if (sectionEntry) parent = sectionHeading(ctx, sectionEntry);
  layout.heading(entry.title, 2, { outline: parent ?? undefined, destination: entry.destination });
  entry.page = layout.pageIndex;
  layout.fields(exhibitFacts(ctx, exhibit), { size: 8.5, labelShare: 0.24 });
  layout.space(4);

  if (exhibit.parseStatus === 'failed' && exhibit.parseError) {
    const key = typeof exhibit.parseError.messageKey === 'string' ? exhibit.parseError.messageKey : '';
    const params = (exhibit.parseError.params ?? {}) as Record<string, string | number>;
    layout.paragraph(l.t('dossier.exhibit.parse_failed', { reason: key ? l.t(key, params) : l.empty }), { color: COLOR.warning });
  }

  const isImage = exhibit.type === 'image' || exhibit.mediaType.startsWith('image/');
  if (exhibit.records.length > 0) renderRecords(ctx, exhibit);
  else if (isImage) await renderImage(ctx, exhibit);
  else if (exhibit.parseStatus === 'parsed') layout.paragraph(l.t('dossier.exhibit.no_records'), { color: COLOR.muted });
  else {
    const pages = typeof exhibit.metadata.pageCount === 'number' ? exhibit.metadata.pageCount : null;
    if (pages !== null) layout.paragraph(l.t('dossier.exhibit.pdf_pages', { pages }));
    layout.paragraph(l.t(ctx.attachmentNames.get(exhibit.exhibitNumber) ? 'dossier.exhibit.other_file' : 'dossier.exhibit.other_file_external'), { color: COLOR.muted });
  }
  return parent;
}

function exhibitFacts(ctx: DossierContext, e: DossierExhibit): [string, Content][] {
  const { l } = ctx;
  const attachment = ctx.attachmentNames.get(e.exhibitNumber);
  const rows: [string, Content][] = [
    [l.t('dossier.exhibit.side'), l.label('dossier.side', e.side)],
    [l.t('dossier.evidence.type'), l.label('dossier.exhibit_type', e.type)],
    [l.t('dossier.evidence.source'), e.source || l.empty],
    [l.t('dossier.exhibit.file'), e.fileName || l.empty],
    [l.t('dossier.exhibit.media_type'), [{ text: e.mediaType || l.empty, face: 'mono' }]],
    [l.t('dossier.exhibit.size'), l.t('dossier.exhibit.size_bytes', { size: l.amount(String(e.size)) })],
    [l.t('dossier.evidence.sha256'), [{ text: e.sha256, face: 'mono' }]],
    [l.t('dossier.exhibit.taken_in'), l.t('dossier.exhibit.taken_in_value', { at: l.time(e.takenInAt), name: e.takenInBy })],
  ];
  if (e.deviceId) rows.push([l.t('dossier.exhibit.device'), [{ text: e.deviceId, face: 'mono' }]]);
  rows.push([l.t('dossier.exhibit.parse_status'), e.parseStatus === 'parsed' ? l.t('dossier.exhibit.record_count', { count: e.records.length }) : l.label('dossier.parse_status', e.parseStatus)]);
  rows.push([l.t('dossier.exhibit.attachment'), attachment ? [{ text: attachment, face: 'mono' }] : l.t('dossier.exhibit.not_attached')]);
  return rows;
}

// ---- images ---------------------------------------------------------------------------------------------

async function renderImage(ctx: DossierContext, exhibit: DossierExhibit): Promise<void> {
  const { layout, l } = ctx;
  const bytes = ctx.files.get(exhibit.sha256);
  const doc = layout.doc;
  let image: PlaceableImage | null = null;
  if (bytes && exhibit.mediaType === 'image/png') image = embedPng(doc, bytes, `Ev${ctx.snapshot.exhibits.indexOf(exhibit) + 1}`) ?? openWithPdfkit(doc, bytes);
  else if (bytes && exhibit.mediaType === 'image/jpeg') image = openWithPdfkit(doc, bytes);
  if (!image) {
    layout.paragraph(l.t('dossier.exhibit.not_displayable'), { color: COLOR.muted });
    return;
  }
  const caption = l.t('dossier.exhibit.image_caption', { width: image.width, height: image.height });
  layout.image(image, `${exhibitTitle(l, exhibit)} — ${caption}`, { reserve: 18 });
  await image.written();
  layout.paragraph(caption, { size: 8, color: COLOR.muted }, { align: 'center' });
}

// ---- records ----------------------------------------------------------------------------------------------

function renderRecords(ctx: DossierContext, exhibit: DossierExhibit): void {
  const { layout, l } = ctx;
  layout.heading(l.t('dossier.exhibit.records_heading', { count: exhibit.records.length }), 3, { keepWithNext: 30 });
  const kind = exhibit.records[0]!.kind;
  if (isTradeRecord(kind, exhibit.type)) tradeTable(ctx, exhibit.records);
  else if (kind === 'activity') activityTable(ctx, exhibit.records);
  else if (kind === 'chat' || exhibit.type === 'chat_transcript') transcript(ctx, exhibit.records);
  else if (kind === 'onchain') onchainTable(ctx, exhibit.records);
  else genericTable(ctx, exhibit.records);
}

const recordTime = (l: Labels, iso: string | null | undefined) => l.timeSeconds(iso);

interface FieldColumn {
  field: string;
  column: TableColumn;
  value: (d: Record<string, unknown>, r: DossierRecord) => Content;
}

/** Only the columns some record has a value for. */
function presentColumns(records: readonly DossierRecord[], candidates: readonly FieldColumn[], always: readonly string[]): FieldColumn[] {
  return candidates.filter((c) => always.includes(c.field) || records.some((r) => str(r.data[c.field]) !== ''));
}

function tradeTable(ctx: DossierContext, records: readonly DossierRecord[]): void {
  const { l } = ctx;
  const num = (field: string) => (d: Record<string, unknown>) => l.amount(str(d[field]) || null);
  const candidates: FieldColumn[] = [
    { field: 'time', column: { header: l.t('dossier.record.time'), weight: 1.15, face: 'mono' }, value: (d, r) => recordTime(l, str(d.time) || r.occurredAt) },
    { field: 'symbol', column: { header: l.t('dossier.record.symbol'), weight: 1.15 }, value: (d) => str(d.symbol) },
    { field: 'side', column: { header: l.t('dossier.record.side'), weight: 0.65 }, value: (d) => l.label('dossier.trade_side', str(d.side)) },
    { field: 'orderType', column: { header: l.t('dossier.record.order_type'), weight: 0.8 }, value: (d) => str(d.orderType) },
    { field: 'price', column: { header: l.t('dossier.record.price'), weight: 1.15, align: 'right', face: 'mono' }, value: num('price') },
    { field: 'quantity', column: { header: l.t('dossier.record.quantity'), weight: 1.05, align: 'right', face: 'mono' }, value: num('quantity') },
    { field: 'filledQuantity', column: { header: l.t('dossier.record.filled'), weight: 1.05, align: 'right', face: 'mono' }, value: num('filledQuantity') },
    { field: 'averagePrice', column: { header: l.t('dossier.record.average_price'), weight: 1.15, align: 'right', face: 'mono' }, value: num('averagePrice') },
    { field: 'total', column: { header: l.t('dossier.record.total'), weight: 1.15, align: 'right', face: 'mono' }, value: num('total') },
    { field: 'fee', column: { header: l.t('dossier.record.fee'), weight: 1.15, align: 'right', face: 'mono' }, value: (d) => (str(d.fee) ? `${l.amount(str(d.fee))} ${str(d.feeAsset)}`.trim() : l.empty) },
    { field: 'status', column: { header: l.t('dossier.record.status'), weight: 0.85 }, value: (d) => str(d.status) },
    { field: 'orderId', column: { header: l.t('dossier.record.order_id'), weight: 1.45, face: 'mono' }, value: (d) => str(d.orderId) },
    { field: 'tradeId', column: { header: l.t('dossier.record.trade_id'), weight: 1.1, face: 'mono' }, value: (d) => str(d.tradeId) },
  ];
  recordTable(ctx, records, presentColumns(records, candidates, ['time', 'symbol', 'side']), 6.7);
}

function activityTable(ctx: DossierContext, records: readonly DossierRecord[]): void {
  const { l } = ctx;
  const candidates: FieldColumn[] = [
    { field: 'time', column: { header: l.t('dossier.record.time'), weight: 1.1, face: 'mono' }, value: (d, r) => recordTime(l, str(d.time) || r.occurredAt) },
    { field: 'ip', column: { header: l.t('dossier.record.ip'), weight: 1.6, face: 'mono' }, value: (d) => str(d.ip) },
    { field: 'device', column: { header: l.t('dossier.record.device'), weight: 1.8 }, value: (d) => str(d.device) || l.empty },
    { field: 'action', column: { header: l.t('dossier.record.action'), weight: 1.8 }, value: (d) => str(d.action) },
    { field: 'location', column: { header: l.t('dossier.record.location'), weight: 1.2 }, value: (d) => str(d.location) || l.empty },
    { field: 'result', column: { header: l.t('dossier.record.result'), weight: 0.9 }, value: (d) => str(d.result) || l.empty },
    { field: 'userAgent', column: { header: l.t('dossier.record.user_agent'), weight: 2 }, value: (d) => str(d.userAgent) || l.empty },
  ];
  recordTable(ctx, records, presentColumns(records, candidates, ['time', 'ip', 'device', 'action']), 7.4);
}

function onchainTable(ctx: DossierContext, records: readonly DossierRecord[]): void {
  const { l } = ctx;
  const candidates: FieldColumn[] = [
    { field: 'chain', column: { header: l.t('dossier.record.chain'), weight: 0.7, bold: true }, value: (d) => str(d.chain) },
    { field: 'referenceKind', column: { header: l.t('dossier.record.kind'), weight: 0.9 }, value: (d) => l.label('dossier.reference_kind', str(d.referenceKind)) },
    { field: 'value', column: { header: l.t('dossier.record.value'), weight: 4, face: 'mono' }, value: (d) => str(d.value) },
    { field: 'note', column: { header: l.t('dossier.record.note'), weight: 2.2 }, value: (d) => str(d.note) || l.empty },
  ];
  recordTable(ctx, records, presentColumns(records, candidates, ['chain', 'referenceKind', 'value']), 7.6);
}

/** Records of a kind this renderer does not know: each record's fields as written. */
function genericTable(ctx: DossierContext, records: readonly DossierRecord[]): void {
  const { l } = ctx;
  const hidden = new Set(['seq', 'line', 'kind', 'raw', 'searchText']);
  const candidates: FieldColumn[] = [
    { field: 'seq', column: { header: l.t('dossier.record.seq'), weight: 0.4, face: 'mono', align: 'right' }, value: (_d, r) => String(r.seq) },
    { field: 'time', column: { header: l.t('dossier.record.time'), weight: 1.1, face: 'mono' }, value: (_d, r) => recordTime(l, r.occurredAt) },
    {
      field: 'data',
      column: { header: l.t('dossier.record.data'), weight: 5 },
      value: (d) =>
        Object.entries(d)
          .filter(([k]) => !hidden.has(k))
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join('\n'),
    },
  ];
  recordTable(ctx, records, candidates, 7.4);
}

function recordTable(ctx: DossierContext, records: readonly DossierRecord[], columns: readonly FieldColumn[], size: number): void {
  ctx.layout.table(
    columns.map((c) => c.column),
    records.map((r) => columns.map((c) => c.value(r.data, r))),
    { size, maxCellLines: 20 },
  );
}

function transcript(ctx: DossierContext, records: readonly DossierRecord[]): void {
  const { layout, l } = ctx;
  for (const r of records) {
    const speaker = str(r.data.speaker) || l.empty;
    layout.paragraph(
      [
        { text: speaker, bold: true },
        { text: `  ${l.timeSeconds(str(r.data.time) || r.occurredAt)}`, face: 'mono', size: 7.5, color: COLOR.muted },
      ],
      { size: 8.5 },
      { spaceAfter: 0, leading: 1.4 },
    );
    layout.paragraph(str(r.data.text) || l.empty, { size: 9 }, { x: MARGIN.left + 12, spaceAfter: 5, leading: 1.45 });
  }
}
