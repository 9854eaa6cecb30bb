// SQL of the evidence vault: uploads, blobs, exhibits, records, redactions, signals.
import { sql, type Insertable } from 'kysely';
import type { ExhibitsTable } from '../db/schema';
import type { DB } from '../db/database';

export const insertUpload = (
  db: DB,
  v: {
    case_id: string;
    file_name: string;
    declared_size: number;
    declared_sha256: string;
    side: string;
    exhibit_type: string | null;
    source: string;
    internal_only: boolean;
    mapping: string | null;
    device_id: string | null;
    created_by: string;
  },
) => db.insertInto('uploads').values(v).returningAll().executeTakeFirstOrThrow();

export const findUpload = (db: DB, id: string) => db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();

/** Moves the offset forward only from where the caller found it: two writers cannot both succeed. */
export async function advanceUpload(db: DB, id: string, from: number, to: number): Promise<boolean> {
  const res = await db
    .updateTable('uploads')
    .set({ received_bytes: to, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where(sql<boolean>`received_bytes = ${from}`)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Forgets an upload that was refused: nothing of it stays behind (its refusal is on the audit chain). */
export const deleteUpload = (db: DB, id: string) => db.deleteFrom('uploads').where('id', '=', id).where('status', '!=', 'complete').execute();

export const setUploadStatus = (db: DB, id: string, status: 'complete' | 'failed' | 'expired', exhibitId: string | null = null) =>
  db.updateTable('uploads').set({ status, exhibit_id: exhibitId, updated_at: new Date() }).where('id', '=', id).execute();

export async function insertBlobIfNew(db: DB, v: { sha256: string; size: number; media_type: string; store: string }) {
  await db.insertInto('blobs').values(v).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

export const findExhibitOfBlobInCase = (db: DB, caseId: string, sha256: string) =>
  db.selectFrom('exhibits').selectAll().where('case_id', '=', caseId).where('blob_sha256', '=', sha256).where('deleted_at', 'is', null).executeTakeFirst();

export async function nextExhibitSeq(trx: DB, caseId: string, side: string): Promise<number> {
  const row = await trx
    .selectFrom('exhibits')
    .select((eb) => eb.fn.max('seq').as('max'))
    .where('case_id', '=', caseId)
    .where('side', '=', side)
    .executeTakeFirst();
  return (row?.max ?? 0) + 1;
}

export const insertExhibit = (trx: DB, v: Insertable<ExhibitsTable>) => trx.insertInto('exhibits').values(v).returningAll().executeTakeFirstOrThrow();

export async function insertRecords(
  trx: DB,
  rows: { exhibit_id: string; case_id: string; seq: number; kind: string; occurred_at: Date | null; data: string; search_text: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('exhibit_records').values(rows.slice(i, i + 1000)).execute();
}

export const exhibitsOfCase = (db: DB, caseId: string) =>
  db
    .selectFrom('exhibits')
    .leftJoin('users', 'users.id', 'exhibits.taken_in_by')
    .selectAll('exhibits')
    .select('users.display_name as taken_in_by_name')
    .where('exhibits.case_id', '=', caseId)
    .where('exhibits.deleted_at', 'is', null)
    .orderBy('exhibits.side')
    .orderBy('exhibits.seq')
    .execute();

/** The exhibits with these ids, soft-deleted ones too, whichever case they belong to. */
export async function exhibitsByIds(db: DB, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('exhibits').select(['id', 'case_id', 'exhibit_number', 'blob_sha256']).where('id', 'in', [...ids]).execute();
}

export const findExhibit = (db: DB, id: string) => db.selectFrom('exhibits').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();

export function recordsOfExhibit(db: DB, exhibitId: string, opts: { search?: string; limit: number; offset: number; order: 'seq' | 'time' }) {
  let q = db.selectFrom('exhibit_records').select(['seq', 'kind', 'occurred_at', 'data']).where('exhibit_id', '=', exhibitId).where('deleted_at', 'is', null);
  if (opts.search) q = q.where('search_text', 'ilike', `%${opts.search.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  q = opts.order === 'time' ? q.orderBy('occurred_at').orderBy('seq') : q.orderBy('seq');
  return q.limit(opts.limit).offset(opts.offset).execute();
}

export const allRecordsOfExhibit = (db: DB, exhibitId: string) =>
  db.selectFrom('exhibit_records').select(['seq', 'kind', 'occurred_at', 'data']).where('exhibit_id', '=', exhibitId).where('deleted_at', 'is', null).orderBy('seq').execute();

export const findRecord = (db: DB, exhibitId: string, seq: number) =>
  db.selectFrom('exhibit_records').select(['kind', 'data']).where('exhibit_id', '=', exhibitId).where('seq', '=', seq).executeTakeFirst();

export const setInternalOnly = (trx: DB, id: string, internalOnly: boolean) =>
  trx.updateTable('exhibits').set({ internal_only: internalOnly }).where('id', '=', id).execute();

export const insertRedaction = (
  trx: DB,
  v: { exhibit_id: string; case_id: string; record_seq: number; field: string; start: number; end: number; reason: string; created_by: string },
) => trx.insertInto('redactions').values(v).returningAll().executeTakeFirstOrThrow();

export const redactionsOfCase = (db: DB, caseId: string) =>
  db.selectFrom('redactions').selectAll().where('case_id', '=', caseId).where('deleted_at', 'is', null).orderBy('created_at').execute();

/** Cases of other complainants that cite the same bytes. */
export const casesCitingBlobElsewhere = (db: DB, sha256: string, complainantId: string) =>
  db
    .selectFrom('exhibits')
    .innerJoin('cases', 'cases.id', 'exhibits.case_id')
    .select(['cases.id as case_id', 'cases.case_number'])
    .distinct()
    .where('exhibits.blob_sha256', '=', sha256)
    .where('exhibits.deleted_at', 'is', null)
    .where('cases.complainant_id', '<>', complainantId)
    .execute();

export const insertSignal = (trx: DB, v: { case_id: string; other_case_id: string; other_case_number: string; blob_sha256: string }) =>
  trx.insertInto('evidence_signals').values(v).onConflict((oc) => oc.columns(['case_id', 'other_case_id', 'blob_sha256']).doNothing()).execute();

export const signalsOfCase = (db: DB, caseId: string) =>
  db
    .selectFrom('evidence_signals')
    .innerJoin('cases', 'cases.id', 'evidence_signals.other_case_id')
    .select(['evidence_signals.id', 'evidence_signals.kind', 'evidence_signals.blob_sha256', 'evidence_signals.other_case_id', 'cases.case_number as other_case_number', 'evidence_signals.created_at'])
    .where('evidence_signals.case_id', '=', caseId)
    .orderBy('evidence_signals.created_at')
    .execute();

export async function* allBlobs(db: DB, batch = 500) {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('blobs').select(['sha256', 'size']).where('sha256', '>', after).orderBy('sha256').limit(batch).execute();
    if (rows.length === 0) return;
    for (const r of rows) yield r;
    after = rows[rows.length - 1]!.sha256;
  }
}

/** Every exhibit that cites the bytes, by case number and exhibit number (soft-deleted ones too). */
export const exhibitsCitingBlob = (db: DB, sha256: string) =>
  db
    .selectFrom('exhibits')
    .innerJoin('cases', 'cases.id', 'exhibits.case_id')
    .select(['cases.case_number', 'exhibits.exhibit_number'])
    .where('exhibits.blob_sha256', '=', sha256)
    .execute();

export const markBlobVerified = (db: DB, sha256: string, at: Date) => db.updateTable('blobs').set({ verified_at: at }).where('sha256', '=', sha256).execute();
