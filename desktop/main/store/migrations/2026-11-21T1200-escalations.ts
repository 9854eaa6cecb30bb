// The local store, second version: the escalation tables the server added (seats with their
// disclosures, rulings, signatures, dissents and addenda), the custody trail copied from the audit
// chain (keyed by the entry's place in the chain), and the other case's number on evidence signals.
// Same rules as the first version: the server's columns and types, keyed like the server, no
// foreign keys or NOT NULL beyond the key, and `pending_seq` on every synced table.
//
// Self-contained on purpose: a dated migration never changes once it has landed.
import { sql, type Kysely } from 'kysely';

const SYNC_COLUMNS = ['version bigint default 0', 'xact_id xid8', 'deleted_at timestamptz', 'pending_seq integer'];

/** Table → column definitions and key; the columns are the server's (server/src/db/migrations/2026-11-21T1200-escalations.ts). */
const TABLES: { name: string; columns: string[]; key: string[] }[] = [
  {
    name: 'escalation_members',
    key: ['id'],
    columns: [
      'id uuid',
      'case_id uuid',
      'escalation_id uuid',
      'user_id uuid',
      'role text',
      'seat text',
      'assigned_by uuid',
      'assigned_at timestamptz default now()',
      'disclosure text',
      'disclosed_at timestamptz',
      'accepted_at timestamptz',
      'declined_at timestamptz',
    ],
  },
  {
    name: 'rulings',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'escalation_id uuid', 'kind text', 'text text', 'decided_at timestamptz', 'recorded_by uuid'],
  },
  {
    name: 'ruling_signatures',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'ruling_id uuid', 'signer_id uuid', 'seat text', 'signed_at timestamptz', 'signature_hash text'],
  },
  {
    name: 'ruling_opinions',
    key: ['id'],
    columns: ['id uuid', 'case_id uuid', 'ruling_id uuid', 'kind text', 'author_id uuid', 'body text', 'created_at timestamptz default now()'],
  },
  {
    name: 'custody_entries',
    key: ['seq'],
    columns: ['seq bigint', 'case_id uuid', 'exhibit_id uuid', 'at timestamptz', 'actor_label text', 'action text', 'details jsonb', 'hash text'],
  },
];

const STATEMENTS: string[] = [
  ...TABLES.map((t) => `create table ${t.name} (${[...t.columns, ...SYNC_COLUMNS].join(', ')}, primary key (${t.key.join(', ')}))`),
  ...TABLES.map((t) => `create index ${t.name}_case_idx on ${t.name} (case_id)`),
  'create index escalation_members_escalation_idx on escalation_members (escalation_id)',
  'create index ruling_signatures_ruling_idx on ruling_signatures (ruling_id)',
  'create index custody_entries_exhibit_idx on custody_entries (exhibit_id, seq)',
  'alter table evidence_signals add column other_case_number text',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The local store is a cache: dropping it loses nothing the server and the journal do not hold.
  await sql.raw('alter table evidence_signals drop column if exists other_case_number').execute(db);
  for (const t of TABLES.map((x) => x.name).reverse()) await sql.raw(`drop table if exists ${t}`).execute(db);
}
