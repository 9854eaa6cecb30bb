// A realistic trade dispute for the dossier renderer's tests and preview: a limit buy filled above
// its price during a matching-engine incident, with Chinese and English text throughout. The files
// are real (a chat transcript, a PNG screenshot, an OKX order history of 120 orders, an activity
// log, on-chain references, a one-page PDF), parsed by shared/evidence as intake would, and the
// snapshot is built by the same builder the server and the workstation use.
import { createHash } from 'node:crypto';
import { parseEvidence, type ExhibitType } from '../../../shared/evidence';
import { encodeRgbPng } from '../../../shared/pdf/png-encode';
import { buildDossierSnapshot, type DossierRecipient, type DossierSnapshot, type DossierSourceRows } from '../../../shared/dossier/snapshot';
import type { Language } from '../../../shared/domain';

export const CASE_NUMBER = 'ARB-2026-000123';
const CASE_ID = '11111111-1111-4111-8111-111111111111';
const U = {
  zhang: 'aaaaaaaa-0000-4000-8000-000000000001',
  wang: 'aaaaaaaa-0000-4000-8000-000000000002',
  li: 'aaaaaaaa-0000-4000-8000-000000000003',
  lau: 'aaaaaaaa-0000-4000-8000-000000000004',
  chen: 'aaaaaaaa-0000-4000-8000-000000000005',
  raman: 'aaaaaaaa-0000-4000-8000-000000000006',
};
const T = (iso: string) => new Date(iso);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export const internalRecipient = (language: Language): DossierRecipient => ({ kind: 'internal', userId: U.wang, name: '王敏 Wang Min', role: 'legal', language });
export const externalRecipient = (language: Language): DossierRecipient => ({ kind: 'external', userId: U.lau, name: 'Helen Lau', role: 'arbitrator', language });

/** Texts the tests look for. */
export const TEXT = {
  complaintZh: '限价买单',
  findingsZh: '撮合引擎',
  rulingEn: 'The platform shall compensate',
  noteInternal: '内部备注:撮合日志显示 08:00:03 至 08:00:41 队列积压',
  consultationInternal: 'Please confirm the matching-engine queue depth',
  dissentEn: 'I would have allocated a larger share',
  /** A spreadsheet formula in an activity log: printed as the text it is. */
  formula: '=HYPERLINK("http://evil.example","点击")',
};

// ---- the files --------------------------------------------------------------------------------------

const CHAT = `[2026-10-01 16:05:10] 客服 Alice: 您好,请问有什么可以帮您?
[2026-10-01 16:05:41] 李雷: 我的 BTC-USDT 限价买单设置在 64,000,结果按 64,950 成交了,这不合理!
[2026-10-01 16:06:02] 客服 Alice: 已为您查询订单 612345678901234001,请稍候。
[2026-10-01 16:07:30] 客服 Alice: We see the order was filled during a matching-engine incident at 08:00 UTC. The case has been passed to the trade disputes team.
[2026-10-01 16:08:05] 李雷: 请尽快处理,我的电话是 13800138000。
[2026-10-01 16:08:40] 客服 Alice: 好的,案件编号 ARB-2026-000123,我们会在 24 小时内回复您。
`;

