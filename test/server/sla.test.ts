// SLA deadlines (响应时效) on the server: what the "due soon / breached" board shows a supervisor,
// how an admin's policy and a reclassification set deadlines. Deadlines are stored columns, so
// cases are made with cases.create and then moved in time directly in the database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { ROLES, type CaseAction, type CaseState, type Role } from '../../shared/domain';

const MIN = 60_000;
let server: TestServer;
const api = {} as Record<Role, ReturnType<TestServer['client']>>;
const db = () => server.t.db;

function complaint(over: Record<string, unknown> = {}) {
  return {
    externalRef: `sla-${randomUUID()}`,
    channel: 'live_chat' as const,
    complainant: { exchangeUid: `uid-sla-${randomUUID().slice(0, 8)}`, vipLevel: 0, language: 'en' as const },
    category: 'trade' as const,
    subcategory: 'slippage',
    description: 'Stop order slipped.',
    amounts: [{ asset: 'USDT', amount: '80' }],
    occurredAt: '2026-03-01T12:00:00Z',
    ...over,
  };
}

async function create(role: Role = 'specialist', over: Record<string, unknown> = {}) {
  return (await api[role].cases.create.mutate(complaint(over))).id;
}

const row = (id: string) => db().selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Moves a case's clock in time: the deadlines are stored columns. */
const setColumns = (id: string, values: { received_at?: Date; first_response_due_at?: Date; resolution_due_at?: Date; sla_paused_at?: Date | null }) =>
  db().updateTable('cases').set(values).where('id', '=', id).execute();

function transition(role: Role, caseId: string, action: CaseAction, expectedStatus: CaseState, reason?: string) {
  return api[role].cases.transition.mutate({ caseId, action, expectedStatus, ...(reason ? { reason } : {}) });
}

async function board(role: Role, withinMinutes: number) {
  const res = await api[role].cases.slaDueSoon.query({ withinMinutes });
  return {
    dueSoon: new Map(res.dueSoon.map((c) => [c.id, c])),
    breached: new Map(res.breached.map((c) => [c.id, c])),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) {
    const token = await server.login(role);
    api[role] = server.client(token);
  }
});

afterAll(async () => {
  await server?.close();
});

