import { sql } from 'kysely';
import type { DB } from '../db/database';

/** The session's idle limit has passed since it was last seen. */
const idleExpired = (now: Date) => sql<boolean>`sessions.idle_timeout_seconds is not null and sessions.last_seen_at <= ${now}::timestamptz - make_interval(secs => sessions.idle_timeout_seconds)`;

/** The teams of the user in the row (`users` must be in the query): one column instead of another round trip. */
export const teamIdsOfUser = sql<string[]>`array(select tm.team_id::text from team_members tm where tm.user_id = users.id order by tm.team_id)`;

export function findActiveSessionByTokenHash(db: DB, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.totp_verified',
      'sessions.kind',
      'sessions.device_id',
      'sessions.last_seen_at',
      'users.id as user_id',
      'users.email',
      'users.display_name',
      'users.role',
      'users.language',
      'users.totp_enabled_at',
      teamIdsOfUser.as('team_ids'),
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where(sql<boolean>`not (${idleExpired(now)})`)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Records that the session was used now (what its idle limit counts from). */
export function touchSession(db: DB, sessionId: string, now: Date) {
  return db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).where('last_seen_at', '<', now).execute();
}

/** The idle limit of a session that would still be valid but for it, when it has passed: why the token no longer works. */
export function idleExpiredSession(db: DB, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['sessions.id', 'sessions.idle_timeout_seconds'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where(idleExpired(now))
    .executeTakeFirst();
}

export async function teamIdsOf(db: DB, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('team_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.team_id);
}

export function insertSession(
  db: DB,
  values: {
    token_hash: string;
    user_id: string;
    kind: string;
    totp_verified: boolean;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
    device_id?: string | null;
    idle_timeout_seconds?: number | null;
    last_seen_at?: Date;
  },
) {
  return db.insertInto('sessions').values(values).returning(['id']).executeTakeFirstOrThrow();
}

export function revokeSession(db: DB, sessionId: string, now: Date) {
  return db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export function revokeAllSessionsOfUser(db: DB, userId: string, now: Date) {
  return db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
}

export function markSessionTotpVerified(db: DB, sessionId: string) {
  return db.updateTable('sessions').set({ totp_verified: true }).where('id', '=', sessionId).execute();
}

/** The revoked device behind a token, if that is why the token no longer works. */
export function revokedDeviceOfToken(db: DB, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('devices', 'devices.id', 'sessions.device_id')
    .select(['devices.id', 'devices.revoked_at', 'devices.revoked_reason'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('devices.revoked_at', 'is not', null)
    .executeTakeFirst();
}
