// The transparency report against the real server: cases made and moved through their lifecycle
// with the case procedures, their clocks then set to known times in the database (deadlines and
// times are stored columns), and the report's figures, its PDF read back with pdf.js in both
// languages, who may export it and over which cases, the audit entry, and bad input.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { failure, startTestServer, type TestServer } from '../support/server';
import { translate } from '../../shared/i18n';
import { ROLES, type CaseAction, type CaseState, type Role } from '../../shared/domain';
import { exportTransparencyReport } from '../../server/src/reports/transparency.service';
import type { UserActor } from '../../server/src/context';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;

let server: TestServer;
const api = {} as Record<Role, ReturnType<TestServer['client']>>;
const zh = {} as Record<Role, ReturnType<TestServer['client']>>;
const db = () => server.t.db;

// The period: the ten days before today and today (UTC); the figures are taken at the export.
const today = Math.floor(Date.now() / DAY) * DAY;
const FROM = new Date(today - 10 * DAY);
const TO = new Date(today + DAY);
const day = (d: Date) => d.toISOString().slice(0, 10);
/** `hours` after the start of the period. */
const at = (hours: number) => new Date(FROM.getTime() + hours * H);

function complaint(over: Record<string, unknown>) {
  return {
    externalRef: `report-${randomUUID()}`,
    channel: 'phone',
    complainant: { exchangeUid: `uid-report-${randomUUID().slice(0, 8)}`, vipLevel: 0, language: 'zh-CN' as const },
    category: 'trade',
    subcategory: 'slippage',
    description: '市价单成交价格偏离报价 4%。',
    amounts: [{ asset: 'USDT', amount: '120' }],
    occurredAt: '2026-01-05T10:00:00Z',
    ...over,
  } as Parameters<ReturnType<TestServer['client']>['cases']['create']['mutate']>[0];
}

async function create(over: Record<string, unknown>, role: Role = 'specialist') {
  return (await api[role].cases.create.mutate(complaint(over))).id;
}
const move = (role: Role, caseId: string, action: CaseAction, expectedStatus: CaseState, reason?: string) =>
  api[role].cases.transition.mutate({ caseId, action, expectedStatus, ...(reason ? { reason } : {}) });

async function toAssessment(id: string, category: string, subcategory: string) {
  await move('specialist', id, 'start_review', 'received');
  await api.specialist.cases.classify.mutate({ caseId: id, category: category as 'trade', subcategory: subcategory as 'slippage', tier: 'L2', priority: 'normal' });
  await move('specialist', id, 'accept', 'initial_review');
  await move('specialist', id, 'complete_investigation', 'investigation');
  await api.specialist.cases.setAssessment.mutate({ caseId: id, platformShare: '100', userShare: '0', thirdPartyShare: '0', findings: '撮合引擎延迟。' });
}

/** Sets a case's clock columns to known times (the lifecycle ran at test time). */
const clock = (
  id: string,
  v: {
    received_at: Date;
    first_responded_at?: Date | null;
    resolved_at?: Date | null;
    closed_at?: Date | null;
    first_response_due_at: Date;
    resolution_due_at: Date;
    sla_paused_total_ms?: number;
    status?: string;
    team_id?: string;
  },
) => db().updateTable('cases').set(v).where('id', '=', id).execute();

const ids: Record<string, string> = {};

