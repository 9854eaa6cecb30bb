// The snapshot builder is where server and workstation rows become the same JSON: whatever form
// each engine returns a value in and whatever order the rows come in, the snapshot is identical.
import { describe, expect, it } from 'vitest';
import {
  applySpans,
  buildDossierSnapshot,
  canonicalJson,
  dossierId,
  scrubValues,
  snapshotHash,
  type DossierRecipient,
  type DossierSourceRows,
} from '../../../shared/dossier/snapshot';
import { chineseNameForms } from '../../../shared/redaction';

const CASE = '11111111-1111-4111-8111-111111111111';
const U = {
  zhang: 'aaaaaaaa-0000-4000-8000-000000000001',
  legal: 'aaaaaaaa-0000-4000-8000-000000000002',
  arb: 'aaaaaaaa-0000-4000-8000-000000000003',
};
const EX = { chat: 'eeeeeeee-0000-4000-8000-000000000001', img: 'eeeeeeee-0000-4000-8000-000000000002', internal: 'eeeeeeee-0000-4000-8000-000000000003' };
const internal: DossierRecipient = { kind: 'internal', userId: U.legal, name: '王律师 Wang (Legal)', role: 'legal', language: 'zh-CN' };
const external: DossierRecipient = { kind: 'external', userId: U.arb, name: 'Helen Lau', role: 'arbitrator', language: 'en' };