describe('cases.slaDueSoon', () => {
  it('lists a case whose first response falls due within the window and one already breached', async () => {
    const now = Date.now();
    const soon = await create();
    const late = await create();
    const fresh = await create(); // L2 normal: first response due in 60 minutes
    await setColumns(soon, { first_response_due_at: new Date(now + 10 * MIN) });
    await setColumns(late, { received_at: new Date(now - 180 * MIN), first_response_due_at: new Date(now - 120 * MIN) });

    let b = await board('specialist', 30);
    expect(b.dueSoon.get(soon)).toMatchObject({ deadline: 'first_response', status: 'received', tier: 'L2', priority: 'normal' });
    expect(new Date(b.dueSoon.get(soon)!.dueAt).getTime()).toBe(now + 10 * MIN);
    expect(b.breached.get(late)).toMatchObject({ deadline: 'first_response' });
    expect(b.breached.has(soon)).toBe(false);
    expect(b.dueSoon.has(late)).toBe(false);
    expect(b.dueSoon.has(fresh)).toBe(false);

    b = await board('specialist', 5);
    expect(b.dueSoon.has(soon)).toBe(false);
    expect(b.breached.has(late)).toBe(true);
    b = await board('specialist', 0);
    expect(b.breached.has(late)).toBe(true);
    b = await board('specialist', 90);
    expect(b.dueSoon.has(fresh)).toBe(true);

    // The case list and the case itself tell the same story.
    const list = new Map((await api.specialist.cases.list.query({ limit: 200 })).cases.map((c) => [c.id, c]));
    expect(list.get(soon)!.sla.firstResponse).toBe('at_risk');
    expect(list.get(late)!.sla.firstResponse).toBe('breached');
    expect(list.get(fresh)!.sla.firstResponse).toBe('at_risk'); // 60 minutes left, inside the default 60-minute at-risk window
    expect(list.get(fresh)!.sla.resolution).toBe('on_track');
    const detail = await api.specialist.cases.get.query({ caseId: late });
    expect(detail.sla.firstResponse).toBe('breached');
    expect(detail.sla.firstResponseRemainingMs!).toBeLessThan(-119 * MIN);

    // Answering the complainant takes the first-response deadline off the board.
    await api.specialist.cases.logCommunication.mutate({ caseId: late, direction: 'outbound', channel: 'live_chat', body: 'We are on it.' });
    b = await board('specialist', 30);
    expect(b.breached.has(late)).toBe(false);
  });

  it('leaves out paused cases and resolved ones, but keeps a breach that happened before the pause', async () => {
    const now = Date.now();
    // Paused while time was left: the clock is frozen, nothing is running out.
    const paused = await create();
    await transition('specialist', paused, 'start_review', 'received');
    await transition('specialist', paused, 'request_material', 'initial_review', 'Send the order id.');
    await setColumns(paused, { resolution_due_at: new Date(now + 10 * MIN) });
    // Paused two hours ago with one hour left: its stored due date is past, but its clock stopped before it.
    const frozen = await create();
    await transition('specialist', frozen, 'start_review', 'received');
    await transition('specialist', frozen, 'request_material', 'initial_review', 'Send the order id.');
    await setColumns(frozen, { sla_paused_at: new Date(now - 120 * MIN), resolution_due_at: new Date(now - 60 * MIN) });
    // Breached, then paused: the breach stays visible.
    const breachedThenPaused = await create();
    await transition('specialist', breachedThenPaused, 'start_review', 'received');
    await transition('specialist', breachedThenPaused, 'request_material', 'initial_review', 'Send the order id.');
    await setColumns(breachedThenPaused, { sla_paused_at: new Date(now - 60 * MIN), resolution_due_at: new Date(now - 90 * MIN) });
    // Rejected (resolved) with deadlines long past.
    const resolved = await create();
    await transition('specialist', resolved, 'start_review', 'received');
    await transition('specialist', resolved, 'reject', 'initial_review', 'Not a platform error.');
    await setColumns(resolved, { first_response_due_at: new Date(now - 60 * MIN), resolution_due_at: new Date(now - 30 * MIN) });

    expect((await row(paused)).sla_paused_at).not.toBeNull();
    expect((await row(resolved)).resolved_at).not.toBeNull();

    const b = await board('specialist', 30);
    for (const id of [paused, frozen, resolved]) {
      expect(b.dueSoon.has(id)).toBe(false);
      expect(b.breached.has(id)).toBe(false);
    }
    expect(b.breached.get(breachedThenPaused)).toMatchObject({ deadline: 'resolution', status: 'awaiting_material' });
    expect(b.dueSoon.has(breachedThenPaused)).toBe(false);

    const sla = async (caseId: string) => (await api.specialist.cases.get.query({ caseId })).sla;
    expect((await sla(paused)).resolution).toBe('paused');
    expect((await sla(frozen)).resolution).toBe('paused');
    expect((await sla(breachedThenPaused)).resolution).toBe('breached');
  });

  it('shows each person only the cases they may see', async () => {
    const now = Date.now();
    const mine = await create('specialist');
    const otherTeam = await create('specialist');
    const queue = await create('legal'); // legal has no team: the unassigned queue
    await db().updateTable('cases').set({ team_id: server.otherTeamId }).where('id', '=', otherTeam).execute();
    for (const id of [mine, otherTeam, queue]) await setColumns(id, { first_response_due_at: new Date(now + 5 * MIN) });

    const seen = async (role: Role) => {
      const b = await board(role, 30);
      return [mine, otherTeam, queue].map((id) => b.dueSoon.has(id));
    };
    expect(await seen('specialist')).toEqual([true, false, false]);
    expect(await seen('supervisor')).toEqual([true, false, true]);
    expect(await seen('legal')).toEqual([true, true, true]);
    expect(await seen('admin')).toEqual([true, true, true]);
    for (const role of ['arbitrator', 'mediator'] as const) {
      expect(await failure(api[role].cases.slaDueSoon.query({ withinMinutes: 30 }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    }
  });
});

describe('deadlines from policy and classification', () => {
  it('an admin’s SLA policy sets the deadlines of cases received after it, not before', async () => {
    const before = await create();
    const forbidden = await failure(api.supervisor.rules.setSlaPolicy.mutate({ tier: 'L2', priority: 'normal', firstResponseMinutes: 7, resolutionMinutes: 95 }));
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
    try {
      await api.admin.rules.setSlaPolicy.mutate({ tier: 'L2', priority: 'normal', firstResponseMinutes: 7, resolutionMinutes: 95 });
      const policies = (await api.specialist.rules.get.query()).slaPolicies;
      expect(policies.find((p) => p.tier === 'L2' && p.priority === 'normal')).toEqual({ tier: 'L2', priority: 'normal', firstResponseMinutes: 7, resolutionMinutes: 95 });
      const audit = await db().selectFrom('audit_log').select(['entity_id', 'actor_id']).where('action', '=', 'rules.sla_policy_set').execute();
      expect(audit).toEqual([{ entity_id: 'L2/normal', actor_id: server.users.admin.id }]);

      const after = await create();
      const a = await row(after);
      expect([a.tier, a.priority]).toEqual(['L2', 'normal']);
      expect(a.first_response_due_at.getTime() - a.received_at.getTime()).toBe(7 * MIN);
      expect(a.resolution_due_at.getTime() - a.received_at.getTime()).toBe(95 * MIN);
      const b = await row(before);
      expect(b.first_response_due_at.getTime() - b.received_at.getTime()).toBe(60 * MIN);
      expect(b.resolution_due_at.getTime() - b.received_at.getTime()).toBe(24 * 60 * MIN);
      // Other tiers and priorities keep theirs.
      const urgent = await row(await create('specialist', { urgent: true }));
      expect([urgent.tier, urgent.priority]).toEqual(['L3', 'urgent']);
      expect(urgent.first_response_due_at.getTime() - urgent.received_at.getTime()).toBe(5 * MIN);
    } finally {
      await api.admin.rules.setSlaPolicy.mutate({ tier: 'L2', priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 24 * 60 });
    }
  });

  it('classifying to a higher priority tightens the open deadlines from the time the case was received', async () => {
    const id = await create();
    const received = (await row(id)).received_at.getTime();
    await api.specialist.cases.classify.mutate({ caseId: id, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'urgent' });
    const r = await row(id);
    expect([r.tier, r.priority]).toEqual(['L2', 'urgent']);
    expect(r.first_response_due_at.getTime() - received).toBe(15 * MIN);
    expect(r.resolution_due_at.getTime() - received).toBe(8 * 60 * MIN);
    const classified = (await api.specialist.cases.timeline.query({ caseId: id })).find((e) => e.type === 'case.classified')!;
    expect(classified.payload).toMatchObject({ before: { tier: 'L2', priority: 'normal' }, after: { tier: 'L2', priority: 'urgent' } });
    const detail = await api.specialist.cases.get.query({ caseId: id });
    expect(new Date(detail.sla.firstResponseDueAt).getTime()).toBe(received + 15 * MIN);
  });

  it('keeps a met first response and the time spent paused when reclassifying', async () => {
    const id = await create();
    await transition('specialist', id, 'start_review', 'received');
    await transition('specialist', id, 'request_material', 'initial_review', 'Send the trade history export.');
    await new Promise((r) => setTimeout(r, 300));
    await transition('specialist', id, 'material_received', 'awaiting_material');
    const resumed = await row(id);
    expect(resumed.status).toBe('initial_review');
    const pausedMs = Number(resumed.sla_paused_total_ms);
    expect(pausedMs).toBeGreaterThanOrEqual(300);

    await api.supervisor.cases.classify.mutate({ caseId: id, category: 'trade', subcategory: 'slippage', tier: 'L3', priority: 'urgent' });
    const r = await row(id);
    expect(r.first_response_due_at.getTime()).toBe(resumed.first_response_due_at.getTime()); // already met: its outcome stands
    expect(r.resolution_due_at.getTime() - r.received_at.getTime()).toBe(4 * 60 * MIN + pausedMs);
  });
});
