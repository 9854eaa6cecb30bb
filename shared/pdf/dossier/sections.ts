// The dossier's sections, each drawn from the snapshot in the recipient's language. Internal-only
// material (notes, consultations, communications, approvals) appears only for internal recipients;
// the snapshot already leaves it out for external ones, and these sections are not planned then.
import type { Content, Span } from '../text-layout';
import type { TableColumn } from '../table';
import { COLOR, CONTENT_WIDTH, MARGIN, type DossierLayout } from './layout';
import type { Labels } from '../../dossier/format';
import { hasMessage } from '../../i18n';
import type { PdfOutline } from '../pdf-doc';
import type { DossierEscalation, DossierEvent, DossierExhibit, DossierSnapshot } from '../../dossier/snapshot';
import type { TradeAnalysis } from '../../dossier/trade-analysis';

export interface TocEntry {
  title: string;
  level: 1 | 2;
  destination: string;
  /** 0-based page index, set when the heading is drawn. */
  page: number | null;
}

export interface DossierContext {
  snapshot: DossierSnapshot;
  layout: DossierLayout;
  l: Labels;
  external: boolean;
  dossierId: string;
  snapshotHash: string;
  /** Attachment name of each exhibit's original file, or null when it is not attached. */
  attachmentNames: ReadonlyMap<string, string | null>;
  files: ReadonlyMap<string, Uint8Array>;
  tradeAnalysis: TradeAnalysis | null;
  outline: PdfOutline;
  toc: TocEntry[];
}

const mono = (text: string): Span => ({ text, face: 'mono' });

/** Starts a section: a new structure element, its heading (bookmark and TOC destination). */
export function sectionHeading(ctx: DossierContext, entry: TocEntry, options: { newPage?: boolean } = {}): PdfOutline | null {
  const { layout } = ctx;
  layout.beginSection(entry.title);
  const outline = layout.heading(entry.title, 1, { outline: ctx.outline, destination: entry.destination, newPage: options.newPage });
  entry.page = layout.pageIndex;
  return outline;
}

// ---- cover ----------------------------------------------------------------------------------------

export function renderCover(ctx: DossierContext): void {
  const { layout, l, snapshot: s } = ctx;
  const c = s.case;
  layout.beginSection(l.t('dossier.section.cover'));
  ctx.outline.addItem(l.t('dossier.section.cover'), { top: MARGIN.top, left: layout.doc.page.width });
  layout.y = 118;
  layout.paragraph(l.t('dossier.cover.title'), { size: 26, bold: true, color: COLOR.primary }, { leading: 1.3, spaceAfter: 2, tag: 'Title' });
  layout.paragraph(c.caseNumber, { size: 18, bold: true }, { leading: 1.3, spaceAfter: 4, tag: 'P' });
  layout.paragraph(l.t('dossier.joined', { first: l.label('dossier.category', c.category), second: l.label('dossier.subcategory', c.subcategory) }), { size: 12, color: COLOR.muted }, { spaceAfter: 18 });
  layout.rule(COLOR.primary);
  layout.space(12);

  const amounts = s.amounts.length ? s.amounts.map((a) => `${l.amount(a.amount)} ${a.asset}`).reduce((a, b) => l.t('dossier.joined', { first: a, second: b })) : l.empty;
  layout.fields(
    [
      [l.t('dossier.cover.case_number'), c.caseNumber],
      [l.t('dossier.field.status'), l.label('case.state', c.status)],
      [l.t('dossier.party.complainant'), [mono(s.complainant.reference || l.empty)]],
      [l.t('dossier.party.respondent'), l.t('dossier.party.platform')],
      [l.t('dossier.field.amounts'), amounts],
      [l.t('dossier.field.usd_equivalent'), `${l.usd(c.usdEquivalent)} USD`],
      [l.t('dossier.field.received_at'), `${l.time(c.receivedAt)} UTC`],
      [l.t('dossier.cover.as_of'), `${l.time(s.asOf)} UTC`],
      [l.t('dossier.cover.prepared_for'), l.t('dossier.cover.recipient', { name: s.recipient.name, role: l.label('dossier.role', s.recipient.role) })],
      [l.t('dossier.cover.dossier_id'), [mono(ctx.dossierId)]],
      [l.t('dossier.cover.snapshot_hash'), [{ text: ctx.snapshotHash, face: 'mono', size: 8.4 }]],
    ],
    { labelShare: 0.32, size: 10 },
  );
  layout.space(10);
  layout.paragraph(l.t('dossier.cover.verify_note'), { size: 8.5, color: COLOR.muted });
  layout.paragraph(l.t(ctx.external ? 'dossier.cover.attachments_external' : 'dossier.cover.attachments_internal'), { size: 8.5, color: COLOR.muted });
  layout.paragraph(l.t('dossier.times_utc'), { size: 8.5, color: COLOR.muted });
}

