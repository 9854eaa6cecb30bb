// SQL of the dossiers table: requests, their progress through the render queue, and the finished
// PDF's hash; and what a request or download checks about the people involved (their names, a
// member's standing on the case's escalations). The case's rows a dossier is built from are read
// by dossier-source-rows.repository.ts.
import { sql, type Selectable } from 'kysely';
import type { DB } from '../db/database';
import type { DossiersTable } from '../db/schema';

export type DossierRow = Selectable<DossiersTable>;
export type DossierStatus = DossierRow['status'];
export interface DossierError {
  messageKey: string;
  params: Record<string, string | number>;
}

/** Everything but the (possibly large) snapshot. */
const SUMMARY = [
  'id',
  'case_id',
  'recipient_user_id',
  'recipient_kind',
  'language',
  'snapshot_sha256',
  'document_id',
  'status',
  'progress',
  'pdf_sha256',
  'pdf_size',
  'error',
  'requested_by',
  'requested_at',
  'started_at',
  'finished_at',
  'renderer',
] as const;
export type DossierSummary = Pick<DossierRow, (typeof SUMMARY)[number]>;

export const insertDossier = (
  trx: DB,
  v: {
    case_id: string;
    recipient_user_id: string;
    recipient_kind: 'internal' | 'external';
    language: string;
    snapshot: string;
    snapshot_sha256: string;
    document_id: string;
    requested_by: string;
  },
) => trx.insertInto('dossiers').values(v).returning(SUMMARY).executeTakeFirstOrThrow();

export const findDossier = (db: DB, id: string): Promise<DossierSummary | undefined> => db.selectFrom('dossiers').select(SUMMARY).where('id', '=', id).executeTakeFirst();

export const findDossierWithSnapshot = (db: DB, id: string): Promise<DossierRow | undefined> => db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst();

export const dossiersOfCase = (db: DB, caseId: string, limit = 200): Promise<DossierSummary[]> =>
  db.selectFrom('dossiers').select(SUMMARY).where('case_id', '=', caseId).orderBy('requested_at', 'desc').orderBy('id').limit(limit).execute();

/** The finished dossiers whose PDF has this hash (the same snapshot renders to the same bytes), newest first. */
export const dossiersByPdfHash = (db: DB, sha256: string): Promise<DossierRow[]> =>
  db.selectFrom('dossiers').selectAll().where('pdf_sha256', '=', sha256).where('status', '=', 'done').orderBy('finished_at', 'desc').execute();

/** Dossiers printed with this document ID, finished ones first, newest first. */
export const dossiersByDocumentId = (db: DB, documentId: string): Promise<DossierRow[]> =>
  db
    .selectFrom('dossiers')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy(sql`status = 'done'`, 'desc')
    .orderBy('requested_at', 'desc')
    .execute();

/** Dossiers whose snapshot hash starts with this hex prefix (a PDF's file identifier), finished ones first. */
export const dossiersBySnapshotPrefix = (db: DB, prefix: string): Promise<DossierRow[]> =>
  db
    .selectFrom('dossiers')
    .selectAll()
    .where(sql<boolean>`starts_with(snapshot_sha256, ${prefix})`)
    .orderBy(sql`status = 'done'`, 'desc')
    .orderBy('requested_at', 'desc')
    .execute();

/** An attempt begins: progress starts over, the last attempt's error stays until this one ends. */
export const markRendering = (db: DB, id: string, at: Date) =>
  db.updateTable('dossiers').set({ status: 'rendering', progress: 0, started_at: at }).where('id', '=', id).where('status', 'in', ['queued', 'rendering', 'failed']).executeTakeFirst();

/** Progress only moves forward within an attempt, and never on a dossier that is no longer rendering. */
export const setProgress = (db: DB, id: string, progress: number) =>
  db
    .updateTable('dossiers')
    .set({ progress })
    .where('id', '=', id)
    .where('status', '=', 'rendering')
    .where('progress', '<', progress)
    .execute();

export const markDone = (trx: DB, id: string, v: { pdfSha256: string; pdfSize: number; renderer: string; at: Date }) =>
  trx
    .updateTable('dossiers')
    .set({ status: 'done', progress: 100, pdf_sha256: v.pdfSha256, pdf_size: v.pdfSize, renderer: v.renderer, error: null, finished_at: v.at })
    .where('id', '=', id)
    .returning(SUMMARY)
    .executeTakeFirstOrThrow();

/** An attempt failed: for good (`failed`) or with a retry to come (`queued`, the error kept to show). */
export const markAttemptFailed = (db: DB, id: string, v: { error: DossierError; final: boolean; at: Date }) =>
  db
    .updateTable('dossiers')
    .set({ status: v.final ? 'failed' : 'queued', progress: 0, error: JSON.stringify(v.error), finished_at: v.final ? v.at : null })
    .where('id', '=', id)
    .where('status', '<>', 'done')
    .execute();

/** The users a dossier names (its recipient, its requester), for display. */
export const userNames = async (db: DB, ids: readonly string[]): Promise<Map<string, { name: string; role: string; language: string }>> => {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'role', 'language']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { name: r.display_name, role: r.role, language: r.language }]));
};

/**
 * Where the user stands on the escalations of the case: 'accepted' once they disclosed conflicts
 * and accepted a seat (what an arbitrator or mediator needs before a dossier of the case is theirs
 * to receive), 'pending' while they have not answered, 'declined', or null when never assigned.
 */
export async function escalationStanding(db: DB, caseId: string, userId: string): Promise<'accepted' | 'pending' | 'declined' | null> {
  const rows = await sql<{ accepted_at: Date | null; declined_at: Date | null }>`
    select m.accepted_at, m.declined_at from escalation_members m
    join escalations e on e.id = m.escalation_id
    where m.case_id = ${caseId} and m.user_id = ${userId} and m.deleted_at is null and e.deleted_at is null`.execute(db);
  if (rows.rows.some((r) => r.accepted_at !== null && r.declined_at === null)) return 'accepted';
  if (rows.rows.some((r) => r.accepted_at === null && r.declined_at === null)) return 'pending';
  return rows.rows.length ? 'declined' : null;
}

/** The dossier row, locked for the rest of the transaction (two attempts finishing at once record it once). */
export const lockDossier = (trx: DB, id: string) => trx.selectFrom('dossiers').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();

export const requesterOf = (db: DB, userId: string) => db.selectFrom('users').select(['id', 'email', 'role', 'display_name']).where('id', '=', userId).executeTakeFirst();