/** Rows the way the server's pg driver gives them: Dates, numerics as text with trailing zeros. */
function serverRows(): DossierSourceRows {
  return {
    case: {
      id: CASE,
      case_number: 'ARB-2026-000123',
      external_ref: 'TCK-9',
      channel: 'live_chat',
      category: 'trade',
      subcategory: 'slippage',
      description: '用户 李雷 (li.lei@example.com) 称限价单成交价偏离。',
      language: 'zh-CN',
      status: 'arbitration',
      tier: 'L2',
      priority: 'high',
      urgent: false,
      usd_equivalent: '1520.500000000000000000',
      occurred_at: new Date('2026-10-01T08:00:00.000Z'),
      received_at: new Date('2026-10-01T09:00:00.000Z'),
      first_response_due_at: new Date('2026-10-01T09:30:00.000Z'),
      resolution_due_at: new Date('2026-10-02T09:00:00.000Z'),
      first_responded_at: new Date('2026-10-01T09:10:00.000Z'),
      resolved_at: null,
      closed_at: null,
      archived_at: null,
      handler_summary: 'Slippage beyond the documented band.',
      next_action: 'Await ruling',
      satisfaction_score: null,
      satisfaction_comment: null,
      assignee_id: U.zhang,
      team_id: 't1',
      deleted_at: null,
    },
    complainant: { id: 'c1', exchange_uid: 'UID-88001', vip_level: 3, region: 'SG', language: 'zh-CN' },
    team: { id: 't1', name: 'Trade disputes' },
    users: [
      { id: U.zhang, display_name: '张伟 Zhang Wei', role: 'specialist' },
      { id: U.legal, display_name: '王律师 Wang (Legal)', role: 'legal' },
      { id: U.arb, display_name: 'Helen Lau', role: 'arbitrator' },
    ],
    case_amounts: [
      { id: 'a2', asset: 'USDT', amount: '1500.000000', usd_rate: '1.0000', usd_value: '1500.00', deleted_at: null },
      { id: 'a1', asset: 'BTC', amount: '0.000300000000000000', usd_rate: '68500', usd_value: '20.55', deleted_at: null },
    ],
    case_events: [
      { id: 'ev2', type: 'note.added', actor_id: U.zhang, at: new Date('2026-10-01T10:00:00Z'), payload: { noteId: 'n1' }, deleted_at: null },
      { id: 'ev1', type: 'case.received', actor_id: null, at: new Date('2026-10-01T09:00:00Z'), payload: { channel: 'live_chat', b: 1, a: 2 }, deleted_at: null },
      { id: 'ev3', type: 'case.transition', actor_id: U.legal, at: new Date('2026-10-05T10:00:00Z'), payload: { to: 'arbitration', reason: '李雷 objects' }, deleted_at: null },
    ],
    notes: [{ id: 'n1', author_id: U.zhang, body: '内部备注：核对撮合日志', created_at: new Date('2026-10-01T10:00:00Z'), deleted_at: null }],
    consultations: [],
    communications: [],
    objections: [{ id: 'o1', reason: 'The complainant disagrees', recorded_by: U.zhang, at: new Date('2026-10-04T10:00:00Z'), deleted_at: null }],
    assessments: [
      { id: 'as1', platform_share: '60.00', user_share: '40', third_party_share: '0', third_party_kind: null, findings: 'Matching engine lag', author_id: U.zhang, created_at: new Date('2026-10-03T10:00:00Z'), superseded_at: null, deleted_at: null },
    ],
    remedies: [],
    approvals: [{ id: 'ap1', requested_by: U.zhang, requested_at: new Date('2026-10-03T11:00:00Z'), usd_total: '912.30', threshold_usd: '500', decision: 'approved', decided_by: U.legal, decided_at: new Date('2026-10-03T12:00:00Z'), reason: null, deleted_at: null }],
    escalations: [{ id: 'es1', kind: 'arbitration', status: 'open', panel_size: 1, reason: 'Objection after remedy', outcome: null, created_by: U.legal, created_at: new Date('2026-10-05T10:00:00Z'), closed_at: null, deleted_at: null }],
    escalation_members: [{ id: 'm1', escalation_id: 'es1', user_id: U.arb, role: 'arbitrator', seat: null, disclosure: 'None', accepted_at: new Date('2026-10-06T10:00:00Z'), deleted_at: null }],
    rulings: [{ id: 'r1', escalation_id: 'es1', kind: 'award', text: 'The platform pays 60%.', decided_at: new Date('2026-10-10T10:00:00Z'), recorded_by: U.arb, deleted_at: null }],
    ruling_signatures: [{ id: 's1', ruling_id: 'r1', signer_id: U.arb, seat: null, signed_at: new Date('2026-10-10T11:00:00Z'), signature_hash: 'ab'.repeat(32), deleted_at: null }],
    ruling_opinions: [],
    exhibits: [
      { id: EX.img, exhibit_number: 'C-10', side: 'complainant', type: 'image', source: 'upload', file_name: '李雷_screen.png', media_type: 'image/png', size: '2048', blob_sha256: 'b'.repeat(64), description: '', internal_only: false, taken_in_by: U.zhang, taken_in_at: new Date('2026-10-02T10:00:00Z'), device_id: 'dev-1', parse_status: 'not_applicable', parse_error: null, metadata: { width: 800, height: 600 }, deleted_at: null },
      { id: EX.internal, exhibit_number: 'R-1', side: 'platform', type: 'activity_log', source: 'risk export', file_name: 'risk.csv', media_type: 'text/csv', size: 10, blob_sha256: 'c'.repeat(64), description: 'risk score', internal_only: true, taken_in_by: U.zhang, taken_in_at: new Date('2026-10-02T11:00:00Z'), device_id: null, parse_status: 'parsed', parse_error: null, metadata: {}, deleted_at: null },
      { id: EX.chat, exhibit_number: 'C-2', side: 'complainant', type: 'chat_transcript', source: 'live_chat export', file_name: 'chat.json', media_type: 'application/json', size: '512', blob_sha256: 'a'.repeat(64), description: '', internal_only: false, taken_in_by: U.zhang, taken_in_at: new Date('2026-10-02T09:00:00Z'), device_id: null, parse_status: 'parsed', parse_error: null, metadata: { warnings: ['internal'], lines: 2 }, deleted_at: null },
    ],
    exhibit_records: [
      { id: 'rec2', exhibit_id: EX.chat, seq: 2, kind: 'chat_line', occurred_at: new Date('2026-09-30T08:01:00Z'), data: { speaker: 'agent', text: 'Please wait', raw: '{}' }, deleted_at: null },
      { id: 'rec1', exhibit_id: EX.chat, seq: 1, kind: 'chat_line', occurred_at: new Date('2026-09-30T08:00:00Z'), data: { speaker: 'user', text: '我是李雷，电话 13800138000', raw: '{}' }, deleted_at: null },
    ],
    custody_entries: [
      { seq: '12', exhibit_id: EX.chat, at: new Date('2026-10-02T09:30:00Z'), actor_label: '张伟 Zhang Wei', action: 'custody.view', details: { note: 'shown to 李雷 on request' }, hash: 'f'.repeat(64), deleted_at: null },
      { seq: '9', exhibit_id: EX.chat, at: new Date('2026-10-02T09:00:00Z'), actor_label: '张伟 Zhang Wei', action: 'custody.intake', details: { sha256: 'a'.repeat(64) }, hash: 'e'.repeat(64), deleted_at: null },
      { seq: '10', exhibit_id: EX.internal, at: new Date('2026-10-02T11:00:00Z'), actor_label: '张伟 Zhang Wei', action: 'custody.intake', details: {}, hash: 'd'.repeat(64), deleted_at: null },
    ],
    evidence_signals: [],
    redactions: [{ id: 'rd1', exhibit_id: EX.chat, record_seq: 2, field: 'text', start: 0, end: 6, deleted_at: null }],
    piiValues: ['李雷', 'li.lei@example.com', '13800138000'],
  };
}