// ---- summary and parties ----------------------------------------------------------------------------

export function renderSummary(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  const c = s.case;
  sectionHeading(ctx, entry, { newPage: true });
  const rows: [string, Content][] = [
    [l.t('dossier.field.category'), l.label('dossier.category', c.category)],
    [l.t('dossier.field.subcategory'), l.label('dossier.subcategory', c.subcategory)],
    [l.t('dossier.field.channel'), l.label('dossier.channel', c.channel)],
    [l.t('dossier.field.status'), l.label('case.state', c.status)],
    [l.t('dossier.field.tier'), l.label('case.tier', c.tier)],
    [l.t('dossier.field.priority'), l.label('case.priority', c.priority)],
    [l.t('dossier.field.urgent'), l.yesNo(c.urgent)],
    [l.t('dossier.field.usd_equivalent'), `${l.usd(c.usdEquivalent)} USD`],
    [l.t('dossier.field.occurred_at'), l.time(c.occurredAt)],
    [l.t('dossier.field.received_at'), l.time(c.receivedAt)],
    [l.t('dossier.field.first_response_due_at'), l.time(c.firstResponseDueAt)],
    [l.t('dossier.field.first_responded_at'), l.time(c.firstRespondedAt)],
    [l.t('dossier.field.resolution_due_at'), l.time(c.resolutionDueAt)],
  ];
  if (c.resolvedAt) rows.push([l.t('dossier.field.resolved_at'), l.time(c.resolvedAt)]);
  if (c.closedAt) rows.push([l.t('dossier.field.closed_at'), l.time(c.closedAt)]);
  if (c.archivedAt) rows.push([l.t('dossier.field.archived_at'), l.time(c.archivedAt)]);
  if (c.externalRef) rows.push([l.t('dossier.field.external_ref'), [mono(c.externalRef)]]);
  if (c.satisfactionScore !== null) rows.push([l.t('dossier.field.satisfaction'), l.t('dossier.satisfaction_score', { score: c.satisfactionScore })]);
  if (c.satisfactionComment) rows.push([l.t('dossier.field.satisfaction_comment'), c.satisfactionComment]);
  const current = s.assessments.find((a) => a.supersededAt === null);
  if (current) rows.push([l.t('dossier.field.current_assessment'), l.t('dossier.event.assessment', { platform: current.platformShare, user: current.userShare, thirdParty: current.thirdPartyShare })]);
  layout.fields(rows);

  layout.heading(l.t('dossier.field.description'), 2);
  layout.paragraph(c.description || l.empty);
  if (c.handlerSummary) {
    layout.heading(l.t('dossier.field.handler_summary'), 2);
    layout.paragraph(c.handlerSummary);
  }
  if (c.nextAction) {
    layout.heading(l.t('dossier.field.next_action'), 2);
    layout.paragraph(c.nextAction);
  }
  if (s.signals.length) {
    layout.heading(l.t('dossier.field.signals'), 2);
    for (const g of s.signals) layout.paragraph([mono(l.time(g.at)), { text: '  ' }, { text: l.t('dossier.signal', { sha256: g.sha256.slice(0, 16) + '…', caseNumber: g.otherCaseNumber ?? l.empty }) }]);
  }
}

