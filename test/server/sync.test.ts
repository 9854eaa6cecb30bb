// Workstation sync against the real server (tRPC over HTTP, real Postgres): registered devices push
// intent mutations exactly once and in order, pull what their user may see by a cursor that never
// skips a row committed out of version order, hear of changes over SSE (across server instances,
// through LISTEN/NOTIFY), and lose access when revoked.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { sql } from 'kysely';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClient, startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { complaint, uploadOk } from './evidence/support';
import { buildApp } from '../../server/src/http/app';
import { ChangeNotifier } from '../../server/src/sync/change-notifier';
import { hashPassword } from '../../server/src/auth/password';
import { verifyAuditChain } from '../../server/src/audit/audit.service';
import type { MutationName, SyncedTable } from '../../shared/sync/protocol';

type Client = ReturnType<TestServer['client']>;
type PullAnswer = Awaited<ReturnType<Client['sync']['pull']['query']>>;
type PushAnswer = Awaited<ReturnType<Client['sync']['push']['mutate']>>;
type Change = PullAnswer['changes'][number];

let server: TestServer;
const api = {} as Record<'specialist' | 'specialist2' | 'supervisor' | 'legal' | 'admin', Client>;
const tokens = {} as Record<keyof typeof api, string>;
let specialist2Id: string;

const db = () => server.t.db;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- Helpers -----------------------------------------------------------------------------------

interface Device {
  id: string;
  token: string;
  api: Client;
  scope: string;
}

async function registerDevice(who: keyof typeof api, name = 'ThinkPad X1'): Promise<Device> {
  const r = await api[who].sync.registerDevice.mutate({ name, platform: 'linux' });
  return { id: r.deviceId, token: r.token, api: server.client(r.token), scope: r.scope };
}

const mutation = (seq: number, name: MutationName, args: Record<string, unknown>, createdAt = new Date()) => ({
  seq,
  name,
  args,
  createdAt: createdAt.toISOString(),
});
type Mutation = ReturnType<typeof mutation>;

const push = (d: Device, mutations: Mutation[]): Promise<PushAnswer> => d.api.sync.push.mutate({ deviceId: d.id, mutations });

/** The error data of a failed tRPC call, params included. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return error.data as { code: string; httpStatus: number; messageKey: string; field: string | null; params: Record<string, string | number> };
  }
  throw new Error('expected the call to fail, it succeeded');
}

async function newCase(who: keyof typeof api, uid = 'uid-sync-1') {
  return api[who].cases.create.mutate(complaint(uid) as Parameters<Client['cases']['create']['mutate']>[0]);
}

/** A case of the other team (created in ours, then moved there directly in the database). */
async function otherTeamCase(uid = 'uid-sync-other') {
  const c = await newCase('specialist', uid);
  await api.specialist.cases.addNote.mutate({ caseId: c.id, body: 'Written before the case went to the security team.' });
  await db().updateTable('cases').set({ team_id: server.otherTeamId }).where('id', '=', c.id).execute();
  return c;
}

