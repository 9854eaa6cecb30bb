// Intake keys made straight in the database, for tests and scripts that have no admin session.
// Checking a presented key is admin.service's `findIntakeKey` (the one lookup the intake route
// uses); the keys made here have exactly its format, `arb_<12 hex>_<64 hex>`, and its hash
// (SHA-256 hex of the whole key), so both see the same keys. Admin tooling that people use goes
// through admin.service's createIntakeKey, which audits.
import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../db/database';

export const hashIntakeKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Makes a key and returns it in full, the only time it is ever visible. */
export async function createIntakeKey(
  db: DB,
  input: { name: string; defaultTeamId: string | null; createdBy?: string | null },
): Promise<{ id: string; key: string; prefix: string }> {
  const prefix = randomBytes(6).toString('hex');
  const key = `arb_${prefix}_${randomBytes(32).toString('hex')}`;
  const row = await db
    .insertInto('intake_keys')
    .values({ name: input.name, prefix, key_hash: hashIntakeKey(key), default_team_id: input.defaultTeamId, created_by: input.createdBy ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key, prefix };
}

export async function revokeIntakeKey(db: DB, id: string, at = new Date()): Promise<void> {
  await db.updateTable('intake_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}
