// Sign-in attempts: every one is recorded (succeeded or not, throttled or not), and the throttle in
// auth.service.ts reads them back per account (email as typed, normalised) and per address.
import { sql } from 'kysely';
import type { DB } from '../db/database';

export interface AttemptRow {
  at: Date;
  succeeded: boolean;
}

export function recordLoginAttempt(db: DB, attempt: { email: string; ip: string; succeeded: boolean; at: Date }) {
  return db.insertInto('login_attempts').values(attempt).execute();
}

/**
 * Serialises the checks of one account for the rest of the transaction, so concurrent wrong
 * guesses cannot all slip past the count before any of them is recorded.
 */
export async function lockLoginAccount(trx: DB, email: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`login:${email}`}, 0))`.execute(trx);
}

/** The account's attempts since `since`, oldest first (at most `limit`, the most recent ones). */
export async function attemptsForEmail(db: DB, email: string, since: Date, limit: number): Promise<AttemptRow[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['at', 'succeeded'])
    .where('email', '=', email)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** The address's failed attempts since `since`, oldest first (at most `limit`, the most recent ones). */
export async function failuresFromIp(db: DB, ip: string, since: Date, limit: number): Promise<AttemptRow[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['at', 'succeeded'])
    .where('ip', '=', ip)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** The account's attempts from one address since `since`, oldest first (at most `limit`, the most recent ones). */
export async function attemptsForEmailFromIp(db: DB, email: string, ip: string, since: Date, limit: number): Promise<AttemptRow[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['at', 'succeeded'])
    .where('email', '=', email)
    .where('ip', '=', ip)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Whether this address signed in to the account successfully since `since` (a known place of the owner). */
export async function hasSucceededFromIp(db: DB, email: string, ip: string, since: Date): Promise<boolean> {
  const row = await db.selectFrom('login_attempts').select('id').where('email', '=', email).where('ip', '=', ip).where('succeeded', '=', true).where('at', '>', since).limit(1).executeTakeFirst();
  return !!row;
}
