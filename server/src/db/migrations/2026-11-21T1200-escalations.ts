// Escalations in full: who sits on a mediation or an arbitration (with their disclosure and their
// answer), rulings with their signatures, dissents and addenda, and the custody trail as a synced
// copy of the audit chain's custody entries, so a workstation holds everything a dossier shows.
// Evidence signals also carry the other case's number: the workstation may not see that case.
//
// Rulings, signatures, opinions and custody entries are records, not drafts: the database refuses
// to change or delete them, as it does for the audit log. A member's seat only fills in (the
// disclosure once, then accepted or declined once).
//
// Self-contained on purpose: a dated migration never changes once it has landed.
import { sql, type Kysely } from 'kysely';

/** The new synced tables, how a change names the row, and the case it belongs to (see the sync migration). */
const LOGGED: { table: string; key: string }[] = [
  { table: 'escalation_members', key: 'new.id::text' },
  { table: 'rulings', key: 'new.id::text' },
  { table: 'ruling_signatures', key: 'new.id::text' },
  { table: 'ruling_opinions', key: 'new.id::text' },
  { table: 'custody_entries', key: 'new.seq::text' },
];

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export async function up(db: Kysely<any>): Promise<void> {
  // ---- Who sits on an escalation ---------------------------------------------------------------
  await db.schema
    .createTable('escalation_members')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('escalation_id', 'uuid', (c) => c.notNull().references('escalations.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('arbitrator','mediator')`))
    .addColumn('seat', 'text', (c) => c.check(sql`seat in ('chair','lawyer','accountant','technical_expert')`))
    .addColumn('assigned_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disclosure', 'text')
    .addColumn('disclosed_at', 'timestamptz')
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('declined_at', 'timestamptz')
    .addCheckConstraint('escalation_members_disclosure_pair', sql`(disclosure is null) = (disclosed_at is null)`)
    // Disclose first (回避 / conflicts), then answer, and only one answer.
    .addCheckConstraint('escalation_members_disclosed_before_answer', sql`(accepted_at is null and declined_at is null) or disclosed_at is not null`)
    .addCheckConstraint('escalation_members_one_answer', sql`accepted_at is null or declined_at is null`)
    .execute();
  // A person holds one seat per escalation, and a seat one person, among those who have not declined.
  await sql`create unique index escalation_members_user_idx on escalation_members (escalation_id, user_id) where declined_at is null`.execute(db);
  await sql`create unique index escalation_members_seat_idx on escalation_members (escalation_id, seat) where declined_at is null and seat is not null`.execute(db);
  await sql`create index escalation_members_case_user_idx on escalation_members (case_id, user_id)`.execute(db);

  // ---- Rulings, their signatures and the opinions attached to them -----------------------------
  await db.schema
    .createTable('rulings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('escalation_id', 'uuid', (c) => c.notNull().references('escalations.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('award','settlement','impasse')`))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('rulings_case_idx').on('rulings').column('case_id').execute();

  await db.schema
    .createTable('ruling_signatures')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('ruling_id', 'uuid', (c) => c.notNull().references('rulings.id'))
    .addColumn('signer_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('seat', 'text', (c) => c.check(sql`seat in ('chair','lawyer','accountant','technical_expert')`))
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    // SHA-256 (hex) of the canonical text of ruling id, ruling text, signer and time (shared/rulings.ts).
    .addColumn('signature_hash', 'text', (c) => c.notNull().check(sql`signature_hash ~ '^[0-9a-f]{64}$'`))
    .addUniqueConstraint('ruling_signatures_once', ['ruling_id', 'signer_id'])
    .execute();
  await db.schema.createIndex('ruling_signatures_case_idx').on('ruling_signatures').column('case_id').execute();

  await db.schema
    .createTable('ruling_opinions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('ruling_id', 'uuid', (c) => c.notNull().references('rulings.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('dissent','addendum')`))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ruling_opinions_case_idx').on('ruling_opinions').column('case_id').execute();

  // ---- The custody trail, copied from the audit chain ------------------------------------------
  // The chain (audit_log) stays the proof; this copy travels to workstations with the case. No
  // foreign keys: like the log itself, it records what happened even to rows that changed since.
  await db.schema
    .createTable('custody_entries')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull())
    .addColumn('exhibit_id', 'uuid', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`create index custody_entries_case_idx on custody_entries (case_id, seq)`.execute(db);
  await sql`create index custody_entries_exhibit_idx on custody_entries (exhibit_id, seq)`.execute(db);

  // ---- Sync: versions, tombstone column, change log --------------------------------------------
  for (const { table, key } of LOGGED) {
    await sql`alter table ${sql.table(table)} add column version bigint not null default 0, add column xact_id xid8, add column deleted_at timestamptz`.execute(db);
    await sql`create trigger ${sql.id(`${table}_version`)} before insert or update on ${sql.table(table)} for each row execute function set_row_version()`.execute(db);
    await sql`create index ${sql.id(`${table}_version_idx`)} on ${sql.table(table)} (version)`.execute(db);
    await sql`
      create function ${sql.id(`${table}_log_change`)}() returns trigger language plpgsql as $$
      begin
        insert into change_log (xact_id, version, table_name, row_key, case_id, before_team_id, before_assignee_id, deleted, is_update)
        values (new.xact_id, new.version, ${sql.lit(table)}, ${sql.raw(key)}, new.case_id, null, null, new.deleted_at is not null, tg_op = 'UPDATE');
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.id(`${table}_log_change`)} after insert or update on ${sql.table(table)} for each row execute function ${sql.id(`${table}_log_change`)}()`.execute(db);
  }

  // ---- Evidence signals name the other case ----------------------------------------------------
  await sql`alter table evidence_signals add column other_case_number text`.execute(db);
  await sql`update evidence_signals s set other_case_number = c.case_number from cases c where c.id = s.other_case_id`.execute(db);

  // ---- Every custody entry of the chain is copied, by the database, whoever wrote it -----------
  await sql`
    insert into custody_entries (seq, case_id, exhibit_id, at, actor_label, action, details, hash)
    select a.seq, coalesce(a.case_id, e.case_id), a.entity_id::uuid, a.at, a.actor_label, a.action, a.details, a.hash
      from audit_log a
      left join exhibits e on a.entity_id ~ ${sql.lit(UUID_PATTERN)} and e.id = a.entity_id::uuid
     where a.action like 'custody.%' and a.entity = 'exhibits' and a.entity_id ~ ${sql.lit(UUID_PATTERN)}
       and coalesce(a.case_id, e.case_id) is not null
     order by a.seq`.execute(db);
  // An entry that names no exhibit id or no case cannot travel with a case: the chain still has it.
  await sql`
    create function audit_log_copy_custody() returns trigger language plpgsql as $$
    declare
      v_case uuid;
    begin
      if new.action like 'custody.%' and new.entity = 'exhibits' and new.entity_id ~ ${sql.lit(UUID_PATTERN)} then
        v_case := coalesce(new.case_id, (select case_id from exhibits where id = new.entity_id::uuid));
        if v_case is not null then
          insert into custody_entries (seq, case_id, exhibit_id, at, actor_label, action, details, hash)
          values (new.seq, v_case, new.entity_id::uuid, new.at, new.actor_label, new.action, new.details, new.hash);
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger audit_log_copy_custody after insert on audit_log for each row execute function audit_log_copy_custody()`.execute(db);

  // ---- Records stay as they were written ----------------------------------------------------------
  await sql`
    create function refuse_record_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  for (const table of ['rulings', 'ruling_signatures', 'ruling_opinions', 'custody_entries']) {
    await sql`create trigger ${sql.id(`${table}_no_change`)} before update or delete on ${sql.table(table)} for each row execute function refuse_record_change()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)} for each statement execute function refuse_record_change()`.execute(db);
  }
  // A seat fills in once: who, which seat and who assigned it never change; the disclosure and the
  // answer are written once each.
  await sql`
    create function escalation_members_fill_once() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'escalation_members is append-only: DELETE refused' using errcode = 'insufficient_privilege';
      end if;
      if new.id <> old.id or new.case_id <> old.case_id or new.escalation_id <> old.escalation_id or new.user_id <> old.user_id
         or new.role <> old.role or new.seat is distinct from old.seat or new.assigned_by <> old.assigned_by or new.assigned_at <> old.assigned_at
         or (old.disclosed_at is not null and (new.disclosure is distinct from old.disclosure or new.disclosed_at is distinct from old.disclosed_at))
         or (old.accepted_at is not null and new.accepted_at is distinct from old.accepted_at)
         or (old.declined_at is not null and new.declined_at is distinct from old.declined_at)
         or new.deleted_at is not null then
        raise exception 'escalation_members: a recorded seat, disclosure or answer cannot be changed' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db);
  // Named to run before the version trigger (triggers fire in name order): a refused change takes no version.
  await sql`create trigger escalation_members_a_fill_once before update or delete on escalation_members for each row execute function escalation_members_fill_once()`.execute(db);
  await sql`create trigger escalation_members_no_truncate before truncate on escalation_members for each statement execute function refuse_record_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Rulings, signatures and custody records are never dropped.');
}
