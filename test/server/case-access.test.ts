// Who sees which case, recusal (回避制度) and the complainant's privacy, against the real server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { errorData, failure, startTestServer, type TestServer } from '../support/server';
import { ROLES, type Role } from '../../shared/domain';
import { listCases } from '../../server/src/cases/cases.repository';

let server: TestServer;
const api = {} as Record<Role, ReturnType<TestServer['client']>>;
const db = () => server.t.db;

function complaint(exchangeUid: string, over: Record<string, unknown> = {}) {
  return {
    externalRef: `access-${randomUUID()}`,
    channel: 'ticket' as const,
    complainant: {
      exchangeUid,
      name: '陈静 Chen Jing',
      email: `${exchangeUid}@mail.example.com`,
      phone: '+65 8123 4567',
      idDocumentNumber: 'S1234567D',
      vipLevel: 2,
      region: 'SG',
      language: 'en' as const,
    },
    category: 'deposit_withdrawal' as const,
    subcategory: 'withdrawal_delayed',
    description: 'Withdrawal pending for three days.',
    amounts: [{ asset: 'ETH', amount: '2.5' }],
    occurredAt: '2026-02-01T08:00:00Z',
    ...over,
  };
}

async function create(role: Role, exchangeUid: string) {
  return api[role].cases.create.mutate(complaint(exchangeUid));
}

const count = async (table: 'audit_log' | 'notes' | 'case_events', where?: { action: string; caseId: string }) => {
  let q = db()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'));
  if (where && table === 'audit_log') q = (q as any).where('action', '=', where.action).where('case_id', '=', where.caseId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

let teamCase: string;
let otherTeamCase: string;
let queueCase: string;
let otherTeamAssigned: string;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) {
    const token = await server.login(role);
    api[role] = server.client(token);
  }
  // A specialist's case lands in their team; a legal counsel (no team) puts one in the unassigned queue.
  teamCase = (await create('specialist', 'uid-access-team')).id;
  otherTeamCase = (await create('specialist', 'uid-access-other')).id;
  otherTeamAssigned = (await create('specialist', 'uid-access-other-assigned')).id;
  queueCase = (await create('legal', 'uid-access-queue')).id;
  await db().updateTable('cases').set({ team_id: server.otherTeamId }).where('id', 'in', [otherTeamCase, otherTeamAssigned]).execute();
  await db().updateTable('cases').set({ assignee_id: server.users.specialist.id }).where('id', '=', otherTeamAssigned).execute();
});

afterAll(async () => {
  await server?.close();
});

async function listed(role: Role): Promise<string[]> {
  const res = await api[role].cases.list.query({ limit: 200 });
  expect(res.total).toBe(res.cases.length);
  expect(res.totalCapped).toBe(false);
  return res.cases.map((c) => c.id);
}

