// A case walked through its lifecycle against the real server (tRPC over HTTP, real Postgres), as
// the specialist, supervisor and legal counsel who handle it would see it: statuses, SLA clocks,
// assessments, remedies, approvals (four-eyes), objections, escalations, the timeline and the audit
// trail of every write with the request id that made it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../../server/src/trpc/app-router';
import { hashPassword } from '../../server/src/auth/password';
import { CSRF_HEADERS, failure, makeClient, startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import type { CaseAction, CaseState, Role } from '../../shared/domain';

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;
type Actor = Role | 'supervisor2';

let server: TestServer;
let supervisor2Id: string;
const api = {} as Record<Actor, Client>;

/** The request id the last call sent, and the one the server echoed in `x-request-id`. */
let sentRequestId: string | null = null;
let echoedRequestId: string | null = null;

function clientFor(token: string): Client {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server.url}/trpc`,
        headers: () => {
          sentRequestId = `lifecycle-${randomUUID()}`;
          return { authorization: `Bearer ${token}`, 'accept-language': 'en', 'x-request-id': sentRequestId, ...CSRF_HEADERS };
        },
        fetch: async (input, init) => {
          const res = await fetch(input as string, init as RequestInit);
          echoedRequestId = res.headers.get('x-request-id');
          return res;
        },
      }),
    ],
  });
}

const db = () => server.t.db;

function complaint(over: Record<string, unknown> = {}) {
  return {
    externalRef: `hand-${randomUUID()}`,
    channel: 'phone' as const,
    complainant: { exchangeUid: 'uid-lifecycle-1', name: 'Wang Fang', email: 'wang.fang@example.com', phone: '+86 139 1234 5678', vipLevel: 1, language: 'zh-CN' as const },
    category: 'trade' as const,
    subcategory: 'slippage',
    description: 'Market order filled 4% below the quoted price during a spike.',
    amounts: [{ asset: 'USDT', amount: '1250.5' }],
    occurredAt: '2026-01-05T10:00:00Z',
    ...over,
  };
}

/** Runs a write and checks the request id was echoed and an audit entry with `action` carries it. */
async function audited<T>(action: string, call: () => Promise<T>): Promise<T> {
  const result = await call();
  const rid = sentRequestId!;
  expect(echoedRequestId).toBe(rid);
  const rows = await db().selectFrom('audit_log').select(['action', 'request_id']).where('request_id', '=', rid).execute();
  expect(rows.map((r) => r.action)).toContain(action);
  return result;
}

/** A refused write: returns the error data and checks nothing was written under its request id. */
async function refused(call: () => Promise<unknown>) {
  const eventsBefore = await db().selectFrom('case_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const err = await failure(call());
  const rid = sentRequestId!;
  expect(echoedRequestId).toBe(rid);
  const audit = await db().selectFrom('audit_log').select('seq').where('request_id', '=', rid).execute();
  expect(audit).toEqual([]);
  const eventsAfter = await db().selectFrom('case_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  expect(eventsAfter.n).toBe(eventsBefore.n);
  return err;
}

function move(who: Actor, caseId: string, action: CaseAction, expectedStatus: CaseState, reason?: string) {
  return audited('case.transition', () => api[who].cases.transition.mutate({ caseId, action, expectedStatus, ...(reason !== undefined ? { reason } : {}) }));
}

const caseRow = (id: string) => db().selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function createCase(who: Actor = 'specialist', over: Record<string, unknown> = {}) {
  return audited('case.received', () => api[who].cases.create.mutate(complaint(over) as Parameters<Client['cases']['create']['mutate']>[0]));
}

/** A new case taken through review and investigation to assessment, with a current assessment. */
async function caseInAssessment(over: Record<string, unknown> = {}) {
  const { id } = await createCase('specialist', over);
  await move('specialist', id, 'start_review', 'received');
  await audited('case.classified', () => api.specialist.cases.classify.mutate({ caseId: id, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' }));
  await move('specialist', id, 'accept', 'initial_review');
  await move('specialist', id, 'complete_investigation', 'investigation');
  await audited('assessment.set', () =>
    api.specialist.cases.setAssessment.mutate({ caseId: id, platformShare: '60', userShare: '40', thirdPartyShare: '0', findings: 'Matching engine lag during the spike.' }),
  );
  return id;
}

async function setThreshold(thresholdUsd: string) {
  await audited('rules.approval_threshold_set', () => api.admin.rules.setApprovalThreshold.mutate({ thresholdUsd }));
}

beforeAll(async () => {
  server = await startTestServer();
  const second = await server.t.db
    .insertInto('users')
    .values({ email: 'supervisor2@example.test', display_name: 'Second supervisor', role: 'supervisor', password_hash: await hashPassword(TEST_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  supervisor2Id = second.id;
  await server.t.db.insertInto('team_members').values({ team_id: server.teamId, user_id: supervisor2Id }).execute();
  for (const role of Object.keys(server.users) as Role[]) api[role] = clientFor(await server.login(role));
  const signedIn = await makeClient(server.url).auth.login.mutate({ email: 'supervisor2@example.test', password: TEST_PASSWORD, kind: 'cli' });
  api.supervisor2 = clientFor(signedIn.token!);
});

afterAll(async () => {
  await server?.close();
});

describe('the full path of a case, received to archived', () => {
  it('walks every step, pauses and resumes the clock, and leaves one timeline event per step in order', async () => {
    const created = await createCase();
    expect(created.caseNumber).toMatch(/^ARB-\d{4}-\d{6}$/);
    expect(created.duplicate).toBe(false);
    const id = created.id;
    let c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.status).toBe('received');
    expect(c.teamId).toBe(server.teamId);
    expect(c.amounts).toEqual([{ asset: 'USDT', amount: '1250.5', usdRate: '1', usdValue: '1250.5' }]);

    await move('specialist', id, 'start_review', 'received');
    // Accepting before classification is refused: a person must confirm the category and tier first.
    const unclassified = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'accept', expectedStatus: 'initial_review' }));
    expect(unclassified).toMatchObject({ code: 'CONFLICT', messageKey: 'lifecycle.refused.classification_required' });
    // A tier or priority other than the tiering rule's suggestion carries its reason on the classification event.
    const reason = '金额按更正后汇率低于 L3 线 (rate corrected)';
    await audited('case.classified', () =>
      api.specialist.cases.classify.mutate({ caseId: id, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'high', overrideReason: `  ${reason} ` }),
    );
    const classified = await server.t.db.selectFrom('case_events').select('payload').where('case_id', '=', id).where('type', '=', 'case.classified').orderBy('at', 'desc').orderBy('version', 'desc').executeTakeFirstOrThrow();
    expect(classified.payload).toMatchObject({ after: { tier: 'L2', priority: 'high' }, overrideReason: reason });
    expect(await move('specialist', id, 'accept', 'initial_review')).toEqual({ status: 'investigation' });

    // A client that still believes the case is in initial review is told it moved.
    const stale = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'accept', expectedStatus: 'initial_review' }));
    expect(stale).toMatchObject({ code: 'CONFLICT', httpStatus: 409, messageKey: 'error.case_moved', field: 'expectedStatus' });
    expect(stale.message).toContain('investigation');

    // Waiting on the complainant: the clock stops and the deadlines stand still.
    const beforePause = await caseRow(id);
    expect(beforePause.first_responded_at).not.toBeNull(); // starting the review answered the complainant
    expect(await move('specialist', id, 'request_material', 'investigation', 'Please send the order confirmation screenshot.')).toEqual({ status: 'awaiting_material' });
    const paused = await caseRow(id);
    expect(paused.sla_paused_at).not.toBeNull();
    expect(paused.resume_status).toBe('investigation');
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.sla.resolution).toBe('paused');
    expect(c.sla.firstResponse).toBe('met');
    expect(new Date(c.sla.pausedAt!).getTime()).toBe(paused.sla_paused_at!.getTime());
    await new Promise((r) => setTimeout(r, 400));
    const stillPaused = await caseRow(id);
    expect(stillPaused.resolution_due_at.getTime()).toBe(beforePause.resolution_due_at.getTime());
    expect(stillPaused.first_response_due_at.getTime()).toBe(beforePause.first_response_due_at.getTime());
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(new Date(c.sla.resolutionDueAt).getTime()).toBe(beforePause.resolution_due_at.getTime());
    expect(c.sla.resolution).toBe('paused');

    // Material arrives: back to investigation, the open deadline moved by exactly the paused span.
    expect(await move('specialist', id, 'material_received', 'awaiting_material')).toEqual({ status: 'investigation' });
    const resumed = await caseRow(id);
    const span = Number(resumed.sla_paused_total_ms);
    expect(resumed.sla_paused_at).toBeNull();
    expect(resumed.resume_status).toBeNull();
    expect(span).toBeGreaterThanOrEqual(400);
    expect(resumed.resolution_due_at.getTime() - beforePause.resolution_due_at.getTime()).toBe(span);
    expect(resumed.first_response_due_at.getTime()).toBe(beforePause.first_response_due_at.getTime()); // already met, stays
    const resumeEvent = (await db().selectFrom('case_events').select(['at', 'payload']).where('case_id', '=', id).execute()).find(
      (e) => (e.payload as { action?: string }).action === 'material_received',
    )!;
    expect(Math.abs(resumeEvent.at.getTime() - (paused.sla_paused_at!.getTime() + span))).toBeLessThan(1000);
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.sla.resolution).toBe('on_track');

    expect(await move('specialist', id, 'complete_investigation', 'investigation')).toEqual({ status: 'assessment' });

    // Fault shares must add up to exactly 100, as decimals.
    const notHundred = await refused(() =>
      api.specialist.cases.setAssessment.mutate({ caseId: id, platformShare: '50', userShare: '30', thirdPartyShare: '10', findings: 'Does not add up.' }),
    );
    expect(notHundred).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, field: 'platformShare', messageKey: 'validation.fault_shares_sum' });
    const tooPrecise = await refused(() =>
      api.specialist.cases.setAssessment.mutate({ caseId: id, platformShare: '100.001', userShare: '0', thirdPartyShare: '0', findings: 'Too precise.' }),
    );
    expect(tooPrecise).toMatchObject({ code: 'BAD_REQUEST', field: 'platformShare' });
    expect(tooPrecise.messageKey).toMatch(/^validation\./);
    const first = await audited('assessment.set', () =>
      api.specialist.cases.setAssessment.mutate({
        caseId: id,
        platformShare: '33.33',
        userShare: '33.33',
        thirdPartyShare: '33.34',
        thirdPartyKind: 'counterparty',
        findings: 'Shared: engine lag, user leverage, counterparty spoofing.',
      }),
    );
    const second = await audited('assessment.set', () =>
      api.specialist.cases.setAssessment.mutate({ caseId: id, platformShare: '70', userShare: '30', thirdPartyShare: '0', findings: 'Spoofing not proven; platform mostly at fault.' }),
    );
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.assessment).toMatchObject({ id: second.id, platformShare: '70', userShare: '30', thirdPartyShare: '0', thirdPartyKind: null });
    const assessments = await db().selectFrom('assessments').selectAll().where('case_id', '=', id).orderBy('created_at').execute();
    expect(assessments.map((a) => a.id)).toEqual([first.id, second.id]);
    expect(assessments[0]!.superseded_at).not.toBeNull();
    expect(assessments[0]!.third_party_kind).toBe('counterparty');
    expect(assessments[1]!.superseded_at).toBeNull();

    // Remedies: a BTC refund is valued in USD at the seeded rate, exactly.
    const refund = await audited('remedy.drafted', () =>
      api.specialist.cases.proposeRemedy.mutate({ caseId: id, kind: 'refund', asset: 'BTC', amount: '0.00012345', details: 'Refund the slippage.' }),
    );
    expect(refund.usdValue).toBe('11.72775');
    const stored = await db().selectFrom('remedies').select(['usd_value', 'amount', 'status']).where('id', '=', refund.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ usd_value: '11.727750000000000000', amount: '0.000123450000000000', status: 'draft' });
    const warningWithAmount = await refused(() => api.specialist.cases.proposeRemedy.mutate({ caseId: id, kind: 'warning', asset: 'BTC', amount: '1', details: 'x' }));
    expect(warningWithAmount).toMatchObject({ code: 'BAD_REQUEST', field: 'amount', messageKey: 'validation.remedy_amount_not_allowed' });

    expect(await move('specialist', id, 'propose_resolution', 'assessment')).toEqual({ status: 'resolution_proposed' });
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.remedies.map((r) => r.status)).toEqual(['proposed']);
    expect(c.sla.resolution).toBe('paused'); // waits on the complainant's answer
    expect(await move('specialist', id, 'accept_resolution', 'resolution_proposed')).toEqual({ status: 'execution' });
    const executing = await caseRow(id);
    expect(executing.resolved_at).not.toBeNull();
    expect(executing.sla_paused_at).toBeNull();
    expect(await move('specialist', id, 'complete_execution', 'execution')).toEqual({ status: 'follow_up' });
    expect(await move('specialist', id, 'close', 'follow_up')).toEqual({ status: 'closed' });
    await audited('satisfaction.recorded', () => api.specialist.cases.recordSatisfaction.mutate({ caseId: id, score: 4, comment: '处理及时' }));
    // A specialist may not archive; a supervisor does.
    const specialistArchive = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'archive', expectedStatus: 'closed' }));
    expect(specialistArchive).toMatchObject({ code: 'FORBIDDEN', messageKey: 'lifecycle.refused.role_not_permitted' });
    expect(await move('supervisor', id, 'archive', 'closed')).toEqual({ status: 'archived' });

    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c).toMatchObject({ status: 'archived', satisfaction: { score: 4, comment: '处理及时' } });
    expect(c.closedAt).not.toBeNull();
    expect(c.archivedAt).not.toBeNull();
    expect(c.remedies.map((r) => r.status)).toEqual(['executed']);
    expect(c.availableActions).toEqual([]);
    // Nothing is added to an archived case.
    const noteOnArchived = await refused(() => api.specialist.cases.addNote.mutate({ caseId: id, body: 'late note' }));
    expect(noteOnArchived).toMatchObject({ code: 'CONFLICT', messageKey: 'case.archived' });

    const timeline = await api.specialist.cases.timeline.query({ caseId: id });
    const steps = timeline.map((e) => (e.type === 'case.transition' ? `${e.type}:${(e.payload as { action: string }).action}` : e.type));
    expect(steps).toEqual([
      'case.received',
      'case.transition:start_review',
      'case.classified',
      'case.transition:accept',
      'case.transition:request_material',
      'case.transition:material_received',
      'case.transition:complete_investigation',
      'assessment.set',
      'assessment.set',
      'remedy.drafted',
      'case.transition:propose_resolution',
      'case.transition:accept_resolution',
      'case.transition:complete_execution',
      'case.transition:close',
      'satisfaction.recorded',
      'case.transition:archive',
    ]);
    const times = timeline.map((e) => new Date(e.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(timeline.every((e) => e.actorId !== null)).toBe(true);
    // The second assessment keeps what it replaced on the timeline.
    const [setOnce, setTwice] = timeline.filter((e) => e.type === 'assessment.set');
    expect(setOnce!.payload).not.toHaveProperty('replaced');
    expect(setTwice!.payload).toMatchObject({
      assessmentId: second.id,
      replaced: {
        assessmentId: first.id,
        shares: { platform: '33.33', user: '33.33', thirdParty: '33.34' },
        findings: 'Shared: engine lag, user leverage, counterparty spoofing.',
      },
    });
    const requestMaterial = timeline.find((e) => (e.payload as { action?: string }).action === 'request_material');
    expect(requestMaterial!.payload).toMatchObject({ from: 'investigation', to: 'awaiting_material', reason: 'Please send the order confirmation screenshot.' });

    // Legal reads the same trail from the audit log, each entry with its request id.
    const trail = await api.legal.audit.caseTrail.query({ caseId: id });
    const auditRows = await db().selectFrom('audit_log').select(['action', 'request_id']).where('case_id', '=', id).orderBy('seq').execute();
    expect(auditRows.length).toBe(timeline.length);
    expect(auditRows.every((r) => typeof r.request_id === 'string' && r.request_id.startsWith('lifecycle-'))).toBe(true);
    expect(trail.map((r) => [r.action, r.requestId])).toEqual(auditRows.map((r) => [r.action, r.request_id]));
  });

  it('of two people moving the same case at once, one wins and the other is told the case moved', async () => {
    const { id } = await createCase();
    const results = await Promise.allSettled([
      api.specialist.cases.transition.mutate({ caseId: id, action: 'start_review', expectedStatus: 'received' }),
      api.supervisor.cases.transition.mutate({ caseId: id, action: 'start_review', expectedStatus: 'received' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await failure(Promise.reject(lost.reason))).toMatchObject({ code: 'CONFLICT', messageKey: 'error.case_moved', field: 'expectedStatus' });
    const timeline = await api.specialist.cases.timeline.query({ caseId: id });
    expect(timeline.map((e) => e.type)).toEqual(['case.received', 'case.transition']);
  });

  it('replaces an unusable x-request-id with its own, echoes it, and audits the write under it', async () => {
    const { id } = await createCase();
    const token = await server.login('specialist');
    const res = await fetch(`${server.url}/trpc/cases.addNote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'bad id!', ...CSRF_HEADERS },
      body: JSON.stringify({ caseId: id, body: 'Called the complainant back.' }),
    });
    expect(res.status).toBe(200);
    const echoed = res.headers.get('x-request-id')!;
    expect(echoed).not.toBe('bad id!');
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await db().selectFrom('audit_log').select(['action', 'case_id']).where('request_id', '=', echoed).execute();
    expect(rows).toEqual([{ action: 'note.added', case_id: id }]);
  });
});

