// SQL of the people an admin manages: users and their credentials, their sessions as a whole, teams
// and team membership (intake keys: intake/intake-keys.repository.ts). Functions that return rows to
// be shown select only columns that may leave the server: never password_hash or totp_secret.
import { sql } from 'kysely';
import type { DB } from '../db/database';
import { teamIdsOfUser } from '../auth/session.repository';

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/** Columns of a user that may be shown (to the user or to an admin). */
const PUBLIC_USER_COLUMNS = ['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'users.totp_enabled_at', 'users.disabled_at', 'users.created_at'] as const;

export function listUsers(db: DB) {
  return db
    .selectFrom('users')
    .select([...PUBLIC_USER_COLUMNS, teamIdsOfUser.as('team_ids')])
    .where('users.deleted_at', 'is', null)
    .orderBy('users.email')
    .execute();
}

export function findPublicUserById(db: DB, id: string) {
  return db
    .selectFrom('users')
    .select([...PUBLIC_USER_COLUMNS, teamIdsOfUser.as('team_ids')])
    .where('users.id', '=', id)
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The whole row, secrets included, for the checks of sign-in; stays inside the server. */
export function findUserCredentialsByEmail(db: DB, normalisedEmail: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', normalisedEmail)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The whole row, secrets included, locked for the rest of the transaction. */
export function findUserCredentialsById(db: DB, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
}

export async function emailTaken(db: DB, normalisedEmail: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', normalisedEmail).executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(
  db: DB,
  values: { email: string; display_name: string; role: string; language: string; password_hash: string },
): Promise<string> {
  const row = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function setUserRole(db: DB, userId: string, role: string) {
  return db.updateTable('users').set({ role }).where('id', '=', userId).execute();
}

export function setUserDisabled(db: DB, userId: string, at: Date) {
  return db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).where('disabled_at', 'is', null).execute();
}

export function setPasswordHash(db: DB, userId: string, passwordHash: string) {
  return db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** Stores a new secret awaiting its first code; TOTP is not enabled yet. */
export function setPendingTotpSecret(db: DB, userId: string, secret: string) {
  return db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute();
}

export function enableTotp(db: DB, userId: string, at: Date, step: number) {
  return db.updateTable('users').set({ totp_enabled_at: at, totp_last_step: step }).where('id', '=', userId).execute();
}

/** Remembers the last time step a code was accepted for, so that code (or an older one) never works again. */
export function setTotpLastStep(db: DB, userId: string, step: number) {
  return db.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId).execute();
}

/** A user's role and whether they are disabled (deleted ones too), to check whom a case, a seat or a relation concerns. */
export function findUserRole(db: DB, id: string) {
  return db.selectFrom('users').select(['id', 'role', 'disabled_at']).where('id', '=', id).executeTakeFirst();
}

export async function usersByIds(db: DB, ids: readonly string[]): Promise<{ id: string; role: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'role']).where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute();
}

export async function membershipCount(db: DB, userId: string): Promise<number> {
  const row = await db.selectFrom('team_members').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------
// Sessions of a user as a whole (one session at a time lives in auth/session.repository.ts)
// ---------------------------------------------------------------------------------------------

/** Revokes every live session of the user but `keepSessionId`; returns how many. */
export async function revokeOtherSessions(db: DB, userId: string, keepSessionId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('id', '<>', keepSessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------------------------

const memberIdsOfTeam = sql<string[]>`array(select tm.user_id::text from team_members tm where tm.team_id = teams.id order by tm.user_id)`;

export function listTeams(db: DB) {
  return db
    .selectFrom('teams')
    .select(['teams.id', 'teams.name', 'teams.created_at', memberIdsOfTeam.as('member_ids')])
    .where('teams.deleted_at', 'is', null)
    .orderBy('teams.name')
    .execute();
}

export function findTeam(db: DB, id: string) {
  return db
    .selectFrom('teams')
    .select(['teams.id', 'teams.name', 'teams.created_at', memberIdsOfTeam.as('member_ids')])
    .where('teams.id', '=', id)
    .where('teams.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Whether the team was ever made (a deleted one too). */
export async function teamExists(db: DB, id: string): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function teamNameTaken(db: DB, name: string): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export async function insertTeam(db: DB, name: string): Promise<string> {
  const row = await db.insertInto('teams').values({ name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function existingTeamIds(db: DB, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('teams').select('id').where('id', 'in', [...ids]).where('deleted_at', 'is', null).execute();
  return rows.map((r) => r.id);
}

export async function addMemberships(db: DB, userId: string, teamIds: readonly string[]): Promise<void> {
  if (teamIds.length === 0) return;
  await db
    .insertInto('team_members')
    .values(teamIds.map((team_id) => ({ team_id, user_id: userId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Makes `userIds` the team's members; returns who joined and who left. */
export async function replaceTeamMembers(db: DB, teamId: string, userIds: readonly string[]): Promise<{ added: string[]; removed: string[] }> {
  const current = (await db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute()).map((r) => r.user_id);
  const wanted = new Set(userIds);
  const removed = current.filter((id) => !wanted.has(id));
  const added = userIds.filter((id) => !current.includes(id));
  if (removed.length > 0) await db.deleteFrom('team_members').where('team_id', '=', teamId).where('user_id', 'in', removed).execute();
  if (added.length > 0) await db.insertInto('team_members').values(added.map((user_id) => ({ team_id: teamId, user_id }))).execute();
  return { added, removed };
}