export function renderParties(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry);
  layout.heading(l.t('dossier.party.complainant'), 2);
  const complainant: [string, Content][] = [[l.t('dossier.field.complainant_reference'), [mono(s.complainant.reference || l.empty)]]];
  if (s.complainant.vipLevel !== null) complainant.push([l.t('dossier.field.vip_level'), String(s.complainant.vipLevel)]);
  if (s.complainant.region) complainant.push([l.t('dossier.field.region'), s.complainant.region]);
  if (s.complainant.language) complainant.push([l.t('dossier.field.language'), l.label('dossier.language', s.complainant.language)]);
  layout.fields(complainant);
  if (ctx.external) layout.paragraph(l.t('dossier.party.redacted_note'), { size: 8.5, color: COLOR.muted });

  layout.heading(l.t('dossier.party.respondent'), 2);
  layout.paragraph(l.t('dossier.party.platform'));
  if (s.case.team || s.case.assignee) {
    layout.heading(l.t('dossier.party.handling'), 2);
    const handling: [string, Content][] = [];
    if (s.case.team) handling.push([l.t('dossier.field.team'), s.case.team]);
    if (s.case.assignee) handling.push([l.t('dossier.field.assignee'), s.case.assignee.role ? l.t('dossier.party.member_no_seat', { name: s.case.assignee.name, role: l.label('dossier.role', s.case.assignee.role) }) : s.case.assignee.name]);
    layout.fields(handling);
  }
  const members = s.escalations.flatMap((e) => e.members.map((m) => ({ e, m })));
  if (members.length) {
    layout.heading(l.t('dossier.party.tribunal'), 2);
    for (const { m } of members) {
      const role = l.label('dossier.member_role', m.role);
      layout.paragraph(m.seat ? l.t('dossier.party.member', { name: m.name, role, seat: l.label('dossier.seat', m.seat) }) : l.t('dossier.party.member_no_seat', { name: m.name, role }), {}, { spaceAfter: 1 });
    }
    layout.space(3);
  }
  layout.heading(l.t('dossier.party.recipient'), 2);
  layout.paragraph(l.t('dossier.cover.recipient', { name: s.recipient.name, role: l.label('dossier.role', s.recipient.role) }));
}

// ---- timeline and claims ---------------------------------------------------------------------------

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** What an event says, beyond its name: transitions, classifications, amounts, exhibit numbers. */
export function eventDetails(l: Labels, e: DossierEvent): string {
  const p = e.payload;
  const parts: string[] = [];
  switch (e.type) {
    case 'case.received':
      parts.push(l.t('dossier.event.received', { channel: l.label('dossier.channel', str(p.channel)), tier: l.label('case.tier', str(p.tier)), priority: l.label('case.priority', str(p.priority)) }));
      break;
    case 'case.classified': {
      const a = obj(p.after);
      parts.push(l.t('dossier.event.classified', { category: l.label('dossier.category', str(a.category)), subcategory: l.label('dossier.subcategory', str(a.subcategory)), tier: l.label('case.tier', str(a.tier)), priority: l.label('case.priority', str(a.priority)) }));
      break;
    }
    case 'case.transition':
      parts.push(l.t('dossier.event.transition', { action: l.label('case.action', str(p.action)), from: l.label('case.state', str(p.from)), to: l.label('case.state', str(p.to)) }));
      break;
    case 'exhibit.added':
      parts.push(l.t('dossier.event.exhibit', { exhibitNumber: str(p.exhibitNumber) ?? l.empty, type: l.label('dossier.exhibit_type', str(p.type)) }));
      break;
    case 'remedy.drafted':
    case 'remedy.withdrawn': {
      const kind = l.label('dossier.remedy_kind', str(p.kind));
      const amount = str(p.amount);
      parts.push(amount ? l.t('dossier.event.remedy_amount', { kind, amount: l.amount(amount), asset: str(p.asset) ?? '' }) : l.t('dossier.event.remedy', { kind }));
      break;
    }
    case 'assessment.set': {
      const sh = obj(p.shares);
      if (str(sh.platform)) parts.push(l.t('dossier.event.assessment', { platform: str(sh.platform)!, user: str(sh.user) ?? '0', thirdParty: str(sh.thirdParty) ?? '0' }));
      break;
    }
    case 'satisfaction.recorded':
      if (str(p.score)) parts.push(l.t('dossier.event.satisfaction', { score: str(p.score)! }));
      break;
    case 'consultation.asked':
    case 'consultation.answered':
      if (str(p.team)) parts.push(l.t('dossier.event.consultation', { team: l.label('dossier.team', str(p.team)) }));
      break;
    case 'communication.logged':
      parts.push(l.t('dossier.event.communication', { direction: l.label('dossier.direction', str(p.direction)), channel: l.label('dossier.channel', str(p.channel)) }));
      break;
    case 'evidence.signal':
      parts.push(l.t('dossier.event.signal', { caseNumber: str(p.otherCaseNumber) ?? l.empty }));
      break;
    case 'escalation.member_assigned': {
      const role = l.label('dossier.member_role', str(p.role));
      parts.push(str(p.seat) ? l.t('dossier.event.member', { role, seat: l.label('dossier.seat', str(p.seat)) }) : role);
      break;
    }
    case 'ruling.recorded':
      parts.push(l.label('dossier.ruling_kind', str(p.kind)));
      break;
    case 'ruling.signed':
      if (str(p.seat)) parts.push(l.label('dossier.seat', str(p.seat)));
      break;
    case 'ruling.opinion_added':
      parts.push(l.label('dossier.opinion', str(p.kind)));
      break;
    case 'case.fields_updated':
      parts.push(l.t('dossier.event.fields', { fields: Object.keys(obj(p.changes)).join(', ') }));
      break;
  }
  const reason = str(p.reason);
  if (reason) parts.push(l.t('dossier.event.reason', { reason }));
  return parts.join('\n');
}

