// The workstation's sync engine against a real server (Fastify on 127.0.0.1 over a fresh real
// Postgres database) and a real local store (PGlite in a temp directory): a registered device
// works offline and sees its work at once, syncs it in order when the server answers, gets the
// server's refusals back with their reasons, loses the cases reassigned away from its user, wipes
// itself when revoked, refuses a second instance on its data directory, and rebuilds a damaged
// local database from the server without losing anything it acknowledged — nor the refusals its
// user has not dismissed yet.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { registerSpecialistDevice, syncCaughtUp as syncedUp, type Network } from '../support/workstation';
import { complaint } from '../server/evidence/support';
import { SyncEngine, TransportRefusal } from '../../desktop/main/sync-engine';
import { DataDirInUseError } from '../../desktop/main/lock';
import { LOCAL_PENDING_EVENT } from '../../desktop/main/store/optimistic';
import { localStoreDir } from '../../desktop/main/store/local-db';
import { getMeta, setMeta } from '../../desktop/main/store/meta';
import { journalPath } from '../../desktop/main/journal';
import { seedDataDir, storeDifferences } from './sync-harness';

type Client = ReturnType<TestServer['client']>;

let server: TestServer;
let specialist: Client;
let supervisor: Client;
let root: string;
const db = () => server.t.db;

/** First login on a workstation: sign in as a device, register it, keep its own credential. */
const registerDevice = (name: string) => registerSpecialistDevice(server, name);

async function openEngine(dataDir: string, device: { deviceId: string; network: Network }): Promise<SyncEngine> {
  return SyncEngine.open({ dataDir, identity: { deviceId: device.deviceId, userId: server.users.specialist.id, role: 'specialist' }, transport: device.network });
}

/** A case of the specialist's team, taken in through the API. */
async function newCase(uid: string): Promise<string> {
  const c = await specialist.cases.create.mutate(complaint(uid) as Parameters<Client['cases']['create']['mutate']>[0]);
  return c.id;
}

/** engine.sync(), then pulls until the cursor passes every transaction begun by then (other test files share this Postgres). */
const syncCaughtUp = (engine: SyncEngine) => syncedUp(engine, db());

/** What a failing disk does to the local database (PGlite's directory): a file gone … */
const deleteControlFile = (pglite: string) => fs.rmSync(path.join(pglite, 'global', 'pg_control'));
/** … or the data files overwritten with garbage. */
const corruptFiles = (pglite: string) => {
  for (const dir of fs.readdirSync(path.join(pglite, 'base')))
    for (const file of fs.readdirSync(path.join(pglite, 'base', dir))) {
      const f = path.join(pglite, 'base', dir, file);
      const size = fs.statSync(f).size;
      if (size > 0) fs.writeFileSync(f, Buffer.alloc(size, 0x5a));
    }
};

const me = () => ({ name: 'workstation', userId: server.users.specialist.id, role: 'specialist' as const, teamIds: [server.teamId] });
const localCase = (engine: SyncEngine, id: string) => engine.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
const localEvents = (engine: SyncEngine, caseId: string) => engine.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('at').execute();