async function seedCases() {
  // C1: trade by phone, resolved with a refund the complainant accepted, closed, scored 5.
  // 30 min to the first response; 24 h to resolution of which 4 h paused: 20 h.
  ids.c1 = await create({ category: 'trade', subcategory: 'slippage', channel: 'phone' });
  await toAssessment(ids.c1, 'trade', 'slippage');
  await api.specialist.cases.proposeRemedy.mutate({ caseId: ids.c1, kind: 'refund', asset: 'USDT', amount: '10', details: '退还滑点损失。' });
  await move('specialist', ids.c1, 'propose_resolution', 'assessment');
  await move('specialist', ids.c1, 'accept_resolution', 'resolution_proposed');
  await move('specialist', ids.c1, 'complete_execution', 'execution');
  await move('specialist', ids.c1, 'close', 'follow_up');
  await api.specialist.cases.recordSatisfaction.mutate({ caseId: ids.c1, score: 5, comment: '处理及时' });
  await clock(ids.c1, {
    received_at: at(24),
    first_responded_at: at(24.5),
    resolved_at: at(48),
    closed_at: at(50),
    sla_paused_total_ms: 4 * H,
    first_response_due_at: at(25),
    resolution_due_at: at(50),
  });

  // C2: a deposit by email, rejected at review two hours after receipt (first response late).
  ids.c2 = await create({ category: 'deposit_withdrawal', subcategory: 'deposit_not_credited', channel: 'email' });
  await move('specialist', ids.c2, 'start_review', 'received');
  await move('specialist', ids.c2, 'reject', 'initial_review', '链上记录显示充值地址错误。');
  await clock(ids.c2, { received_at: at(48), first_responded_at: at(50), resolved_at: at(50), first_response_due_at: at(49), resolution_due_at: at(72) });

  // C3: account security by live chat: objection, mediation, settlement; at follow-up, scored 3.
  // 10 min to the first response; 72 h to resolution, 12 h paused: 60 h, past its 24 h deadline.
  ids.c3 = await create({ category: 'account_security', subcategory: 'account_takeover', channel: 'live_chat' });
  await toAssessment(ids.c3, 'account_security', 'account_takeover');
  await api.specialist.cases.proposeRemedy.mutate({ caseId: ids.c3, kind: 'security_advice', details: '启用双重验证。' });
  await move('specialist', ids.c3, 'propose_resolution', 'assessment');
  await move('specialist', ids.c3, 'object', 'resolution_proposed', '投诉人要求赔偿被盗资产。');
  await move('legal', ids.c3, 'escalate_mediation', 'assessment', '双方同意由第三方调解。');
  await move('legal', ids.c3, 'record_settlement', 'mediation');
  await move('specialist', ids.c3, 'complete_execution', 'execution');
  await api.specialist.cases.recordSatisfaction.mutate({ caseId: ids.c3, score: 3 });
  await clock(ids.c3, {
    received_at: at(72),
    first_responded_at: at(72 + 1 / 6),
    resolved_at: at(144),
    sla_paused_total_ms: 12 * H,
    first_response_due_at: at(73),
    resolution_due_at: at(96),
  });

  // C4: P2P by web form, in investigation: answered after 45 min, resolution overdue and open.
  ids.c4 = await create({ category: 'p2p', subcategory: 'payment_not_released', channel: 'web_form' });
  await move('specialist', ids.c4, 'start_review', 'received');
  await api.specialist.cases.classify.mutate({ caseId: ids.c4, category: 'p2p', subcategory: 'payment_not_released', tier: 'L2', priority: 'normal' });
  await move('specialist', ids.c4, 'accept', 'initial_review');
  await clock(ids.c4, { received_at: at(96), first_responded_at: at(96.75), first_response_due_at: at(97), resolution_due_at: at(120) });

  // C5: trade by phone, never answered, in the other team (a supervisor of the first team does not see it).
  ids.c5 = await create({ category: 'trade', subcategory: 'liquidation', channel: 'phone' });
  await clock(ids.c5, { received_at: at(120), first_response_due_at: at(121), resolution_due_at: at(144), team_id: server.otherTeamId });

  // C6: KYC by app feedback, escalated to arbitration and ruled (the ruling recorded here as the
  // escalation's end, as the arbitration procedures record it); 20 min to answer, 40 h of work.
  ids.c6 = await create({ category: 'kyc_aml', subcategory: 'account_frozen', channel: 'app_feedback' });
  await toAssessment(ids.c6, 'kyc_aml', 'account_frozen');
  await api.specialist.cases.proposeRemedy.mutate({ caseId: ids.c6, kind: 'account_unfreeze', details: '解冻账户。' });
  await move('specialist', ids.c6, 'propose_resolution', 'assessment');
  await move('legal', ids.c6, 'escalate_arbitration', 'resolution_proposed', '投诉人不接受方案,申请仲裁。');
  await db().updateTable('escalations').set({ status: 'closed', outcome: 'ruled', closed_at: new Date() }).where('case_id', '=', ids.c6).execute();
  await clock(ids.c6, {
    received_at: at(168),
    first_responded_at: at(168 + 1 / 3),
    resolved_at: at(216),
    closed_at: at(217),
    status: 'closed',
    sla_paused_total_ms: 8 * H,
    first_response_due_at: at(169),
    resolution_due_at: at(192),
  });

  // Outside the period: received just before it starts.
  ids.before = await create({ category: 'service', subcategory: 'fees', channel: 'social' });
  await clock(ids.before, { received_at: new Date(FROM.getTime() - MIN), first_response_due_at: FROM, resolution_due_at: at(24) });
}