describe('objections', () => {
  it('sends a proposal back to assessment with a reason, supersedes its remedies, and lets a new one be proposed', async () => {
    const id = await caseInAssessment();
    const r1 = await audited('remedy.drafted', () => api.specialist.cases.proposeRemedy.mutate({ caseId: id, kind: 'refund', asset: 'USDT', amount: '300', details: 'Refund the slippage.' }));
    expect(r1.usdValue).toBe('300');
    await move('specialist', id, 'propose_resolution', 'assessment');

    for (const reason of [undefined, '', '   ']) {
      const blank = await refused(() =>
        api.specialist.cases.transition.mutate({ caseId: id, action: 'object', expectedStatus: 'resolution_proposed', ...(reason !== undefined ? { reason } : {}) }),
      );
      expect(blank).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, field: 'reason', messageKey: 'lifecycle.refused.reason_required' });
    }
    expect(await move('specialist', id, 'object', 'resolution_proposed', 'The complainant wants the fees refunded as well.')).toEqual({ status: 'assessment' });

    let c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.remedies).toEqual([expect.objectContaining({ id: r1.id, status: 'superseded' })]);
    expect(c.objections).toEqual([expect.objectContaining({ reason: 'The complainant wants the fees refunded as well.', recordedBy: server.users.specialist.id })]);
    expect(c.assessment).not.toBeNull(); // re-evaluation starts from the current assessment
    const objectionRows = await db().selectFrom('objections').selectAll().where('case_id', '=', id).execute();
    expect(objectionRows).toHaveLength(1);
    const objectEvent = (await api.specialist.cases.timeline.query({ caseId: id })).at(-1)!;
    expect(objectEvent.payload).toMatchObject({ action: 'object', objectionId: objectionRows[0]!.id, reason: 'The complainant wants the fees refunded as well.' });

    // Nothing left in play: a proposal needs a new remedy first.
    const nothing = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'propose_resolution', expectedStatus: 'assessment' }));
    expect(nothing).toMatchObject({ code: 'CONFLICT', messageKey: 'lifecycle.refused.remedy_required' });
    const r2 = await audited('remedy.drafted', () => api.specialist.cases.proposeRemedy.mutate({ caseId: id, kind: 'refund', asset: 'USDT', amount: '312.75', details: 'Slippage plus fees.' }));
    expect(await move('specialist', id, 'propose_resolution', 'assessment')).toEqual({ status: 'resolution_proposed' });
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.remedies.map((r) => [r.id, r.status, r.amount])).toEqual([
      [r1.id, 'superseded', '300'],
      [r2.id, 'proposed', '312.75'],
    ]);
  });
});