function tradeCsv(): string {
  const lines = ['Order ID,Order Time(UTC+8),Instrument,Side,Order Type,Order Price,Order Amount,Filled,Avg. Fill Price,Fee,Fee Currency,Status'];
  for (let i = 0; i < 120; i++) {
    const id = `6123456789012${34000 + i + 1}`;
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(16 + Math.floor(i / 60)).padStart(2, '0');
    const eth = i % 3 === 2;
    const symbol = eth ? 'ETH-USDT' : 'BTC-USDT';
    const side = i % 4 === 3 ? 'sell' : 'buy';
    const market = i % 5 === 4;
    const base = eth ? 2400 + (i % 7) : 64000 + (i % 11) * 10;
    // Orders placed during the incident (the first ten) fill above their limit.
    const avg = market ? base + 3 : i < 10 && side === 'buy' ? base + (eth ? 6 : 950 - i * 20) : base;
    const qty = eth ? '0.5' : '0.002';
    const fee = eth ? '-0.0005' : '-0.000002';
    lines.push([id, `2026-10-01 ${hour}:${minute}:0${i % 10}`, symbol, side, market ? 'market' : 'limit', market ? '' : String(base), qty, qty, String(avg), fee, eth ? 'ETH' : 'BTC', 'Filled'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const ACTIVITY = `时间(UTC+8),IP地址,设备,操作,登录地点,结果
2026-10-01 15:58:00,203.0.113.7,iPhone 15 (iOS 19.1),登录,上海,成功
2026-10-01 15:59:30,203.0.113.7,iPhone 15 (iOS 19.1),查看订单,上海,成功
2026-10-01 16:00:01,203.0.113.7,iPhone 15 (iOS 19.1),下单 BTC-USDT 限价 64000,上海,成功
2026-10-01 16:00:44,203.0.113.7,iPhone 15 (iOS 19.1),订单成交,上海,成功
2026-10-01 16:04:55,2001:DB8:0:0:0:0:0:1,Chrome 140 / Windows,登录,Singapore,成功
2026-10-01 16:05:02,2001:DB8:0:0:0:0:0:1,Chrome 140 / Windows,打开在线客服,Singapore,成功
2026-10-01 16:06:30,2001:DB8:0:0:0:0:0:1,Chrome 140 / Windows,"=HYPERLINK(""http://evil.example"",""点击"")",Singapore,失败
`;

const ONCHAIN = `# deposits the complainant says funded the account
TRON: 9b3c1f0e4d2a8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d TRC20 USDT deposit
0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
`;

/** A small but real PDF: one page, no text. */
function onePagePdf(): Uint8Array {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A valid RGB PNG (a phone screenshot's colours and shapes), made with node:zlib. */
export function makePng(width: number, height: number, seed = 1): Uint8Array {
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const k = row + 1 + x * 3;
      const bar = y < 36;
      const card = x > 24 && x < width - 24 && y > 60 && y < height - 40 && ((y - 60) % 48 < 40);
      const red = card && x > width - 120 && (y - 60) % 48 < 20;
      raw[k] = bar ? 31 : red ? 214 : card ? 250 : 232 - ((x + seed * 7) % 16);
      raw[k + 1] = bar ? 63 : red ? 69 : card ? 250 : 236 - (y % 12);
      raw[k + 2] = bar ? 102 : red ? 65 : card ? 252 : 242;
    }
  }
  return encodeRgbPng(width, height, raw);
}

interface FixtureExhibit {
  id: string;
  number: string;
  side: 'complainant' | 'platform';
  type: ExhibitType;
  source: string;
  fileName: string;
  description: string;
  bytes: Uint8Array;
  takenInBy: string;
  takenInAt: string;
  timeZone?: string;
}

export interface FixtureOptions {
  /** Change one byte of the chat transcript (and so its hash). */
  alterChat?: boolean;
  /** Extra image exhibits (for timing larger dossiers). */
  extraImages?: number;
}

export function fixtureExhibits(options: FixtureOptions = {}): FixtureExhibit[] {
  const enc = (s: string) => new TextEncoder().encode(s);
  const chat = enc(CHAT);
  if (options.alterChat) chat[chat.indexOf(0x3f)] = 0x21; // one "?" becomes "!"
  const list: FixtureExhibit[] = [
    { id: 'eeeeeeee-0000-4000-8000-000000000001', number: 'C-1', side: 'complainant', type: 'chat_transcript', source: 'live_chat', fileName: 'chat-2026-10-01.txt', description: '在线客服聊天记录 Live chat transcript', bytes: chat, takenInBy: U.zhang, takenInAt: '2026-10-01T09:00:00Z', timeZone: '+08:00' },
    { id: 'eeeeeeee-0000-4000-8000-000000000002', number: 'C-2', side: 'complainant', type: 'image', source: 'app_upload', fileName: '订单截图.png', description: '订单详情截图 Order screenshot', bytes: makePng(360, 640), takenInBy: U.zhang, takenInAt: '2026-10-01T09:05:00Z' },
    { id: 'eeeeeeee-0000-4000-8000-000000000003', number: 'R-1', side: 'platform', type: 'order_history', source: 'okx_export', fileName: 'order-history.csv', description: 'OKX order history, 2026-10-01', bytes: enc(tradeCsv()), takenInBy: U.zhang, takenInAt: '2026-10-01T10:00:00Z' },
    { id: 'eeeeeeee-0000-4000-8000-000000000004', number: 'R-2', side: 'platform', type: 'activity_log', source: 'risk_export', fileName: 'activity.csv', description: '账户活动日志 Account activity', bytes: enc(ACTIVITY), takenInBy: U.zhang, takenInAt: '2026-10-01T10:05:00Z' },
    { id: 'eeeeeeee-0000-4000-8000-000000000005', number: 'R-3', side: 'platform', type: 'onchain_reference', source: 'chain_explorer', fileName: 'deposits.txt', description: '', bytes: enc(ONCHAIN), takenInBy: U.zhang, takenInAt: '2026-10-01T10:10:00Z' },
    { id: 'eeeeeeee-0000-4000-8000-000000000006', number: 'R-4', side: 'platform', type: 'pdf', source: 'engineering', fileName: 'incident-report.pdf', description: 'Matching-engine incident report 撮合引擎故障报告', bytes: onePagePdf(), takenInBy: U.li, takenInAt: '2026-10-02T03:00:00Z' },
  ];
  for (let i = 0; i < (options.extraImages ?? 0); i++)
    list.push({ id: `eeeeeeee-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`, number: `C-${3 + i}`, side: 'complainant', type: 'image', source: 'app_upload', fileName: `screen-${i + 1}.png`, description: `截图 ${i + 1} Screenshot`, bytes: makePng(480, 800, i + 2), takenInBy: U.zhang, takenInAt: '2026-10-01T09:06:00Z' });
  return list;
}

export function fixtureFiles(options: FixtureOptions = {}): Map<string, Uint8Array> {
  return new Map(fixtureExhibits(options).map((e) => [sha256(e.bytes), e.bytes]));
}

export function fixtureRows(options: FixtureOptions = {}): DossierSourceRows {
  const exhibits = fixtureExhibits(options);
  const exhibitRows: Record<string, unknown>[] = [];
  const recordRows: Record<string, unknown>[] = [];
  const custody: Record<string, unknown>[] = [];
  let custodySeq = 100;
  for (const e of exhibits) {
    const parsed = parseEvidence({ bytes: e.bytes, type: e.type, timeZone: e.timeZone });
    const hash = sha256(e.bytes);
    const records = parsed.status === 'parsed' ? parsed.records : [];
    exhibitRows.push({
      id: e.id,
      case_id: CASE_ID,
      exhibit_number: e.number,
      side: e.side,
      type: e.type,
      source: e.source,
      file_name: e.fileName,
      media_type: parsed.status === 'failed' ? 'application/octet-stream' : String(parsed.metadata.mediaType),
      size: e.bytes.length,
      blob_sha256: hash,
      description: e.description,
      internal_only: false,
      taken_in_by: e.takenInBy,
      taken_in_at: T(e.takenInAt),
      device_id: 'ws-shanghai-07',
      parse_status: parsed.status,
      parse_error: parsed.status === 'failed' ? parsed.error : null,
      metadata: parsed.status === 'failed' ? {} : parsed.metadata,
      deleted_at: null,
    });
    records.forEach((r, i) => {
      const { searchText: _s, ...data } = r;
      const time = (r as { time?: string }).time;
      recordRows.push({ id: `${e.id}-${i}`, exhibit_id: e.id, case_id: CASE_ID, seq: r.seq, kind: r.kind, occurred_at: time ? T(time) : null, data, deleted_at: null });
    });
    const takenIn = T(e.takenInAt);
    custody.push({ seq: String(custodySeq++), exhibit_id: e.id, at: takenIn, actor_label: '张伟 Zhang Wei', action: 'custody.intake', details: { sha256: hash, fileName: e.fileName, size: e.bytes.length }, hash: sha256(new TextEncoder().encode(`intake ${e.number}`)), deleted_at: null });
    custody.push({ seq: String(custodySeq++), exhibit_id: e.id, at: new Date(takenIn.getTime() + 3_600_000), actor_label: '王敏 Wang Min', action: 'custody.view', details: { exhibitNumber: e.number }, hash: sha256(new TextEncoder().encode(`view ${e.number}`)), deleted_at: null });
  }
  custody.push({ seq: String(custodySeq++), exhibit_id: exhibits[2]!.id, at: T('2026-10-03T02:00:00Z'), actor_label: '王敏 Wang Min', action: 'custody.export', details: { format: 'csv', records: 120 }, hash: sha256(new TextEncoder().encode('export R-1')), deleted_at: null });
  custody.push({ seq: String(custodySeq++), exhibit_id: exhibits[0]!.id, at: T('2026-10-06T02:00:00Z'), actor_label: '王敏 Wang Min', action: 'custody.share', details: { recipient: 'Helen Lau', redactions: 1 }, hash: sha256(new TextEncoder().encode('share C-1')), deleted_at: null });

  const ev = (id: string, type: string, at: string, actor: string | null, payload: Record<string, unknown>) => ({ id, case_id: CASE_ID, type, actor_id: actor, at: T(at), payload, deleted_at: null });
  return {
    case: {
      id: CASE_ID,
      case_number: CASE_NUMBER,
      external_ref: 'TCK-20261001-0042',
      channel: 'live_chat',
      category: 'trade',
      subcategory: 'execution_price',
      description:
        '用户称其 BTC-USDT 限价买单(委托价 64,000 USDT)于 2026-10-01 08:00 UTC 以 64,950 USDT 成交,高于委托价格,要求赔偿差价及手续费。The complainant says the limit buy order was filled above its limit price during the matching-engine incident and asks for the difference (1,500 USDT) to be refunded.',
      language: 'zh-CN',
      status: 'execution',
      tier: 'L2',
      priority: 'high',
      urgent: false,
      usd_equivalent: '1520.55',
      occurred_at: T('2026-10-01T08:00:00Z'),
      received_at: T('2026-10-01T08:10:00Z'),
      first_response_due_at: T('2026-10-01T08:40:00Z'),
      resolution_due_at: T('2026-10-02T08:10:00Z'),
      first_responded_at: T('2026-10-01T08:20:00Z'),
      resolved_at: null,
      closed_at: null,
      archived_at: null,
      handler_summary: '撮合引擎在 08:00:03–08:00:41 出现队列积压,部分限价单以劣于委托价的价格成交。Matching-engine backlog confirmed by engineering (R-4).',
      next_action: 'Execute the award: pay 912.30 USDT, then follow up with the complainant.',
      satisfaction_score: null,
      satisfaction_comment: null,
      assignee_id: U.zhang,
      team_id: 't1',
      deleted_at: null,
    },
    complainant: { id: 'c1', exchange_uid: 'UID-88001234', vip_level: 3, region: 'CN', language: 'zh-CN' },
    team: { id: 't1', name: '交易纠纷组 Trade disputes' },
    users: [
      { id: U.zhang, display_name: '张伟 Zhang Wei', role: 'specialist' },
      { id: U.wang, display_name: '王敏 Wang Min', role: 'legal' },
      { id: U.li, display_name: '李娜 Li Na', role: 'supervisor' },
      { id: U.lau, display_name: 'Helen Lau', role: 'arbitrator' },
      { id: U.chen, display_name: '陈建国 Chen Jianguo', role: 'arbitrator' },
      { id: U.raman, display_name: 'Dr. Priya Raman', role: 'arbitrator' },
    ],
    case_amounts: [
      { id: 'a1', asset: 'USDT', amount: '1500', usd_rate: '1', usd_value: '1500', deleted_at: null },
      { id: 'a2', asset: 'BTC', amount: '0.0003', usd_rate: '68500', usd_value: '20.55', deleted_at: null },
    ],
    case_events: [
      ev('ev01', 'case.received', '2026-10-01T08:10:00Z', null, { channel: 'live_chat', externalRef: 'TCK-20261001-0042', tier: 'L2', priority: 'high', usdEquivalent: '1520.55' }),
      ev('ev02', 'case.assigned', '2026-10-01T08:15:00Z', U.li, { from: null, to: U.zhang }),
      ev('ev03', 'case.transition', '2026-10-01T08:20:00Z', U.zhang, { action: 'start_review', from: 'received', to: 'initial_review' }),
      ev('ev04', 'case.classified', '2026-10-01T08:25:00Z', U.zhang, { before: {}, after: { category: 'trade', subcategory: 'execution_price', tier: 'L2', priority: 'high', urgent: false } }),
      ev('ev05', 'case.transition', '2026-10-01T08:30:00Z', U.zhang, { action: 'accept', from: 'initial_review', to: 'investigation' }),
      ...exhibits.map((e, i) => ev(`ev1${i}`, 'exhibit.added', e.takenInAt, e.takenInBy, { exhibitNumber: e.number, type: e.type })),
      ev('ev20', 'note.added', '2026-10-01T11:00:00Z', U.zhang, { noteId: 'n1' }),
      ev('ev21', 'consultation.asked', '2026-10-01T11:30:00Z', U.zhang, { team: 'technical' }),
      ev('ev22', 'consultation.answered', '2026-10-02T02:00:00Z', U.li, { team: 'technical' }),
      ev('ev23', 'case.transition', '2026-10-02T03:30:00Z', U.zhang, { action: 'complete_investigation', from: 'investigation', to: 'assessment' }),
      ev('ev24', 'assessment.set', '2026-10-02T04:00:00Z', U.zhang, { shares: { platform: '50', user: '50', thirdParty: '0' } }),
      ev('ev25', 'assessment.set', '2026-10-02T06:00:00Z', U.wang, { shares: { platform: '60', user: '40', thirdParty: '0' } }),
      ev('ev26', 'remedy.drafted', '2026-10-02T06:30:00Z', U.zhang, { kind: 'compensation', asset: 'USDT', amount: '912.3' }),
      ev('ev27', 'case.transition', '2026-10-02T06:40:00Z', U.zhang, { action: 'request_approval', from: 'assessment', to: 'pending_approval' }),
      ev('ev28', 'case.transition', '2026-10-02T07:10:00Z', U.li, { action: 'approve', from: 'pending_approval', to: 'resolution_proposed' }),
      ev('ev29', 'communication.logged', '2026-10-02T07:20:00Z', U.zhang, { direction: 'outbound', channel: 'email' }),
      ev('ev30', 'case.transition', '2026-10-03T01:00:00Z', U.zhang, { action: 'object', from: 'resolution_proposed', to: 'assessment', reason: '投诉人认为赔偿金额过低 Complainant finds the amount too low' }),
      ev('ev31', 'case.transition', '2026-10-04T01:00:00Z', U.wang, { action: 'escalate_arbitration', from: 'assessment', to: 'arbitration', reason: 'Objection after remedy; complainant requests arbitration' }),
      ev('ev32', 'case.transition', '2026-10-10T09:00:00Z', U.lau, { action: 'record_ruling', from: 'arbitration', to: 'execution' }),
    ],
    notes: [{ id: 'n1', author_id: U.zhang, body: TEXT.noteInternal, created_at: T('2026-10-01T11:00:00Z'), deleted_at: null }],
    consultations: [
      { id: 'q1', team: 'technical', question: `${TEXT.consultationInternal} between 08:00 and 08:01 UTC. 请确认是否影响限价单成交价。`, asked_by: U.zhang, asked_at: T('2026-10-01T11:30:00Z'), answer: 'Confirmed: a 38-second backlog; limit orders in the queue were matched against stale book levels. 见事故报告 R-4。', answered_by: U.li, answered_at: T('2026-10-02T02:00:00Z'), deleted_at: null },
    ],
    communications: [{ id: 'm1', direction: 'outbound', channel: 'email', body: '已向用户发送赔偿方案:912.30 USDT。Proposed compensation sent by email.', recorded_by: U.zhang, at: T('2026-10-02T07:20:00Z'), deleted_at: null }],
    objections: [{ id: 'o1', reason: '投诉人认为赔偿金额过低,要求全额赔偿 1,500 USDT。The complainant finds the amount too low.', recorded_by: U.zhang, at: T('2026-10-03T01:00:00Z'), deleted_at: null }],
    assessments: [
      { id: 'as1', platform_share: '50', user_share: '50', third_party_share: '0', third_party_kind: null, findings: '初步认定:用户下单时已看到延迟提示,双方各承担一半责任。Initial view: shared responsibility.', author_id: U.zhang, created_at: T('2026-10-02T04:00:00Z'), superseded_at: T('2026-10-02T06:00:00Z'), deleted_at: null },
      { id: 'as2', platform_share: '60', user_share: '40', third_party_share: '0', third_party_kind: null, findings: `${TEXT.findingsZh}队列积压 38 秒导致限价单以劣于委托价的价格成交(见 R-1、R-4);用户在延迟提示后仍追加下单。The platform bears the larger share.`, author_id: U.wang, created_at: T('2026-10-02T06:00:00Z'), superseded_at: null, deleted_at: null },
    ],
    remedies: [
      { id: 'r1', kind: 'compensation', asset: 'USDT', amount: '912.3', usd_value: '912.3', details: '按 60% 责任比例赔偿差价及手续费。60% of the price difference and fees.', status: 'accepted', proposed_by: U.zhang, created_at: T('2026-10-02T06:30:00Z'), deleted_at: null },
      { id: 'r2', kind: 'security_advice', asset: null, amount: null, usd_value: null, details: 'Explained order protection settings (price band) to the complainant.', status: 'proposed', proposed_by: U.zhang, created_at: T('2026-10-02T06:35:00Z'), deleted_at: null },
    ],
    approvals: [
      { id: 'ap1', requested_by: U.zhang, requested_at: T('2026-10-02T06:40:00Z'), usd_total: '912.3', threshold_usd: '500', decision: 'approved', decided_by: U.li, decided_at: T('2026-10-02T07:10:00Z'), reason: '符合事故赔偿政策 Within the incident compensation policy', deleted_at: null },
    ],
    escalations: [
      { id: 'es1', kind: 'arbitration', status: 'closed', panel_size: 3, reason: '投诉人对处理方案提出异议并申请仲裁 Objection after the proposed remedy', outcome: 'ruled', created_by: U.wang, created_at: T('2026-10-04T01:00:00Z'), closed_at: T('2026-10-10T09:00:00Z'), deleted_at: null },
    ],
    escalation_members: [
      { id: 'm1', escalation_id: 'es1', user_id: U.lau, role: 'arbitrator', seat: 'lawyer', disclosure: 'No relationship with either party.', accepted_at: T('2026-10-04T06:00:00Z'), deleted_at: null },
      { id: 'm2', escalation_id: 'es1', user_id: U.chen, role: 'arbitrator', seat: 'accountant', disclosure: '与双方均无利益关系。', accepted_at: T('2026-10-04T07:00:00Z'), deleted_at: null },
      { id: 'm3', escalation_id: 'es1', user_id: U.raman, role: 'arbitrator', seat: 'technical_expert', disclosure: 'Consulted for another exchange in 2024; no link to this platform.', accepted_at: T('2026-10-04T08:00:00Z'), deleted_at: null },
    ],
    rulings: [
      { id: 'ru1', escalation_id: 'es1', kind: 'award', text: `${TEXT.rulingEn} the complainant 912.30 USDT within 5 business days. 平台应在 5 个工作日内向投诉人支付 912.30 USDT。The remaining claim is dismissed.`, decided_at: T('2026-10-10T08:00:00Z'), recorded_by: U.lau, deleted_at: null },
    ],
    ruling_signatures: [
      { id: 's1', ruling_id: 'ru1', signer_id: U.lau, seat: 'lawyer', signed_at: T('2026-10-10T08:10:00Z'), signature_hash: sha256(new TextEncoder().encode('sig lau')), deleted_at: null },
      { id: 's2', ruling_id: 'ru1', signer_id: U.chen, seat: 'accountant', signed_at: T('2026-10-10T08:20:00Z'), signature_hash: sha256(new TextEncoder().encode('sig chen')), deleted_at: null },
      { id: 's3', ruling_id: 'ru1', signer_id: U.raman, seat: 'technical_expert', signed_at: T('2026-10-10T08:30:00Z'), signature_hash: sha256(new TextEncoder().encode('sig raman')), deleted_at: null },
    ],
    ruling_opinions: [
      { id: 'op1', ruling_id: 'ru1', kind: 'dissent', author_id: U.raman, body: `${TEXT.dissentEn} to the platform: the incident alert reached users 20 seconds late.`, created_at: T('2026-10-10T08:40:00Z'), deleted_at: null },
      { id: 'op2', ruling_id: 'ru1', kind: 'addendum', author_id: U.chen, body: '补充说明:赔偿金额按成交差价 × 60% 计算,另加手续费。', created_at: T('2026-10-10T08:50:00Z'), deleted_at: null },
    ],
    exhibits: exhibitRows,
    exhibit_records: recordRows,
    custody_entries: custody,
    evidence_signals: [{ id: 'sg1', case_id: CASE_ID, other_case_number: 'ARB-2026-000077', blob_sha256: sha256(exhibits[1]!.bytes), kind: 'shared_file_across_complainants', created_at: T('2026-10-01T09:05:00Z'), deleted_at: null }],
    redactions: [{ id: 'rd1', exhibit_id: exhibits[0]!.id, record_seq: 5, field: 'text', start: 0, end: 4, deleted_at: null }],
    piiValues: ['李雷', '13800138000'],
  };
}

export function fixtureSnapshot(recipient: DossierRecipient, options: FixtureOptions = {}): DossierSnapshot {
  return buildDossierSnapshot(fixtureRows(options), recipient);
}