function legalContext(language: 'en' | 'zh-CN' = 'en'): { actor: UserActor; meta: { requestId: string; ip: string; userAgent: null; language: 'en' | 'zh-CN' } } {
  const u = server.users.legal;
  return {
    actor: { kind: 'user', userId: u.id, role: 'legal', email: u.email, displayName: 'Test legal', language, teamIds: [], sessionId: 'report-test', totpSatisfied: true },
    meta: { requestId: `report-${randomUUID()}`, ip: '127.0.0.1', userAgent: null, language },
  };
}

async function pdfItems(base64: string): Promise<{ pages: number; items: string[]; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(Buffer.from(base64, 'base64')), useSystemFonts: false, disableFontFace: true }).promise;
  const items: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) if ('str' in item && item.str.trim() !== '') items.push(item.str.trim());
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, items, text: items.join('').replace(/\s+/g, '') };
}

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) {
    const token = await server.login(role);
    api[role] = server.client(token, 'en');
    zh[role] = server.client(token, 'zh-CN');
  }
  await seedCases();
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('reports.transparency', () => {
  it('counts the period’s cases for legal counsel, as the definitions say', async () => {
    const res = await api.legal.reports.transparency.mutate({ from: day(FROM), to: day(TO), language: 'en' });
    const s = res.stats;
    expect(s.scope).toBe('all');
    expect(s.period.from).toBe(FROM.toISOString());
    expect(s.period.to).toBe(TO.toISOString());
    expect(s.total).toBe(6);
    const counts = (list: { key: string; count: number }[]) => Object.fromEntries(list.filter((c) => c.count > 0).map((c) => [c.key, c.count]));
    expect(counts(s.byCategory)).toEqual({ trade: 2, deposit_withdrawal: 1, account_security: 1, kyc_aml: 1, p2p: 1 });
    expect(counts(s.byChannel)).toEqual({ phone: 2, email: 1, live_chat: 1, web_form: 1, app_feedback: 1 });
    expect(counts(s.outcomes)).toEqual({ resolved_in_favour: 1, settled: 1, ruled: 1, rejected: 1, open: 2 });
    // First responses: 10, 20, 30, 45 and 120 minutes.
    expect(s.firstResponse.count).toBe(5);
    expect(s.firstResponse.medianMs).toBe(30 * MIN);
    expect(s.firstResponse.p90Ms).toBeCloseTo(90 * MIN, 3); // 45 + 0.6 × (120 − 45)
    // Resolutions in working time: 2, 20, 40 and 60 hours.
    expect(s.resolution.count).toBe(4);
    expect(s.resolution.medianMs).toBe(30 * H);
    expect(s.resolution.p90Ms).toBeCloseTo(54 * H, 3); // 40 + 0.7 × 20
    expect(s.sla.firstResponse).toEqual({ met: 4, breached: 2, pending: 0, breachRate: 2 / 6 });
    expect(s.sla.resolution).toEqual({ met: 2, breached: 4, pending: 0, breachRate: 4 / 6 });
    expect(s.objections).toEqual({ count: 1, rate: 1 / 6 });
    expect(s.mediation).toEqual({ count: 1, rate: 1 / 6 });
    expect(s.arbitration).toEqual({ count: 1, rate: 1 / 6 });
    expect(s.satisfaction).toEqual({ responses: 2, eligible: 3, responseRate: 2 / 3, average: 4, distribution: [0, 0, 1, 0, 1] });

    // The file: its hash, its name, and the export on the audit chain.
    const bytes = Buffer.from(res.pdfBase64, 'base64');
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.sha256);
    expect(res.fileName).toBe(`transparency-report_${day(FROM)}_${day(new Date(TO.getTime() - DAY))}_en.pdf`);
    const entry = await db().selectFrom('audit_log').selectAll().where('action', '=', 'report.transparency_exported').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(server.users.legal.id);
    expect(entry.details).toMatchObject({ sha256: res.sha256, language: 'en', cases: 6, scope: 'all', from: FROM.toISOString(), to: TO.toISOString() });
  });

  it('prints the English labels and the figures', async () => {
    const res = await api.admin.reports.transparency.mutate({ from: day(FROM), to: day(TO), language: 'en' });
    const { items, text, pages } = await pdfItems(res.pdfBase64);
    expect(items).toEqual(
      expect.arrayContaining(['Complaint handling transparency report', 'Complaints received', 'Complaints by category', 'Complaints by channel', 'SLA breach rate', 'Satisfaction scores']),
    );
    expect(items).toEqual(expect.arrayContaining(['Trading', 'Deposits and withdrawals', 'Live chat', 'App feedback', 'Settled in mediation', 'Ruled in arbitration', 'Rejected as unfounded']));
    expect(items).toEqual(expect.arrayContaining(['6', '30 min', '30.0 h', '33.3%', '66.7%', '4.00', '16.7%']));
    expect(items).toContain(`Page ${pages} of ${pages}`);
    expect(text).not.toContain('\u0000');
  });

  it('prints the Chinese labels and the figures', async () => {
    const res = await zh.supervisor.reports.transparency.mutate({ from: day(FROM), to: day(TO), language: 'zh-CN' });
    const { items, text, pages } = await pdfItems(res.pdfBase64);
    expect(res.fileName.endsWith('_zh-CN.pdf')).toBe(true);
    expect(items).toEqual(expect.arrayContaining(['投诉处理透明度报告', '收到投诉', '按投诉类型', '按受理渠道', '满意度评分分布', '交易', '在线客服', '调解和解', '仲裁裁决', '驳回']));
    expect(text).toContain(`统计期间：${day(FROM)}至${day(new Date(TO.getTime() - DAY))}（UTC）`);
    expect(text).toContain('范围：申请人所在团队的案件');
    expect(text).toContain(`第${pages}页，共${pages}页`);
    expect(text).toContain('30分钟');
    // The supervisor's five cases: one first response and three resolutions late.
    expect(items).toEqual(expect.arrayContaining(['5', '20.0%', '60.0%', '4.00']));
    expect(text).not.toContain('\u0000');
  });

  it('covers only the cases a supervisor may see, and says so', async () => {
    const res = await api.supervisor.reports.transparency.mutate({ from: day(FROM), to: day(TO), language: 'en' });
    expect(res.stats.scope).toBe('own_teams');
    expect(res.stats.total).toBe(5); // C5 is in the other team
    expect(res.stats.byCategory.find((c) => c.key === 'trade')!.count).toBe(1);
    const all = await api.legal.reports.transparency.mutate({ from: day(FROM), to: day(TO), language: 'en' });
    expect(all.stats.total).toBe(6);
  });

  it('takes the requester’s language when none is given', async () => {
    const res = await api.legal.reports.transparency.mutate({ from: day(FROM), to: day(TO) });
    expect(res.fileName.endsWith('_en.pdf')).toBe(true);
  });

  it('gives a report for a period with no cases', async () => {
    const res = await api.legal.reports.transparency.mutate({ from: '2020-01-01', to: '2020-02-01', language: 'zh-CN' });
    expect(res.stats.total).toBe(0);
    const { items } = await pdfItems(res.pdfBase64);
    expect(items).toContain('本期间没有案件');
  });

  it('renders the same case state, period and date to the same bytes', async () => {
    const now = new Date();
    const input = { from: FROM, to: TO, language: 'zh-CN' as const };
    const a = await exportTransparencyReport(db(), legalContext(), input, { now });
    const b = await exportTransparencyReport(db(), legalContext(), input, { now });
    expect(a.sha256).toBe(b.sha256);
    expect(a.pdfBase64).toBe(b.pdfBase64);
    const c = await exportTransparencyReport(db(), legalContext(), input, { now: new Date(now.getTime() + 60_000) });
    expect(c.sha256).not.toBe(a.sha256);
  });

  it('is refused to specialists and to arbitrators and mediators', async () => {
    for (const role of ['specialist', 'arbitrator', 'mediator'] as const) {
      const err = await failure(api[role].reports.transparency.mutate({ from: day(FROM), to: day(TO), language: 'en' }));
      expect(err.code).toBe('FORBIDDEN');
    }
  });
});