describe('approval of compensation above the threshold (four-eyes)', () => {
  it('needs a different supervisor than anyone who drafted the money', async () => {
    expect((await api.supervisor.rules.get.query()).approvalThresholdUsd).toBe('10000');
    const id = await caseInAssessment();
    const comp = await audited('remedy.drafted', () => api.specialist.cases.proposeRemedy.mutate({ caseId: id, kind: 'compensation', asset: 'BTC', amount: '1', details: 'Full compensation.' }));
    expect(comp.usdValue).toBe('95000');
    // The team supervisor adds advice to the same proposal: now they drafted part of it.
    await audited('remedy.drafted', () => api.supervisor.cases.proposeRemedy.mutate({ caseId: id, kind: 'security_advice', details: 'Use limit orders in volatile markets.' }));

    const direct = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'propose_resolution', expectedStatus: 'assessment' }));
    expect(direct).toMatchObject({ code: 'CONFLICT', httpStatus: 409, messageKey: 'lifecycle.refused.approval_required' });

    expect(await move('specialist', id, 'request_approval', 'assessment')).toEqual({ status: 'pending_approval' });
    const [approval] = await db().selectFrom('approvals').selectAll().where('case_id', '=', id).execute();
    expect(approval).toMatchObject({ requested_by: server.users.specialist.id, usd_total: '95000.000000000000000000', threshold_usd: '10000.000000000000000000', decision: null });

    const self = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'approve', expectedStatus: 'pending_approval' }));
    expect(self).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, messageKey: 'lifecycle.refused.role_not_permitted' });
    const drafter = await refused(() => api.supervisor.cases.transition.mutate({ caseId: id, action: 'approve', expectedStatus: 'pending_approval' }));
    expect(drafter).toMatchObject({ code: 'FORBIDDEN', messageKey: 'lifecycle.refused.four_eyes' });
    expect((await caseRow(id)).status).toBe('pending_approval');

    expect(await move('supervisor2', id, 'approve', 'pending_approval')).toEqual({ status: 'resolution_proposed' });
    const c = await api.supervisor2.cases.get.query({ caseId: id });
    expect(c.approvals).toEqual([expect.objectContaining({ decision: 'approved', decidedBy: supervisor2Id, requestedBy: server.users.specialist.id, usdTotal: '95000', thresholdUsd: '10000' })]);
    expect(c.remedies.map((r) => r.status)).toEqual(['proposed', 'proposed']);
  });

  it('a declined approval returns the case to assessment with the reason kept', async () => {
    const id = await caseInAssessment();
    await audited('remedy.drafted', () => api.specialist.cases.proposeRemedy.mutate({ caseId: id, kind: 'compensation', asset: 'BTC', amount: '1', details: 'Full compensation.' }));
    await move('specialist', id, 'request_approval', 'assessment');
    const noReason = await refused(() => api.supervisor.cases.transition.mutate({ caseId: id, action: 'decline_approval', expectedStatus: 'pending_approval', reason: ' ' }));
    expect(noReason).toMatchObject({ code: 'BAD_REQUEST', field: 'reason', messageKey: 'lifecycle.refused.reason_required' });
    expect(await move('supervisor', id, 'decline_approval', 'pending_approval', 'One BTC is more than the loss; offer 0.05 BTC.')).toEqual({ status: 'assessment' });
    const c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.approvals).toEqual([expect.objectContaining({ decision: 'declined', decidedBy: server.users.supervisor.id, reason: 'One BTC is more than the loss; offer 0.05 BTC.' })]);
    expect(c.remedies.map((r) => r.status)).toEqual(['draft']);
    // Still above the threshold: it cannot be proposed without an approval.
    const still = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'propose_resolution', expectedStatus: 'assessment' }));
    expect(still.messageKey).toBe('lifecycle.refused.approval_required');
  });

  it('follows the threshold an admin sets', async () => {
    const specialistTries = await refused(() => api.specialist.rules.setApprovalThreshold.mutate({ thresholdUsd: '1' }));
    expect(specialistTries).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    try {
      // Lowered: a 100 USDT refund now needs approval.
      await setThreshold('50');
      expect((await api.admin.rules.get.query()).approvalThresholdUsd).toBe('50');
      const small = await caseInAssessment();
      await audited('remedy.drafted', () => api.specialist.cases.proposeRemedy.mutate({ caseId: small, kind: 'refund', asset: 'USDT', amount: '100', details: 'Refund.' }));
      const needs = await refused(() => api.specialist.cases.transition.mutate({ caseId: small, action: 'propose_resolution', expectedStatus: 'assessment' }));
      expect(needs.messageKey).toBe('lifecycle.refused.approval_required');
      expect(await move('specialist', small, 'request_approval', 'assessment')).toEqual({ status: 'pending_approval' });

      // Raised: one BTC (95,000 USD) goes straight to the complainant, and asking for approval is refused.
      await setThreshold('100000');
      const large = await caseInAssessment();
      await audited('remedy.drafted', () => api.specialist.cases.proposeRemedy.mutate({ caseId: large, kind: 'compensation', asset: 'BTC', amount: '1', details: 'Compensation.' }));
      const notNeeded = await refused(() => api.specialist.cases.transition.mutate({ caseId: large, action: 'request_approval', expectedStatus: 'assessment' }));
      expect(notNeeded).toMatchObject({ code: 'CONFLICT', messageKey: 'lifecycle.refused.approval_not_needed' });
      expect(await move('specialist', large, 'propose_resolution', 'assessment')).toEqual({ status: 'resolution_proposed' });
    } finally {
      await setThreshold('10000');
    }
    expect((await api.admin.rules.get.query()).approvalThresholdUsd).toBe('10000');
  });
});