beforeAll(async () => {
  server = await startTestServer();
  specialist = server.client(await server.login('specialist'));
  supervisor = server.client(await server.login('supervisor'));
  // The supervisor also leads the other team, so it can hand a case over to it.
  await db().insertInto('team_members').values({ team_id: server.otherTeamId, user_id: server.users.supervisor.id }).execute();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-engine-'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('a registered workstation, offline and online', () => {
  let device: Awaited<ReturnType<typeof registerDevice>>;
  let dataDir: string;
  let engine: SyncEngine;
  let caseId: string;
  const noteId = randomUUID();

  beforeAll(async () => {
    device = await registerDevice('ThinkPad X1');
    dataDir = path.join(root, 'main');
    await seedDataDir(dataDir);
    engine = await openEngine(dataDir, device);
    caseId = await newCase('uid-engine-1');
    await syncCaughtUp(engine);
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('shows offline work at once and keeps it pending, in order, until the server answers', async () => {
    expect((await localCase(engine, caseId))?.status).toBe('received');
    device.network.online = false;

    const note = await engine.mutate('addNote', { id: noteId, caseId, body: '已联系用户，等待交易记录 / called the complainant' });
    const edit = await engine.mutate('updateCaseFields', { caseId, fields: { next_action: 'Ask for the order id', handler_summary: 'Slippage on a market order' } });
    const step = await engine.mutate('transition', { caseId, action: 'start_review', expectedStatus: 'received' });
    expect([note.seq, edit.seq, step.seq]).toEqual([note.seq, note.seq + 1, note.seq + 2]);

    // The store shows all of it at once, marked as the device's unconfirmed work.
    const n = await engine.db.selectFrom('notes').selectAll().where('id', '=', noteId).executeTakeFirstOrThrow();
    expect(n).toMatchObject({ case_id: caseId, author_id: server.users.specialist.id, pending_seq: note.seq });
    const c = await localCase(engine, caseId);
    expect(c).toMatchObject({ status: 'initial_review', next_action: 'Ask for the order id', handler_summary: 'Slippage on a market order', pending_seq: step.seq });
    expect((await localEvents(engine, caseId)).filter((e) => e.type === LOCAL_PENDING_EVENT)).toHaveLength(3);
    expect((await engine.pendingMutations()).map((m) => [m.seq, m.name])).toEqual([
      [note.seq, 'addNote'],
      [edit.seq, 'updateCaseFields'],
      [step.seq, 'transition'],
    ]);

    // Offline, a sync fails and loses nothing; the server has seen none of it.
    await expect(engine.sync()).rejects.toThrow('offline');
    expect(await engine.pendingMutations()).toHaveLength(3);
    expect(await db().selectFrom('notes').select('id').where('id', '=', noteId).executeTakeFirst()).toBeUndefined();
  });

  it('pushes the queue in order when online, and the server’s rows replace the optimistic ones under the same ids', async () => {
    device.network.online = true;
    const r = await syncCaughtUp(engine);
    expect(r.pushed).toEqual({ applied: 3, rejected: 0 });
    expect(await engine.pendingMutations()).toEqual([]);

    // Applied in sequence order on the server, each once.
    const recorded = await db().selectFrom('device_mutations').select(['seq', 'name', 'status']).where('device_id', '=', device.deviceId).orderBy('seq').execute();
    expect(recorded.map((m) => [Number(m.seq), m.name, m.status])).toEqual([
      [1, 'addNote', 'applied'],
      [2, 'updateCaseFields', 'applied'],
      [3, 'transition', 'applied'],
    ]);
    const serverEvents = await db().selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('at').orderBy('version').execute();
    expect(serverEvents.map((e) => e.type)).toEqual(['case.received', 'note.added', 'case.fields_updated', 'case.transition']);

    // The note is the server's now (same id, the server's timestamp, no longer pending) …
    const serverNote = await db().selectFrom('notes').selectAll().where('id', '=', noteId).executeTakeFirstOrThrow();
    const localNote = await engine.db.selectFrom('notes').selectAll().where('id', '=', noteId).executeTakeFirstOrThrow();
    expect(localNote.pending_seq).toBeNull();
    expect(localNote.created_at?.toISOString()).toBe(serverNote.created_at.toISOString());
    // … the unconfirmed steps left the timeline, replaced by the server's events …
    const events = await localEvents(engine, caseId);
    expect(events.map((e) => e.type)).toEqual(['case.received', 'note.added', 'case.fields_updated', 'case.transition']);
    // … and the store holds exactly the server's rows of the case.
    expect(await localCase(engine, caseId)).toMatchObject({ status: 'initial_review', next_action: 'Ask for the order id', pending_seq: null });
    expect(await storeDifferences(db(), engine, me(), [caseId])).toEqual([]);
  });

  it('gets a refused mutation back with its reason, shows the server’s state, and lets the user dismiss it', async () => {
    device.network.online = false;
    const stale = await engine.mutate('transition', { caseId, action: 'reject', expectedStatus: 'initial_review', reason: 'Clearly unfounded' });
    expect((await localCase(engine, caseId))?.status).toBe('rejected');

    // Meanwhile someone else moved the case on the server.
    await supervisor.cases.transition.mutate({ caseId, action: 'request_material', expectedStatus: 'initial_review', reason: 'Need the order id' });
    device.network.online = true;
    const r = await syncCaughtUp(engine);
    expect(r.pushed).toEqual({ applied: 0, rejected: 1 });

    const rejections = await engine.rejections();
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({
      seq: stale.seq,
      name: 'transition',
      messageKey: 'error.case_moved',
      field: 'expectedStatus',
      params: { status: 'awaiting_material' },
      args: { caseId, action: 'reject', expectedStatus: 'initial_review' },
    });
    // The store reflects the server, not the refused step.
    expect(await localCase(engine, caseId)).toMatchObject({ status: 'awaiting_material', pending_seq: null });
    expect((await localEvents(engine, caseId)).some((e) => e.type === LOCAL_PENDING_EVENT)).toBe(false);
    expect(await storeDifferences(db(), engine, me(), [caseId])).toEqual([]);
    // The server recorded the refusal with its reason, and the queue moved on.
    const row = await db().selectFrom('device_mutations').selectAll().where('device_id', '=', device.deviceId).where('seq', '=', String(stale.seq)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'rejected', reason: { messageKey: 'error.case_moved' } });
    const next = await engine.mutate('addNote', { id: randomUUID(), caseId, body: 'Asked the complainant for the order id' });
    expect((await syncCaughtUp(engine)).pushed).toEqual({ applied: 1, rejected: 0 });
    expect(next.seq).toBe(stale.seq + 1);

    await engine.dismissRejection(stale.seq);
    expect(await engine.rejections()).toEqual([]);
    expect((await engine.rejections({ includeDismissed: true })).map((x) => x.seq)).toEqual([stale.seq]);
  });

  it('keeps showing confirmed work while an older server transaction holds the pulls back, until its rows arrive', async () => {
    // A long job on the server (a report, an import) holds a transaction open: pulls cannot pass it.
    let end!: () => void;
    const released = new Promise<void>((resolve) => (end = resolve));
    let began!: () => void;
    const started = new Promise<void>((resolve) => (began = resolve));
    const job = db()
      .transaction()
      .execute(async (trx) => {
        await sql`select pg_current_xact_id()`.execute(trx);
        began();
        await released;
      });
    try {
      await started;
      const id = randomUUID();
      const { seq } = await engine.mutate('addNote', { id, caseId, body: 'Confirmed while the server was busy' });
      const r = await engine.sync();
      expect(r.pushed).toEqual({ applied: 1, rejected: 0 });
      expect(await db().selectFrom('notes').select('id').where('id', '=', id).executeTakeFirst()).toEqual({ id });
      // The pull could not bring the server's row yet: the preview stays (not pushed again).
      expect(await engine.db.selectFrom('notes').select(['id', 'pending_seq']).where('id', '=', id).executeTakeFirst()).toEqual({ id, pending_seq: seq });
      expect(await engine.pendingMutations()).toEqual([]);
      await engine.pull();
      expect(await engine.db.selectFrom('notes').select(['id', 'pending_seq']).where('id', '=', id).executeTakeFirst()).toEqual({ id, pending_seq: seq });

      end();
      await job;
      await syncCaughtUp(engine);
      expect(await engine.db.selectFrom('notes').select(['id', 'pending_seq']).where('id', '=', id).executeTakeFirst()).toEqual({ id, pending_seq: null });
      expect((await localEvents(engine, caseId)).some((e) => e.type === LOCAL_PENDING_EVENT)).toBe(false);
      expect(await storeDifferences(db(), engine, me(), [caseId])).toEqual([]);
    } finally {
      end();
      await job;
    }
  });

  it('refuses a second instance on the same data directory while the first one is open', async () => {
    const second = openEngine(dataDir, device);
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(`Arbitra is already open with this data folder (process ${process.pid})`);
    await expect(second).rejects.toMatchObject({ messageKey: 'desktop.data_dir_in_use', pid: process.pid, dataDir: path.resolve(dataDir) });
    // The first one is untouched and keeps working.
    expect((await engine.sync()).pushed).toEqual({ applied: 0, rejected: 0 });
    expect((await localCase(engine, caseId))?.status).toBe('awaiting_material');
  });

  it('drops a case reassigned away from its user on the next pull', async () => {
    const other = await newCase('uid-engine-2');
    await engine.mutate('addNote', { id: randomUUID(), caseId: other, body: 'First look' });
    await syncCaughtUp(engine);
    expect(await localCase(engine, other)).toBeDefined();

    // Handed over to the security team, and to legal there: no longer the specialist's.
    await supervisor.cases.assign.mutate({ caseId: other, assigneeId: server.users.legal.id, teamId: server.otherTeamId });
    const r = await syncCaughtUp(engine);
    expect(r.pulled.dropped).toBeGreaterThanOrEqual(1);
    expect(await localCase(engine, other)).toBeUndefined();
    for (const table of ['notes', 'case_events', 'case_amounts'] as const)
      expect(await engine.db.selectFrom(table).select('id').where('case_id', '=', other).execute(), table).toEqual([]);
    expect(await storeDifferences(db(), engine, me(), [caseId, other])).toEqual([]);
  });

  it.each([
    ['deleted', deleteControlFile],
    ['corrupted', corruptFiles],
  ])('rebuilds a local database whose files were %s from the server, and replays the unsynced mutations', async (_how, damage) => {
    device.network.online = false;
    const unsyncedNote = randomUUID();
    const a = await engine.mutate('addNote', { id: unsyncedNote, caseId, body: `Written offline before the disk went bad (${_how})` });
    const b = await engine.mutate('updateCaseFields', { caseId, fields: { next_action: `Chase the exchange (${_how})` } });
    await setMeta(engine.db, 'test.marker', _how);
    await engine.close();
    damage(localStoreDir(dataDir));

    device.network.online = true;
    engine = await openEngine(dataDir, device);
    expect(await getMeta(engine.db, 'test.marker')).toBeNull(); // a new database …
    // … rebuilt from the server, with the acknowledged but unsynced work on top, still pending.
    expect((await engine.pendingMutations()).map((m) => m.seq)).toEqual([a.seq, b.seq]);
    expect(await engine.db.selectFrom('notes').select(['id', 'pending_seq']).where('id', '=', unsyncedNote).executeTakeFirst()).toEqual({ id: unsyncedNote, pending_seq: a.seq });
    expect(await localCase(engine, caseId)).toMatchObject({ status: 'awaiting_material', next_action: `Chase the exchange (${_how})` });
    expect(await engine.db.selectFrom('notes').select('id').where('id', '=', noteId).executeTakeFirst()).toEqual({ id: noteId });

    expect((await syncCaughtUp(engine)).pushed).toEqual({ applied: 2, rejected: 0 });
    expect(await db().selectFrom('notes').select('id').where('id', '=', unsyncedNote).execute()).toHaveLength(1);
    const seqs = await db().selectFrom('device_mutations').select('seq').where('device_id', '=', device.deviceId).orderBy('seq').execute();
    expect(seqs.map((s) => Number(s.seq))).toEqual(Array.from({ length: b.seq }, (_, i) => i + 1));
    expect(await storeDifferences(db(), engine, me(), [caseId])).toEqual([]);
  }, 60_000);
});

describe('a workstation whose local database is rebuilt', () => {
  it('still shows the refusals the user has not dismissed, with their reasons, and never brings back a dismissed one', async () => {
    const device = await registerDevice('Workstation with a failing disk');
    const dataDir = path.join(root, 'rebuilt-rejections');
    await seedDataDir(dataDir);
    let engine = await openEngine(dataDir, device);
    /** Closes the engine, damages its local database, and opens the data directory again. */
    const reopenDamaged = async (damage: (pglite: string) => void, online: boolean) => {
      await setMeta(engine.db, 'test.marker', 'before the damage');
      await engine.close();
      damage(localStoreDir(dataDir));
      device.network.online = online;
      engine = await openEngine(dataDir, device);
      expect(await getMeta(engine.db, 'test.marker')).toBeNull(); // a new database
    };
    try {
      const caseId = await newCase('uid-engine-4');
      await syncCaughtUp(engine);

      // Offline, the specialist reviews and then rejects the case, while a supervisor already
      // asked the complainant for material on the server.
      device.network.online = false;
      const review = await engine.mutate('transition', { caseId, action: 'start_review', expectedStatus: 'received' });
      const reject = await engine.mutate('transition', { caseId, action: 'reject', expectedStatus: 'initial_review', reason: 'Duplicate of an earlier case' });
      const note = await engine.mutate('addNote', { id: randomUUID(), caseId, body: 'Checked the deposit address' });
      await supervisor.cases.transition.mutate({ caseId, action: 'start_review', expectedStatus: 'received' });
      await supervisor.cases.transition.mutate({ caseId, action: 'request_material', expectedStatus: 'initial_review', reason: 'Need the TXID' });
      device.network.online = true;
      expect((await syncCaughtUp(engine)).pushed).toEqual({ applied: 1, rejected: 2 });
      const refused = await engine.rejections();
      expect(refused.map((r) => [r.seq, r.messageKey, r.field, r.params])).toEqual([
        [review.seq, 'error.case_moved', 'expectedStatus', { status: 'awaiting_material' }],
        [reject.seq, 'error.case_moved', 'expectedStatus', { status: 'awaiting_material' }],
      ]);

      // The disk goes bad: the database is rebuilt from the server, and the refusals are still there, as they were.
      await reopenDamaged(corruptFiles, true);
      expect(await engine.rejections()).toEqual(refused);
      expect(await engine.pendingMutations()).toEqual([]);
      expect(await localCase(engine, caseId)).toMatchObject({ status: 'awaiting_material', pending_seq: null });
      expect(await storeDifferences(db(), engine, me(), [caseId])).toEqual([]);

      // The user dismisses one; the database is lost again, offline this time: it stays dismissed.
      await engine.dismissRejection(review.seq);
      expect(await engine.rejections()).toEqual([refused[1]]);
      await reopenDamaged(deleteControlFile, false);
      expect(await engine.rejections()).toEqual([refused[1]]);

      // The journal is compacted (it does so when it grows large), and the database is lost once more.
      (engine as unknown as { journal: { compact(): void } }).journal.compact();
      await reopenDamaged(corruptFiles, true);
      expect(await engine.rejections()).toEqual([refused[1]]);

      // Dismissed too, the last one is gone; nothing was pushed again along the way.
      await engine.dismissRejection(reject.seq);
      expect(await engine.rejections()).toEqual([]);
      expect((await syncCaughtUp(engine)).pushed).toEqual({ applied: 0, rejected: 0 });
      const recorded = await db().selectFrom('device_mutations').select(['seq', 'status']).where('device_id', '=', device.deviceId).orderBy('seq').execute();
      expect(recorded.map((m) => [Number(m.seq), m.status])).toEqual([
        [review.seq, 'rejected'],
        [reject.seq, 'rejected'],
        [note.seq, 'applied'],
      ]);
    } finally {
      await engine.close().catch(() => undefined);
    }
  }, 180_000);
});

describe('a revoked workstation', () => {
  it('erases its local data at its next contact and says why', async () => {
    const device = await registerDevice('Lost laptop');
    const dataDir = path.join(root, 'revoked');
    await seedDataDir(dataDir);
    const engine = await openEngine(dataDir, device);
    try {
      const caseId = await newCase('uid-engine-3');
      await engine.mutate('addNote', { id: randomUUID(), caseId, body: 'Confidential findings' });
      await syncCaughtUp(engine);
      fs.mkdirSync(path.join(dataDir, 'evidence'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'evidence', 'exhibit-1.bin'), 'cached evidence');
      device.network.online = false;
      await engine.mutate('addNote', { id: randomUUID(), caseId, body: 'Written after the laptop went missing' });

      await supervisor.sync.revokeDevice.mutate({ deviceId: device.deviceId, reason: 'Reported stolen' });
      device.network.online = true;
      const refused = engine.sync();
      await expect(refused).rejects.toBeInstanceOf(TransportRefusal);
      await expect(refused).rejects.toMatchObject({ messageKey: 'sync.device_revoked', params: { reason: 'Reported stolen' } });

      expect(engine.status).toBe('revoked');
      expect(fs.existsSync(localStoreDir(dataDir))).toBe(false);
      expect(fs.existsSync(journalPath(dataDir))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'evidence'))).toBe(false);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'revoked.json'), 'utf8'))).toMatchObject({ reason: 'Reported stolen' });
      // Nothing more goes through it, and the server never saw the note written after the revocation.
      await expect(engine.mutate('addNote', { id: randomUUID(), caseId, body: 'x' })).rejects.toMatchObject({ messageKey: 'sync.device_revoked' });
      expect(await db().selectFrom('device_mutations').select('seq').where('device_id', '=', device.deviceId).execute()).toHaveLength(1);
    } finally {
      await engine.close();
    }
    // Closed, the directory is free again (for a new registration).
    expect(fs.existsSync(path.join(dataDir, 'arbitra.lock'))).toBe(false);
  }, 60_000);
});