/** The same rows the way the workstation's PGlite might hold them: ISO text, other decimal forms, other orders. */
function workstationRows(): DossierSourceRows {
  const r = serverRows();
  const toText = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
  const out = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) && k !== 'piiValues' ? [...v].reverse().map((x) => (typeof x === 'object' ? toText(x as Record<string, unknown>) : x)) : v])) as unknown as DossierSourceRows;
  out.case = { ...toText(r.case), usd_equivalent: '1520.5' };
  out.case_amounts = out.case_amounts.map((a) => ({ ...a, amount: a.asset === 'USDT' ? '1500' : '0.0003', usd_rate: a.asset === 'USDT' ? '1' : '68500.000' }));
  out.case_events = out.case_events.map((e) => (e.id === 'ev1' ? { ...e, payload: JSON.stringify({ a: 2, b: 1, channel: 'live_chat' }) } : e));
  // Local-only columns must not leak into the snapshot.
  out.notes = out.notes.map((n) => ({ ...n, pending_seq: null, version: '7' }));
  return out;
}

describe('buildDossierSnapshot', () => {
  it('gives the same snapshot for the same case state, whatever form and order the engine returns rows in', () => {
    const a = buildDossierSnapshot(serverRows(), internal);
    const b = buildDossierSnapshot(workstationRows(), internal);
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(snapshotHash(b)).toBe(snapshotHash(a));
    expect(dossierId(a)).toMatch(/^DOS-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
  });

  it('normalises amounts to their shortest decimal text and times to ISO', () => {
    const s = buildDossierSnapshot(serverRows(), internal);
    expect(s.case.usdEquivalent).toBe('1520.5');
    expect(s.amounts).toEqual([
      { asset: 'BTC', amount: '0.0003', usdRate: '68500', usdValue: '20.55' },
      { asset: 'USDT', amount: '1500', usdRate: '1', usdValue: '1500' },
    ]);
    expect(s.case.receivedAt).toBe('2026-10-01T09:00:00.000Z');
  });

  it('orders exhibits by side and number (C-2 before C-10, complainant before platform) and records by seq', () => {
    const s = buildDossierSnapshot(serverRows(), internal);
    expect(s.exhibits.map((e) => e.exhibitNumber)).toEqual(['C-2', 'C-10', 'R-1']);
    expect(s.exhibits[0]!.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(s.timeline.map((e) => e.type)).toEqual(['case.received', 'note.added', 'case.transition']);
    expect(s.custody.map((c) => c.seq)).toEqual(['9', '10', '12']);
  });

  it('dates the dossier by the latest moment of the case state, never the clock', () => {
    const s = buildDossierSnapshot(serverRows(), internal);
    expect(s.asOf).toBe('2026-10-10T11:00:00.000Z');
    const rows = serverRows();
    rows.custody_entries.push({ seq: '40', exhibit_id: EX.img, at: new Date('2026-11-01T00:00:00Z'), actor_label: 'x', action: 'custody.download', details: {}, hash: '0'.repeat(64), deleted_at: null });
    expect(buildDossierSnapshot(rows, internal).asOf).toBe('2026-11-01T00:00:00.000Z');
  });

  it('changes its hash when anything in the case changes, including one exhibit hash', () => {
    const base = snapshotHash(buildDossierSnapshot(serverRows(), internal));
    const rows = serverRows();
    rows.exhibits[0]!.blob_sha256 = 'b'.repeat(63) + 'c';
    expect(snapshotHash(buildDossierSnapshot(rows, internal))).not.toBe(base);
    expect(snapshotHash(buildDossierSnapshot(serverRows(), { ...internal, language: 'en' }))).not.toBe(base);
  });

  it('leaves out tombstoned rows', () => {
    const rows = serverRows();
    rows.notes[0]!.deleted_at = new Date('2026-10-02T00:00:00Z');
    rows.exhibits.find((e) => e.id === EX.img)!.deleted_at = new Date();
    const s = buildDossierSnapshot(rows, internal);
    expect(s.notes).toEqual([]);
    expect(s.exhibits.map((e) => e.exhibitNumber)).toEqual(['C-2', 'R-1']);
  });

  it('keeps internal material for an internal recipient', () => {
    const s = buildDossierSnapshot(serverRows(), internal);
    expect(s.notes).toHaveLength(1);
    expect(s.approvals).toHaveLength(1);
    expect(s.complainant).toEqual({ reference: 'UID-88001', vipLevel: 3, region: 'SG', language: 'zh-CN' });
    expect(s.exhibits.find((e) => e.exhibitNumber === 'C-2')!.metadata).toEqual({ lines: 2, warnings: ['internal'] });
    expect(s.case.assignee).toEqual({ id: U.zhang, name: '张伟 Zhang Wei', role: 'specialist' });
  });

  describe('for an external recipient', () => {
    const s = buildDossierSnapshot(serverRows(), external);
    const text = canonicalJson(s);

    it('never carries a PII value, anywhere', () => {
      for (const v of ['李雷', 'li.lei@example.com', '13800138000', 'UID-88001']) expect(text).not.toContain(v);
    });
    it('leaves out internal-only exhibits and their custody', () => {
      expect(s.exhibits.map((e) => e.exhibitNumber)).toEqual(['C-2', 'C-10']);
      expect(s.custody.every((c) => c.exhibitNumber !== 'R-1')).toBe(true);
    });
    it('leaves out notes, consultations, communications, approvals, signals and internal timeline events', () => {
      expect([s.notes, s.consultations, s.communications, s.approvals, s.signals]).toEqual([[], [], [], [], []]);
      expect(s.timeline.map((e) => e.type)).toEqual(['case.received', 'case.transition']);
      expect(s.timeline.every((e) => e.actor === null)).toBe(true);
      expect(text).not.toContain('内部备注');
      expect(s.case.handlerSummary).toBe('');
      expect(s.case.externalRef).toBeNull();
      expect(s.case.team).toBeNull();
    });
    it('applies redaction spans, drops raw source lines and internal parse warnings', () => {
      const chat = s.exhibits.find((e) => e.exhibitNumber === 'C-2')!;
      expect(chat.records[1]!.data).toEqual({ speaker: 'agent', text: '██████ wait' });
      expect(chat.records[0]!.data.text).toBe('我是██，电话 ███████████');
      expect(chat.metadata).toEqual({ lines: 2 });
    });
    it('refers to the complainant without identifying them', () => {
      expect(s.complainant).toEqual({ reference: 'complainant:ARB-2026-000123', vipLevel: null, region: null, language: 'zh-CN' });
    });
  });
});

describe('redaction helpers', () => {
  it('replaces spans by as many blocks as characters, clipped to the text', () => {
    expect(applySpans('abcdef', [{ start: 1, end: 3 }])).toBe('a██def');
    expect(applySpans('李雷你好', [{ start: 0, end: 2 }])).toBe('██你好');
    expect(applySpans('abc', [{ start: 2, end: 10 }])).toBe('ab█');
    expect(applySpans('abc', [])).toBe('abc');
  });
  it('scrubs the longest values first, two-character names included, and leaves single characters', () => {
    expect(scrubValues('mail li.lei@example.com or li.lei', ['li.lei', 'li.lei@example.com'])).toBe('mail ██████████████████ or ██████');
    expect(scrubValues('李雷说', ['李雷'])).toBe('██说');
    expect(scrubValues('a b', ['a'])).toBe('a b');
  });
  it('also cuts a Chinese name as people address its bearer by surname, and nothing else', () => {
    expect(scrubValues('邓先生您好，请小邓和老邓确认；邓超已回复', ['邓超'])).toBe('███您好，请██和██确认；██已回复');
    expect(scrubValues('欧阳女士与欧女士', ['欧阳娜娜'])).toBe('████与███');
    // A surname alone, or with no form of address, is not enough to cut (too many false hits).
    expect(scrubValues('邓小平路的邓氏', ['邓超'])).toBe('邓小平路的邓氏');
    expect(chineseNameForms('Li Lei')).toEqual([]);
  });
});
