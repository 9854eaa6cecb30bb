// Sync with workstations: registered devices with their own credential, the per-device record of
// applied mutations, and a change log every synced row write appends to, read by pull cursors.
import { sql, type Kysely } from 'kysely';

/** Synced tables and how a change names the row and the case it belongs to. */
const LOGGED: { table: string; key: string; caseId: string | null }[] = [
  { table: 'teams', key: 'new.id::text', caseId: null },
  { table: 'users', key: 'new.id::text', caseId: null },
  { table: 'complainants', key: 'new.id::text', caseId: null },
  { table: 'cases', key: 'new.id::text', caseId: 'new.id' },
  { table: 'case_amounts', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'case_events', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'notes', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'consultations', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'communications', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'assessments', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'remedies', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'approvals', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'objections', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'escalations', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'exhibits', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'exhibit_records', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'evidence_signals', key: 'new.id::text', caseId: 'new.case_id' },
  { table: 'tiering_rules', key: 'new.id', caseId: null },
  { table: 'sla_policies', key: `new.tier || '|' || new.priority`, caseId: null },
  { table: 'asset_rates', key: `new.asset || '|' || to_char(new.effective_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, caseId: null },
];

export async function up(db: Kysely<any>): Promise<void> {
  // Handler-written fields a workstation edits offline (last writer wins per field).
  await sql`alter table cases add column handler_summary text not null default '', add column next_action text not null default ''`.execute(db);

  await db.schema
    .createTable('devices')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('last_applied_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('revoked_reason', 'text')
    .execute();
  await sql`alter table sessions add column device_id uuid references devices(id)`.execute(db);

  // What became of every mutation a device pushed: applied or rejected (with why), once each.
  await db.schema
    .createTable('device_mutations')
    .addColumn('device_id', 'uuid', (c) => c.notNull().references('devices.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('args', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied','rejected')`))
    .addColumn('reason', 'jsonb')
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('device_mutations_pk', ['device_id', 'seq'])
    .execute();

  await db.schema
    .createTable('change_log')
    .addColumn('xact_id', sql`xid8`, (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_key', 'text', (c) => c.notNull())
    .addColumn('case_id', 'uuid')
    // The case's scope before a change to the case row, so a pull can tell "reassigned away".
    .addColumn('before_team_id', 'uuid')
    .addColumn('before_assignee_id', 'uuid')
    .addColumn('deleted', 'boolean', (c) => c.notNull())
    .addColumn('is_update', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('change_log_pk', ['xact_id', 'version'])
    .execute();

  for (const { table, key, caseId } of LOGGED) {
    const before = table === 'cases' ? sql.raw(`case when tg_op = 'UPDATE' then old.team_id end, case when tg_op = 'UPDATE' then old.assignee_id end`) : sql.raw('null, null');
    await sql`
      create function ${sql.id(`${table}_log_change`)}() returns trigger language plpgsql as $$
      begin
        insert into change_log (xact_id, version, table_name, row_key, case_id, before_team_id, before_assignee_id, deleted, is_update)
        values (new.xact_id, new.version, ${sql.lit(table)}, ${sql.raw(key)}, ${sql.raw(caseId ?? 'null')}, ${before}, new.deleted_at is not null, tg_op = 'UPDATE');
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.id(`${table}_log_change`)} after insert or update on ${sql.table(table)} for each row execute function ${sql.id(`${table}_log_change`)}()`.execute(db);
  }

  // One notification per transaction that changed synced rows (Postgres folds identical payloads),
  // so every server instance can tell its connected clients to pull.
  await sql`
    create function change_log_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('arbitra_changes', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger change_log_notify after insert on change_log for each statement execute function change_log_notify()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The sync schema is not reversible.');
}
