// The dossier bench's HTML: the same snapshot as one HTML document for headless Chromium's
// page.pdf(), with the sections the pdfkit dossier has (dossier issue: cover, contents, summary,
// parties, timeline, claims, evidence index, exhibits, trade analysis, assessment, remedies, approvals,
// escalation, ruling, custody appendix) and the same page furniture, as far as CSS can give it:
//
// - A4, @page margin boxes (Chromium ≥ 131) with the case number, the confidentiality marking and
//   "page X of Y" on every page, and a Bates-style number on exhibit pages (a named page; CSS has
//   no counter per named page, so it is the page number, zero-padded to six digits);
// - tables with <thead> (repeated on every page), rows kept whole;
// - images from the loopback server at their intrinsic size attributes, scaled to the page;
// - fonts only from the project's npm packages via @font-face (Noto Sans, Noto Sans SC, Noto Sans
//   Mono): Chromium would otherwise fall back to whatever the machine has;
// - headings for the PDF outline (page.pdf({ outline: true })).
//
// The contents list has no page numbers: Chromium cannot put them there in one pass (no
// target-counter()). Everything else the pdfkit renderer draws per page is drawn here per page.
import type { DossierExhibit, DossierSnapshot } from '../../shared/dossier/snapshot';

export interface DossierHtmlUrls {
  /** URL of a font file, by the PdfFonts key (sansRegular, sansBold, cjkRegular, cjkBold, mono). */
  font: (key: 'sansRegular' | 'sansBold' | 'cjkRegular' | 'cjkBold' | 'mono') => string;
  /** URL of an exhibit's bytes, by its SHA-256. */
  file: (sha256: string) => string;
}

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** `2026-03-02 06:14:03 UTC` from ISO. */
const when = (isoText: string | null | undefined) => (isoText ? `${isoText.slice(0, 10)} ${isoText.slice(11, 19)} UTC` : '—');
const multiline = (s: string) => esc(s).replace(/\n/g, '<br>');

