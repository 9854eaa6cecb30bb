// The workstation's local store, first version. One table per synced table with the server's
// column names and types (minus the columns the server withholds), keyed like the server, but
// without foreign keys, uniqueness or NOT NULL beyond the key: rows arrive in any order, pages
// can stop half way, and the server has already enforced the rules. Every synced table also has
// `pending_seq`, the local mutation that last touched the row optimistically.
// Local-only: the outbox of mutations, the rejections the server sent back, meta (cursor, device,
// user, scope), and the server's version of optimistically touched rows (to undo and replay).
// Search: pg_trgm GIN indexes for Chinese and English substring search (ILIKE '%…%').
//
// Self-contained on purpose: a dated migration never changes once it has landed.
import { sql, type Kysely } from 'kysely';

const SYNC_COLUMNS = ['version bigint default 0', 'xact_id xid8', 'deleted_at timestamptz', 'pending_seq integer'];
const NUMERIC = 'numeric(48,18)';

/** Table → column definitions and key; the columns are the server's (see server/src/db/migrations). */
const TABLES: { name: string; columns: string[]; key: string[] }[] = [
  { name: 'teams', key: ['id'], columns: ['id uuid', 'name text', 'created_at timestamptz default now()'] },
  {
    name: 'users',
    key: ['id'],
    // Withheld by the server: email, password_hash, totp_secret, totp_enabled_at, totp_last_step.
    columns: ['id uuid', 'display_name text', 'role text', `language text default 'en'`, 'disabled_at timestamptz', 'created_at timestamptz default now()'],
  },
  {
    name: 'complainants',
    key: ['id'],
    columns: ['id uuid', 'exchange_uid text', 'vip_level integer default 0', 'region text', `language text default 'en'`, 'created_at timestamptz default now()'],
  },
  {
    name: 'tiering_rules',
    key: ['id'],
    columns: ['id text', 'name text', '"order" integer', 'enabled boolean default true', '"when" jsonb', '"then" jsonb', 'updated_by uuid', 'updated_at timestamptz default now()'],
  },
  {
    name: 'sla_policies',
    key: ['tier', 'priority'],
    columns: ['tier text', 'priority text', 'first_response_minutes integer', 'resolution_minutes integer', 'updated_by uuid', 'updated_at timestamptz default now()'],
  },
  { name: 'asset_rates', key: ['asset', 'effective_at'], columns: ['asset text', 'effective_at timestamptz', `usd_rate ${NUMERIC}`] },
  {
    name: 'cases',
    key: ['id'],
    columns: [
      'id uuid',
      'case_number text',
      'external_ref text',
      'intake_key_id uuid',
      'channel text',
      'complainant_id uuid',
      'category text',
      'subcategory text',
      'description text',
      `language text default 'en'`,
      `usd_equivalent ${NUMERIC} default 0`,
      'urgent boolean default false',
      'tier text',
      'priority text',
      'tiering_rule_id text',
      `status text default 'received'`,
      'resume_status text',
      'team_id uuid',
      'assignee_id uuid',
      'occurred_at timestamptz',
      'received_at timestamptz',
      'first_response_due_at timestamptz',
      'resolution_due_at timestamptz',
      'sla_paused_at timestamptz',
      'sla_paused_total_ms bigint default 0',
      'first_responded_at timestamptz',
      'resolved_at timestamptz',
      'closed_at timestamptz',
      'archived_at timestamptz',
      'satisfaction_score integer',
      'satisfaction_comment text',
      'created_at timestamptz default now()',
      'updated_at timestamptz default now()',
      `handler_summary text default ''`,
      `next_action text default ''`,
    ],
  },
  {
    name: 'case_amounts',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'asset text', `amount ${NUMERIC}`, `usd_rate ${NUMERIC}`, `usd_value ${NUMERIC}`],
  },
  {
    name: 'case_events',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'type text', 'actor_id uuid', 'at timestamptz default now()', `payload jsonb default '{}'::jsonb`],
  },
  { name: 'notes', key: ['id'], columns: ['id uuid', 'case_id uuid', 'author_id uuid', 'body text', 'created_at timestamptz default now()'] },
  {
    name: 'consultations',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'team text', 'question text', 'asked_by uuid', 'asked_at timestamptz default now()', 'answer text', 'answered_by uuid', 'answered_at timestamptz'],
  },
  {
    name: 'communications',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'direction text', 'channel text', 'body text', 'recorded_by uuid', 'at timestamptz default now()'],
  },
  {
    name: 'assessments',
    key: ['id'],
    columns: [
      'id uuid',
      'case_id uuid',
      'platform_share numeric(5,2)',
      'user_share numeric(5,2)',
      'third_party_share numeric(5,2)',
      'third_party_kind text',
      'findings text',
      'author_id uuid',
      'created_at timestamptz default now()',
      'superseded_at timestamptz',
    ],
  },
  {
    name: 'remedies',
    key: ['id'],
    columns: [
      'id uuid',
      'case_id uuid',
      'kind text',
      'asset text',
      `amount ${NUMERIC}`,
      `usd_value ${NUMERIC}`,
      `details text default ''`,
      `status text default 'draft'`,
      'proposed_by uuid',
      'created_at timestamptz default now()',
    ],
  },
  {
    name: 'approvals',
    key: ['id'],
    columns: [
      'id uuid',
      'case_id uuid',
      'requested_by uuid',
      'requested_at timestamptz default now()',
      `usd_total ${NUMERIC}`,
      `threshold_usd ${NUMERIC}`,
      'decision text',
      'decided_by uuid',
      'decided_at timestamptz',
      'reason text',
    ],
  },
  { name: 'objections', key: ['id'], columns: ['id uuid', 'case_id uuid', 'reason text', 'recorded_by uuid', 'at timestamptz default now()'] },
  {
    name: 'escalations',
    key: ['id'],
    columns: [
      'id uuid',
      'case_id uuid',
      'kind text',
      `status text default 'open'`,
      'panel_size integer default 1',
      'reason text',
      'outcome text',
      'created_by uuid',
      'created_at timestamptz default now()',
      'closed_at timestamptz',
    ],
  },
  {
    name: 'exhibits',
    key: ['id'],
    columns: [
      'id uuid',
      'case_id uuid',
      'blob_sha256 text',
      'side text',
      'seq integer',
      'exhibit_number text',
      'type text',
      'source text',
      'file_name text',
      'media_type text',
      'size bigint',
      `description text default ''`,
      'internal_only boolean default false',
      'taken_in_by uuid',
      'taken_in_at timestamptz',
      'device_id text',
      'parse_status text',
      'parse_error jsonb',
      `metadata jsonb default '{}'::jsonb`,
      'record_count integer default 0',
    ],
  },
  {
    name: 'exhibit_records',
    key: ['id'],
    // Withheld by the server: search_text (the local store indexes the record's data instead).
    columns: ['id uuid', 'exhibit_id uuid', 'case_id uuid', 'seq integer', 'kind text', 'occurred_at timestamptz', 'data jsonb'],
  },
  {
    name: 'evidence_signals',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'other_case_id uuid', 'blob_sha256 text', `kind text default 'shared_file_across_complainants'`, 'created_at timestamptz default now()'],
  },
];