export function renderTimeline(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry);
  if (s.timeline.length === 0) return void layout.paragraph(l.t('dossier.none'));
  const withActor = !ctx.external;
  const columns: TableColumn[] = [
    { header: l.t('dossier.timeline.at'), weight: 1.25, face: 'mono' },
    { header: l.t('dossier.timeline.event'), weight: 1.6, bold: true },
    ...(withActor ? [{ header: l.t('dossier.timeline.actor'), weight: 1.3 }] : []),
    { header: l.t('dossier.timeline.details'), weight: 3.2 },
  ];
  const rows = s.timeline.map((e) => {
    const key = `case.event.${e.type}`;
    const name = hasMessage(key) ? l.t(key) : l.t('dossier.event.unknown', { type: e.type });
    const row: Content[] = [l.time(e.at), name];
    if (withActor) row.push(e.actor ?? l.t('dossier.event.system'));
    row.push(eventDetails(l, e));
    return row;
  });
  layout.table(columns, rows, { size: 8 });
}

export function renderClaims(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry);
  layout.heading(l.t('dossier.claims.complaint'), 2);
  layout.paragraph(s.case.description || l.empty);
  layout.heading(l.t('dossier.claims.amounts'), 2);
  amountsTable(ctx);
  layout.heading(l.t('dossier.claims.objections'), 2);
  if (s.objections.length === 0) return void layout.paragraph(l.t('dossier.claims.no_objections'));
  for (const o of s.objections) {
    const meta = o.recordedBy ? l.t('dossier.claims.objection_meta', { date: l.time(o.at), name: o.recordedBy }) : l.t('dossier.claims.objection_date', { date: l.time(o.at) });
    layout.paragraph(meta, { size: 8.5, color: COLOR.muted, bold: true }, { spaceAfter: 1 });
    layout.paragraph(o.reason, {}, { x: MARGIN.left + 10 });
  }
}

function amountsTable(ctx: DossierContext): void {
  const { layout, l, snapshot: s } = ctx;
  if (s.amounts.length === 0) return void layout.paragraph(l.t('dossier.none'));
  layout.table(
    [
      { header: l.t('dossier.amount.asset'), weight: 1, bold: true },
      { header: l.t('dossier.amount.amount'), weight: 2, align: 'right', face: 'mono' },
      { header: l.t('dossier.amount.usd_rate'), weight: 1.6, align: 'right', face: 'mono' },
      { header: l.t('dossier.amount.usd_value'), weight: 1.8, align: 'right', face: 'mono' },
    ],
    [
      ...s.amounts.map((a) => [a.asset, l.amount(a.amount), l.amount(a.usdRate), l.usd(a.usdValue)]),
      [[{ text: l.t('dossier.amount.total'), bold: true }], '', '', [{ text: l.usd(s.case.usdEquivalent), bold: true, face: 'mono' }]],
    ],
    { size: 8.5, width: CONTENT_WIDTH * 0.75 },
  );
}

// ---- evidence index --------------------------------------------------------------------------------

export function exhibitTitle(l: Labels, e: DossierExhibit): string {
  const description = e.description.trim() || l.label('dossier.exhibit_type', e.type);
  return l.t('dossier.exhibit.heading_described', { exhibitNumber: e.exhibitNumber, description });
}

