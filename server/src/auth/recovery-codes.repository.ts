import type { DB } from '../db/database';

export async function insertRecoveryCodes(db: DB, userId: string, codeHashes: readonly string[], now: Date): Promise<void> {
  if (codeHashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now })))
    .execute();
}

export function unusedRecoveryCodes(db: DB, userId: string) {
  return db.selectFrom('recovery_codes').select(['id', 'code_hash']).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

/** Marks a code used, once: true when this call did it (a concurrent sign-in with the same code gets false). */
export async function markRecoveryCodeUsed(db: DB, id: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('recovery_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: DB, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A user's recovery codes, used or not: a new set replaces them. */
export function deleteRecoveryCodes(db: DB, userId: string) {
  return db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}
