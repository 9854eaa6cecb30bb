// SQL of drafts: long text autosaved on the workstation under a draft key, until sent or cleared.
import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/local-schema';

type Db = Kysely<LocalDatabase>;

export async function findDraft(db: Db, key: string): Promise<{ text: string; saved_at: Date } | undefined> {
  return db.selectFrom('drafts').select(['text', 'saved_at']).where('key', '=', key).executeTakeFirst();
}

export async function saveDraft(db: Db, key: string, text: string, savedAt: Date): Promise<void> {
  await db
    .insertInto('drafts')
    .values({ key, text, saved_at: savedAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ text, saved_at: savedAt }))
    .execute();
}

export async function deleteDraft(db: Db, key: string): Promise<void> {
  await db.deleteFrom('drafts').where('key', '=', key).execute();
}