export function renderEvidenceIndex(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry, { newPage: true });
  layout.paragraph(l.t('dossier.evidence.intro'), { size: 8.5, color: COLOR.muted });
  if (s.exhibits.length === 0) return void layout.paragraph(l.t('dossier.none'));
  layout.table(
    [
      { header: l.t('dossier.evidence.number'), weight: 0.8, bold: true },
      { header: l.t('dossier.evidence.type'), weight: 1.3 },
      { header: l.t('dossier.evidence.source'), weight: 1.2 },
      { header: l.t('dossier.evidence.file'), weight: 1.6 },
      { header: l.t('dossier.evidence.sha256'), weight: 2.3, face: 'mono' },
      { header: l.t('dossier.evidence.taken_in'), weight: 1.6 },
    ],
    s.exhibits.map((e) => [
      e.exhibitNumber,
      `${l.label('dossier.exhibit_type', e.type)}\n${l.label('dossier.side', e.side)}`,
      e.source,
      e.fileName,
      e.sha256,
      [{ text: l.time(e.takenInAt), face: 'mono' }, { text: `\n${e.takenInBy}` }],
    ]),
    { size: 7.4 },
  );
}

// ---- assessment, remedies, approvals ----------------------------------------------------------------

export function renderAssessment(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry, { newPage: true });
  if (s.assessments.length === 0) return void layout.paragraph(l.t('dossier.none'));
  // The current assessment first, then the ones it replaced, newest first.
  const ordered = [...s.assessments].sort((a, b) => (a.supersededAt === null ? -1 : b.supersededAt === null ? 1 : a.createdAt < b.createdAt ? 1 : -1));
  for (const a of ordered) {
    const superseded = a.supersededAt !== null;
    layout.heading(superseded ? l.t('dossier.assessment.superseded', { date: l.time(a.supersededAt) }) : l.t('dossier.assessment.current'), 2);
    layout.paragraph(a.author ? l.t('dossier.assessment.recorded_by', { date: l.time(a.createdAt), name: a.author }) : l.t('dossier.assessment.recorded', { date: l.time(a.createdAt) }), { size: 8.5, color: COLOR.muted });
    const thirdParty = a.thirdPartyKind ? l.t('dossier.assessment.third_party_kind', { kind: l.label('dossier.third_party', a.thirdPartyKind) }) : l.t('dossier.assessment.third_party');
    const faded = superseded ? COLOR.faint : undefined;
    layout.table(
      [
        { header: l.t('dossier.assessment.platform'), weight: 1, align: 'center', color: faded },
        { header: l.t('dossier.assessment.user'), weight: 1, align: 'center', color: faded },
        { header: thirdParty, weight: 1.4, align: 'center', color: faded },
      ],
      [[a.platformShare, a.userShare, a.thirdPartyShare].map((share) => [{ text: l.t('dossier.assessment.share', { share }), bold: !superseded, size: 11 }])],
      { size: 9, width: CONTENT_WIDTH * 0.7, zebra: false },
    );
    layout.heading(l.t('dossier.assessment.findings'), 3);
    layout.paragraph(a.findings || l.empty, superseded ? { color: COLOR.muted } : {});
  }
}

export function renderRemedies(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry);
  if (s.remedies.length === 0) return void layout.paragraph(l.t('dossier.none'));
  layout.table(
    [
      { header: l.t('dossier.remedy.kind'), weight: 1.4, bold: true },
      { header: l.t('dossier.remedy.amount'), weight: 1.5, align: 'right', face: 'mono' },
      { header: l.t('dossier.remedy.usd_value'), weight: 1.1, align: 'right', face: 'mono' },
      { header: l.t('dossier.remedy.status'), weight: 1 },
      { header: l.t('dossier.remedy.details'), weight: 3 },
      { header: l.t('dossier.remedy.proposed'), weight: 1.6 },
    ],
    s.remedies.map((r) => [
      l.label('dossier.remedy_kind', r.kind),
      r.amount ? `${l.amount(r.amount)} ${r.asset ?? ''}` : l.empty,
      l.usd(r.usdValue),
      l.label('dossier.remedy_status', r.status),
      r.details || l.empty,
      r.proposedBy ? l.t('dossier.by_at', { at: l.time(r.createdAt), name: r.proposedBy }) : l.time(r.createdAt),
    ]),
    { size: 8 },
  );
}

