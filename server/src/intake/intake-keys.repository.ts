// SQL of intake keys, the credentials customer-service systems post complaints with: made, listed
// and revoked by admins (admin.service, which audits), checked on every intake request (admin.service's
// `findIntakeKey`). Functions that return rows to be shown never select key_hash.
// `createIntakeKey` here makes a key straight in the database, for tests and scripts that have no
// admin session; its keys have exactly admin.service's format, `arb_<12 hex>_<64 hex>`, and hash
// (`hashIntakeKey`, SHA-256 hex of the whole key), so both see the same keys.
import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../db/database';

export const hashIntakeKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

const PUBLIC_INTAKE_KEY_COLUMNS = ['id', 'name', 'prefix', 'default_team_id', 'created_by', 'created_at', 'revoked_at'] as const;

export async function insertIntakeKey(
  db: DB,
  values: { name: string; prefix: string; key_hash: string; default_team_id: string | null; created_by: string | null },
) {
  return db.insertInto('intake_keys').values(values).returning(PUBLIC_INTAKE_KEY_COLUMNS).executeTakeFirstOrThrow();
}

export function listIntakeKeys(db: DB) {
  return db.selectFrom('intake_keys').select(PUBLIC_INTAKE_KEY_COLUMNS).orderBy('created_at', 'desc').orderBy('id').execute();
}

/** The key's row, locked for the rest of the transaction. */
export function findIntakeKeyById(db: DB, id: string) {
  return db.selectFrom('intake_keys').select(PUBLIC_INTAKE_KEY_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The key's row with its hash, for checking a presented key; stays inside the server. */
export function findIntakeKeyByPrefix(db: DB, prefix: string) {
  return db.selectFrom('intake_keys').select([...PUBLIC_INTAKE_KEY_COLUMNS, 'key_hash']).where('prefix', '=', prefix).executeTakeFirst();
}

export async function revokeIntakeKey(db: DB, id: string, at = new Date()): Promise<void> {
  await db.updateTable('intake_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Makes a key and returns it in full, the only time it is ever visible. */
export async function createIntakeKey(
  db: DB,
  input: { name: string; defaultTeamId: string | null; createdBy?: string | null },
): Promise<{ id: string; key: string; prefix: string }> {
  const prefix = randomBytes(6).toString('hex');
  const key = `arb_${prefix}_${randomBytes(32).toString('hex')}`;
  const row = await insertIntakeKey(db, { name: input.name, prefix, key_hash: hashIntakeKey(key), default_team_id: input.defaultTeamId, created_by: input.createdBy ?? null });
  return { id: row.id, key, prefix };
}
