// The service connects as a role without the owner's powers. This migration (run as the owner)
// creates the NOLOGIN group `arbitra_service` and grants it what the application needs: reading and
// writing the tables, using the sequences, and on the audit log SELECT and INSERT only — so an
// entry cannot be updated, deleted or truncated by the service even with the triggers switched off
// (which it cannot do either: `session_replication_role` is for superusers, ALTER TABLE for the
// owner). Default privileges give tables created by later migrations the same grants; a later
// append-only table revokes UPDATE and DELETE itself. The login role that is a member of the group
// is made at start (server/src/db/roles.ts), because its password is not the schema's business.
import { sql, type Kysely } from 'kysely';

// Self-contained on purpose (a dated migration never changes): server/src/db/roles.ts names the same role.
const SERVICE_GROUP = 'arbitra_service';
const PGBOSS_SCHEMA = 'pgboss';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$ begin
      if not exists (select from pg_roles where rolname = ${sql.lit(SERVICE_GROUP)}) then
        create role ${sql.raw(SERVICE_GROUP)} nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  const role = sql.raw(SERVICE_GROUP);
  for (const schema of ['public', PGBOSS_SCHEMA]) {
    const s = sql.raw(schema);
    await sql`grant usage on schema ${s} to ${role}`.execute(db);
    await sql`grant select, insert, update, delete on all tables in schema ${s} to ${role}`.execute(db);
    await sql`grant usage, select on all sequences in schema ${s} to ${role}`.execute(db);
    await sql`alter default privileges in schema ${s} grant select, insert, update, delete on tables to ${role}`.execute(db);
    await sql`alter default privileges in schema ${s} grant usage, select on sequences to ${role}`.execute(db);
  }
  // The audit log: appended and read, never changed.
  await sql`revoke all on audit_log from public`.execute(db);
  await sql`revoke update, delete, truncate, references, trigger on audit_log from ${role}`.execute(db);
  // The migrator's own bookkeeping: the service may see what ran, not change it.
  for (const table of ['kysely_migration', 'kysely_migration_lock']) {
    await sql`revoke insert, update, delete, truncate on ${sql.table(table)} from ${role}`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The service role keeps the audit log append-only: not reversible.');
}