describe('escalation', () => {
  it('legal escalates to mediation, records an impasse into arbitration; an unassigned arbitrator cannot rule', async () => {
    const id = await caseInAssessment();
    const bySpecialist = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'escalate_mediation', expectedStatus: 'assessment', reason: 'x' }));
    expect(bySpecialist).toMatchObject({ code: 'FORBIDDEN', messageKey: 'lifecycle.refused.role_not_permitted' });
    const noReason = await refused(() => api.legal.cases.transition.mutate({ caseId: id, action: 'escalate_mediation', expectedStatus: 'assessment' }));
    expect(noReason).toMatchObject({ code: 'BAD_REQUEST', field: 'reason' });

    expect(await move('legal', id, 'escalate_mediation', 'assessment', 'The complainant asks for a neutral mediator.')).toEqual({ status: 'mediation' });
    let escalations = await db().selectFrom('escalations').selectAll().where('case_id', '=', id).orderBy('created_at').execute();
    expect(escalations).toEqual([
      expect.objectContaining({ kind: 'mediation', status: 'open', panel_size: 1, reason: 'The complainant asks for a neutral mediator.', created_by: server.users.legal.id, outcome: null }),
    ]);

    expect(await move('legal', id, 'record_impasse', 'mediation', 'No settlement after two sessions.')).toEqual({ status: 'arbitration' });
    escalations = await db().selectFrom('escalations').selectAll().where('case_id', '=', id).orderBy('created_at').execute();
    expect(escalations.map((e) => [e.kind, e.status, e.outcome])).toEqual([
      ['mediation', 'closed', 'impasse'],
      ['arbitration', 'open', null],
    ]);
    expect(escalations[0]!.closed_at).not.toBeNull();
    const c = await api.legal.cases.get.query({ caseId: id });
    expect(c.escalations.map((e) => e.kind)).toEqual(['mediation', 'arbitration']);

    // No arbitrator has been assigned and accepted after disclosure: the case is not theirs to see
    // (not even a hint that it exists), let alone to rule on.
    const ruling = await refused(() => api.arbitrator.cases.transition.mutate({ caseId: id, action: 'record_ruling', expectedStatus: 'arbitration' }));
    expect(ruling).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, messageKey: 'error.case_not_found' });
    const settlement = await refused(() => api.mediator.cases.transition.mutate({ caseId: id, action: 'record_settlement', expectedStatus: 'arbitration' }));
    expect(settlement).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.case_not_found' });
    expect((await caseRow(id)).status).toBe('arbitration');
    const open = await db().selectFrom('escalations').select('status').where('case_id', '=', id).where('kind', '=', 'arbitration').executeTakeFirstOrThrow();
    expect(open.status).toBe('open');
  });
});