const STATEMENTS: string[] = [
  'create extension if not exists pg_trgm',

  ...TABLES.map(
    (t) => `create table ${t.name} (${[...t.columns, ...SYNC_COLUMNS].join(', ')}, primary key (${t.key.join(', ')}))`,
  ),
  ...TABLES.filter((t) => t.columns.includes('case_id uuid')).map((t) => `create index ${t.name}_case_idx on ${t.name} (case_id)`),
  'create index cases_status_idx on cases (status)',
  'create index cases_assignee_idx on cases (assignee_id)',
  'create index case_events_case_at_idx on case_events (case_id, at)',
  'create index exhibit_records_exhibit_idx on exhibit_records (exhibit_id, seq)',
  'create index pending_cases_idx on cases (pending_seq) where pending_seq is not null',

  // ---- Search: substring (ILIKE '%…%') over trigram indexes, for Chinese as well as English.
  `alter table cases add column search_text text generated always as (
     coalesce(case_number, '') || ' ' || coalesce(description, '') || ' ' || coalesce(handler_summary, '') || ' ' || coalesce(next_action, '')
   ) stored`,
  // The text of a parsed record: every string and number in its data, keys left out.
  `create function local_json_text(j jsonb) returns text language sql immutable parallel safe as $$
     select coalesce(string_agg(v #>> '{}', ' '), '')
       from jsonb_path_query(coalesce(j, 'null'::jsonb), 'strict $.** ? (@.type() == "string" || @.type() == "number")') as v
   $$`,
  'create index cases_search_trgm on cases using gin (search_text gin_trgm_ops)',
  'create index complainants_uid_trgm on complainants using gin (exchange_uid gin_trgm_ops)',
  'create index notes_body_trgm on notes using gin (body gin_trgm_ops)',
  'create index communications_body_trgm on communications using gin (body gin_trgm_ops)',
  `create index exhibits_text_trgm on exhibits using gin ((coalesce(file_name, '') || ' ' || coalesce(description, '')) gin_trgm_ops)`,
  'create index exhibit_records_data_trgm on exhibit_records using gin (local_json_text(data) gin_trgm_ops)',

  // ---- Local only.
  `create table outbox (
     seq integer primary key,
     name text not null,
     args jsonb not null,
     created_at timestamptz not null default now(),
     status text not null default 'pending' check (status in ('pending', 'sent', 'applied', 'rejected'))
   )`,
  `create index outbox_open_idx on outbox (seq) where status in ('pending', 'sent')`,
  `create table rejections (
     seq integer primary key,
     name text not null,
     args jsonb not null,
     message_key text not null,
     field text,
     params jsonb not null default '{}'::jsonb,
     at timestamptz not null default now(),
     dismissed_at timestamptz
   )`,
  'create table meta (key text primary key, value jsonb not null)',
  `create table optimistic_base (
     tbl text not null,
     key text not null,
     case_id uuid,
     row jsonb,
     primary key (tbl, key)
   )`,
  'create index optimistic_base_case_idx on optimistic_base (case_id)',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The local store is a cache: dropping it loses nothing the server and the journal do not hold.
  for (const t of ['optimistic_base', 'meta', 'rejections', 'outbox', ...TABLES.map((x) => x.name).reverse()]) {
    await sql.raw(`drop table if exists ${t}`).execute(db);
  }
  await sql.raw('drop function if exists local_json_text(jsonb)').execute(db);
}
