// SQL of sync: devices, the per-device mutation record, and the change log read by pull cursors.
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { SYNCED_TABLES, WITHHELD_COLUMNS, type SyncedTable } from '../../../shared/sync/protocol';

export const insertDevice = (db: DB, v: { user_id: string; name: string; platform: string }) =>
  db.insertInto('devices').values(v).returningAll().executeTakeFirstOrThrow();

export const findDevice = (db: DB, id: string) => db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();

export const findDeviceName = (db: DB, id: string) => db.selectFrom('devices').select('name').where('id', '=', id).executeTakeFirst();

/** Locks the device row: one push applies at a time per device, in sequence order. */
export const lockDevice = (trx: DB, id: string) => trx.selectFrom('devices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const advanceDevice = (trx: DB, id: string, seq: number) =>
  trx.updateTable('devices').set({ last_applied_seq: seq, last_seen_at: new Date() }).where('id', '=', id).execute();

export const touchDevice = (db: DB, id: string) => db.updateTable('devices').set({ last_seen_at: new Date() }).where('id', '=', id).execute();

export const recordMutation = (
  trx: DB,
  v: { device_id: string; seq: number; name: string; args: unknown; status: 'applied' | 'rejected'; reason: unknown },
) =>
  trx
    .insertInto('device_mutations')
    .values({ device_id: v.device_id, seq: v.seq, name: v.name, args: JSON.stringify(v.args), status: v.status, reason: v.reason === null ? null : JSON.stringify(v.reason) })
    .execute();

export const recordedMutation = (db: DB, deviceId: string, seq: number) =>
  db.selectFrom('device_mutations').selectAll().where('device_id', '=', deviceId).where(sql<boolean>`seq = ${seq}`).executeTakeFirst();

export const devicesOf = (db: DB, userId?: string) => {
  let q = db.selectFrom('devices').innerJoin('users', 'users.id', 'devices.user_id').select([
    'devices.id',
    'devices.user_id',
    'users.display_name as user_name',
    'devices.name',
    'devices.platform',
    'devices.last_applied_seq',
    'devices.created_at',
    'devices.last_seen_at',
    'devices.revoked_at',
    'devices.revoked_reason',
  ]);
  if (userId) q = q.where('devices.user_id', '=', userId);
  return q.orderBy('devices.created_at').execute();
};

export async function revokeDevice(trx: DB, id: string, by: string, reason: string, now: Date) {
  await trx.updateTable('devices').set({ revoked_at: now, revoked_by: by, revoked_reason: reason }).where('id', '=', id).execute();
  await trx.updateTable('sessions').set({ revoked_at: now }).where('device_id', '=', id).where('revoked_at', 'is', null).execute();
}

/** The id of the transaction this runs in (assigned now if it had none). */
export async function currentXact(trx: DB): Promise<string> {
  const r = await sql<{ xact: string }>`select pg_current_xact_id()::text as xact`.execute(trx);
  return r.rows[0]!.xact;
}

/** The first transaction id not yet assigned: every transaction below it has begun (and may still run). */
export async function snapshotXmax(db: DB): Promise<string> {
  const r = await sql<{ xmax: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(db);
  return r.rows[0]!.xmax;
}

/** The oldest transaction still running: every change below it has committed (or never will). */
export async function snapshotXmin(trx: DB): Promise<string> {
  const r = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(trx);
  return r.rows[0]!.xmin;
}

export async function changesAfter(trx: DB, after: { xact: string; version: string }, xmin: string, limit: number) {
  const r = await sql<{ xact_id: string; version: string; table_name: string; row_key: string; case_id: string | null; before_team_id: string | null; before_assignee_id: string | null; deleted: boolean; is_update: boolean }>`
    select xact_id::text, version, table_name, row_key, case_id, before_team_id, before_assignee_id, deleted, is_update
    from change_log
    where (xact_id, version) > (${after.xact}::xid8, ${after.version}::bigint) and xact_id < ${xmin}::xid8
    -- Qualified: a bare "xact_id" here names the text output column, and '10000' sorts before '999'.
    order by change_log.xact_id, change_log.version
    limit ${limit}`.execute(trx);
  return r.rows;
}

/** SQL naming a row the way change_log.row_key does (see the sync migration). */
function keyExpression(table: SyncedTable) {
  const cols = SYNCED_TABLES[table];
  if (table === 'asset_rates') return sql`asset || '|' || to_char(effective_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (cols.length === 1) return sql`${sql.ref(cols[0]!)}::text`;
  return sql.join(cols.map((c) => sql`${sql.ref(c)}::text`), sql` || '|' || `);
}

/** Tables keyed by a uuid (or a bigint) are matched on it directly, so the primary-key index serves the lookup. */
const TEXT_KEYED: readonly SyncedTable[] = ['tiering_rules', 'sla_policies', 'asset_rates'];
function keyMatch(table: SyncedTable, keys: string[]) {
  if (TEXT_KEYED.includes(table)) return sql`${keyExpression(table)} = any(${keys}::text[])`;
  if (table === 'custody_entries') return sql`seq = any(${keys}::bigint[])`;
  return sql`id = any(${keys}::uuid[])`;
}

/** Current rows of one table by key, without the columns a workstation never receives. */
export async function rowsByKey(trx: DB, table: SyncedTable, keys: string[]) {
  if (keys.length === 0) return new Map<string, Record<string, unknown>>();
  const r = await sql<Record<string, unknown> & { __key: string }>`
    select ${keyExpression(table)} as __key, t.* from ${sql.table(table)} t where ${keyMatch(table, keys)}`.execute(trx);
  const withheld = WITHHELD_COLUMNS[table] ?? [];
  const out = new Map<string, Record<string, unknown>>();
  for (const row of r.rows) {
    const { __key, ...rest } = row;
    for (const c of withheld) delete rest[c];
    out.set(__key, rest);
  }
  return out;
}

/** Every row of a case, for a device that may see it for the first time. */
export async function caseRows(trx: DB, table: SyncedTable, caseId: string) {
  const column = table === 'cases' ? 'id' : 'case_id';
  const r = await sql<Record<string, unknown> & { __key: string }>`
    select ${keyExpression(table)} as __key, t.* from ${sql.table(table)} t where ${sql.ref(column)} = ${caseId}`.execute(trx);
  const withheld = WITHHELD_COLUMNS[table] ?? [];
  return r.rows.map((row) => {
    const { __key, ...rest } = row;
    for (const c of withheld) delete rest[c];
    return { key: __key, row: rest };
  });
}

export const caseScopes = (trx: DB, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : trx.selectFrom('cases').select(['id', 'team_id', 'assignee_id']).where('id', 'in', ids).execute();

/** The cases of some complainants, with what decides who sees them (a complainant is seen through a case). */
export const complainantCaseScopes = (trx: DB, complainantIds: string[]) =>
  complainantIds.length === 0
    ? Promise.resolve([])
    : trx.selectFrom('cases').select(['complainant_id', 'team_id', 'assignee_id']).where('complainant_id', 'in', complainantIds).execute();
