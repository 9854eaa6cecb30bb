// The local store mirrors the server's synced tables (no drift: compared with a real server
// database's catalog), persists across restarts, and reports a damaged directory so the engine
// can rebuild it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { SYNCED_TABLES, SYNCED_TABLE_NAMES, WITHHELD_COLUMNS } from '../../shared/sync/protocol';
import { translate } from '../../shared/i18n';
import { LocalStoreDamagedError, localStoreDir, openLocalStore, wipeLocalStore } from '../../desktop/main/store/local-db';
import { getMeta, setMeta } from '../../desktop/main/store/meta';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { openTestStore, tempDir, type TestStore } from './support';

interface Column {
  table_name: string;
  column_name: string;
  udt_name: string;
  numeric_precision: number | null;
  numeric_scale: number | null;
}

async function columnsOf(db: Kysely<any>): Promise<Map<string, Column>> {
  const r = await sql<Column>`
    select table_name, column_name, udt_name, numeric_precision, numeric_scale
      from information_schema.columns
     where table_schema = current_schema() and table_name in (${sql.join(SYNCED_TABLE_NAMES)})`.execute(db);
  return new Map(
    r.rows.map((c) => [
      `${c.table_name}.${c.column_name}`,
      { ...c, numeric_precision: c.numeric_precision === null ? null : Number(c.numeric_precision), numeric_scale: c.numeric_scale === null ? null : Number(c.numeric_scale) },
    ]),
  );
}

let server: TestDatabase;
let store: TestStore;

beforeAll(async () => {
  [server, store] = await Promise.all([createTestDatabase(), openTestStore()]);
});
afterAll(async () => {
  await Promise.all([server?.drop(), store?.dispose()]);
});

describe('local schema', () => {
  it('has every synced table with the server’s columns and types, minus the withheld ones', async () => {
    const [serverColumns, localColumns] = await Promise.all([columnsOf(server.db), columnsOf(store.db)]);
    const expected = new Map([...serverColumns].filter(([, c]) => !(WITHHELD_COLUMNS[c.table_name as keyof typeof WITHHELD_COLUMNS] ?? []).includes(c.column_name)));
    // Local additions: the optimistic mark on every table, and the queue's copies, ranks and search
    // text on cases (filled by triggers and generated; the queue filters, sorts and searches on them).
    const queueColumns = ['queue_vip_level', 'queue_exchange_uid', 'queue_assignee_name', 'sla_due', 'queue_search', 'queue_bigrams', 'status_rank', 'priority_rank'].map((c) => `cases.${c}`);
    const localOnly = new Set([...SYNCED_TABLE_NAMES.map((t) => `${t}.pending_seq`), ...queueColumns]);

    const missing = [...expected.keys()].filter((k) => !localColumns.has(k));
    const extra = [...localColumns.keys()].filter((k) => !expected.has(k) && !localOnly.has(k));
    expect(missing, 'server columns the workstation does not hold').toEqual([]);
    expect(extra, 'local columns the server does not have').toEqual([]);
    for (const [key, col] of expected) {
      const local = localColumns.get(key)!;
      expect({ key, type: local.udt_name, precision: local.numeric_precision, scale: local.numeric_scale }).toEqual({
        key,
        type: col.udt_name,
        precision: col.numeric_precision,
        scale: col.numeric_scale,
      });
    }
    // Withheld columns never exist locally.
    for (const [table, cols] of Object.entries(WITHHELD_COLUMNS)) for (const c of cols) expect(localColumns.has(`${table}.${c}`), `${table}.${c}`).toBe(false);
  });

  it('keys every synced table like the server, with no foreign keys', async () => {
    const pk = await sql<{ table_name: string; columns: string[] }>`
      select tc.table_name, array_agg(kcu.column_name::text order by kcu.ordinal_position) as columns
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name
       where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY'
       group by tc.table_name`.execute(store.db);
    const keys = Object.fromEntries(pk.rows.map((r) => [r.table_name, r.columns]));
    for (const table of SYNCED_TABLE_NAMES) expect(keys[table], table).toEqual([...SYNCED_TABLES[table]]);
    const fks = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.table_constraints
       where table_schema = current_schema() and constraint_type = 'FOREIGN KEY'`.execute(store.db);
    expect(fks.rows[0]!.n).toBe(0);
  });

  it('has the local-only tables and trigram indexes', async () => {
    const tables = (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema()`.execute(store.db)).rows.map((r) => r.tablename);
    expect(tables).toEqual(expect.arrayContaining(['outbox', 'rejections', 'meta', 'optimistic_base']));
    const trgm = (await sql<{ indexname: string }>`select indexname from pg_indexes where indexdef like '%gin_trgm_ops%' order by 1`.execute(store.db)).rows.map((r) => r.indexname);
    expect(trgm).toEqual(expect.arrayContaining(['cases_queue_search_trgm', 'cases_queue_bigrams_trgm', 'notes_body_trgm', 'exhibit_records_data_trgm', 'complainants_uid_trgm']));
    await expect(sql`insert into outbox (seq, name, args, status) values (1, 'addNote', '{}', 'lost')`.execute(store.db)).rejects.toThrow(/check constraint/);
  });
});