export function renderApprovals(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry);
  if (s.approvals.length === 0) return void layout.paragraph(l.t('dossier.none'));
  layout.table(
    [
      { header: l.t('dossier.approval.requested'), weight: 1.7 },
      { header: l.t('dossier.approval.usd_total'), weight: 1.1, align: 'right', face: 'mono' },
      { header: l.t('dossier.approval.threshold'), weight: 1.1, align: 'right', face: 'mono' },
      { header: l.t('dossier.approval.decision'), weight: 1, bold: true },
      { header: l.t('dossier.approval.decided'), weight: 1.7 },
      { header: l.t('dossier.approval.reason'), weight: 2 },
    ],
    s.approvals.map((a) => [
      l.t('dossier.by_at', { at: l.time(a.requestedAt), name: a.requestedBy }),
      l.usd(a.usdTotal),
      l.usd(a.thresholdUsd),
      a.decision ? l.label('dossier.decision', a.decision) : l.t('dossier.approval.pending'),
      a.decidedAt ? l.t('dossier.by_at', { at: l.time(a.decidedAt), name: a.decidedBy ?? l.empty }) : l.empty,
      a.reason || l.empty,
    ]),
    { size: 8 },
  );
}

export function renderInternal(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry);
  layout.paragraph(l.t('dossier.internal.intro'), { size: 8.5, color: COLOR.warning });
  layout.heading(l.t('dossier.internal.notes'), 2);
  if (s.notes.length === 0) layout.paragraph(l.t('dossier.none'));
  for (const n of s.notes) {
    layout.paragraph(l.t('dossier.internal.note_meta', { at: l.time(n.at), name: n.author }), { size: 8.5, bold: true, color: COLOR.muted }, { spaceAfter: 1 });
    layout.paragraph(n.body, {}, { x: MARGIN.left + 10 });
  }
  layout.heading(l.t('dossier.internal.consultations'), 2);
  if (s.consultations.length === 0) layout.paragraph(l.t('dossier.none'));
  for (const q of s.consultations) {
    layout.paragraph(l.t('dossier.internal.asked', { team: l.label('dossier.team', q.team), at: l.time(q.askedAt), name: q.askedBy }), { size: 8.5, bold: true, color: COLOR.muted }, { spaceAfter: 1 });
    layout.paragraph(q.question, {}, { x: MARGIN.left + 10 });
    if (q.answer) {
      layout.paragraph(l.t('dossier.internal.answered', { at: l.time(q.answeredAt), name: q.answeredBy ?? l.empty }), { size: 8.5, bold: true, color: COLOR.muted }, { x: MARGIN.left + 10, spaceAfter: 1 });
      layout.paragraph(q.answer, {}, { x: MARGIN.left + 20 });
    } else layout.paragraph(l.t('dossier.internal.unanswered'), { color: COLOR.muted }, { x: MARGIN.left + 10 });
  }
  layout.heading(l.t('dossier.internal.communications'), 2);
  if (s.communications.length === 0) layout.paragraph(l.t('dossier.none'));
  for (const m of s.communications) {
    layout.paragraph(
      l.t('dossier.internal.communication_meta', { at: l.time(m.at), direction: l.label('dossier.direction', m.direction), channel: l.label('dossier.channel', m.channel), name: m.recordedBy }),
      { size: 8.5, bold: true, color: COLOR.muted },
      { spaceAfter: 1 },
    );
    layout.paragraph(m.body, {}, { x: MARGIN.left + 10 });
  }
}

// ---- escalation and rulings ---------------------------------------------------------------------------

function escalationTitle(l: Labels, e: DossierEscalation): string {
  return l.t('dossier.escalation.heading', { kind: l.label('dossier.escalation_kind', e.kind), date: l.date(e.createdAt) });
}

