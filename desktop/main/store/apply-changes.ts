// Applies one pull page from the server to the local store, all or nothing: the rows, the
// tombstones, the cases the user may no longer see, a scope reset, and the new cursor and scope
// in `meta` commit together — a crash or a bad row leaves the store and its cursor as they were,
// so the same page is simply pulled again.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { SYNCED_TABLES, SYNCED_TABLE_NAMES, rowKey, type PullResult, type RowChange, type SyncedTable } from '../../../shared/sync/protocol';
import type { LocalDatabase } from './local-schema';
import { META_KEYS, setMeta } from './meta';

type Db = Kysely<LocalDatabase>;

/** Columns a table holds locally (name → Postgres type name), without generated and local-only ones. */
export type TableColumns = ReadonlyMap<string, string>;

// The optimistic mark, and the queue columns triggers copy onto cases from their complainant and assignee
// (migration 2026-12-01T1000-workstation): never the server's, kept up to date by the triggers alone.
const LOCAL_ONLY_COLUMNS = new Set(['pending_seq', 'queue_vip_level', 'queue_exchange_uid', 'queue_assignee_name']);
const columnCache = new WeakMap<object, Promise<ReadonlyMap<string, TableColumns>>>();

/**
 * The synced tables as this store has them, read from the catalog once per Kysely instance: a
 * later local migration that adds a column is picked up without a second list to keep in step.
 */
export function localColumns(db: Kysely<any>): Promise<ReadonlyMap<string, TableColumns>> {
  let cached = columnCache.get(db);
  if (!cached) {
    cached = (async () => {
      const rows = await sql<{ table_name: string; column_name: string; udt_name: string; is_generated: string }>`
        select table_name, column_name, udt_name, is_generated
          from information_schema.columns
         where table_schema = current_schema()
           and table_name in (${sql.join(SYNCED_TABLE_NAMES)})
         order by table_name, ordinal_position`.execute(db);
      const tables = new Map<string, Map<string, string>>();
      for (const r of rows.rows) {
        if (r.is_generated === 'ALWAYS' || LOCAL_ONLY_COLUMNS.has(r.column_name)) continue;
        let cols = tables.get(r.table_name);
        if (!cols) tables.set(r.table_name, (cols = new Map()));
        cols.set(r.column_name, r.udt_name);
      }
      return tables;
    })();
    cached.catch(() => columnCache.delete(db));
    columnCache.set(db, cached);
  }
  return cached;
}

export interface ApplyPullOutcome {
  upserted: number;
  deleted: number;
  /** Changes of tables or columns this workstation does not know (a newer server): skipped. */
  ignoredChanges: number;
  droppedCases: number;
  reset: boolean;
}

/** A change for a key of a table, after later changes of the same key replaced earlier ones. */
interface KeyedChange {
  key: string;
  keyValues: unknown[];
  row: Record<string, unknown> | null;
}

const MAX_PARAMS = 30_000;
const IN_CHUNK = 5_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The key columns' values of a change: from the row, or parsed from its key ('a|b', the last part keeps any '|'). */
function keyValuesOf(table: SyncedTable, change: RowChange): unknown[] {
  const keyColumns = SYNCED_TABLES[table] as readonly string[];
  if (change.row) return keyColumns.map((c) => change.row![c]);
  if (keyColumns.length === 1) return [change.key];
  const parts = change.key.split('|');
  const head = parts.slice(0, keyColumns.length - 1);
  return [...head, parts.slice(keyColumns.length - 1).join('|')];
}

function isTombstone(row: Record<string, unknown> | null): boolean {
  return row === null || (row.deleted_at !== undefined && row.deleted_at !== null);
}