describe('visibility', () => {
  it('puts cases where they belong', async () => {
    const rows = await db().selectFrom('cases').select(['id', 'team_id']).execute();
    const team = Object.fromEntries(rows.map((r) => [r.id, r.team_id]));
    expect(team[teamCase]).toBe(server.teamId);
    expect(team[queueCase]).toBeNull();
    expect(team[otherTeamCase]).toBe(server.otherTeamId);
  });

  it('a specialist sees the team cases and the ones assigned to them, nothing else', async () => {
    const ids = await listed('specialist');
    expect(ids).toContain(teamCase);
    expect(ids).toContain(otherTeamAssigned);
    expect(ids).not.toContain(otherTeamCase);
    expect(ids).not.toContain(queueCase);
    for (const caseId of [otherTeamCase, queueCase]) {
      for (const call of [() => api.specialist.cases.get.query({ caseId }), () => api.specialist.cases.timeline.query({ caseId }), () => api.specialist.cases.complainantPii.query({ caseId })]) {
        expect(await failure(call())).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, messageKey: 'error.case_not_found' });
      }
    }
    expect((await api.specialist.cases.get.query({ caseId: otherTeamAssigned })).id).toBe(otherTeamAssigned);
    // A case that does not exist looks exactly like one they may not see.
    const missing = await failure(api.specialist.cases.get.query({ caseId: randomUUID() }));
    const hidden = await failure(api.specialist.cases.get.query({ caseId: otherTeamCase }));
    expect({ ...missing, message: '' }).toEqual({ ...hidden, message: '', requestId: expect.anything() });
  });

  it('a specialist cannot write to a case they cannot see, and nothing is written', async () => {
    const [notes, events, audit] = [await count('notes'), await count('case_events'), await count('audit_log')];
    const attempts = [
      () => api.specialist.cases.addNote.mutate({ caseId: otherTeamCase, body: 'peek' }),
      () => api.specialist.cases.transition.mutate({ caseId: otherTeamCase, action: 'start_review', expectedStatus: 'received' }),
      () => api.specialist.cases.classify.mutate({ caseId: otherTeamCase, category: 'trade', subcategory: 'slippage', tier: 'L1', priority: 'low' }),
      () => api.specialist.cases.logCommunication.mutate({ caseId: queueCase, direction: 'outbound', channel: 'email', body: 'hello' }),
    ];
    for (const attempt of attempts) expect(await failure(attempt())).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.case_not_found' });
    expect([await count('notes'), await count('case_events'), await count('audit_log')]).toEqual([notes, events, audit]);
  });

  it('a supervisor sees the team cases and the unassigned queue, not another team', async () => {
    const ids = await listed('supervisor');
    expect(ids).toEqual(expect.arrayContaining([teamCase, queueCase]));
    expect(ids).not.toContain(otherTeamCase);
    expect(await failure(api.supervisor.cases.get.query({ caseId: otherTeamCase }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.case_not_found' });
    expect((await api.supervisor.cases.get.query({ caseId: queueCase })).teamId).toBeNull();
  });

  it('legal counsel and admins see every case', async () => {
    for (const role of ['legal', 'admin'] as const) {
      const ids = await listed(role);
      expect(ids).toEqual(expect.arrayContaining([teamCase, otherTeamCase, queueCase, otherTeamAssigned]));
      expect((await api[role].cases.get.query({ caseId: otherTeamCase })).id).toBe(otherTeamCase);
      expect((await api[role].cases.timeline.query({ caseId: otherTeamCase }))[0]!.type).toBe('case.received');
    }
  });

  it('arbitrators and mediators cannot list or open internal cases at all', async () => {
    for (const role of ['arbitrator', 'mediator'] as const) {
      expect(await failure(api[role].cases.list.query({}))).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, messageKey: 'error.forbidden' });
      expect(await failure(api[role].cases.get.query({ caseId: teamCase }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
      expect(await failure(api[role].cases.timeline.query({ caseId: teamCase }))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await failure(api[role].cases.slaDueSoon.query({ withinMinutes: 60 }))).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  // Cases made by hand share one de-duplication space (no intake key): a reference already used on
  // a case the person may not see is refused with a clear message, never merged or revealed.
  it('reusing another team’s hand-entered reference is refused without losing the complaint silently or revealing the hidden case', async () => {
    const body = (uid: string, description: string) => ({ ...complaint(uid), externalRef: 'CALL-0001', description });
    const hidden = await api.legal.cases.create.mutate(body('uid-ref-first', 'First caller: withdrawal stuck.'));
    await db().updateTable('cases').set({ team_id: server.otherTeamId }).where('id', '=', hidden.id).execute();
    const answer = await api.specialist.cases.create.mutate(body('uid-ref-second', 'Second caller: liquidation dispute.')).catch((e: unknown) => errorData(e));
    expect(JSON.stringify(answer)).not.toContain(hidden.id);
    expect(JSON.stringify(answer)).not.toContain(hidden.caseNumber);
    expect(answer).toMatchObject({ code: 'CONFLICT', messageKey: 'case.external_ref_taken', field: 'externalRef' });
  });

  it('nobody without a session sees anything', async () => {
    const anonymous = server.client(null);
    expect(await failure(anonymous.cases.list.query({}))).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, messageKey: 'auth.login_required' });
    expect(await failure(anonymous.cases.get.query({ caseId: teamCase }))).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('recusal (回避制度)', () => {
  it('a handler related to a complainant cannot be assigned that complainant’s case', async () => {
    const { id } = await create('specialist', 'uid-recusal-cousin');
    const onlySupervisors = await failure(api.specialist.cases.recordRelation.mutate({ userId: server.users.specialist.id, exchangeUid: 'uid-recusal-cousin', relation: 'cousin' }));
    expect(onlySupervisors).toMatchObject({ code: 'FORBIDDEN' });

    const rel = await api.supervisor.cases.recordRelation.mutate({ userId: server.users.specialist.id, exchangeUid: 'uid-recusal-cousin', relation: 'cousin' });
    expect(rel.unassignedCases).toBe(0);
    expect(await count('audit_log', { action: 'recusal.recorded', caseId: id })).toBe(0); // recorded against the relation, not a case
    const recorded = await db().selectFrom('audit_log').select(['action', 'entity_id', 'actor_id']).where('action', '=', 'recusal.recorded').execute();
    expect(recorded).toEqual([{ action: 'recusal.recorded', entity_id: rel.id, actor_id: server.users.supervisor.id }]);

    const eventsBefore = await count('case_events');
    const conflict = await failure(api.supervisor.cases.assign.mutate({ caseId: id, assigneeId: server.users.specialist.id }));
    expect(conflict).toMatchObject({ code: 'CONFLICT', httpStatus: 409, messageKey: 'case.recusal_conflict', field: 'assigneeId' });
    expect((await db().selectFrom('cases').select('assignee_id').where('id', '=', id).executeTakeFirstOrThrow()).assignee_id).toBeNull();
    expect(await count('case_events')).toBe(eventsBefore);
    // Someone unrelated can take it.
    await api.supervisor.cases.assign.mutate({ caseId: id, assigneeId: server.users.supervisor.id });
    expect((await api.supervisor.cases.get.query({ caseId: id })).assigneeId).toBe(server.users.supervisor.id);
  });

  it('recording a relation takes the open cases the handler holds away from them, leaving the finished ones', async () => {
    const open = (await create('specialist', 'uid-recusal-friend')).id;
    const finished = (await create('specialist', 'uid-recusal-friend')).id;
    for (const caseId of [open, finished]) await api.supervisor.cases.assign.mutate({ caseId, assigneeId: server.users.specialist.id });
    await api.specialist.cases.transition.mutate({ caseId: finished, action: 'start_review', expectedStatus: 'received' });
    await api.specialist.cases.transition.mutate({ caseId: finished, action: 'reject', expectedStatus: 'initial_review', reason: 'Duplicate of an earlier ticket.' });

    const rel = await api.admin.cases.recordRelation.mutate({ userId: server.users.specialist.id, exchangeUid: 'uid-recusal-friend', relation: 'close friend' });
    expect(rel.unassignedCases).toBe(1);
    const rows = await db().selectFrom('cases').select(['id', 'assignee_id']).where('id', 'in', [open, finished]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.assignee_id]))).toEqual({ [open]: null, [finished]: server.users.specialist.id });
    const timeline = await api.supervisor.cases.timeline.query({ caseId: open });
    expect(timeline.at(-1)).toMatchObject({ type: 'case.recused', actorId: server.users.admin.id, payload: { userId: server.users.specialist.id } });
    expect((await api.supervisor.cases.timeline.query({ caseId: finished })).map((e) => e.type)).not.toContain('case.recused');
    expect(await count('audit_log', { action: 'case.recused', caseId: open })).toBe(1);
  });

  it('a recused handler cannot keep working on that complainant’s case through their team', async () => {
    const { id } = await create('specialist', 'uid-recusal-brother');
    await api.supervisor.cases.recordRelation.mutate({ userId: server.users.specialist.id, exchangeUid: 'uid-recusal-brother', relation: 'brother' });
    const before = [await count('notes'), await count('case_events'), await count('audit_log')];
    const attempts = [
      () => api.specialist.cases.addNote.mutate({ caseId: id, body: 'I will handle my brother’s case myself.' }),
      () => api.specialist.cases.transition.mutate({ caseId: id, action: 'start_review', expectedStatus: 'received' }),
      () => api.specialist.cases.classify.mutate({ caseId: id, category: 'deposit_withdrawal', subcategory: 'withdrawal_delayed', tier: 'L1', priority: 'low' }),
    ];
    for (const attempt of attempts) expect(await failure(attempt())).toMatchObject({ code: 'CONFLICT', messageKey: 'case.recusal_conflict' });
    expect([await count('notes'), await count('case_events'), await count('audit_log')]).toEqual(before);
    // The rest of the team carries on.
    expect(await api.supervisor.cases.transition.mutate({ caseId: id, action: 'start_review', expectedStatus: 'received' })).toEqual({ status: 'initial_review' });
  });
});

describe('complainant privacy', () => {
  const PII = ['陈静 Chen Jing', 'uid-privacy-1@mail.example.com', '+65 8123 4567', 'S1234567D'];

  it('case views never carry the name, email, phone or ID number', async () => {
    const { id } = await create('specialist', 'uid-privacy-1');
    const views = [
      await api.specialist.cases.get.query({ caseId: id }),
      await api.specialist.cases.list.query({ search: 'uid-privacy-1' }),
      await api.specialist.cases.timeline.query({ caseId: id }),
      await api.legal.cases.get.query({ caseId: id }),
      await api.admin.cases.get.query({ caseId: id }),
      await api.supervisor.audit.caseTrail.query({ caseId: id }),
    ];
    for (const view of views) {
      const text = JSON.stringify(view);
      for (const value of PII) expect(text).not.toContain(value);
    }
    const detail = views[0] as Awaited<ReturnType<typeof api.specialist.cases.get.query>>;
    expect(detail.complainant).toEqual({ id: expect.any(String), exchangeUid: 'uid-privacy-1', vipLevel: 2, region: 'SG', language: 'en' });
  });

  it('complainantPii returns them to handlers and puts every read on the audit chain', async () => {
    const { id } = await create('specialist', 'uid-privacy-2');
    const reads = () => count('audit_log', { action: 'pii.read', caseId: id });
    expect(await reads()).toBe(0);
    const pii = await api.specialist.cases.complainantPii.query({ caseId: id });
    expect(pii).toEqual({ name: '陈静 Chen Jing', email: 'uid-privacy-2@mail.example.com', phone: '+65 8123 4567', idDocumentNumber: 'S1234567D' });
    expect(await reads()).toBe(1);
    await api.specialist.cases.complainantPii.query({ caseId: id });
    await api.legal.cases.complainantPii.query({ caseId: id });
    await api.supervisor.cases.complainantPii.query({ caseId: id });
    expect(await reads()).toBe(4);
    const entries = await db().selectFrom('audit_log').select(['actor_id', 'entity', 'request_id']).where('action', '=', 'pii.read').where('case_id', '=', id).orderBy('seq').execute();
    expect(entries.map((e) => e.actor_id)).toEqual([server.users.specialist.id, server.users.specialist.id, server.users.legal.id, server.users.supervisor.id]);
    expect(entries.every((e) => e.entity === 'complainant_pii' && !!e.request_id)).toBe(true);
    expect(new Set(entries.map((e) => e.request_id)).size).toBe(4);
    expect((await api.supervisor.audit.verify.query()).ok).toBe(true);
  });

  it('arbitrators, mediators and admins cannot read PII, and a refused read leaves no entry', async () => {
    const { id } = await create('specialist', 'uid-privacy-3');
    const before = await count('audit_log');
    for (const role of ['arbitrator', 'mediator', 'admin'] as const) {
      const err = await failure(api[role].cases.complainantPii.query({ caseId: id }));
      expect(err).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, messageKey: 'error.forbidden' });
      expect(err.message).not.toContain('Chen');
    }
    expect(await count('audit_log')).toBe(before);
  });
});

describe('the case list count', () => {
  it('counts up to its cap and says when there are more, the page unchanged', async () => {
    const all = await listCases(db(), { visibility: { all: true }, limit: 200, offset: 0 });
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(all.totalCapped).toBe(false);
    const capped = await listCases(db(), { visibility: { all: true }, limit: 200, offset: 0, countCap: 2 });
    expect(capped).toMatchObject({ total: 2, totalCapped: true });
    expect(capped.rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
    const exact = await listCases(db(), { visibility: { all: true }, limit: 200, offset: 0, countCap: all.total });
    expect(exact).toMatchObject({ total: all.total, totalCapped: false });
  });

  it('reads the first page of the queue through the queue index, not by sorting every case', async () => {
    // A few test cases are cheaper to sort than to look up: the planner is told so, as it would find with many.
    const plan = await db()
      .transaction()
      .execute(async (trx) => {
        await sql`set local enable_sort = off`.execute(trx);
        return sql<{ 'QUERY PLAN': string }>`explain select id from cases where deleted_at is null order by received_at desc, id limit 50`.execute(trx);
      });
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('cases_queue_idx');
    expect(text).not.toMatch(/\bSort\b/);
  });
});
