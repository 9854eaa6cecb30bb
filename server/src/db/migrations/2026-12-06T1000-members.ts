// External members' accounts: invitations by e-mail (the link's token stored only as a hash, used
// once, expiring), recovery codes (hashed, each used once) and the profile the platform reads when
// it chooses a panel (availability, languages, areas, standing conflicts); and sessions that end
// when left unused.
//
// Self-contained on purpose: a dated migration never changes once it has landed.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('arbitrator','mediator')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en','zh-CN')`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // The TOTP secret shown while the invitee sets up, kept until the first code proves it was scanned.
    .addColumn('totp_secret', 'text')
    .addColumn('consumed_at', 'timestamptz')
    .addColumn('user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'uuid', (c) => c.references('users.id'))
    .addCheckConstraint('member_invitations_consumed_pair', sql`(consumed_at is null) = (user_id is null)`)
    .addCheckConstraint('member_invitations_used_or_revoked', sql`consumed_at is null or revoked_at is null`)
    .execute();
  await db.schema.createIndex('member_invitations_email_idx').on('member_invitations').column('email').execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('member_profiles')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id'))
    .addColumn('availability', 'text', (c) =>
      c
        .notNull()
        .defaultTo('available')
        .check(sql`availability in ('available','limited','unavailable')`),
    )
    .addColumn('availability_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('areas', sql`text[]`, (c) =>
      c
        .notNull()
        .defaultTo(sql`'{}'::text[]`)
        .check(sql`areas <@ array['trading','custody','kyc_aml','p2p']::text[]`),
    )
    .addColumn('conflict_companies', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('conflict_people', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Idle timeout: a session with a limit ends when unused that long (browser sessions get one at
  // sign-in; devices and the CLI none). Sessions from before have none.
  await sql`alter table sessions add column idle_timeout_seconds integer check (idle_timeout_seconds > 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table sessions drop column idle_timeout_seconds`.execute(db);
  await db.schema.dropTable('member_profiles').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('member_invitations').execute();
}