export function renderEscalations(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry, { newPage: true });
  if (s.escalations.length === 0) return void layout.paragraph(l.t('dossier.none'));
  for (const e of s.escalations) {
    layout.heading(escalationTitle(l, e), 2);
    const rows: [string, Content][] = [
      [l.t('dossier.escalation.status'), l.label('dossier.escalation_status', e.status)],
      [l.t('dossier.escalation.panel_size'), String(e.panelSize)],
      [l.t('dossier.escalation.reason'), e.reason || l.empty],
      [l.t('dossier.escalation.opened_by'), l.t('dossier.by_at', { at: l.time(e.createdAt), name: e.createdBy })],
    ];
    if (e.outcome) rows.push([l.t('dossier.escalation.outcome'), l.label('dossier.outcome', e.outcome)]);
    if (e.closedAt) rows.push([l.t('dossier.escalation.closed_at'), l.time(e.closedAt)]);
    layout.fields(rows);
    layout.heading(l.t('dossier.escalation.members'), 3);
    if (e.members.length === 0) {
      layout.paragraph(l.t('dossier.none'));
      continue;
    }
    layout.table(
      [
        { header: l.t('dossier.escalation.member'), weight: 1.5, bold: true },
        { header: l.t('dossier.field.role'), weight: 1 },
        { header: l.t('dossier.escalation.seat'), weight: 1.2 },
        { header: l.t('dossier.escalation.disclosure'), weight: 3 },
        { header: l.t('dossier.escalation.accepted'), weight: 1.3 },
      ],
      e.members.map((m) => [
        m.name,
        l.label('dossier.member_role', m.role),
        m.seat ? l.label('dossier.seat', m.seat) : l.empty,
        m.disclosure ?? l.t('dossier.escalation.no_disclosure'),
        m.acceptedAt ? l.time(m.acceptedAt) : l.t('dossier.escalation.not_accepted'),
      ]),
      { size: 8 },
    );
  }
}

export function renderRulings(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  const outline = sectionHeading(ctx, entry, { newPage: true });
  const rulings = s.escalations.flatMap((e) => e.rulings.map((r) => ({ e, r })));
  if (rulings.length === 0) return void layout.paragraph(l.t('dossier.ruling.none'));
  for (const { e, r } of rulings) {
    const title = l.t('dossier.ruling.heading', { kind: l.label('dossier.ruling_kind', r.kind), date: l.date(r.decidedAt) });
    layout.heading(title, 2, { outline: outline ?? undefined });
    const about = l.t('dossier.joined', { first: l.t('dossier.ruling.escalation', { kind: l.label('dossier.escalation_kind', e.kind), date: l.date(e.createdAt) }), second: l.t('dossier.ruling.recorded_by', { name: r.recordedBy }) });
    layout.paragraph(l.t('dossier.joined', { first: about, second: l.time(r.decidedAt) }), { size: 8.5, color: COLOR.muted });
    layout.paragraph(r.text || l.empty, { size: 10 }, { leading: 1.55, spaceAfter: 8 });
    layout.heading(l.t('dossier.ruling.signatures'), 3);
    if (r.signatures.length === 0) layout.paragraph(l.t('dossier.ruling.no_signatures'));
    else
      layout.table(
        [
          { header: l.t('dossier.ruling.signer'), weight: 1.5, bold: true },
          { header: l.t('dossier.ruling.seat'), weight: 1.1 },
          { header: l.t('dossier.ruling.signed_at'), weight: 1.3, face: 'mono' },
          { header: l.t('dossier.ruling.signature_hash'), weight: 3.6, face: 'mono' },
        ],
        r.signatures.map((g) => [g.signer, g.seat ? l.label('dossier.seat', g.seat) : l.empty, l.time(g.signedAt), g.signatureHash]),
        { size: 7.8 },
      );
    for (const o of r.opinions) {
      layout.heading(l.label('dossier.opinion', o.kind), 3);
      layout.paragraph(l.t('dossier.opinion.meta', { author: o.author, date: l.time(o.at) }), { size: 8.5, color: COLOR.muted }, { spaceAfter: 2 });
      layout.paragraph(o.body || l.empty, {}, { x: MARGIN.left + 10 });
    }
  }
}

// ---- custody appendix ----------------------------------------------------------------------------------

function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
}

