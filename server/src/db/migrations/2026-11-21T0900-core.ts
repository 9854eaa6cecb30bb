// Core schema: organisation, people, cases and everything that hangs off them, rules, audit.
// Tables the workstation holds offline carry `version` (a global change counter, set by trigger) and
// `deleted_at` (a tombstone), so the sync protocol can pull them by cursor.
import { sql, type Kysely } from 'kysely';

const SYNCED_TABLES = [
  'teams',
  'users',
  'complainants',
  'cases',
  'case_amounts',
  'case_events',
  'notes',
  'consultations',
  'communications',
  'assessments',
  'remedies',
  'approvals',
  'objections',
  'escalations',
  'tiering_rules',
  'sla_policies',
  'asset_rates',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pgcrypto`.execute(db);
  await sql`create sequence change_version as bigint`.execute(db);
  // Every row written gets the next change version and the id of the transaction that wrote it; a
  // pull cursor uses the transaction id to avoid skipping rows committed out of version order.
  await sql`
    create function set_row_version() returns trigger language plpgsql as $$
    begin
      new.version := nextval('change_version');
      new.xact_id := pg_current_xact_id();
      return new;
    end $$`.execute(db);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('specialist','legal','supervisor','admin','arbitrator','mediator')`))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en').check(sql`language in ('en','zh-CN')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('browser').check(sql`kind in ('browser','device','cli')`))
    .addColumn('totp_verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_attempts_email_idx').on('login_attempts').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_attempts_ip_idx').on('login_attempts').columns(['ip', 'at']).execute();

  await db.schema
    .createTable('intake_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('default_team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('complainants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('exchange_uid', 'text', (c) => c.notNull().unique())
    .addColumn('vip_level', 'integer', (c) => c.notNull().defaultTo(0).check(sql`vip_level between 0 and 9`))
    .addColumn('region', 'text')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // PII lives apart so it can be withheld from anyone who may not read it, and every read is audited.
  await db.schema
    .createTable('complainant_pii')
    .addColumn('complainant_id', 'uuid', (c) => c.primaryKey().references('complainants.id'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('id_document_number', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // 回避制度: a handler related to a complainant may not handle their cases.
  await db.schema
    .createTable('handler_relations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('complainant_id', 'uuid', (c) => c.notNull().references('complainants.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('handler_relations_unique', ['user_id', 'complainant_id'])
    .execute();

  await db.schema
    .createTable('tiering_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('order', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('when', 'jsonb', (c) => c.notNull())
    .addColumn('then', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull().check(sql`first_response_minutes > 0`))
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull().check(sql`resolution_minutes >= first_response_minutes`))
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sla_policies_pk', ['tier', 'priority'])
    .execute();

  // USD rates by asset and time, so a claim's USD equivalent is taken at the time it happened.
  await db.schema
    .createTable('asset_rates')
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'timestamptz', (c) => c.notNull())
    .addColumn('usd_rate', sql`numeric(48,18)`, (c) => c.notNull().check(sql`usd_rate >= 0`))
    .addPrimaryKeyConstraint('asset_rates_pk', ['asset', 'effective_at'])
    .execute();

  await db.schema
    .createTable('case_number_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('external_ref', 'text')
    .addColumn('intake_key_id', 'uuid', (c) => c.references('intake_keys.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('complainant_id', 'uuid', (c) => c.notNull().references('complainants.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('subcategory', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('usd_equivalent', sql`numeric(48,18)`, (c) => c.notNull().defaultTo(0))
    .addColumn('urgent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('tiering_rule_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('received'))
    .addColumn('resume_status', 'text')
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('assignee_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_response_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolution_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sla_paused_at', 'timestamptz')
    .addColumn('sla_paused_total_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('first_responded_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    .addColumn('satisfaction_score', 'integer', (c) => c.check(sql`satisfaction_score between 1 and 5`))
    .addColumn('satisfaction_comment', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One case per integration reference: a retried intake POST finds the case it created.
  await sql`create unique index cases_external_ref_idx on cases (intake_key_id, external_ref) where external_ref is not null`.execute(db);
  await db.schema.createIndex('cases_team_idx').on('cases').columns(['team_id', 'status']).execute();
  await db.schema.createIndex('cases_assignee_idx').on('cases').column('assignee_id').execute();
  await db.schema.createIndex('cases_complainant_idx').on('cases').column('complainant_id').execute();
  await sql`create index cases_resolution_due_idx on cases (resolution_due_at) where sla_paused_at is null and resolved_at is null`.execute(db);

  await db.schema
    .createTable('case_amounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(48,18)`, (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('usd_rate', sql`numeric(48,18)`)
    .addColumn('usd_value', sql`numeric(48,18)`)
    .addUniqueConstraint('case_amounts_asset_unique', ['case_id', 'asset'])
    .execute();

  // The timeline: append-only; every step of a case leaves one.
  await db.schema
    .createTable('case_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'at']).execute();

  await db.schema
    .createTable('notes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('team', 'text', (c) => c.notNull().check(sql`team in ('technical','risk','legal')`))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('answered_at', 'timestamptz')
    .execute();

  // Communications log with the complainant (what was said, by which channel, in which direction).
  await db.schema
    .createTable('communications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('inbound','outbound')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('platform_share', sql`numeric(5,2)`, (c) => c.notNull())
    .addColumn('user_share', sql`numeric(5,2)`, (c) => c.notNull())
    .addColumn('third_party_share', sql`numeric(5,2)`, (c) => c.notNull())
    .addColumn('third_party_kind', 'text')
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('superseded_at', 'timestamptz')
    .addCheckConstraint('assessments_shares_sum', sql`platform_share + user_share + third_party_share = 100`)
    .addCheckConstraint(
      'assessments_shares_range',
      sql`platform_share between 0 and 100 and user_share between 0 and 100 and third_party_share between 0 and 100`,
    )
    .execute();
  await sql`create unique index assessments_current_idx on assessments (case_id) where superseded_at is null`.execute(db);

  await db.schema
    .createTable('remedies')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('asset', 'text')
    .addColumn('amount', sql`numeric(48,18)`)
    .addColumn('usd_value', sql`numeric(48,18)`)
    .addColumn('details', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('proposed_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('remedies_amount_pair', sql`(asset is null) = (amount is null)`)
    .execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('requested_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('usd_total', sql`numeric(48,18)`, (c) => c.notNull())
    .addColumn('threshold_usd', sql`numeric(48,18)`, (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('approved','declined')`))
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addCheckConstraint('approvals_four_eyes', sql`decided_by is null or decided_by <> requested_by`)
    .execute();

  await db.schema
    .createTable('objections')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Escalations to mediation or arbitration are records of their own; the portal adds assignments,
  // disclosures and rulings on top of them.
  await db.schema
    .createTable('escalations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('mediation','arbitration')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('panel_size', 'integer', (c) => c.notNull().defaultTo(1).check(sql`panel_size in (1,3)`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();

  for (const table of SYNCED_TABLES) {
    await sql`alter table ${sql.table(table)} add column version bigint not null default 0, add column xact_id xid8, add column deleted_at timestamptz`.execute(db);
    await sql`create trigger ${sql.id(`${table}_version`)} before insert or update on ${sql.table(table)} for each row execute function set_row_version()`.execute(db);
    await sql`create index ${sql.id(`${table}_version_idx`)} on ${sql.table(table)} (version)`.execute(db);
  }

  // The audit log: append-only and hash-chained. The database itself refuses changes to it.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('case_id', 'uuid')
    .addColumn('entity', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('audit_log_case_idx').on('audit_log').columns(['case_id', 'seq']).execute();
  await sql`
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_refuse_change()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_refuse_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The core schema is not reversible: audit and custody records are never dropped.');
}
