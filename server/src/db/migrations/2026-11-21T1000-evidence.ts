// Evidence vault: content-addressed blobs, resumable uploads, exhibits numbered per case and side,
// their parsed records, redactions of transcript spans, and signals of one file cited by several
// complainants. The custody trail lives on the audit chain (entity 'exhibits').
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per distinct content; the SHA-256 is the identity and the storage key.
  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('verified_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('declared_size', 'bigint', (c) => c.notNull())
    .addColumn('declared_sha256', 'text', (c) => c.notNull())
    .addColumn('received_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('exhibit_type', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('internal_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('mapping', 'jsonb')
    .addColumn('device_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','complete','failed','expired')`))
    .addColumn('exhibit_id', 'uuid')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('exhibits')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('blob_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('complainant','platform')`))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('exhibit_number', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('internal_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('taken_in_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('taken_in_at', 'timestamptz', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('parse_status', 'text', (c) => c.notNull().check(sql`parse_status in ('parsed','failed','not_applicable','pending')`))
    .addColumn('parse_error', 'jsonb')
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('exhibits_number_unique', ['case_id', 'exhibit_number'])
    .addUniqueConstraint('exhibits_side_seq_unique', ['case_id', 'side', 'seq'])
    .execute();
  await db.schema.createIndex('exhibits_blob_idx').on('exhibits').column('blob_sha256').execute();

  // Structured records parsed from an exhibit (trades, activity, chat lines, on-chain references).
  await db.schema
    .createTable('exhibit_records')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('exhibit_id', 'uuid', (c) => c.notNull().references('exhibits.id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('exhibit_records_seq_unique', ['exhibit_id', 'seq'])
    .execute();

  // Spans of a record's text withheld from external recipients; the original stays untouched.
  await db.schema
    .createTable('redactions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('exhibit_id', 'uuid', (c) => c.notNull().references('exhibits.id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('record_seq', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('start', 'integer', (c) => c.notNull().check(sql`start >= 0`))
    .addColumn('end', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('redactions_span', sql`"end" > start`)
    .execute();

  // The same file cited on cases of different complainants: a fraud or collusion signal on both.
  await db.schema
    .createTable('evidence_signals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('other_case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('blob_sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('shared_file_across_complainants'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('evidence_signals_unique', ['case_id', 'other_case_id', 'blob_sha256'])
    .execute();

  for (const table of ['exhibits', 'exhibit_records', 'redactions', 'evidence_signals']) {
    await sql`alter table ${sql.table(table)} add column version bigint not null default 0, add column xact_id xid8, add column deleted_at timestamptz`.execute(db);
    await sql`create trigger ${sql.id(`${table}_version`)} before insert or update on ${sql.table(table)} for each row execute function set_row_version()`.execute(db);
    await sql`create index ${sql.id(`${table}_version_idx`)} on ${sql.table(table)} (version)`.execute(db);
  }
  await sql`create index exhibit_records_exhibit_idx on exhibit_records (exhibit_id, seq)`.execute(db);
  // The custody trail of an exhibit is read from the audit chain by entity.
  await sql`create index audit_log_entity_idx on audit_log (entity, entity_id, seq)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Evidence and custody records are never dropped.');
}