describe('reports.transparency with bad input', () => {
  const valid = { from: '2026-01-01', to: '2026-04-01', language: 'en' };
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['from missing', { to: valid.to }, 'from', 'validation.required'],
    ['to missing', { from: valid.from }, 'to', 'validation.required'],
    ['from not a date', { ...valid, from: 'yesterday' }, 'from', 'report.date_invalid'],
    ['from on a day that does not exist', { ...valid, from: '2026-02-30' }, 'from', 'report.date_invalid'],
    ['to without a time zone', { ...valid, to: '2026-04-01T00:00:00' }, 'to', 'report.date_invalid'],
    ['to a number', { ...valid, to: 20260401 }, 'to', 'validation.invalid_type'],
    ['to before from', { ...valid, from: '2026-04-01', to: '2026-01-01' }, 'to', 'report.period_end_not_after_start'],
    ['to equal to from', { ...valid, to: valid.from }, 'to', 'report.period_end_not_after_start'],
    ['more than five years', { ...valid, from: '2020-01-01', to: '2025-01-02' }, 'to', 'report.period_too_long'],
    ['an unknown language', { ...valid, language: 'fr' }, 'language', 'validation.invalid_enum'],
    ['an unknown field', { ...valid, format: 'xlsx' }, 'format', 'validation.unknown_field'],
  ];

  for (const [name, input, field, messageKey] of cases) {
    it(`${name}: 400 naming ${field}, translated, nothing recorded`, async () => {
      const before = await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const err = await failure(zh.legal.reports.transparency.mutate(input as never));
      expect(err).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, field, messageKey });
      // The message is the reader's language (zh-CN here); a message without parameters reads exactly as the dictionary has it.
      expect(err.message).toMatch(/\p{Script=Han}/u);
      if (!/\{\w+\}/.test(translate('zh-CN', messageKey))) expect(err.message).toBe(translate('zh-CN', messageKey));
      const after = await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    });
  }

  it('accepts exactly five years, and dates with a time and zone', async () => {
    const five = await api.legal.reports.transparency.mutate({ from: '2020-01-01', to: '2025-01-01', language: 'en' });
    expect(five.stats.period).toMatchObject({ from: '2020-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' });
    const zoned = await api.legal.reports.transparency.mutate({ from: '2026-01-01T08:00:00+08:00', to: '2026-02-01T00:00:00Z', language: 'en' });
    expect(zoned.stats.period.from).toBe('2026-01-01T00:00:00.000Z');
  });
});
