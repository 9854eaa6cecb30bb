// Small facts the workstation keeps about itself in the local store's `meta` table.
import type { Kysely } from 'kysely';
import type { LocalDatabase } from './local-schema';

export const META_KEYS = {
  /** The pull cursor the server returned last (null before the first sync). */
  cursor: 'cursor',
  /** The scope hash the device last synced under. */
  scope: 'scope',
  deviceId: 'deviceId',
  /** The signed-in user as the engine knows it: { id, role, teamIds, displayName, … }. */
  user: 'user',
  /** ISO time of the last successful pull. */
  lastSyncAt: 'lastSyncAt',
} as const;
export type MetaKey = (typeof META_KEYS)[keyof typeof META_KEYS] | (string & {});

export async function getMeta<T = unknown>(db: Kysely<LocalDatabase>, key: MetaKey): Promise<T | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as T) : null;
}

export async function setMeta(db: Kysely<LocalDatabase>, key: MetaKey, value: unknown): Promise<void> {
  // Always serialised here: PGlite would pass a bare string through as JSON text, not as a JSON string.
  const json = JSON.stringify(value ?? null);
  await db
    .insertInto('meta')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
    .execute();
}

export async function deleteMeta(db: Kysely<LocalDatabase>, key: MetaKey): Promise<void> {
  await db.deleteFrom('meta').where('key', '=', key).execute();
}