describe('rejection', () => {
  it('rejects a clearly unfounded complaint only with a reason, resolves its clock, and lets legal archive it', async () => {
    const { id } = await createCase('specialist', { category: 'service', subcategory: 'fees', amounts: [] });
    await move('specialist', id, 'start_review', 'received');
    const blank = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'reject', expectedStatus: 'initial_review', reason: '' }));
    expect(blank).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, field: 'reason', messageKey: 'lifecycle.refused.reason_required' });
    expect(await move('specialist', id, 'reject', 'initial_review', 'The fee schedule was published and applied correctly.')).toEqual({ status: 'rejected' });
    const row = await caseRow(id);
    expect(row.resolved_at).not.toBeNull();
    const again = await refused(() => api.specialist.cases.transition.mutate({ caseId: id, action: 'accept', expectedStatus: 'rejected' }));
    expect(again).toMatchObject({ code: 'CONFLICT', messageKey: 'lifecycle.refused.not_allowed_in_state' });
    const timeline = await api.specialist.cases.timeline.query({ caseId: id });
    expect(timeline.at(-1)!.payload).toEqual({ action: 'reject', from: 'initial_review', to: 'rejected', reason: 'The fee schedule was published and applied correctly.' });
    expect(await move('legal', id, 'archive', 'rejected')).toEqual({ status: 'archived' });
  });
});

