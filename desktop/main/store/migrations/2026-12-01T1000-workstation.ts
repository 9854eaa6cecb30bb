// The local store, third version: what the workstation's queue and workspace need.
// - Queue columns on `cases`: the complainant's VIP level and exchange UID and the assignee's name,
//   copied onto the case by triggers (rows arrive in any order, so the complainant and user
//   triggers fill them in too), so that every queue filter and sort is one indexed expression on one
//   table; the next open SLA deadline (`sla_due`) and the lifecycle/priority ranks as generated
//   columns (generated columns are not synced: apply-changes and the optimistic undo skip them).
// - One (expression, id) index per sortable queue column, so a page is an index scan with a stable
//   tiebreak; the case's search text with the exchange UID, lowered, under a trigram index.
// - Local-only tables: read marks (unread), drafts (autosaved text), saved queue views.
//
// Self-contained on purpose: a dated migration never changes once it has landed.
import { sql, type Kysely } from 'kysely';

// The lifecycle order of shared/domain CASE_STATES and PRIORITIES when this migration was written:
// sorting by status or priority follows the process, not the alphabet.
const STATE_ORDER = [
  'received',
  'initial_review',
  'awaiting_material',
  'rejected',
  'investigation',
  'awaiting_third_party',
  'assessment',
  'pending_approval',
  'resolution_proposed',
  'execution',
  'follow_up',
  'closed',
  'archived',
  'mediation',
  'arbitration',
];
const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'];
const rank = (column: string, values: string[]) => `case ${column} ${values.map((v, i) => `when '${v}' then ${i}`).join(' ')} end`;

const SORT_EXPRESSIONS: Record<string, string> = {
  case_number: 'case_number',
  status: 'status_rank',
  category: 'category',
  subcategory: 'subcategory',
  tier: 'tier',
  priority: 'priority_rank',
  sla_due: 'sla_due',
  received_at: 'received_at',
  usd_equivalent: 'usd_equivalent',
  vip_level: 'queue_vip_level',
  channel: 'channel',
  assignee: 'queue_assignee_name',
  language: 'language',
  updated_at: 'updated_at',
};

const STATEMENTS: string[] = [
  'alter table cases add column queue_vip_level integer',
  'alter table cases add column queue_exchange_uid text',
  'alter table cases add column queue_assignee_name text',
  // The earliest deadline still open: first response until it is given, then resolution; none once resolved.
  `alter table cases add column sla_due timestamptz generated always as (
     case when resolved_at is not null then null
          when first_responded_at is null then least(first_response_due_at, resolution_due_at)
          else resolution_due_at end
   ) stored`,
  // The queue's search text, lowered once here: LIKE over it is several times faster than ILIKE per row.
  `alter table cases add column queue_search text generated always as (
     lower(coalesce(case_number, '') || ' ' || coalesce(description, '') || ' ' || coalesce(handler_summary, '') || ' ' || coalesce(next_action, '') || ' ' || coalesce(queue_exchange_uid, ''))
   ) stored`,
  `alter table cases add column status_rank smallint generated always as (${rank('status', STATE_ORDER)}) stored`,
  `alter table cases add column priority_rank smallint generated always as (${rank('priority', PRIORITY_ORDER)}) stored`,

  `create function local_case_queue_columns() returns trigger language plpgsql as $$
   begin
     select k.vip_level, k.exchange_uid into new.queue_vip_level, new.queue_exchange_uid from complainants k where k.id = new.complainant_id;
     if not found then
       new.queue_vip_level := null;
       new.queue_exchange_uid := null;
     end if;
     new.queue_assignee_name := (select u.display_name from users u where u.id = new.assignee_id);
     return new;
   end $$`,
  `create trigger cases_queue_columns before insert or update of complainant_id, assignee_id on cases
     for each row execute function local_case_queue_columns()`,
  `create function local_complainant_to_cases() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' then
       update cases set queue_vip_level = null, queue_exchange_uid = null where complainant_id = old.id;
       return old;
     end if;
     update cases set queue_vip_level = new.vip_level, queue_exchange_uid = new.exchange_uid
      where complainant_id = new.id
        and (queue_vip_level is distinct from new.vip_level or queue_exchange_uid is distinct from new.exchange_uid);
     return new;
   end $$`,
  `create trigger complainants_to_cases after insert or update or delete on complainants
     for each row execute function local_complainant_to_cases()`,
  `create function local_user_to_cases() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' then
       update cases set queue_assignee_name = null where assignee_id = old.id;
       return old;
     end if;
     update cases set queue_assignee_name = new.display_name
      where assignee_id = new.id and queue_assignee_name is distinct from new.display_name;
     return new;
   end $$`,
  `create trigger users_to_cases after insert or update or delete on users
     for each row execute function local_user_to_cases()`,
  // Cases already here get their queue columns now.
  `update cases c set queue_vip_level = k.vip_level, queue_exchange_uid = k.exchange_uid from complainants k where k.id = c.complainant_id`,
  `update cases c set queue_assignee_name = u.display_name from users u where u.id = c.assignee_id`,

  'create index cases_complainant_idx on cases (complainant_id)',
  'create index cases_team_idx on cases (team_id)',
  ...Object.entries(SORT_EXPRESSIONS).map(([name, expression]) => `create index cases_queue_${name}_idx on cases (${expression}, id)`),
  'create index cases_queue_search_trgm on cases using gin (queue_search gin_trgm_ops)',
  `create index case_events_local_pending_idx on case_events (case_id) where type = 'local.pending'`,
  'create index approvals_open_idx on approvals (case_id) where decision is null',

  // ---- Local only.
  `create table read_marks (
     case_id uuid primary key,
     seen_at timestamptz not null,
     marked_at timestamptz not null default now()
   )`,
  `create table drafts (
     key text primary key,
     text text not null,
     saved_at timestamptz not null default now()
   )`,
  `create table saved_views (
     id uuid primary key,
     name text not null,
     filter jsonb not null,
     sort jsonb not null,
     created_at timestamptz not null default now()
   )`,
  'create unique index saved_views_name_idx on saved_views (lower(name))',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['saved_views', 'drafts', 'read_marks']) await sql.raw(`drop table if exists ${t}`).execute(db);
  await sql.raw('drop trigger if exists users_to_cases on users').execute(db);
  await sql.raw('drop trigger if exists complainants_to_cases on complainants').execute(db);
  await sql.raw('drop trigger if exists cases_queue_columns on cases').execute(db);
  for (const f of ['local_user_to_cases', 'local_complainant_to_cases', 'local_case_queue_columns']) await sql.raw(`drop function if exists ${f}()`).execute(db);
  for (const c of ['priority_rank', 'status_rank', 'queue_search', 'sla_due', 'queue_assignee_name', 'queue_exchange_uid', 'queue_vip_level'])
    await sql.raw(`alter table cases drop column if exists ${c}`).execute(db);
}
