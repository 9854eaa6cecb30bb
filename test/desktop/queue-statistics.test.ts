// The queue analyzes `cases` itself (PGlite has no autovacuum): after a sync brings many cases the
// planner has statistics, so a filtered page sorted by SLA reads the (sla_due, id) index until the
// page is full instead of sorting every match.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { refreshStatisticsIfStale } from '../../desktop/main/workstation/queue';
import * as repo from '../../desktop/main/workstation/queue.repository';
import { openTestStore, type TestStore } from './support';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store?.dispose());

const addCases = (from: number, n: number) =>
  sql`insert into cases (id, case_number, language, status, description, first_response_due_at, resolution_due_at)
      select md5('stat-case-' || i)::uuid, 'CMP-' || lpad(i::text, 6, '0'), case when i % 3 = 0 then 'zh-CN' else 'en' end, 'investigation',
             repeat('提现一直未到账 withdrawal stuck ', 12) || i, now() + (i || ' minutes')::interval, now() + (i || ' hours')::interval
        from generate_series(${from}::int, ${from + n - 1}::int) i`.execute(store.db);

it('analyzes cases once they fill pages without statistics, then again only when the table has doubled', async () => {
  const t0 = Date.now();
  // A handful of cases: not worth an ANALYZE.
  await addCases(1, 20);
  expect(await refreshStatisticsIfStale(store.db, t0)).toBe(false);
  await addCases(21, 3_000);
  // Checked at most every 10 s.
  expect(await refreshStatisticsIfStale(store.db, t0 + 1_000)).toBe(false);
  expect((await repo.casesTableSize(store.db)).analyzed).toBe(false);
  expect(await refreshStatisticsIfStale(store.db, t0 + 11_000)).toBe(true);
  const after = await repo.casesTableSize(store.db);
  expect(after.analyzed).toBe(true);
  expect(after.analyzedPages).toBe(after.pages);
  // A few more: not doubled, no new ANALYZE.
  await addCases(3_021, 300);
  expect(await refreshStatisticsIfStale(store.db, t0 + 22_000)).toBe(false);
  // Doubled: analyzed again.
  await addCases(3_321, 4_000);
  expect(await refreshStatisticsIfStale(store.db, t0 + 33_000)).toBe(true);

  // With statistics, a language filter sorted by SLA is the ordered index read, no sort.
  const conditions = repo.filterConditions({ language: 'zh-CN' }, { userId: '00000000-0000-4000-8000-000000000001', now: new Date() });
  const plan = await sql<{ 'QUERY PLAN': string }>`explain select c.id from cases c where ${sql.join(conditions, sql` and `)} order by c.sla_due asc, c.id asc limit 100`.execute(store.db);
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  expect(text).toContain('cases_queue_sla_due_idx');
  expect(text).not.toMatch(/\bSort\b/);
});
