// PDF dossiers: one row per requested dossier, holding the frozen snapshot it is rendered from
// (so it can be rendered again, byte for byte, to verify a copy), its progress through the render
// queue, and the SHA-256 under which the finished PDF sits in the content-addressed blob store.
// The queue is pg-boss in its own schema of the same database: its tables are created here, with
// the rest of the schema, so a new database (and the test template) starts with them.
import { sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';

// Self-contained on purpose (a dated migration never changes): server/src/dossiers/dossier-jobs.ts
// names the same schema and queue.
const PGBOSS_SCHEMA = 'pgboss';
const DOSSIER_RENDER_QUEUE = 'dossier.render';

/**
 * pg-boss's own construction plan, without the transaction it wraps itself in: the migrator
 * already runs in one, and a COMMIT in the middle would end it early.
 */
function pgBossConstructionPlan(): string {
  const plan = PgBoss.getConstructionPlans(PGBOSS_SCHEMA).trim();
  if (!plan.startsWith('BEGIN;') || !plan.endsWith('COMMIT;')) throw new Error('pg-boss construction plan has an unexpected shape: migrate pg-boss with boss.start() instead');
  return plan.slice('BEGIN;'.length, -'COMMIT;'.length);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('recipient_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('recipient_kind', 'text', (c) => c.notNull().check(sql`recipient_kind in ('internal','external')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('zh-CN','en')`))
    // The canonical snapshot (shared/dossier/snapshot.ts): everything the PDF shows, and nothing else.
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('snapshot_sha256', 'text', (c) => c.notNull().check(sql`snapshot_sha256 ~ '^[0-9a-f]{64}$'`))
    // Printed on every page: DOS-XXXX-XXXX-XXXX-XXXX, from the snapshot's hash.
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued','rendering','done','failed')`))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0).check(sql`progress between 0 and 100`))
    .addColumn('pdf_sha256', 'text', (c) => c.check(sql`pdf_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('pdf_size', 'bigint', (c) => c.check(sql`pdf_size > 0`))
    // Why the last attempt failed: { messageKey, params } (translated when shown).
    .addColumn('error', 'jsonb')
    .addColumn('requested_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addCheckConstraint('dossiers_done_has_pdf', sql`status <> 'done' or (pdf_sha256 is not null and pdf_size is not null and finished_at is not null)`)
    .execute();
  await db.schema.createIndex('dossiers_case_idx').on('dossiers').columns(['case_id', 'requested_at']).execute();
  await db.schema.createIndex('dossiers_pdf_idx').on('dossiers').column('pdf_sha256').execute();
  await db.schema.createIndex('dossiers_document_idx').on('dossiers').column('document_id').execute();

  // The render queue's tables (pg-boss 10) and the queue itself; its options are set at start.
  await sql.raw(pgBossConstructionPlan()).execute(db);
  await sql`select ${sql.raw(PGBOSS_SCHEMA)}.create_queue(${DOSSIER_RENDER_QUEUE}, ${JSON.stringify({ policy: 'standard' })}::json)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Dossiers are records of what left the company: never dropped.');
}
