// SQL for the work recorded on a case: notes, consultations, communications, assessments,
// remedies, approvals, objections, escalations, relations.
import type { DB } from '../db/database';

export const insertNote = (trx: DB, v: { id?: string; case_id: string; author_id: string; body: string }) =>
  trx.insertInto('notes').values(v).returning(['id', 'created_at']).executeTakeFirstOrThrow();

export const notesOf = (db: DB, caseId: string) =>
  db
    .selectFrom('notes')
    .innerJoin('users', 'users.id', 'notes.author_id')
    .select(['notes.id', 'notes.body', 'notes.created_at', 'notes.author_id', 'users.display_name as author_name'])
    .where('notes.case_id', '=', caseId)
    .where('notes.deleted_at', 'is', null)
    .orderBy('notes.created_at')
    .execute();

export const insertConsultation = (trx: DB, v: { id?: string; case_id: string; team: string; question: string; asked_by: string }) =>
  trx.insertInto('consultations').values(v).returning(['id', 'asked_at']).executeTakeFirstOrThrow();

export const findConsultationForUpdate = (trx: DB, id: string) =>
  trx.selectFrom('consultations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const answerConsultation = (trx: DB, id: string, v: { answer: string; answered_by: string; answered_at: Date }) =>
  trx.updateTable('consultations').set(v).where('id', '=', id).execute();

export const consultationsOf = (db: DB, caseId: string) =>
  db.selectFrom('consultations').selectAll().where('case_id', '=', caseId).orderBy('asked_at').execute();

export const insertCommunication = (trx: DB, v: { id?: string; case_id: string; direction: string; channel: string; body: string; recorded_by: string; at: Date }) =>
  trx.insertInto('communications').values(v).returning(['id']).executeTakeFirstOrThrow();

export const communicationsOf = (db: DB, caseId: string) =>
  db.selectFrom('communications').selectAll().where('case_id', '=', caseId).orderBy('at').execute();

export const currentAssessment = (db: DB, caseId: string) =>
  db.selectFrom('assessments').selectAll().where('case_id', '=', caseId).where('superseded_at', 'is', null).executeTakeFirst();

export const assessmentsOf = (db: DB, caseId: string) =>
  db.selectFrom('assessments').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

export async function supersedeAssessment(trx: DB, caseId: string, at: Date) {
  await trx.updateTable('assessments').set({ superseded_at: at }).where('case_id', '=', caseId).where('superseded_at', 'is', null).execute();
}

export const insertAssessment = (
  trx: DB,
  v: { case_id: string; platform_share: string; user_share: string; third_party_share: string; third_party_kind: string | null; findings: string; author_id: string },
) => trx.insertInto('assessments').values(v).returningAll().executeTakeFirstOrThrow();

export const insertRemedy = (
  trx: DB,
  v: { case_id: string; kind: string; asset: string | null; amount: string | null; usd_value: string | null; details: string; proposed_by: string },
) => trx.insertInto('remedies').values(v).returningAll().executeTakeFirstOrThrow();

export const remediesOf = (db: DB, caseId: string) =>
  db.selectFrom('remedies').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

/** Remedies still in play: being prepared, approved, or put to the complainant. */
export const OPEN_REMEDY_STATUSES = ['draft', 'approved', 'proposed', 'accepted'] as const;

export const findRemedyForUpdate = (trx: DB, id: string) => trx.selectFrom('remedies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function setRemedyStatus(trx: DB, caseId: string, from: readonly string[], to: string, kinds?: readonly string[]) {
  let q = trx.updateTable('remedies').set({ status: to }).where('case_id', '=', caseId).where('status', 'in', [...from]);
  if (kinds) q = q.where('kind', 'in', [...kinds]);
  await q.execute();
}

export const updateRemedyStatus = (trx: DB, id: string, status: string) => trx.updateTable('remedies').set({ status }).where('id', '=', id).execute();

export const insertApproval = (trx: DB, v: { case_id: string; requested_by: string; usd_total: string; threshold_usd: string }) =>
  trx.insertInto('approvals').values(v).returningAll().executeTakeFirstOrThrow();

export const pendingApproval = (db: DB, caseId: string) =>
  db.selectFrom('approvals').selectAll().where('case_id', '=', caseId).where('decision', 'is', null).orderBy('requested_at', 'desc').executeTakeFirst();

export const decideApproval = (trx: DB, id: string, v: { decision: 'approved' | 'declined'; decided_by: string; decided_at: Date; reason: string | null }) =>
  trx.updateTable('approvals').set(v).where('id', '=', id).execute();

export const approvalsOf = (db: DB, caseId: string) => db.selectFrom('approvals').selectAll().where('case_id', '=', caseId).orderBy('requested_at').execute();

export const insertObjection = (trx: DB, v: { case_id: string; reason: string; recorded_by: string }) =>
  trx.insertInto('objections').values(v).returning(['id']).executeTakeFirstOrThrow();

export const objectionsOf = (db: DB, caseId: string) => db.selectFrom('objections').selectAll().where('case_id', '=', caseId).orderBy('at').execute();

export const insertEscalation = (trx: DB, v: { case_id: string; kind: string; panel_size: number; reason: string; created_by: string }) =>
  trx.insertInto('escalations').values(v).returningAll().executeTakeFirstOrThrow();

export async function closeOpenEscalations(trx: DB, caseId: string, outcome: string, at: Date) {
  await trx
    .updateTable('escalations')
    .set({ status: 'closed', outcome, closed_at: at })
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .execute();
}

export const escalationsOf = (db: DB, caseId: string) => db.selectFrom('escalations').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

export const insertRelation = (trx: DB, v: { user_id: string; complainant_id: string; relation: string; recorded_by: string }) =>
  trx
    .insertInto('handler_relations')
    .values(v)
    .onConflict((oc) => oc.columns(['user_id', 'complainant_id']).doUpdateSet({ relation: v.relation, recorded_by: v.recorded_by, recorded_at: new Date() }))
    .returning(['id'])
    .executeTakeFirstOrThrow();

export const hasEvent = async (db: DB, caseId: string, type: string) =>
  !!(await db.selectFrom('case_events').select('id').where('case_id', '=', caseId).where('type', '=', type).limit(1).executeTakeFirst());