export function renderCustody(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l, snapshot: s } = ctx;
  sectionHeading(ctx, entry, { newPage: true });
  layout.paragraph(l.t('dossier.custody.intro'), { size: 8.5, color: COLOR.muted });
  if (s.custody.length === 0) return void layout.paragraph(l.t('dossier.none'));
  layout.table(
    [
      { header: l.t('dossier.custody.seq'), weight: 0.6, face: 'mono', align: 'right' },
      { header: l.t('dossier.custody.exhibit'), weight: 0.65, bold: true },
      { header: l.t('dossier.custody.at'), weight: 1.25, face: 'mono' },
      { header: l.t('dossier.custody.actor'), weight: 1.3 },
      { header: l.t('dossier.custody.action'), weight: 1.3 },
      { header: l.t('dossier.custody.details'), weight: 2.4, face: 'mono' },
      { header: l.t('dossier.custody.hash'), weight: 1.6, face: 'mono' },
    ],
    s.custody.map((c) => [c.seq, c.exhibitNumber, l.time(c.at), c.actor, l.label('dossier.custody_action', c.action), detailText(c.details) || l.empty, c.hash]),
    { size: 7, maxCellLines: 12 },
  );
}

// ---- trade analysis ----------------------------------------------------------------------------------------

export function renderTradeAnalysis(ctx: DossierContext, entry: TocEntry): void {
  const { layout, l } = ctx;
  const a = ctx.tradeAnalysis;
  sectionHeading(ctx, entry, { newPage: true });
  if (!a) return void layout.paragraph(l.t('dossier.none'));
  layout.paragraph(l.t('dossier.analysis.intro', { exhibits: a.exhibits.join(', ') }), { size: 8.5, color: COLOR.muted });
  layout.heading(l.t('dossier.analysis.by_symbol'), 2);
  layout.table(
    [
      { header: l.t('dossier.analysis.symbol'), weight: 1.1, bold: true },
      { header: l.t('dossier.analysis.executions'), weight: 0.8, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.buys_sells'), weight: 0.9, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.volume'), weight: 1.4, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.notional'), weight: 1.6, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.average_price'), weight: 1.4, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.fees'), weight: 1.6, align: 'right', face: 'mono' },
    ],
    a.symbols.map((s) => [
      s.symbol,
      String(s.executions),
      `${s.buys} / ${s.sells}`,
      `${l.amount(s.volume)} ${s.base}`,
      `${l.amount(s.notional)} ${s.quote}`,
      s.averagePrice ? l.amount(s.averagePrice) : l.empty,
      s.fees.length ? s.fees.map((f) => `${l.amount(f.amount)} ${f.asset}`.trim()).join('\n') : l.empty,
    ]),
    { size: 7.8 },
  );
  layout.heading(l.t('dossier.analysis.slippage'), 2);
  layout.paragraph(l.t('dossier.analysis.slippage_intro'), { size: 8.5, color: COLOR.muted });
  if (a.slippage.length === 0) return void layout.paragraph(l.t('dossier.analysis.slippage_none'));
  for (const s of a.slippageBySymbol) {
    layout.paragraph(
      l.t('dossier.analysis.slippage_summary', { symbol: s.symbol, orders: s.orders, average: `${s.averagePercent}%`, worst: `${s.worstPercent}%`, cost: l.amount(s.cost), quote: s.quote }),
      { bold: true },
      { spaceAfter: 2 },
    );
  }
  layout.space(4);
  layout.table(
    [
      { header: l.t('dossier.analysis.order'), weight: 1.5, face: 'mono' },
      { header: l.t('dossier.analysis.exhibit'), weight: 0.7 },
      { header: l.t('dossier.record.time'), weight: 1.1, face: 'mono' },
      { header: l.t('dossier.record.symbol'), weight: 1 },
      { header: l.t('dossier.record.side'), weight: 0.6 },
      { header: l.t('dossier.analysis.order_price'), weight: 1.1, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.executed_price'), weight: 1.1, align: 'right', face: 'mono' },
      { header: l.t('dossier.record.filled'), weight: 1, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.slippage_pct'), weight: 0.9, align: 'right', face: 'mono' },
      { header: l.t('dossier.analysis.cost'), weight: 1.1, align: 'right', face: 'mono' },
    ],
    a.slippage.map((r) => [
      r.orderId ?? l.empty,
      `${r.exhibitNumber} #${r.seq}`,
      l.timeSeconds(r.time).replace(' ', '\n'),
      r.symbol,
      l.label('dossier.trade_side', r.side),
      l.amount(r.orderPrice),
      l.amount(r.executedPrice),
      l.amount(r.filledQuantity),
      `${r.slippagePercent}%`,
      l.amount(r.cost),
    ]),
    { size: 6.9 },
  );
}