const count = async (table: 'notes' | 'case_events' | 'audit_log' | 'device_mutations', where?: (q: any) => any) => {
  let q: any = db().selectFrom(table).select((eb: any) => eb.fn.countAll().as('n'));
  if (where) q = where(q);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

const deviceSeq = async (id: string) => Number((await db().selectFrom('devices').select('last_applied_seq').where('id', '=', id).executeTakeFirstOrThrow()).last_applied_seq);

const parseCursor = (cursor: string) => cursor.split(':').map(BigInt) as [bigint, bigint];
const cursorBelow = (cursor: string, xact: bigint, version: bigint) => {
  const [cx, cv] = parseCursor(cursor);
  return cx < xact || (cx === xact && cv < version);
};

/** Every transaction that has an id now: a cursor at or past this has seen all of them end. */
async function horizon(): Promise<bigint> {
  const r = await sql<{ xmax: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(db());
  return BigInt(r.rows[0]!.xmax);
}

/** What a workstation holds: rows by table and key, kept from pulls the way the desktop applies them. */
class Replica {
  cursor: string | null = null;
  scope: string | null = null;
  rows = new Map<string, { table: SyncedTable; key: string; row: Record<string, unknown> }>();
  constructor(readonly device: Device) {
    this.scope = device.scope;
  }

  apply(r: PullAnswer) {
    if (r.reset) this.rows.clear();
    for (const caseId of r.dropCaseIds) for (const [k, v] of this.rows) if ((v.table === 'cases' && v.key === caseId) || v.row.case_id === caseId) this.rows.delete(k);
    for (const c of r.changes) {
      if (c.row === null) this.rows.delete(`${c.table}/${c.key}`);
      else this.rows.set(`${c.table}/${c.key}`, { table: c.table, key: c.key, row: c.row });
    }
    this.cursor = r.cursor;
    this.scope = r.scope;
  }

  async pull(limit = 5000): Promise<PullAnswer> {
    const r = await this.device.api.sync.pull.query({ deviceId: this.device.id, cursor: this.cursor, limit, scope: this.scope });
    this.apply(r);
    return r;
  }

  /** Pulls page after page until the cursor has passed every transaction that had begun writing when called (bounded). */
  async drain(limit = 5000): Promise<PullAnswer[]> {
    const target = await horizon();
    const answers: PullAnswer[] = [];
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await this.pull(limit);
      answers.push(r);
      if (!r.hasMore && parseCursor(r.cursor)[0] >= target) return answers;
      if (Date.now() > deadline) throw new Error(`pull did not catch up to ${target} (cursor ${r.cursor})`);
      if (!r.hasMore) await sleep(20);
    }
  }

  has(table: SyncedTable, key: string) {
    return this.rows.has(`${table}/${key}`);
  }
  get(table: SyncedTable, key: string) {
    return this.rows.get(`${table}/${key}`)?.row;
  }
  rowsOfCase(caseId: string) {
    return [...this.rows.values()].filter((v) => (v.table === 'cases' && v.key === caseId) || v.row.case_id === caseId);
  }
  tables() {
    return new Set([...this.rows.values()].map((v) => v.table));
  }
}

const changesOf = (answers: PullAnswer[]) => answers.flatMap((a) => a.changes);
const touchesCase = (c: Change, caseId: string) => (c.table === 'cases' && c.key === caseId) || c.row?.case_id === caseId;

// ---- Set-up ------------------------------------------------------------------------------------

beforeAll(async () => {
  server = await startTestServer();
  const second = await db()
    .insertInto('users')
    .values({ email: 'specialist2@example.test', display_name: 'Second specialist', role: 'specialist', password_hash: await hashPassword(TEST_PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  specialist2Id = second.id;
  await db().insertInto('team_members').values({ team_id: server.teamId, user_id: specialist2Id }).execute();
  for (const role of ['specialist', 'supervisor', 'legal', 'admin'] as const) {
    tokens[role] = await server.login(role);
    api[role] = server.client(tokens[role]);
  }
  tokens.specialist2 = (await makeClient(server.url).auth.login.mutate({ email: 'specialist2@example.test', password: TEST_PASSWORD, kind: 'cli' })).token!;
  api.specialist2 = server.client(tokens.specialist2);
});

afterAll(async () => {
  await server?.close();
});

// ---- Push --------------------------------------------------------------------------------------

describe('push: intent mutations apply once each, in sequence order', () => {
  let device: Device;
  let caseId: string;
  let foreignCaseId: string;
  const noteId = randomUUID();

  beforeAll(async () => {
    device = await registerDevice('specialist');
    caseId = (await newCase('specialist')).id;
    foreignCaseId = (await otherTeamCase()).id;
  });

  it('applies seq 1..n in order, each leaving its effect, with the ids the workstation chose', async () => {
    const r = await push(device, [
      mutation(2, 'updateCaseFields', { caseId, fields: { handler_summary: 'Slippage during the 10:00 spike; checking the order book.' } }),
      mutation(1, 'addNote', { id: noteId, caseId, body: 'Called the complainant, waiting for screenshots.' }),
      mutation(3, 'transition', { caseId, action: 'start_review', expectedStatus: 'received' }),
    ]);
    expect(r.gap).toBeNull();
    expect(r.lastAppliedSeq).toBe(3);
    expect(r.outcomes).toEqual([1, 2, 3].map((seq) => ({ seq, status: 'applied', duplicate: false, reason: null })));

    const note = await db().selectFrom('notes').selectAll().where('id', '=', noteId).executeTakeFirstOrThrow();
    expect(note).toMatchObject({ case_id: caseId, body: 'Called the complainant, waiting for screenshots.', author_id: server.users.specialist.id });
    const c = await db().selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(c.handler_summary).toBe('Slippage during the 10:00 spike; checking the order book.');
    expect(c.status).toBe('initial_review');
    const timeline = await api.specialist.cases.timeline.query({ caseId });
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['note.added', 'case.fields_updated', 'case.transition']));
    const recorded = await db().selectFrom('device_mutations').select(['seq', 'name', 'status']).where('device_id', '=', device.id).orderBy('seq').execute();
    expect(recorded.map((m) => [Number(m.seq), m.name, m.status])).toEqual([
      [1, 'addNote', 'applied'],
      [2, 'updateCaseFields', 'applied'],
      [3, 'transition', 'applied'],
    ]);
  });

  it('answers a repeated push (its response was lost) with the recorded outcomes and applies nothing twice', async () => {
    const before = { notes: await count('notes'), events: await count('case_events'), audit: await count('audit_log') };
    const r = await push(device, [
      mutation(1, 'addNote', { id: noteId, caseId, body: 'Called the complainant, waiting for screenshots.' }),
      mutation(2, 'updateCaseFields', { caseId, fields: { handler_summary: 'Slippage during the 10:00 spike; checking the order book.' } }),
      mutation(3, 'transition', { caseId, action: 'start_review', expectedStatus: 'received' }),
    ]);
    expect(r.gap).toBeNull();
    expect(r.lastAppliedSeq).toBe(3);
    expect(r.outcomes).toEqual([1, 2, 3].map((seq) => ({ seq, status: 'applied', duplicate: true, reason: null })));
    expect({ notes: await count('notes'), events: await count('case_events'), audit: await count('audit_log') }).toEqual(before);
  });

  it('refuses a gap: nothing from the skipped-ahead mutation on is applied', async () => {
    const before = { notes: await count('notes'), events: await count('case_events') };
    const skipped = randomUUID();
    const r = await push(device, [
      mutation(5, 'addNote', { id: skipped, caseId, body: 'Pushed ahead of seq 4.' }),
      mutation(6, 'addNote', { id: randomUUID(), caseId, body: 'After the gap.' }),
    ]);
    expect(r.gap).toEqual({ expected: 4, got: 5 });
    expect(r.outcomes).toEqual([]);
    expect(r.lastAppliedSeq).toBe(3);
    expect({ notes: await count('notes'), events: await count('case_events') }).toEqual(before);

    // A gap in the middle of a batch: what comes before it applies, what comes after does not.
    const four = randomUUID();
    const r2 = await push(device, [
      mutation(4, 'addNote', { id: four, caseId, body: 'Seq 4.' }),
      mutation(6, 'addNote', { id: randomUUID(), caseId, body: 'Seq 6 without 5.' }),
      mutation(7, 'addNote', { id: randomUUID(), caseId, body: 'Seq 7.' }),
    ]);
    expect(r2.outcomes).toEqual([{ seq: 4, status: 'applied', duplicate: false, reason: null }]);
    expect(r2.gap).toEqual({ expected: 5, got: 6 });
    expect(r2.lastAppliedSeq).toBe(4);
    expect(await count('notes', (q) => q.where('case_id', '=', caseId))).toBe(2);
    expect(await db().selectFrom('notes').select('id').where('id', '=', skipped).executeTakeFirst()).toBeUndefined();
  });

  it('records mutations refused by validation, permission or state as rejected, with why, and moves on', async () => {
    const auditBefore = await count('audit_log', (q) => q.where('action', '=', 'sync.mutation_rejected'));
    const after = randomUUID();
    const r = await push(device, [
      mutation(5, 'addNote', { id: randomUUID(), caseId, body: '   ' }),
      mutation(6, 'classify', { caseId: foreignCaseId, category: 'trade', subcategory: 'slippage', tier: 'L1', priority: 'high' }),
      mutation(7, 'transition', { caseId, action: 'start_review', expectedStatus: 'received' }),
      mutation(8, 'addNote', { id: after, caseId, body: 'The queue kept moving.' }),
    ]);
    expect(r.gap).toBeNull();
    expect(r.lastAppliedSeq).toBe(8);
    expect(r.outcomes).toEqual([
      { seq: 5, status: 'rejected', duplicate: false, reason: expect.objectContaining({ messageKey: 'validation.required', field: 'body' }) },
      { seq: 6, status: 'rejected', duplicate: false, reason: { messageKey: 'error.case_not_found', field: 'caseId', params: {} } },
      { seq: 7, status: 'rejected', duplicate: false, reason: { messageKey: 'error.case_moved', field: 'expectedStatus', params: { status: 'initial_review' } } },
      { seq: 8, status: 'applied', duplicate: false, reason: null },
    ]);
    expect(await db().selectFrom('notes').select('id').where('id', '=', after).executeTakeFirst()).toBeDefined();
    // The foreign case was not classified, the case did not move twice.
    const foreign = await db().selectFrom('cases').select(['tier', 'team_id']).where('id', '=', foreignCaseId).executeTakeFirstOrThrow();
    expect(foreign.team_id).toBe(server.otherTeamId);
    expect(await count('case_events', (q) => q.where('case_id', '=', foreignCaseId).where('type', '=', 'case.classified'))).toBe(0);

    const recorded = await db().selectFrom('device_mutations').selectAll().where('device_id', '=', device.id).where(sql<boolean>`seq between 5 and 8`).orderBy('seq').execute();
    expect(recorded.map((m) => [Number(m.seq), m.status, (m.reason as { messageKey: string } | null)?.messageKey ?? null])).toEqual([
      [5, 'rejected', 'validation.required'],
      [6, 'rejected', 'error.case_not_found'],
      [7, 'rejected', 'error.case_moved'],
      [8, 'applied', null],
    ]);
    const audited = await db()
      .selectFrom('audit_log')
      .select(['entity_id', 'details', 'actor_id'])
      .where('action', '=', 'sync.mutation_rejected')
      .orderBy('seq')
      .execute();
    expect(audited.length - auditBefore).toBe(3);
    expect(audited.slice(-3).map((a) => [a.entity_id, (a.details as { seq: number }).seq, (a.details as { reason: string }).reason, a.actor_id])).toEqual([
      [device.id, 5, 'validation.required', server.users.specialist.id],
      [device.id, 6, 'error.case_not_found', server.users.specialist.id],
      [device.id, 7, 'error.case_moved', server.users.specialist.id],
    ]);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });

    // Pushed again, a rejection stays a rejection (the original outcome), and is not recorded twice.
    const again = await push(device, [mutation(6, 'classify', { caseId: foreignCaseId, category: 'trade', subcategory: 'slippage', tier: 'L1', priority: 'high' })]);
    expect(again.outcomes).toEqual([{ seq: 6, status: 'rejected', duplicate: true, reason: { messageKey: 'error.case_not_found', field: 'caseId', params: {} } }]);
    expect(await count('audit_log', (q) => q.where('action', '=', 'sync.mutation_rejected'))).toBe(auditBefore + 3);
  });

  it("rejects a mutation the user's role may not make at all", async () => {
    const legalDevice = await registerDevice('legal');
    const r = await push(legalDevice, [mutation(1, 'classify', { caseId, category: 'trade', subcategory: 'slippage', tier: 'L1', priority: 'high' })]);
    expect(r.outcomes).toEqual([{ seq: 1, status: 'rejected', duplicate: false, reason: { messageKey: 'error.forbidden', field: null, params: {} } }]);
    expect(r.lastAppliedSeq).toBe(1);
  });

  it('rejects a created row whose client-chosen id is taken, instead of blocking the queue on it', async () => {
    const next = randomUUID();
    const r = await push(device, [
      mutation(9, 'addNote', { id: noteId, caseId, body: 'Same id as the note of seq 1.' }),
      mutation(10, 'addNote', { id: next, caseId, body: 'After the duplicate id.' }),
    ]);
    expect(r.outcomes).toEqual([
      { seq: 9, status: 'rejected', duplicate: false, reason: expect.objectContaining({ messageKey: 'error.duplicate' }) },
      { seq: 10, status: 'applied', duplicate: false, reason: null },
    ]);
    expect((await db().selectFrom('notes').select('body').where('id', '=', noteId).executeTakeFirstOrThrow()).body).toBe('Called the complainant, waiting for screenshots.');
    expect(r.lastAppliedSeq).toBe(10);
  });

  it('leaves no partial write behind a mutation refused after it took its locks', async () => {
    // accept needs a person to confirm the classification first: refused after the case is locked.
    const caseBefore = await db().selectFrom('cases').select(['version', 'status']).where('id', '=', caseId).executeTakeFirstOrThrow();
    const before = { events: await count('case_events'), audit: await count('audit_log') };
    const r = await push(device, [mutation(11, 'transition', { caseId, action: 'accept', expectedStatus: 'initial_review' })]);
    expect(r.outcomes).toEqual([{ seq: 11, status: 'rejected', duplicate: false, reason: { messageKey: 'lifecycle.refused.classification_required', field: 'action', params: {} } }]);
    const caseAfter = await db().selectFrom('cases').select(['version', 'status']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(caseAfter).toEqual(caseBefore);
    expect(await count('case_events')).toBe(before.events);
    expect(await count('audit_log')).toBe(before.audit + 1); // the rejection itself, nothing else
  });

  it('rolls back a mutation that wrote and then failed, and applies it once when pushed again', async () => {
    // A failure injected after the note is written (on its timeline event): a server fault, not a refusal.
    const id = randomUUID();
    await sql`
      create function test_fail_note_event() returns trigger language plpgsql as $$
      begin
        if new.payload->>'noteId' = ${sql.lit(id)} then raise exception 'injected failure'; end if;
        return new;
      end $$`.execute(server.t.ownerDb);
    await sql`create trigger test_fail_note_event before insert on case_events for each row execute function test_fail_note_event()`.execute(server.t.ownerDb);
    const before = { events: await count('case_events'), audit: await count('audit_log') };
    try {
      const err = await refusal(push(device, [mutation(12, 'addNote', { id, caseId, body: 'Written, then the event failed.' })]));
      expect(err).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', messageKey: 'error.internal' });
      expect(await db().selectFrom('notes').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
      expect(await deviceSeq(device.id)).toBe(11);
      expect(await db().selectFrom('device_mutations').select('seq').where('device_id', '=', device.id).where(sql<boolean>`seq = 12`).executeTakeFirst()).toBeUndefined();
      expect({ events: await count('case_events'), audit: await count('audit_log') }).toEqual(before);
    } finally {
      await sql`drop trigger test_fail_note_event on case_events`.execute(server.t.ownerDb);
      await sql`drop function test_fail_note_event()`.execute(server.t.ownerDb);
    }
    const r = await push(device, [mutation(12, 'addNote', { id, caseId, body: 'Written, then the event failed.' })]);
    expect(r.outcomes).toEqual([{ seq: 12, status: 'applied', duplicate: false, reason: null }]);
    expect(await count('notes', (q) => q.where('id', '=', id))).toBe(1);
  });

  it('applies each seq exactly once when the same batch is pushed from two connections at once', async () => {
    const d = await registerDevice('specialist', 'Desk PC');
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const batch = ids.map((id, i) =>
      i === 5
        ? mutation(i + 1, 'classify', { caseId: foreignCaseId, category: 'trade', subcategory: 'slippage', tier: 'L1', priority: 'high' })
        : mutation(i + 1, 'addNote', { id, caseId, body: `Concurrent note ${i + 1}` }),
    );
    const second = { ...d, api: server.client(d.token) };
    const rejectedBefore = await count('audit_log', (q) => q.where('action', '=', 'sync.mutation_rejected'));
    const [a, b] = await Promise.all([push(d, batch), push(second, batch)]);
    expect(a.lastAppliedSeq).toBe(12);
    expect(b.lastAppliedSeq).toBe(12);
    for (let seq = 1; seq <= 12; seq++) {
      const outcomes = [a, b].map((r) => r.outcomes.find((o) => o.seq === seq)!);
      expect(outcomes.filter((o) => !o.duplicate), `seq ${seq}`).toHaveLength(1);
      const status = seq === 6 ? 'rejected' : 'applied';
      expect(outcomes.map((o) => o.status)).toEqual([status, status]);
    }
    const written = ids.filter((_, i) => i !== 5);
    expect(await count('notes', (q) => q.where('id', 'in', written))).toBe(11);
    expect(await count('case_events', (q) => q.where('type', '=', 'note.added').where(sql<boolean>`payload->>'noteId' = any(${written}::text[])`))).toBe(11);
    expect(await count('device_mutations', (q) => q.where('device_id', '=', d.id))).toBe(12);
    expect(await count('audit_log', (q) => q.where('action', '=', 'sync.mutation_rejected'))).toBe(rejectedBefore + 1);
  });

  it("refuses a device token used for another device's id, and a session that is no device", async () => {
    const other = await registerDevice('specialist', 'Other laptop');
    const err = await refusal(device.api.sync.push.mutate({ deviceId: other.id, mutations: [mutation(1, 'addNote', { id: randomUUID(), caseId, body: 'x' })] }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', messageKey: 'sync.not_this_device', field: 'deviceId' });
    expect(await refusal(device.api.sync.pull.query({ deviceId: other.id, cursor: null, scope: null }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'sync.not_this_device' });
    expect(await refusal(api.specialist.sync.pull.query({ deviceId: device.id, cursor: null, scope: null }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'sync.not_this_device' });
    expect(await deviceSeq(other.id)).toBe(0);
  });
});

// ---- Pull --------------------------------------------------------------------------------------

describe('pull: what the user may see, by cursor, with tombstones, drops and resets', () => {
  let device: Device;
  let replica: Replica;
  let mine: string;
  let mineNoteId: string;
  let exhibitId: string;
  let foreign: { id: string };
  let foreignComplainantId: string;

  beforeAll(async () => {
    device = await registerDevice('specialist', 'Pull laptop');
    replica = new Replica(device);
    mine = (await newCase('specialist', 'uid-pull-mine')).id;
    mineNoteId = (await api.specialist.cases.addNote.mutate({ caseId: mine, body: 'First contact made.' })).id;
    await api.specialist.cases.addConsultation.mutate({ caseId: mine, team: 'risk', question: 'Any flags on this account?' });
    await api.specialist.cases.logCommunication.mutate({ caseId: mine, direction: 'outbound', channel: 'email', body: 'We are looking into it.' });
    exhibitId = (
      await uploadOk(server, tokens.specialist, mine, 'chain,type,value,note\nBTC,tx,4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b,genesis coinbase\n', {
        fileName: 'platform-refs.csv',
        side: 'platform',
        source: 'risk_system',
        type: 'onchain_reference',
      })
    ).id;
    foreign = await otherTeamCase('uid-pull-foreign');
    foreignComplainantId = (await db().selectFrom('cases').select('complainant_id').where('id', '=', foreign.id).executeTakeFirstOrThrow()).complainant_id;
  });

  it("gives a first sync the cases of the user's team with all their rows, and the reference tables, and nothing of another team", async () => {
    await replica.drain();
    const tables = replica.tables();
    for (const t of ['cases', 'case_amounts', 'case_events', 'notes', 'consultations', 'communications', 'exhibits', 'exhibit_records', 'complainants'] as const)
      expect(tables.has(t), t).toBe(true);
    for (const t of ['teams', 'users', 'tiering_rules', 'sla_policies', 'asset_rates'] as const) expect(tables.has(t), t).toBe(true);
    expect(replica.has('cases', mine)).toBe(true);
    expect(replica.has('notes', mineNoteId)).toBe(true);
    expect(replica.has('exhibits', exhibitId)).toBe(true);
    expect(replica.rowsOfCase(mine).map((r) => r.table)).toEqual(expect.arrayContaining(['cases', 'case_amounts', 'case_events', 'notes', 'exhibits', 'exhibit_records']));
    expect(replica.get('exhibit_records', replica.rowsOfCase(mine).find((r) => r.table === 'exhibit_records')!.key)).not.toHaveProperty('search_text');
    expect(replica.has('teams', server.teamId) && replica.has('teams', server.otherTeamId)).toBe(true);

    // Users travel without their secrets and e-mail addresses.
    const users = [...replica.rows.values()].filter((r) => r.table === 'users');
    expect(users.length).toBeGreaterThanOrEqual(7);
    for (const u of users) {
      for (const secret of ['password_hash', 'totp_secret', 'totp_enabled_at', 'totp_last_step', 'email']) expect(u.row, secret).not.toHaveProperty(secret);
      expect(u.row).toHaveProperty('display_name');
    }

    // Nothing of the other team's case: not the case, not its rows, not its complainant.
    expect(replica.rowsOfCase(foreign.id)).toEqual([]);
    expect(replica.has('complainants', foreignComplainantId)).toBe(false);
  });

  it('pages with a small limit: everything exactly once, hasMore until done, then nothing new', async () => {
    const full = new Replica(await registerDevice('specialist', 'Reference laptop'));
    await full.drain();
    const paged = new Replica(await registerDevice('specialist', 'Paging laptop'));
    const answers = await paged.drain(7);
    // (A page without more can come before the end while a transaction elsewhere in the cluster holds the horizon back.)
    expect(answers.filter((a) => a.hasMore).length).toBeGreaterThan(5);
    expect(answers.every((a) => a.changes.length <= 7)).toBe(true);
    expect(answers.at(-1)!.hasMore).toBe(false);
    expect(new Set(paged.rows.keys())).toEqual(new Set(full.rows.keys()));
    expect(Object.fromEntries(paged.rows)).toEqual(Object.fromEntries(full.rows));

    // No row comes twice, unless it changed twice (then each page carries it once, at its latest).
    const seen = new Map<string, number>();
    for (const c of changesOf(answers)) seen.set(`${c.table}|${c.key}`, (seen.get(`${c.table}|${c.key}`) ?? 0) + 1);
    const logged = await db().selectFrom('change_log').select(['table_name', 'row_key']).select((eb) => eb.fn.countAll<string>().as('n')).groupBy(['table_name', 'row_key']).execute();
    const times = new Map(logged.map((l) => [`${l.table_name}|${l.row_key}`, Number(l.n)]));
    for (const [key, n] of seen) {
      expect(n, key).toBeLessThanOrEqual(times.get(key)!);
      if (times.get(key) === 1) expect(n, key).toBe(1);
    }
    // Pages are disjoint within themselves.
    for (const a of answers) expect(new Set(a.changes.map((c) => `${c.table}|${c.key}`)).size).toBe(a.changes.length);

    const last = await paged.pull(7);
    expect(last).toMatchObject({ hasMore: false, changes: [], dropCaseIds: [], reset: false });
  });

  it('sends a soft-deleted row as a tombstone', async () => {
    await replica.drain();
    expect(replica.has('notes', mineNoteId)).toBe(true);
    await db().updateTable('notes').set({ deleted_at: new Date() }).where('id', '=', mineNoteId).execute();
    const answers = await replica.drain();
    expect(changesOf(answers)).toContainEqual({ table: 'notes', key: mineNoteId, row: null });
    expect(replica.has('notes', mineNoteId)).toBe(false);
  });

  it('drops a case reassigned away, and sends none of its rows afterwards', async () => {
    const leaving = (await newCase('specialist', 'uid-pull-leaving')).id;
    await api.specialist.cases.addNote.mutate({ caseId: leaving, body: 'Looks like an account takeover.' });
    await replica.drain();
    expect(replica.rowsOfCase(leaving).length).toBeGreaterThan(2);

    await db().updateTable('cases').set({ team_id: server.otherTeamId }).where('id', '=', leaving).execute();
    const answers = await replica.drain();
    expect(answers.flatMap((a) => a.dropCaseIds)).toContain(leaving);
    expect(changesOf(answers).filter((c) => touchesCase(c, leaving))).toEqual([]);
    expect(replica.rowsOfCase(leaving)).toEqual([]);

    // Work on it by someone who still sees it does not reach this device.
    await api.legal.cases.addNote.mutate({ caseId: leaving, body: 'Security team took over.' });
    const later = await replica.drain();
    expect(changesOf(later).filter((c) => touchesCase(c, leaving))).toEqual([]);
    expect(replica.rowsOfCase(leaving)).toEqual([]);
  });

  it('sends a case reassigned to the user whole, with rows written long before the cursor', async () => {
    // Legal counsel takes a complaint in (no team) and works on it; the specialist cannot see it yet.
    const arriving = (await newCase('legal', 'uid-pull-arriving')).id;
    const early = await api.legal.cases.addNote.mutate({ caseId: arriving, body: 'Noted at intake, long before the assignment.' });
    const complainantId = (await db().selectFrom('cases').select('complainant_id').where('id', '=', arriving).executeTakeFirstOrThrow()).complainant_id;
    const before = await replica.drain();
    expect(changesOf(before).filter((c) => touchesCase(c, arriving))).toEqual([]);
    expect(replica.has('complainants', complainantId)).toBe(false);

    // A supervisor assigns it from the unassigned queue to the specialist (into their team).
    await api.supervisor.cases.assign.mutate({ caseId: arriving, assigneeId: server.users.specialist.id });
    const answers = await replica.drain();
    expect(replica.get('cases', arriving)).toMatchObject({ team_id: server.teamId, assignee_id: server.users.specialist.id });
    expect(replica.get('notes', early.id)).toMatchObject({ body: 'Noted at intake, long before the assignment.', case_id: arriving });
    const db_ = await db().selectFrom('case_events').select('id').where('case_id', '=', arriving).execute();
    expect(replica.rowsOfCase(arriving).filter((r) => r.table === 'case_events').map((r) => r.key).sort()).toEqual(db_.map((e) => e.id).sort());
    expect(replica.rowsOfCase(arriving).some((r) => r.table === 'case_amounts')).toBe(true);
    expect(replica.has('complainants', complainantId)).toBe(true);
    expect(answers.flatMap((a) => a.dropCaseIds)).not.toContain(arriving);
  });

  it("resets a device whose user's teams changed, and gives it the complete state from the beginning", async () => {
    await replica.drain();
    const oldScope = replica.scope!;
    await db().insertInto('team_members').values({ team_id: server.otherTeamId, user_id: server.users.specialist.id }).execute();
    try {
      const first = await device.api.sync.pull.query({ deviceId: device.id, cursor: replica.cursor, scope: oldScope });
      expect(first.reset).toBe(true);
      expect(first.scope).not.toBe(oldScope);
      replica.apply(first);
      await replica.drain();
      // Complete: the earliest rows are there again, and now the other team's case too.
      expect(replica.has('cases', mine)).toBe(true);
      expect(replica.has('exhibits', exhibitId)).toBe(true);
      expect(replica.has('teams', server.teamId)).toBe(true);
      expect(replica.has('notes', mineNoteId)).toBe(false); // still a tombstone
      expect(replica.has('cases', foreign.id)).toBe(true);
      expect(replica.rowsOfCase(foreign.id).some((r) => r.table === 'notes')).toBe(true);
      // And under the new scope the next pull is an ordinary one.
      expect((await replica.pull()).reset).toBe(false);
    } finally {
      await db().deleteFrom('team_members').where('team_id', '=', server.otherTeamId).where('user_id', '=', server.users.specialist.id).execute();
    }
  });
});

// ---- The cursor and interleaved transactions ---------------------------------------------------

describe('the cursor never skips a row committed after a row with a higher version', () => {
  let replica: Replica;
  let caseId: string;
  let c1: pg.Client;
  let c2: pg.Client;

  beforeAll(async () => {
    replica = new Replica(await registerDevice('specialist', 'Interleaving laptop'));
    caseId = (await newCase('specialist', 'uid-interleave')).id;
    await replica.drain();
    c1 = new pg.Client({ connectionString: server.t.url });
    c2 = new pg.Client({ connectionString: server.t.url });
    await c1.connect();
    await c2.connect();
  });

  afterAll(async () => {
    await c1?.end().catch(() => {});
    await c2?.end().catch(() => {});
  });

  async function insertNote(c: pg.Client, body: string) {
    const id = randomUUID();
    const r = await c.query<{ version: string; xact_id: string }>('insert into notes (id, case_id, author_id, body) values ($1, $2, $3, $4) returning version::text, xact_id::text', [
      id,
      caseId,
      server.users.specialist.id,
      body,
    ]);
    return { id, version: BigInt(r.rows[0]!.version), xact: BigInt(r.rows[0]!.xact_id) };
  }

  /**
   * `late` commits after `early`. Which of them gets its transaction id first, and which writes the
   * lower version, varies; the cursor must not pass `late` while it is open, and `late`'s row must
   * come once it commits.
   */
  async function interleave(round: number, o: { lateXidFirst: boolean; lateWritesFirst: boolean; lateIsC1: boolean }) {
    const [late, early] = o.lateIsC1 ? [c1, c2] : [c2, c1];
    const label = `round ${round} ${JSON.stringify(o)}`;
    await late.query('begin');
    await early.query('begin');
    try {
      for (const c of o.lateXidFirst ? [late, early] : [early, late]) await c.query('select pg_current_xact_id()');
      let lateRow: Awaited<ReturnType<typeof insertNote>>;
      let earlyRow: Awaited<ReturnType<typeof insertNote>>;
      if (o.lateWritesFirst) {
        lateRow = await insertNote(late, `late ${round}`);
        earlyRow = await insertNote(early, `early ${round}`);
      } else {
        earlyRow = await insertNote(early, `early ${round}`);
        lateRow = await insertNote(late, `late ${round}`);
      }
      expect(lateRow.version < earlyRow.version, label).toBe(o.lateWritesFirst);
      expect(lateRow.xact < earlyRow.xact, label).toBe(o.lateXidFirst);
      await early.query('commit');

      const received = new Set<string>();
      // While `late` is open, pulls may or may not bring `early`'s row, but never move past `late`.
      for (let i = 0; i < 2; i++) {
        const r = await replica.pull();
        for (const c of r.changes) if (c.table === 'notes') received.add(c.key);
        expect(received.has(lateRow.id), label).toBe(false);
        expect(cursorBelow(r.cursor, lateRow.xact, lateRow.version), `${label}: cursor ${r.cursor} passed ${lateRow.xact}:${lateRow.version}`).toBe(true);
      }
      await late.query('commit');
      for (const c of changesOf(await replica.drain())) if (c.table === 'notes') received.add(c.key);
      expect(received.has(lateRow.id), label).toBe(true);
      expect(received.has(earlyRow.id), label).toBe(true);
      return [lateRow.id, earlyRow.id];
    } catch (error) {
      await late.query('rollback').catch(() => {});
      await early.query('rollback').catch(() => {});
      throw error;
    }
  }

  it('orders by transaction id as a number: a page never jumps over ids with fewer digits', async () => {
    // As text, '10000' sorts before '999'. Move the cluster's transaction ids past the next power of
    // ten, so the log holds ids of both lengths (the seeded rules keep their early ones).
    const now = await horizon();
    let power = 10n;
    while (power <= now) power *= 10n;
    const burner = new pg.Client({ connectionString: server.t.url });
    await burner.connect();
    try {
      await burner.query('set synchronous_commit = off');
      await burner.query(`do $$ begin for i in 1..${power - now + 1n} loop perform pg_current_xact_id(); commit; end loop; end $$`);
    } finally {
      await burner.end();
    }
    // More than a page of rows with the longer ids: a text order would fill a page with them and
    // move the cursor past every row with a shorter id.
    for (let i = 0; i < 4; i++) await api.specialist.cases.addNote.mutate({ caseId, body: `Written after the transaction ids grew a digit (${i}).` });
    const note = await api.specialist.cases.addNote.mutate({ caseId, body: 'Written after the transaction ids grew a digit.' });
    const logged = await db().selectFrom('change_log').select(sql<string>`xact_id::text`.as('xact')).where('row_key', '=', note.id).executeTakeFirstOrThrow();
    const seeded = await db().selectFrom('change_log').select(sql<string>`min(xact_id)::text`.as('xact')).where('table_name', '=', 'tiering_rules').executeTakeFirstOrThrow();
    expect(logged.xact.length).toBeGreaterThan(seeded.xact.length);

    const full = new Replica(await registerDevice('specialist', 'Digits reference'));
    await full.drain();
    const paged = new Replica(await registerDevice('specialist', 'Digits paging'));
    await paged.drain(5);
    expect(paged.has('notes', note.id)).toBe(true);
    expect([...paged.rows.values()].filter((r) => r.table === 'tiering_rules').length).toBeGreaterThan(0);
    expect(new Set(paged.rows.keys())).toEqual(new Set(full.rows.keys()));
  });

  it('T1 writes the lower version and stays open while T2 commits a higher one', async () => {
    const ids = await interleave(0, { lateXidFirst: true, lateWritesFirst: true, lateIsC1: true });
    for (const id of ids) expect(replica.has('notes', id)).toBe(true);
  });

  it('T1 writes the higher version and commits first, T2 with the lower one commits later', async () => {
    const ids = await interleave(1, { lateXidFirst: true, lateWritesFirst: true, lateIsC1: false });
    for (const id of ids) expect(replica.has('notes', id)).toBe(true);
  });

  it('holds over 20 interleavings in random order (transaction ids and versions in either order)', async () => {
    const all: string[] = [];
    for (let round = 0; round < 20; round++) {
      // Every combination at least once, then at random.
      const o =
        round < 8
          ? { lateXidFirst: !!(round & 1), lateWritesFirst: !!(round & 2), lateIsC1: !!(round & 4) }
          : { lateXidFirst: Math.random() < 0.5, lateWritesFirst: Math.random() < 0.5, lateIsC1: Math.random() < 0.5 };
      all.push(...(await interleave(round + 2, o)));
    }
    for (const id of all) expect(replica.has('notes', id), id).toBe(true);
    expect(all).toHaveLength(40);
  });
});

// ---- Field edits -------------------------------------------------------------------------------

describe('field edits are last-writer-wins per field', () => {
  it('keeps the later push, with the overwritten value on the timeline; edits to different fields both survive', async () => {
    const caseId = (await newCase('specialist', 'uid-lww')).id;
    const a = await registerDevice('specialist', 'Laptop A');
    const b = await registerDevice('specialist2', 'Laptop B');
    const offlineA = new Date(Date.now() - 120_000);
    const offlineB = new Date(Date.now() - 60_000);

    // Both edited the summary offline; B's edit reaches the server first, A's later: A's wins.
    const rb = await push(b, [mutation(1, 'updateCaseFields', { caseId, fields: { handler_summary: 'B: complainant misread the fill price.' } }, offlineB)]);
    const ra = await push(a, [mutation(1, 'updateCaseFields', { caseId, fields: { handler_summary: 'A: matching engine lag confirmed.' } }, offlineA)]);
    expect(rb.outcomes[0]!.status).toBe('applied');
    expect(ra.outcomes[0]!.status).toBe('applied');
    const timeline = await api.specialist.cases.timeline.query({ caseId });
    const edits = timeline.filter((e) => e.type === 'case.fields_updated');
    expect(edits.map((e) => [e.actorId, e.payload])).toEqual([
      [specialist2Id, { changes: [{ field: 'handler_summary', from: '', to: 'B: complainant misread the fill price.' }] }],
      [server.users.specialist.id, { changes: [{ field: 'handler_summary', from: 'B: complainant misread the fill price.', to: 'A: matching engine lag confirmed.' }] }],
    ]);

    // A edits the next action, B the summary: neither overwrites the other.
    await push(a, [mutation(2, 'updateCaseFields', { caseId, fields: { next_action: 'Ask the matching team for the 10:00 logs.' } })]);
    await push(b, [mutation(2, 'updateCaseFields', { caseId, fields: { handler_summary: 'B: lag confirmed by the matching team.' } })]);
    const reader = new Replica(await registerDevice('supervisor', 'Supervisor desk'));
    await reader.drain();
    expect(reader.get('cases', caseId)).toMatchObject({
      handler_summary: 'B: lag confirmed by the matching team.',
      next_action: 'Ask the matching team for the 10:00 logs.',
    });
    const last = (await api.specialist.cases.timeline.query({ caseId })).filter((e) => e.type === 'case.fields_updated').at(-1)!;
    expect(last.payload).toEqual({ changes: [{ field: 'handler_summary', from: 'A: matching engine lag confirmed.', to: 'B: lag confirmed by the matching team.' }] });
  });
});

// ---- Live --------------------------------------------------------------------------------------

interface SseEvent {
  id: string | null;
  event: string | null;
  data: string;
}

/** sync.changes over raw fetch (Node 20 has no EventSource): reads events with a bounded wait each. */
async function subscribe(url: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}/trpc/sync.changes`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let pending: ReturnType<typeof reader.read> | null = null;

  function takeEvent(): SseEvent | null {
    for (;;) {
      buffer = buffer.replace(/\r\n/g, '\n');
      const end = buffer.indexOf('\n\n');
      if (end < 0) return null;
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const e: SseEvent = { id: null, event: null, data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        const m = /^([a-z]+): ?(.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'id') e.id = m[2]!;
        else if (m[1] === 'event') e.event = m[2]!;
        else if (m[1] === 'data') {
          e.data += (hasData ? '\n' : '') + m[2]!;
          hasData = true;
        }
      }
      // Only the subscription's own messages (no named control events such as pings).
      if (hasData && e.event === null) return e;
    }
  }

  return {
    /** The next data event, or null when none came within `timeoutMs`. */
    async next(timeoutMs: number): Promise<SseEvent | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ready = takeEvent();
        if (ready) return ready;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        pending ??= reader.read();
        let timer: NodeJS.Timeout | undefined;
        const r = await Promise.race([pending, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left)))]);
        clearTimeout(timer);
        if (r === 'timeout') return null;
        pending = null;
        if (r.done) return null;
        buffer += decoder.decode(r.value, { stream: true });
      }
    },
    /** Reads whatever arrives until `quietMs` pass without an event (bounded by `maxMs`). */
    async settle(quietMs = 300, maxMs = 3000) {
      const until = Date.now() + maxMs;
      while (Date.now() < until && (await this.next(quietMs))) {
        /* drained one */
      }
    },
    close() {
      abort.abort();
      reader.cancel().catch(() => {});
    },
  };
}

describe('live: clients hear of changes over SSE and then pull', () => {
  it('sends an event at once, and another soon after someone else adds a note', async () => {
    const device = await registerDevice('specialist', 'Live laptop');
    const caseId = (await newCase('specialist', 'uid-live')).id;
    const stream = await subscribe(server.url, device.token);
    try {
      const first = await stream.next(5000);
      expect(first).not.toBeNull();
      expect(first!.id).not.toBeNull();
      expect(JSON.parse(first!.data)).toHaveProperty('at');
      await stream.settle();
      await api.supervisor.cases.addNote.mutate({ caseId, body: 'Supervisor looked at it.' });
      const woke = await stream.next(5000);
      expect(woke, 'no event within 5 s of a committed change').not.toBeNull();
      expect(woke!.id).not.toBe(first!.id);
    } finally {
      stream.close();
    }
  });

  it('wakes a subscriber on another server instance (Postgres LISTEN/NOTIFY)', async () => {
    const notifierB = new ChangeNotifier(server.t.url);
    await notifierB.start();
    const appB = await buildApp({ db: server.t.db, config: server.config, changes: notifierB });
    await appB.listen({ host: '127.0.0.1', port: 0 });
    const urlB = `http://127.0.0.1:${(appB.server.address() as AddressInfo).port}`;
    const device = await registerDevice('specialist', 'Laptop on instance B');
    const caseId = (await newCase('specialist', 'uid-live-b')).id;
    const stream = await subscribe(urlB, device.token);
    try {
      expect(await stream.next(5000)).not.toBeNull();
      await stream.settle();
      // The change goes through instance A (server.url); only Postgres links A to B.
      await api.specialist2.cases.addNote.mutate({ caseId, body: 'Written through instance A.' });
      expect(await stream.next(5000), 'instance B heard nothing within 5 s').not.toBeNull();
      // And B's clients then pull it through B.
      const replica = new Replica({ ...device, api: makeClient(urlB, device.token) });
      await replica.drain();
      expect([...replica.rows.values()].some((r) => r.table === 'notes' && r.row.body === 'Written through instance A.')).toBe(true);
    } finally {
      stream.close();
      await appB.close();
      await notifierB.stop();
    }
  });
});

// ---- Revocation --------------------------------------------------------------------------------

describe('revocation', () => {
  it("shuts a revoked device out with the reason, and leaves the user's other sessions alone", async () => {
    const caseId = (await newCase('specialist', 'uid-revoke')).id;
    const lost = await registerDevice('specialist', 'Laptop left in a taxi');
    const kept = await registerDevice('specialist', 'Office desktop');
    await push(lost, [mutation(1, 'addNote', { id: randomUUID(), caseId, body: 'Before it was lost.' })]);

    expect(await refusal(api.specialist.sync.revokeDevice.mutate({ deviceId: lost.id, reason: 'x' }))).toMatchObject({ code: 'FORBIDDEN' });
    await api.supervisor.sync.revokeDevice.mutate({ deviceId: lost.id, reason: 'Reported lost' });

    const pulled = await refusal(lost.api.sync.pull.query({ deviceId: lost.id, cursor: null, scope: null }));
    expect(pulled).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, messageKey: 'sync.device_revoked', params: { reason: 'Reported lost' } });
    const pushed = await refusal(push(lost, [mutation(2, 'addNote', { id: randomUUID(), caseId, body: 'After it was lost.' })]));
    expect(pushed).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'sync.device_revoked', params: { reason: 'Reported lost' } });
    expect(await deviceSeq(lost.id)).toBe(1);
    expect(await count('notes', (q) => q.where('case_id', '=', caseId))).toBe(1);

    // The user's browser session and their other device still work.
    expect((await api.specialist.cases.list.query({})).cases.some((c) => c.id === caseId)).toBe(true);
    const other = await kept.api.sync.pull.query({ deviceId: kept.id, cursor: null, scope: null });
    expect(other.changes.length).toBeGreaterThan(0);
    expect((await push(kept, [mutation(1, 'addNote', { id: randomUUID(), caseId, body: 'From the office.' })])).outcomes[0]!.status).toBe('applied');

    const listed = await api.supervisor.sync.listDevices.query({ userId: server.users.specialist.id });
    expect(listed.find((d) => d.id === lost.id)).toMatchObject({ name: 'Laptop left in a taxi', revokedReason: 'Reported lost', revokedAt: expect.any(String) });
    expect(listed.find((d) => d.id === kept.id)).toMatchObject({ revokedAt: null });
    const mine = await api.specialist.sync.myDevices.query();
    expect(mine.find((d) => d.id === lost.id)!.revokedAt).not.toBeNull();
    expect(await count('audit_log', (q) => q.where('action', '=', 'device.revoked').where('entity_id', '=', lost.id))).toBe(1);
  });
});