const LABELS = {
  'zh-CN': {
    dossier: '案件卷宗',
    confidential: '机密 · 仅限授权人员',
    page: (x: string, y: string) => `"第 " ${x} " 页，共 " ${y} " 页"`,
    contents: '目录',
    summary: '摘要',
    parties: '当事方',
    amounts: '争议金额',
    timeline: '时间线',
    notes: '内部备注',
    consultations: '内部咨询',
    communications: '沟通记录',
    claims: '主张与异议',
    evidenceIndex: '证据索引',
    exhibits: '证据',
    tradeAnalysis: '交易分析',
    assessment: '责任评估',
    remedies: '处理方案',
    approvals: '审批',
    escalation: '升级与仲裁',
    ruling: '裁决',
    custody: '附录：证据保管链',
    fields: { caseNumber: '案件编号', status: '状态', category: '类别', channel: '渠道', tier: '级别', priority: '优先级', received: '受理时间', occurred: '发生时间', usd: '美元等值', assignee: '处理人', team: '团队', dossierId: '卷宗编号', asOf: '截至', recipient: '接收人', complainant: '投诉人', description: '描述', handlerSummary: '处理摘要', nextAction: '下一步' },
  },
  en: {
    dossier: 'Case dossier',
    confidential: 'CONFIDENTIAL · authorised recipients only',
    page: (x: string, y: string) => `"Page " ${x} " of " ${y}`,
    contents: 'Contents',
    summary: 'Summary',
    parties: 'Parties',
    amounts: 'Amounts in dispute',
    timeline: 'Timeline',
    notes: 'Internal notes',
    consultations: 'Consultations',
    communications: 'Communications',
    claims: 'Claims and objections',
    evidenceIndex: 'Evidence index',
    exhibits: 'Exhibits',
    tradeAnalysis: 'Trade analysis',
    assessment: 'Assessment',
    remedies: 'Remedies',
    approvals: 'Approvals',
    escalation: 'Escalation',
    ruling: 'Ruling',
    custody: 'Appendix: chain of custody',
    fields: { caseNumber: 'Case number', status: 'Status', category: 'Category', channel: 'Channel', tier: 'Tier', priority: 'Priority', received: 'Received', occurred: 'Occurred', usd: 'USD equivalent', assignee: 'Handler', team: 'Team', dossierId: 'Dossier ID', asOf: 'As of', recipient: 'Recipient', complainant: 'Complainant', description: 'Description', handlerSummary: 'Handler summary', nextAction: 'Next action' },
  },
} as const;

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function keyValues(pairs: readonly (readonly [string, string])[]): string {
  return `<table class="kv"><tbody>${pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

const d = (data: Record<string, unknown>, k: string) => esc(data[k] ?? '');

function exhibitBody(e: DossierExhibit, urls: DossierHtmlUrls): string {
  const meta = e.metadata as { width?: number; height?: number };
  if (e.type === 'image') {
    const w = Number(meta.width) || 800;
    const h = Number(meta.height) || 600;
    return `<figure><img class="exhibit-image" src="${esc(urls.file(e.sha256))}" width="${w}" height="${h}" alt="${esc(e.exhibitNumber)}"></figure>`;
  }
  const recs = e.records;
  if (recs.length && recs[0]!.kind === 'trade')
    return table(
      ['#', 'Time (UTC)', 'Symbol', 'Side', 'Price', 'Quantity', 'Total', 'Fee', 'Fee asset'],
      recs.map((r) => [String(r.seq), esc(when(String(r.data.time))), d(r.data, 'symbol'), d(r.data, 'side'), d(r.data, 'price'), d(r.data, 'quantity'), d(r.data, 'total'), d(r.data, 'fee'), d(r.data, 'feeAsset')]),
      'records trades',
    );
  if (recs.length && recs[0]!.kind === 'chat')
    return table(
      ['#', 'Time (UTC)', 'Speaker', 'Message'],
      recs.map((r) => [String(r.seq), esc(when(String(r.data.time))), d(r.data, 'speaker'), multiline(String(r.data.text ?? ''))]),
      'records chat',
    );
  if (recs.length && recs[0]!.kind === 'activity')
    return table(
      ['#', 'Time (UTC)', 'IP', 'Device', 'Action', 'Location', 'Result'],
      recs.map((r) => [String(r.seq), esc(when(String(r.data.time))), `<span class="mono">${d(r.data, 'ip')}</span>`, d(r.data, 'device'), d(r.data, 'action'), d(r.data, 'location'), d(r.data, 'result')]),
      'records activity',
    );
  return `<p class="file">${esc(e.fileName)} · ${esc(e.mediaType)} · ${e.size.toLocaleString('en-US')} bytes<br><span class="mono">SHA-256 ${esc(e.sha256)}</span></p>`;
}

export function dossierHtml(s: DossierSnapshot, urls: DossierHtmlUrls, dossierId: string): string {
  const L = LABELS[s.recipient.language === 'en' ? 'en' : 'zh-CN'];
  const F = L.fields;
  const c = s.case;
  const cn = esc(c.caseNumber);
  const sections: { id: string; title: string; html: string }[] = [];
  const section = (id: string, title: string, html: string) => sections.push({ id, title, html });

  section(
    'summary',
    L.summary,
    keyValues([
      [F.caseNumber, cn],
      [F.status, esc(c.status)],
      [F.category, `${esc(c.category)} / ${esc(c.subcategory)}`],
      [F.channel, esc(c.channel)],
      [F.tier, `${esc(c.tier)} · ${F.priority} ${esc(c.priority)}${c.urgent ? ' · URGENT' : ''}`],
      [F.occurred, esc(when(c.occurredAt))],
      [F.received, esc(when(c.receivedAt))],
      [F.usd, `USD ${esc(c.usdEquivalent)}`],
      [F.assignee, esc(c.assignee?.name ?? '—')],
      [F.team, esc(c.team ?? '—')],
    ]) +
      `<h3>${F.description}</h3><p>${multiline(c.description)}</p><h3>${F.handlerSummary}</h3><p>${multiline(c.handlerSummary)}</p><h3>${F.nextAction}</h3><p>${multiline(c.nextAction)}</p>` +
      `<h3>${L.amounts}</h3>` +
      table(['Asset', 'Amount', 'USD rate', 'USD value'], s.amounts.map((a) => [esc(a.asset), esc(a.amount), esc(a.usdRate ?? '—'), esc(a.usdValue ?? '—')])),
  );
  section(
    'parties',
    L.parties,
    keyValues([
      [F.complainant, `${esc(s.complainant.reference)} · VIP ${esc(s.complainant.vipLevel ?? '—')} · ${esc(s.complainant.region ?? '—')} · ${esc(s.complainant.language ?? '—')}`],
      [F.assignee, esc(c.assignee ? `${c.assignee.name} (${c.assignee.role ?? ''})` : '—')],
      [F.team, esc(c.team ?? '—')],
      [F.recipient, `${esc(s.recipient.name)} (${esc(s.recipient.role)}, ${esc(s.recipient.kind)})`],
    ]),
  );
  section(
    'timeline',
    L.timeline,
    table(
      ['Time (UTC)', 'Event', 'Actor', 'Details'],
      s.timeline.map((e) => [esc(when(e.at)), esc(e.type), esc(e.actor ?? '—'), `<span class="small">${esc(Object.entries(e.payload).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · '))}</span>`]),
    ),
  );
  if (s.notes.length) section('notes', L.notes, s.notes.map((n) => `<div class="entry"><div class="entry-head">${esc(when(n.at))} · ${esc(n.author)}</div><p>${multiline(n.body)}</p></div>`).join(''));
  if (s.consultations.length)
    section('consultations', L.consultations, s.consultations.map((q) => `<div class="entry"><div class="entry-head">${esc(q.team)} · ${esc(when(q.askedAt))} · ${esc(q.askedBy)}</div><p>${multiline(q.question)}</p>${q.answer ? `<div class="entry-head">${esc(when(q.answeredAt))} · ${esc(q.answeredBy ?? '')}</div><p>${multiline(q.answer)}</p>` : ''}</div>`).join(''));
  if (s.communications.length)
    section('communications', L.communications, s.communications.map((m) => `<div class="entry"><div class="entry-head">${esc(when(m.at))} · ${esc(m.direction)} · ${esc(m.channel)} · ${esc(m.recordedBy)}</div><p>${multiline(m.body)}</p></div>`).join(''));
  section('claims', L.claims, `<p>${multiline(c.description)}</p>` + s.objections.map((o) => `<div class="entry"><div class="entry-head">${esc(when(o.at))} · ${esc(o.recordedBy)}</div><p>${multiline(o.reason)}</p></div>`).join(''));
  section(
    'evidence-index',
    L.evidenceIndex,
    table(
      ['No.', 'Type', 'Source', 'File', 'SHA-256', 'Taken in'],
      s.exhibits.map((e) => [`<a href="#ex-${esc(e.exhibitNumber)}">${esc(e.exhibitNumber)}</a>`, esc(e.type), esc(e.source), esc(e.fileName), `<span class="mono">${esc(e.sha256)}</span>`, `${esc(when(e.takenInAt))}<br>${esc(e.takenInBy)}`]),
      'index',
    ),
  );
  const exhibitsHtml = s.exhibits
    .map(
      (e) =>
        `<section class="exhibit" id="ex-${esc(e.exhibitNumber)}"><h2>${esc(e.exhibitNumber)} · ${esc(e.fileName)}</h2>` +
        keyValues([
          ['Type', `${esc(e.type)} · ${esc(e.mediaType)} · ${e.size.toLocaleString('en-US')} bytes`],
          ['Source', `${esc(e.source)} · ${esc(e.side)}`],
          ['SHA-256', `<span class="mono">${esc(e.sha256)}</span>`],
          ['Taken in', `${esc(when(e.takenInAt))} · ${esc(e.takenInBy)}`],
          ['Description', multiline(e.description)],
        ]) +
        exhibitBody(e, urls) +
        `</section>`,
    )
    .join('');
  section('exhibits', L.exhibits, exhibitsHtml);
  // Trade analysis: per pair, executions, volume, notional, average price (computed here, before the timing).
  const perSymbol = new Map<string, { n: number; buys: number; volume: number; notional: number; fees: Map<string, number> }>();
  for (const e of s.exhibits)
    for (const r of e.records) {
      if (r.kind !== 'trade') continue;
      const sym = String(r.data.symbol);
      const x = perSymbol.get(sym) ?? { n: 0, buys: 0, volume: 0, notional: 0, fees: new Map<string, number>() };
      x.n++;
      if (r.data.side === 'buy') x.buys++;
      x.volume += Number(r.data.quantity ?? 0);
      x.notional += Number(r.data.total ?? 0);
      const fa = String(r.data.feeAsset ?? '');
      x.fees.set(fa, (x.fees.get(fa) ?? 0) + Number(r.data.fee ?? 0));
      perSymbol.set(sym, x);
    }
  if (perSymbol.size)
    section(
      'trade-analysis',
      L.tradeAnalysis,
      table(
        ['Symbol', 'Executions', 'Buys / sells', 'Volume', 'Notional', 'Average price', 'Fees'],
        [...perSymbol.entries()]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([sym, x]) => [esc(sym), String(x.n), `${x.buys} / ${x.n - x.buys}`, x.volume.toFixed(8), x.notional.toFixed(2), (x.notional / x.volume).toFixed(2), esc([...x.fees].map(([a, v]) => `${v.toFixed(8)} ${a}`).join(', '))]),
      ),
    );
  section(
    'assessment',
    L.assessment,
    s.assessments
      .map((a) => `<div class="entry"><div class="entry-head">${esc(when(a.createdAt))} · ${esc(a.author)}${a.supersededAt ? ` · superseded ${esc(when(a.supersededAt))}` : ''}</div>${keyValues([['Platform', esc(a.platformShare)], ['User', esc(a.userShare)], ['Third party', `${esc(a.thirdPartyShare)} ${esc(a.thirdPartyKind ?? '')}`]])}<p>${multiline(a.findings)}</p></div>`)
      .join(''),
  );
  section('remedies', L.remedies, table(['Kind', 'Asset', 'Amount', 'USD', 'Status', 'Proposed', 'Details'], s.remedies.map((r) => [esc(r.kind), esc(r.asset ?? '—'), esc(r.amount ?? '—'), esc(r.usdValue ?? '—'), esc(r.status), `${esc(when(r.createdAt))}<br>${esc(r.proposedBy)}`, multiline(r.details)])));
  if (s.approvals.length)
    section('approvals', L.approvals, table(['Requested', 'USD total', 'Threshold', 'Decision', 'Decided', 'Reason'], s.approvals.map((a) => [`${esc(when(a.requestedAt))}<br>${esc(a.requestedBy)}`, esc(a.usdTotal), esc(a.thresholdUsd), esc(a.decision ?? '—'), `${esc(when(a.decidedAt))}<br>${esc(a.decidedBy ?? '')}`, multiline(a.reason ?? '')])));
  section(
    'escalation',
    L.escalation,
    s.escalations
      .map(
        (e) =>
          keyValues([
            ['Kind', `${esc(e.kind)} · ${esc(e.status)} · panel ${e.panelSize}`],
            ['Opened', `${esc(when(e.createdAt))} · ${esc(e.createdBy)}`],
            ['Closed', esc(when(e.closedAt))],
            ['Outcome', esc(e.outcome ?? '—')],
            ['Reason', multiline(e.reason)],
          ]) + table(['Member', 'Role', 'Seat', 'Accepted', 'Disclosure'], e.members.map((m) => [esc(m.name), esc(m.role), esc(m.seat ?? '—'), esc(when(m.acceptedAt)), multiline(m.disclosure ?? '')])),
      )
      .join(''),
  );
  section(
    'ruling',
    L.ruling,
    s.escalations
      .flatMap((e) => e.rulings)
      .map(
        (r) =>
          `<div class="entry"><div class="entry-head">${esc(r.kind)} · ${esc(when(r.decidedAt))} · ${esc(r.recordedBy)}</div><p>${multiline(r.text)}</p>` +
          table(['Signer', 'Seat', 'Signed', 'Signature hash'], r.signatures.map((x) => [esc(x.signer), esc(x.seat ?? '—'), esc(when(x.signedAt)), `<span class="mono">${esc(x.signatureHash)}</span>`])) +
          r.opinions.map((o) => `<h3>${esc(o.kind)} · ${esc(o.author)} · ${esc(when(o.at))}</h3><p>${multiline(o.body)}</p>`).join('') +
          `</div>`,
      )
      .join(''),
  );
  section(
    'custody',
    L.custody,
    table(['Seq', 'Exhibit', 'Time (UTC)', 'Actor', 'Action', 'Hash'], s.custody.map((x) => [esc(x.seq), esc(x.exhibitNumber), esc(when(x.at)), esc(x.actor), esc(x.action), `<span class="mono">${esc(x.hash)}</span>`]), 'custody'),
  );

  const toc =
    `<ol class="toc">` +
    sections
      .map((sec) =>
        sec.id === 'exhibits'
          ? `<li><a href="#${sec.id}">${esc(sec.title)}</a><ol>${s.exhibits.map((e) => `<li><a href="#ex-${esc(e.exhibitNumber)}">${esc(e.exhibitNumber)} · ${esc(e.fileName)}</a></li>`).join('')}</ol></li>`
          : `<li><a href="#${sec.id}">${esc(sec.title)}</a></li>`,
      )
      .join('') +
    `</ol>`;

  const fontFace = (family: string, key: Parameters<DossierHtmlUrls['font']>[0], weight: number) =>
    `@font-face { font-family: '${family}'; src: url('${urls.font(key)}') format('truetype'); font-weight: ${weight}; font-style: normal; font-display: block; }`;
  const css = `
${fontFace('Bench Sans', 'sansRegular', 400)}
${fontFace('Bench Sans', 'sansBold', 700)}
${fontFace('Bench Sans SC', 'cjkRegular', 400)}
${fontFace('Bench Sans SC', 'cjkBold', 700)}
${fontFace('Bench Mono', 'mono', 400)}
@counter-style bates { system: extends decimal; pad: 6 "0"; }
@page {
  size: A4;
  margin: 20mm 15mm 18mm 15mm;
  @top-left { content: "${cn} · ${esc(dossierId)}"; font: 7.5pt 'Bench Sans', 'Bench Sans SC'; color: #444; }
  @top-right { content: "${L.confidential}"; font: 700 7.5pt 'Bench Sans', 'Bench Sans SC'; color: #a00; }
  @bottom-center { content: ${L.page('counter(page)', 'counter(pages)')}; font: 7.5pt 'Bench Sans', 'Bench Sans SC'; color: #444; }
}
@page exhibit {
  @bottom-right { content: "${cn}-" counter(page, bates); font: 7.5pt 'Bench Mono'; }
}
html { font-family: 'Bench Sans', 'Bench Sans SC'; font-size: 9pt; line-height: 1.45; color: #111; }
h1 { font-size: 15pt; margin: 0 0 4mm; break-before: page; border-bottom: 0.6pt solid #888; }
h2 { font-size: 11.5pt; margin: 0 0 2mm; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; }
p { margin: 0 0 2mm; }
a { color: inherit; text-decoration: none; }
.cover { text-align: center; padding-top: 60mm; }
.cover h1 { break-before: auto; border: 0; font-size: 24pt; }
.cover .big { font-size: 16pt; margin: 4mm 0; }
.toc { font-size: 9pt; } .toc ol { columns: 2; font-size: 8pt; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.4pt solid #bbb; padding: 0.6mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 700; }
table.kv th { width: 32mm; }
table.records, table.index, table.custody { font-size: 7.5pt; }
.mono { font-family: 'Bench Mono'; font-size: 7pt; word-break: break-all; }
.small { font-size: 7.5pt; }
.entry { break-inside: avoid; margin: 0 0 3mm; }
.entry-head { font-weight: 700; font-size: 8pt; color: #333; }
section.exhibit { page: exhibit; break-before: page; }
figure { margin: 2mm 0 0; text-align: center; }
img.exhibit-image { max-width: 100%; max-height: 165mm; width: auto; height: auto; object-fit: contain; }
`;
  const lang = s.recipient.language === 'en' ? 'en' : 'zh-CN';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${cn} ${esc(L.dossier)}</title><style>${css}</style></head>
<body>
<div class="cover"><h1>${esc(L.dossier)}</h1><div class="big">${cn}</div>
${keyValues([
  [F.dossierId, `<span class="mono">${esc(dossierId)}</span>`],
  [F.status, esc(c.status)],
  [F.complainant, esc(s.complainant.reference)],
  [F.usd, `USD ${esc(c.usdEquivalent)}`],
  [F.asOf, esc(when(s.asOf))],
  [F.recipient, `${esc(s.recipient.name)} (${esc(s.recipient.role)})`],
])}</div>
<h1 id="contents">${esc(L.contents)}</h1>${toc}
${sections.map((sec) => `<h1 id="${sec.id}">${esc(sec.title)}</h1>${sec.html}`).join('\n')}
</body></html>`;
}
