// Recovery codes: ten single-use codes given once when an account gets TOTP, for signing in when the
// authenticator is lost. Stored only as argon2id hashes; a code that matched is marked used in the
// same transaction as the sign-in, so it never works twice.
import { randomInt } from 'node:crypto';
import type { DB } from '../db/database';
import { formatRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_ALPHABET, RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH } from '../../../shared/member-accounts';
import { hashPassword, verifyPassword } from './password';
import { countUnusedRecoveryCodes, deleteRecoveryCodes, insertRecoveryCodes, markRecoveryCodeUsed, unusedRecoveryCodes } from './recovery-codes.repository';

/** One new code in its stored form (12 characters of Crockford base32, 60 bits). */
function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
  return code;
}

/**
 * A new set of recovery codes: as shown to the user (this once) and as stored. Hashing takes a while,
 * so it is done before the transaction that stores them.
 */
export async function prepareRecoveryCodes(): Promise<{ shown: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((c) => hashPassword(c)));
  return { shown: codes.map(formatRecoveryCode), hashes };
}

export function storeRecoveryCodes(db: DB, userId: string, hashes: readonly string[], now: Date): Promise<void> {
  return insertRecoveryCodes(db, userId, hashes, now);
}

/** Replaces a user's recovery codes, used and unused, with a new set (inside the caller's transaction). */
export async function replaceRecoveryCodes(db: DB, userId: string, hashes: readonly string[], now: Date): Promise<void> {
  await deleteRecoveryCodes(db, userId);
  await insertRecoveryCodes(db, userId, hashes, now);
}

/**
 * Uses a typed recovery code: true when it matches one of the user's unused codes, which is then used
 * up (inside the caller's transaction). Every unused hash is checked, so the time taken does not say
 * which one matched.
 */
export async function redeemRecoveryCode(db: DB, userId: string, typed: string, now: Date): Promise<{ ok: boolean; remaining: number }> {
  const code = normaliseRecoveryCode(typed);
  const rows = await unusedRecoveryCodes(db, userId);
  const matches = await Promise.all(rows.map(async (row) => ((await verifyPassword(row.code_hash, code ?? 'not-a-code')) ? row.id : null)));
  const id = code === null ? null : (matches.find((m) => m !== null) ?? null);
  if (id === null || !(await markRecoveryCodeUsed(db, id, now))) return { ok: false, remaining: rows.length };
  return { ok: true, remaining: await countUnusedRecoveryCodes(db, userId) };
}