describe('work recorded on a case', () => {
  it('notes, consultations (answered once) and communications (the first outbound one is the first response)', async () => {
    const { id } = await createCase();
    const note = await audited('note.added', () => api.specialist.cases.addNote.mutate({ caseId: id, body: '  Checked the order book snapshot at 10:00:03.  ' }));
    let c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.notes).toEqual([expect.objectContaining({ id: note.id, body: 'Checked the order book snapshot at 10:00:03.', authorId: server.users.specialist.id, authorName: 'Test specialist' })]);

    const q = await audited('consultation.asked', () => api.specialist.cases.addConsultation.mutate({ caseId: id, team: 'technical', question: 'Was the matching engine degraded at 10:00 UTC?' }));
    await audited('consultation.answered', () => api.legal.cases.answerConsultation.mutate({ consultationId: q.id, answer: 'Yes: 800 ms latency from 09:59:50 to 10:00:20.' }));
    const twice = await refused(() => api.supervisor.cases.answerConsultation.mutate({ consultationId: q.id, answer: 'No degradation.' }));
    expect(twice).toMatchObject({ code: 'CONFLICT', httpStatus: 409, messageKey: 'case.consultation_already_answered', field: 'consultationId' });
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.consultations).toEqual([
      expect.objectContaining({ id: q.id, team: 'technical', askedBy: server.users.specialist.id, answer: 'Yes: 800 ms latency from 09:59:50 to 10:00:20.', answeredBy: server.users.legal.id }),
    ]);

    expect((await caseRow(id)).first_responded_at).toBeNull();
    await audited('communication.logged', () => api.specialist.cases.logCommunication.mutate({ caseId: id, direction: 'inbound', channel: 'phone', body: 'Complainant called again.' }));
    expect((await caseRow(id)).first_responded_at).toBeNull(); // hearing from them is not answering them
    await audited('communication.logged', () => api.specialist.cases.logCommunication.mutate({ caseId: id, direction: 'outbound', channel: 'email', body: 'We are looking into your order.' }));
    const responded = (await caseRow(id)).first_responded_at;
    expect(responded).not.toBeNull();
    c = await api.specialist.cases.get.query({ caseId: id });
    expect(c.sla.firstResponse).toBe('met');
    await audited('communication.logged', () => api.specialist.cases.logCommunication.mutate({ caseId: id, direction: 'outbound', channel: 'email', body: 'Update: still checking.' }));
    expect((await caseRow(id)).first_responded_at!.getTime()).toBe(responded!.getTime());
    expect(c.communications.map((m) => m.direction)).toEqual(['inbound', 'outbound']);

    const types = (await api.specialist.cases.timeline.query({ caseId: id })).map((e) => e.type);
    expect(types).toEqual(['case.received', 'note.added', 'consultation.asked', 'consultation.answered', 'communication.logged', 'communication.logged', 'communication.logged']);
  });
});
