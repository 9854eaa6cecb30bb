// A pull page lands in the local store all at once, or not at all: rows, tombstones, cases the
// user may no longer see, a scope reset, and the cursor that says where to continue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { applyPull } from '../../desktop/main/store/apply-changes';
import { applyLocalMutation } from '../../desktop/main/store/optimistic';
import { getMeta } from '../../desktop/main/store/meta';
import { ids, openTestStore, pullPage, serverCase, serverRow, truncateAll, type TestStore } from './support';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store?.dispose());
beforeEach(async () => truncateAll(store.db));

const note = (id: string, caseId: string, body: string) => serverRow({ id, case_id: caseId, author_id: ids.user, body, created_at: '2026-11-20T09:00:00.000Z' });
const N1 = '00000000-0000-4000-8000-00000000a001';
const N2 = '00000000-0000-4000-8000-00000000a002';
const R1 = '00000000-0000-4000-8000-00000000b001';

describe('applyPull', () => {
  it('inserts rows, then replaces them with later versions, keeping exact numbers, times and JSON', async () => {
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA) }, { table: 'notes', row: note(N1, ids.caseA, '初稿') }]));
    const out = await applyPull(
      store.db,
      pullPage(
        [
          { table: 'cases', row: serverCase(ids.caseA, { status: 'initial_review', usd_equivalent: '98765432109876543210.123456789012345678' }) },
          { table: 'notes', row: note(N1, ids.caseA, '定稿') },
          {
            table: 'exhibit_records',
            row: serverRow({ id: R1, exhibit_id: N2, case_id: ids.caseA, seq: 1, kind: 'chat', occurred_at: new Date('2026-11-19T23:00:00Z'), data: { text: '{"looks":"like json"}', n: 1 } }),
          },
          { table: 'case_events', row: serverRow({ id: N2, case_id: ids.caseA, type: 'case.received', actor_id: null, at: '2026-11-20T08:00:00Z', payload: 'just a string' }) },
        ],
        { cursor: '200:5' },
      ),
    );
    expect(out).toMatchObject({ upserted: 4, deleted: 0, ignoredChanges: 0 });
    const c = await store.db.selectFrom('cases').selectAll().where('id', '=', ids.caseA).executeTakeFirstOrThrow();
    expect(c.status).toBe('initial_review');
    expect(c.usd_equivalent).toBe('98765432109876543210.123456789012345678');
    expect(c.received_at).toEqual(new Date('2026-11-20T08:00:00.000Z'));
    expect(c.version).toMatch(/^\d+$/);
    expect(c.xact_id).toBe('7771');
    expect(c.pending_seq).toBeNull();
    expect((await store.db.selectFrom('notes').select('body').executeTakeFirstOrThrow()).body).toBe('定稿');
    const rec = await store.db.selectFrom('exhibit_records').selectAll().executeTakeFirstOrThrow();
    expect(rec.data).toEqual({ text: '{"looks":"like json"}', n: 1 });
    const ev = await store.db.selectFrom('case_events').select('payload').executeTakeFirstOrThrow();
    expect(ev.payload).toBe('just a string');
  });

  it('ignores columns and tables it does not know (a newer server)', async () => {
    const out = await applyPull(
      store.db,
      pullPage([
        { table: 'cases', row: { ...serverCase(ids.caseA), some_future_column: 'x' } },
        { table: 'transparency_reports', row: { id: N1, case_id: ids.caseA } },
        { table: 'users', row: serverRow({ id: ids.user, display_name: '王芳', role: 'specialist', language: 'zh-CN', disabled_at: null, created_at: '2026-01-01T00:00:00Z', email: 'leak@example.com' }) },
      ]),
    );
    expect(out.upserted).toBe(2);
    expect(out.ignoredChanges).toBe(1);
    expect(await store.db.selectFrom('cases').select('id').execute()).toHaveLength(1);
    expect((await store.db.selectFrom('users').select('display_name').executeTakeFirstOrThrow()).display_name).toBe('王芳');
  });

  it('deletes rows on tombstones: a null row, a row with deleted_at, composite keys', async () => {
    await applyPull(
      store.db,
      pullPage([
        { table: 'notes', row: note(N1, ids.caseA, 'a') },
        { table: 'notes', row: note(N2, ids.caseA, 'b') },
        { table: 'sla_policies', key: 'L2|high', row: serverRow({ tier: 'L2', priority: 'high', first_response_minutes: 30, resolution_minutes: 720, updated_by: null, updated_at: '2026-01-01T00:00:00Z' }) },
        { table: 'sla_policies', key: 'L2|low', row: serverRow({ tier: 'L2', priority: 'low', first_response_minutes: 120, resolution_minutes: 4320, updated_by: null, updated_at: '2026-01-01T00:00:00Z' }) },
        { table: 'asset_rates', key: 'BTC|2026-11-01T00:00:00.000Z', row: { asset: 'BTC', effective_at: '2026-11-01T00:00:00.000Z', usd_rate: '65000.5', version: '1', xact_id: '1', deleted_at: null } },
        { table: 'asset_rates', key: 'BTC|2026-11-02T00:00:00.000Z', row: { asset: 'BTC', effective_at: '2026-11-02T00:00:00.000Z', usd_rate: '66000', version: '2', xact_id: '1', deleted_at: null } },
      ]),
    );
    const out = await applyPull(
      store.db,
      pullPage([
        { table: 'notes', key: N1, row: null },
        { table: 'notes', row: { ...note(N2, ids.caseA, 'b'), deleted_at: '2026-11-21T00:00:00Z' } },
        { table: 'sla_policies', key: 'L2|high', row: null },
        { table: 'asset_rates', key: 'BTC|2026-11-01T00:00:00.000Z', row: null },
      ]),
    );
    expect(out.deleted).toBe(4);
    expect(await store.db.selectFrom('notes').select('id').execute()).toEqual([]);
    expect((await store.db.selectFrom('sla_policies').select('priority').execute()).map((r) => r.priority)).toEqual(['low']);
    const rates = await store.db.selectFrom('asset_rates').select(['effective_at', 'usd_rate']).execute();
    expect(rates).toEqual([{ effective_at: new Date('2026-11-02T00:00:00.000Z'), usd_rate: '66000.000000000000000000' }]);
  });

  it('applies the last change of a row when a page holds several', async () => {
    await applyPull(store.db, pullPage([{ table: 'notes', row: note(N1, ids.caseA, 'v1') }, { table: 'notes', key: N1, row: null }, { table: 'notes', row: note(N2, ids.caseA, 'v1') }, { table: 'notes', row: note(N2, ids.caseA, 'v2') }]));
    expect(await store.db.selectFrom('notes').select(['id', 'body']).execute()).toEqual([{ id: N2, body: 'v2' }]);
  });

  it('drops every row of the cases the user may no longer see, and only those', async () => {
    await applyPull(
      store.db,
      pullPage([
        { table: 'cases', row: serverCase(ids.caseA) },
        { table: 'cases', row: serverCase(ids.caseB) },
        { table: 'notes', row: note(N1, ids.caseA, 'A') },
        { table: 'notes', row: note(N2, ids.caseB, 'B') },
        { table: 'exhibit_records', row: serverRow({ id: R1, exhibit_id: N1, case_id: ids.caseA, seq: 1, kind: 'chat', data: { text: 'x' } }) },
        { table: 'complainants', row: serverRow({ id: ids.complainant, exchange_uid: 'U1', vip_level: 1, region: null, language: 'en', created_at: '2026-01-01T00:00:00Z' }) },
      ]),
    );
    await applyLocalMutation(store.db, 'addNote', { caseId: ids.caseA, id: '00000000-0000-4000-8000-00000000a0ff', body: 'offline' }, { seq: 1, userId: ids.user, now: new Date() });
    const out = await applyPull(store.db, pullPage([], { dropCaseIds: [ids.caseA] }));
    expect(out.droppedCases).toBe(1);
    expect((await store.db.selectFrom('cases').select('id').execute()).map((r) => r.id)).toEqual([ids.caseB]);
    expect((await store.db.selectFrom('notes').select('case_id').execute()).map((r) => r.case_id)).toEqual([ids.caseB]);
    expect(await store.db.selectFrom('exhibit_records').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('case_events').select('id').where('case_id', '=', ids.caseA).execute()).toEqual([]);
    expect(await store.db.selectFrom('optimistic_base').select('key').execute()).toEqual([]);
    // Reference data is not case data.
    expect(await store.db.selectFrom('complainants').select('id').execute()).toHaveLength(1);
  });

  it('on a scope reset, empties every synced table before applying the page', async () => {
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA) }, { table: 'notes', row: note(N1, ids.caseA, 'old scope') }], { scope: 'team-a' }));
    await store.db.insertInto('outbox').values({ seq: 1, name: 'addNote', args: JSON.stringify({}), created_at: new Date() }).execute();
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseB) }], { reset: true, scope: 'team-b', cursor: '9:9' }));
    expect((await store.db.selectFrom('cases').select('id').execute()).map((r) => r.id)).toEqual([ids.caseB]);
    expect(await store.db.selectFrom('notes').select('id').execute()).toEqual([]);
    // Unsynced work is not the server's to reset.
    expect(await store.db.selectFrom('outbox').select('seq').execute()).toEqual([{ seq: 1 }]);
    expect(await getMeta(store.db, 'scope')).toBe('team-b');
    expect(await getMeta(store.db, 'cursor')).toBe('9:9');
  });

  it('saves the cursor, scope and sync time with the rows', async () => {
    const now = new Date('2026-11-21T12:00:00.000Z');
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA) }], { cursor: '123:456', scope: 'abc' }), { now });
    expect(await getMeta(store.db, 'cursor')).toBe('123:456');
    expect(await getMeta(store.db, 'scope')).toBe('abc');
    expect(await getMeta(store.db, 'lastSyncAt')).toBe(now.toISOString());
  });

  it('rolls everything back, cursor included, when one change cannot be applied', async () => {
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA) }], { cursor: '1:1' }));
    const page = pullPage(
      [
        { table: 'cases', row: serverCase(ids.caseA, { status: 'investigation' }) },
        { table: 'notes', row: note(N1, ids.caseA, 'would be lost') },
        { table: 'case_amounts', row: serverRow({ id: N2, case_id: ids.caseA, asset: 'BTC', amount: 'not-a-number', usd_rate: null, usd_value: null }) },
      ],
      { cursor: '2:2', dropCaseIds: [ids.caseB] },
    );
    await expect(applyPull(store.db, page)).rejects.toThrow(/numeric/);
    expect((await store.db.selectFrom('cases').select('status').executeTakeFirstOrThrow()).status).toBe('received');
    expect(await store.db.selectFrom('notes').select('id').execute()).toEqual([]);
    expect(await getMeta(store.db, 'cursor')).toBe('1:1');
  });

  it('lets the server’s row replace an optimistic one', async () => {
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA, { status: 'investigation' }) }]));
    await applyLocalMutation(store.db, 'addNote', { caseId: ids.caseA, id: N1, body: 'typed offline' }, { seq: 7, userId: ids.user, now: new Date() });
    await applyLocalMutation(store.db, 'updateCaseFields', { caseId: ids.caseA, fields: { handler_summary: 'local' } }, { seq: 8, userId: ids.user, now: new Date() });
    expect((await store.db.selectFrom('notes').select('pending_seq').executeTakeFirstOrThrow()).pending_seq).toBe(7);

    await applyPull(store.db, pullPage([{ table: 'notes', row: note(N1, ids.caseA, 'typed offline') }, { table: 'cases', row: serverCase(ids.caseA, { status: 'investigation', handler_summary: 'server' }) }]));
    const n = await store.db.selectFrom('notes').selectAll().executeTakeFirstOrThrow();
    expect(n.pending_seq).toBeNull();
    const c = await store.db.selectFrom('cases').select(['handler_summary', 'pending_seq']).executeTakeFirstOrThrow();
    expect(c).toEqual({ handler_summary: 'server', pending_seq: null });
    const bases = await sql<{ tbl: string }>`select tbl from optimistic_base order by tbl`.execute(store.db);
    // Only the local timeline steps are still optimistic.
    expect(bases.rows.map((r) => r.tbl)).toEqual(['case_events', 'case_events']);
  });

  it('applies a large page in one go', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ table: 'notes', row: note(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, ids.caseA, `n${i}`) }));
    const out = await applyPull(store.db, pullPage(rows));
    expect(out.upserted).toBe(3000);
    const count = await sql<{ n: number }>`select count(*)::int as n from notes`.execute(store.db);
    expect(count.rows[0]!.n).toBe(3000);
  });
});