/** A value as a query parameter for a column of this type. */
function param(value: unknown, type: string): unknown {
  if (value === undefined || value === null) return null;
  // jsonb: serialised here, so a JSON string value stays a string (PGlite passes strings through as JSON text).
  if (type === 'jsonb' || type === 'json') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function keyMatch(table: SyncedTable, keyValuesList: unknown[][]): RawBuilder<boolean> {
  const keyColumns = SYNCED_TABLES[table] as readonly string[];
  if (keyColumns.length === 1) return sql<boolean>`${sql.ref(keyColumns[0]!)} in (${sql.join(keyValuesList.map((k) => k[0]))})`;
  return sql<boolean>`(${sql.join(keyColumns.map((c) => sql.ref(c)))}) in (${sql.join(keyValuesList.map((k) => sql`(${sql.join(k)})`))})`;
}

async function deleteKeys(trx: Transaction<LocalDatabase>, table: SyncedTable, changes: KeyedChange[]): Promise<number> {
  let deleted = 0;
  for (const part of chunks(changes, IN_CHUNK)) {
    const r = await sql`delete from ${sql.table(table)} where ${keyMatch(table, part.map((c) => c.keyValues))}`.execute(trx);
    deleted += Number(r.numAffectedRows ?? 0n);
  }
  return deleted;
}

async function upsertRows(trx: Transaction<LocalDatabase>, table: SyncedTable, columns: TableColumns, changes: KeyedChange[]): Promise<{ upserted: number; ignored: number }> {
  const keyColumns = SYNCED_TABLES[table] as readonly string[];
  // Rows of one statement share their column list; a server normally sends one shape per table.
  const byShape = new Map<string, { cols: string[]; rows: Record<string, unknown>[] }>();
  let ignored = 0;
  for (const change of changes) {
    const row = change.row!;
    const cols = Object.keys(row).filter((c) => columns.has(c));
    if (keyColumns.some((k) => !cols.includes(k))) {
      ignored++;
      continue;
    }
    cols.sort();
    const shape = cols.join(',');
    let group = byShape.get(shape);
    if (!group) byShape.set(shape, (group = { cols, rows: [] }));
    group.rows.push(row);
  }
  let upserted = 0;
  for (const { cols, rows } of byShape.values()) {
    const updates = cols.filter((c) => !keyColumns.includes(c));
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
    for (const part of chunks(rows, perStatement)) {
      const values = part.map((row) => sql`(${sql.join(cols.map((c) => param(row[c], columns.get(c)!)))}, null)`);
      const r = await sql`
        insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}, pending_seq)
        values ${sql.join(values)}
        on conflict (${sql.join(keyColumns.map((c) => sql.ref(c)))}) do update
        set ${sql.join([...updates.map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`), sql`pending_seq = null`])}`.execute(trx);
      upserted += Number(r.numAffectedRows ?? 0n);
    }
  }
  return { upserted, ignored };
}

/** Deletes every row of these cases, in every table, and what the optimistic layer kept of them. */
export async function dropCases(trx: Kysely<LocalDatabase>, caseIds: readonly string[], columns: ReadonlyMap<string, TableColumns>): Promise<number> {
  if (caseIds.length === 0) return 0;
  let dropped = 0;
  for (const part of chunks([...new Set(caseIds)], IN_CHUNK)) {
    for (const [table, cols] of columns) {
      if (table !== 'cases' && cols.has('case_id')) await sql`delete from ${sql.table(table)} where case_id in (${sql.join(part)})`.execute(trx);
    }
    const r = await sql`delete from cases where id in (${sql.join(part)})`.execute(trx);
    dropped += Number(r.numAffectedRows ?? 0n);
    await sql`delete from optimistic_base where case_id in (${sql.join(part)})`.execute(trx);
  }
  return dropped;
}

/** Empties every synced table (a scope reset): the pull that follows from a null cursor refills them. */
export async function clearSyncedData(trx: Kysely<LocalDatabase>): Promise<void> {
  await sql`truncate ${sql.join([...SYNCED_TABLE_NAMES.map((t) => sql.table(t)), sql.table('optimistic_base')])}`.execute(trx);
}

/**
 * Applies a pull page in one transaction: `reset` empties all case data first; each change
 * upserts its row (known columns only, so a newer server's extra columns are ignored) or deletes
 * it (a tombstone: row null, or a row with deleted_at set); `dropCaseIds` cases lose every row;
 * the cursor, scope and last sync time are saved. Server rows replace optimistic ones
 * (pending_seq null, their optimistic base forgotten): replay pending mutations afterwards
 * (optimistic.ts `rebaseOptimistic`) to show unsynced work on top again.
 */
export async function applyPull(db: Db, result: PullResult, options: { now?: Date } = {}): Promise<ApplyPullOutcome> {
  const columns = await localColumns(db);
  const byTable = new Map<SyncedTable, Map<string, KeyedChange>>();
  let ignoredChanges = 0;
  for (const change of result.changes) {
    const table = change.table;
    if (!columns.has(table) || !(table in SYNCED_TABLES)) {
      ignoredChanges++;
      continue;
    }
    const key = change.row ? rowKey(table, change.row) : change.key;
    let keyed = byTable.get(table);
    if (!keyed) byTable.set(table, (keyed = new Map()));
    // A later change of the same row replaces an earlier one in the same page.
    keyed.delete(key);
    keyed.set(key, { key, keyValues: keyValuesOf(table, change), row: change.row });
  }

  return db.transaction().execute(async (trx) => {
    if (result.reset) await clearSyncedData(trx);
    let upserted = 0;
    let deleted = 0;
    for (const [table, keyed] of byTable) {
      const changes = [...keyed.values()];
      const tombstones = changes.filter((c) => isTombstone(c.row));
      const rows = changes.filter((c) => !isTombstone(c.row));
      if (tombstones.length) deleted += await deleteKeys(trx, table, tombstones);
      if (rows.length) {
        const r = await upsertRows(trx, table, columns.get(table)!, rows);
        upserted += r.upserted;
        ignoredChanges += r.ignored;
      }
      for (const part of chunks(changes.map((c) => c.key), IN_CHUNK)) {
        await sql`delete from optimistic_base where tbl = ${table} and key in (${sql.join(part)})`.execute(trx);
      }
    }
    const droppedCases = await dropCases(trx, result.dropCaseIds, columns);
    await setMeta(trx, META_KEYS.cursor, result.cursor);
    await setMeta(trx, META_KEYS.scope, result.scope);
    await setMeta(trx, META_KEYS.lastSyncAt, (options.now ?? new Date()).toISOString());
    return { upserted, deleted, ignoredChanges, droppedCases, reset: result.reset };
  });
}