describe('opening the local store', () => {
  it('keeps what was written across a close and reopen', async () => {
    const dataDir = tempDir();
    try {
      const first = await openTestStore(dataDir);
      await setMeta(first.db, 'cursor', '42:7');
      await first.close();
      const started = performance.now();
      const again = await openLocalStore({ dataDir });
      const elapsed = performance.now() - started;
      expect(again.migrated).toEqual([]);
      expect(await getMeta(again.db, 'cursor')).toBe('42:7');
      await again.close();
      expect(elapsed).toBeLessThan(15_000);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('starts a new store from a dump (loadDataDir) and keeps it on disk', async () => {
    const dump = await store.pglite.dumpDataDir('none');
    const dataDir = tempDir();
    try {
      const s = await openLocalStore({ dataDir, loadDataDir: dump });
      expect(s.migrated).toEqual([]);
      await setMeta(s.db, 'deviceId', 'd-1');
      await s.close();
      expect(fs.existsSync(path.join(localStoreDir(dataDir), 'PG_VERSION'))).toBe(true);
      const again = await openLocalStore({ dataDir, loadDataDir: dump });
      expect(await getMeta(again.db, 'deviceId')).toBe('d-1');
      await again.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports a damaged directory with a typed error, and opens again after a wipe', async () => {
    const dataDir = tempDir();
    try {
      const s = await openTestStore(dataDir);
      await setMeta(s.db, 'cursor', '1:1');
      await s.close();
      // Damage the catalog: the kind of thing a disk fault or a half-copied folder leaves.
      fs.rmSync(path.join(localStoreDir(dataDir), 'global', 'pg_control'));
      fs.writeFileSync(path.join(dataDir, 'journal.jsonl'), '{"t":"m"}\n');

      const error = await openLocalStore({ dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LocalStoreDamagedError);
      const damaged = error as LocalStoreDamagedError;
      expect(damaged.damaged).toBe(true);
      expect(damaged.error).toBeTruthy();
      expect(damaged.messageKey).toBe('desktop.local_store_damaged');
      expect(translate('zh-CN', damaged.messageKey, damaged.params)).toContain(dataDir);

      await wipeLocalStore(dataDir);
      expect(fs.existsSync(localStoreDir(dataDir))).toBe(false);
      // The journal is not the database: a wipe leaves it for the replay.
      expect(fs.existsSync(path.join(dataDir, 'journal.jsonl'))).toBe(true);
      const rebuilt = await openTestStore(dataDir);
      expect(await getMeta(rebuilt.db, 'cursor')).toBeNull();
      await rebuilt.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('finishes a wipe that a crash interrupted', async () => {
    const dataDir = tempDir();
    try {
      fs.mkdirSync(path.join(dataDir, 'pglite.wiped-123-456', 'base'), { recursive: true });
      const s = await openTestStore(dataDir);
      await s.close();
      expect(fs.readdirSync(dataDir).filter((n) => n.startsWith('pglite.wiped-'))).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
