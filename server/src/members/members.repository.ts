// SQL of external members' accounts: invitations, profiles and the member list.
import { sql } from 'kysely';
import type { DB } from '../db/database';

export function insertInvitation(db: DB, values: { email: string; role: string; language: string; token_hash: string; invited_by: string; created_at: Date; expires_at: Date }) {
  return db.insertInto('member_invitations').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Withdraws the address's invitations still open: a new invitation replaces them, so only the newest link works. */
export async function revokeOpenInvitationsFor(db: DB, email: string, by: string, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('member_invitations')
    .set({ revoked_at: now, revoked_by: by })
    .where('email', '=', email)
    .where('consumed_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The invitation behind a link's token, locked for the rest of the transaction when `lock` (setup consumes it). */
export function findInvitationByTokenHash(db: DB, tokenHash: string, options: { lock?: boolean } = {}) {
  const q = db.selectFrom('member_invitations').selectAll().where('token_hash', '=', tokenHash);
  return (options.lock ? q.forUpdate() : q).executeTakeFirst();
}

export function findInvitationById(db: DB, id: string, options: { lock?: boolean } = {}) {
  const q = db.selectFrom('member_invitations').selectAll().where('id', '=', id);
  return (options.lock ? q.forUpdate() : q).executeTakeFirst();
}

/** Invitations newest first with the inviter's name (one of them, given its id). */
export function listInvitations(db: DB, limit: number, id?: string) {
  let q = db
    .selectFrom('member_invitations as i')
    .innerJoin('users as inviter', 'inviter.id', 'i.invited_by')
    .select(['i.id', 'i.email', 'i.role', 'i.language', 'i.created_at', 'i.expires_at', 'i.consumed_at', 'i.user_id', 'i.revoked_at', 'i.invited_by', 'inviter.display_name as inviter_name'])
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id')
    .limit(limit);
  if (id !== undefined) q = q.where('i.id', '=', id);
  return q.execute();
}

export function setInvitationTotpSecret(db: DB, id: string, secret: string) {
  return db.updateTable('member_invitations').set({ totp_secret: secret }).where('id', '=', id).execute();
}

/** Closes an invitation still open (not used, withdrawn or expired) with `changes`: true when this call did it. */
async function closeOpenInvitation(db: DB, id: string, now: Date, changes: { consumed_at?: Date; user_id?: string; revoked_at?: Date; revoked_by?: string }): Promise<boolean> {
  const result = await db
    .updateTable('member_invitations')
    .set({ ...changes, totp_secret: null })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Uses the invitation up, once: true when this call did it. */
export function consumeInvitation(db: DB, id: string, userId: string, now: Date): Promise<boolean> {
  return closeOpenInvitation(db, id, now, { consumed_at: now, user_id: userId });
}

export function revokeInvitation(db: DB, id: string, by: string, now: Date): Promise<boolean> {
  return closeOpenInvitation(db, id, now, { revoked_at: now, revoked_by: by });
}

export function insertMemberUser(
  db: DB,
  values: { email: string; display_name: string; role: string; language: string; password_hash: string; totp_secret: string; totp_enabled_at: Date; totp_last_step: number },
) {
  return db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
}

export function upsertProfile(
  db: DB,
  userId: string,
  values: { availability: string; availability_note: string; languages: string[]; areas: string[]; conflict_companies: string[]; conflict_people: string[] },
  now: Date,
) {
  const row = { user_id: userId, ...values, updated_at: now };
  return db
    .insertInto('member_profiles')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: now }))
    .execute();
}

const memberColumns = [
  'u.id',
  'u.email',
  'u.display_name',
  'u.role',
  'u.language',
  'u.totp_enabled_at',
  'u.created_at',
  'p.availability',
  'p.availability_note',
  'p.languages',
  'p.areas',
  'p.conflict_companies',
  'p.conflict_people',
  'p.updated_at',
] as const;

/** External members (arbitrators and mediators, never disabled ones) with their profiles, by name. */
export function listMembers(db: DB, filter: { role?: string; area?: string; language?: string; availability?: string }) {
  let q = db.selectFrom('users as u').leftJoin('member_profiles as p', 'p.user_id', 'u.id').select(memberColumns).where('u.role', 'in', ['arbitrator', 'mediator']).where('u.disabled_at', 'is', null);
  if (filter.role) q = q.where('u.role', '=', filter.role);
  if (filter.area) q = q.where(sql<boolean>`${filter.area} = any(p.areas)`);
  if (filter.language) q = q.where(sql<boolean>`${filter.language} = any(p.languages)`);
  if (filter.availability) q = q.where('p.availability', '=', filter.availability);
  return q.orderBy('u.display_name').orderBy('u.id').limit(1000).execute();
}

export function findMember(db: DB, userId: string) {
  return db.selectFrom('users as u').leftJoin('member_profiles as p', 'p.user_id', 'u.id').select(memberColumns).where('u.id', '=', userId).executeTakeFirst();
}

/** The longest-standing active user of a role (the demo's inviter). */
export function firstActiveUserWithRole(db: DB, role: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'language'])
    .where('role', '=', role)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}
