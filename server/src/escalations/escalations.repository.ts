// SQL of escalations beyond their opening: the seats (members with their disclosure and answer),
// rulings, their signatures, and dissents and addenda.
import { sql, type Selectable } from 'kysely';
import type { DB } from '../db/database';
import type { EscalationMembersTable } from '../db/schema';

export type MemberRow = Selectable<EscalationMembersTable>;

export const findEscalation = (db: DB, id: string) => db.selectFrom('escalations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();

/** Locks the escalation row: seats of one escalation are given one at a time (distinct seats, panel size). */
export const lockEscalation = (trx: DB, id: string) => trx.selectFrom('escalations').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();

/** Seats not declined: the ones that count towards the panel. */
export const activeMembers = (db: DB, escalationId: string) =>
  db.selectFrom('escalation_members').selectAll().where('escalation_id', '=', escalationId).where('declined_at', 'is', null).orderBy('assigned_at').execute();

export const insertMember = (
  trx: DB,
  v: { case_id: string; escalation_id: string; user_id: string; role: string; seat: string | null; assigned_by: string; assigned_at: Date },
) => trx.insertInto('escalation_members').values(v).returningAll().executeTakeFirstOrThrow();

export const findMember = (db: DB, id: string) => db.selectFrom('escalation_members').selectAll().where('id', '=', id).executeTakeFirst();

export const findMemberForUpdate = (trx: DB, id: string) => trx.selectFrom('escalation_members').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const recordDisclosure = (trx: DB, id: string, disclosure: string, at: Date) =>
  trx.updateTable('escalation_members').set({ disclosure, disclosed_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const answerSeat = (trx: DB, id: string, answer: 'accept' | 'decline', at: Date) =>
  trx
    .updateTable('escalation_members')
    .set(answer === 'accept' ? { accepted_at: at } : { declined_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** The user's accepted seat on this escalation, if any. */
export const acceptedSeat = (db: DB, escalationId: string, userId: string) =>
  db
    .selectFrom('escalation_members')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .where('user_id', '=', userId)
    .where('accepted_at', 'is not', null)
    .where('declined_at', 'is', null)
    .executeTakeFirst();

/** Who holds an accepted seat on any escalation of the case: the externals who may see it. */
export async function acceptedMemberIds(db: DB, caseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('escalation_members')
    .select('user_id')
    .distinct()
    .where('case_id', '=', caseId)
    .where('accepted_at', 'is not', null)
    .where('declined_at', 'is', null)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Whether the user holds an accepted seat on an open escalation of this kind on the case. */
export async function hasAcceptedSeatOnOpen(db: DB, caseId: string, userId: string, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('escalation_members')
    .innerJoin('escalations', 'escalations.id', 'escalation_members.escalation_id')
    .select('escalation_members.id')
    .where('escalation_members.case_id', '=', caseId)
    .where('escalation_members.user_id', '=', userId)
    .where('escalation_members.accepted_at', 'is not', null)
    .where('escalation_members.declined_at', 'is', null)
    .where('escalations.status', '=', 'open')
    .where('escalations.kind', '=', kind)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** The seats a user was given, with enough of the case to disclose conflicts (never its file). */
export const seatsOfUser = (db: DB, userId: string) =>
  db
    .selectFrom('escalation_members')
    .innerJoin('escalations', 'escalations.id', 'escalation_members.escalation_id')
    .innerJoin('cases', 'cases.id', 'escalation_members.case_id')
    .select([
      'escalation_members.id',
      'escalation_members.case_id',
      'escalation_members.escalation_id',
      'escalation_members.role',
      'escalation_members.seat',
      'escalation_members.assigned_at',
      'escalation_members.disclosure',
      'escalation_members.disclosed_at',
      'escalation_members.accepted_at',
      'escalation_members.declined_at',
      'escalations.kind as escalation_kind',
      'escalations.status as escalation_status',
      'escalations.panel_size',
      'cases.case_number',
      'cases.category',
      'cases.subcategory',
      'cases.usd_equivalent',
      'cases.complainant_id',
    ])
    .where('escalation_members.user_id', '=', userId)
    .orderBy('escalation_members.assigned_at', 'desc')
    .execute();

export const escalationsOfCase = (db: DB, caseId: string) =>
  db.selectFrom('escalations').selectAll().where('case_id', '=', caseId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();

export const membersOfCase = (db: DB, caseId: string) =>
  db
    .selectFrom('escalation_members')
    .innerJoin('users', 'users.id', 'escalation_members.user_id')
    .selectAll('escalation_members')
    .select('users.display_name as user_name')
    .where('escalation_members.case_id', '=', caseId)
    .orderBy('escalation_members.assigned_at')
    .execute();

// ---- Rulings ----------------------------------------------------------------------------------

export const insertRuling = (trx: DB, v: { case_id: string; escalation_id: string; kind: string; text: string; decided_at: Date; recorded_by: string }) =>
  trx.insertInto('rulings').values(v).returningAll().executeTakeFirstOrThrow();

export const findRuling = (db: DB, id: string) => db.selectFrom('rulings').selectAll().where('id', '=', id).executeTakeFirst();

export const rulingsOfEscalation = (db: DB, escalationId: string) =>
  db.selectFrom('rulings').selectAll().where('escalation_id', '=', escalationId).orderBy('decided_at').execute();

export const rulingsOfCase = (db: DB, caseId: string) => db.selectFrom('rulings').selectAll().where('case_id', '=', caseId).orderBy('decided_at').orderBy('id').execute();

export const insertSignature = (trx: DB, v: { case_id: string; ruling_id: string; signer_id: string; seat: string | null; signed_at: Date; signature_hash: string }) =>
  trx.insertInto('ruling_signatures').values(v).returningAll().executeTakeFirstOrThrow();

export const signatureOf = (db: DB, rulingId: string, signerId: string) =>
  db.selectFrom('ruling_signatures').selectAll().where('ruling_id', '=', rulingId).where('signer_id', '=', signerId).executeTakeFirst();

export const signaturesOfCase = (db: DB, caseId: string) =>
  db
    .selectFrom('ruling_signatures')
    .innerJoin('users', 'users.id', 'ruling_signatures.signer_id')
    .selectAll('ruling_signatures')
    .select('users.display_name as signer_name')
    .where('ruling_signatures.case_id', '=', caseId)
    .orderBy('ruling_signatures.signed_at')
    .execute();

export const insertOpinion = (trx: DB, v: { case_id: string; ruling_id: string; kind: string; author_id: string; body: string; created_at: Date }) =>
  trx.insertInto('ruling_opinions').values(v).returningAll().executeTakeFirstOrThrow();

export const opinionsOfCase = (db: DB, caseId: string) =>
  db
    .selectFrom('ruling_opinions')
    .innerJoin('users', 'users.id', 'ruling_opinions.author_id')
    .selectAll('ruling_opinions')
    .select('users.display_name as author_name')
    .where('ruling_opinions.case_id', '=', caseId)
    .orderBy('ruling_opinions.created_at')
    .execute();

/** Whether the open escalation of this kind on the case has a ruling recorded (record_ruling needs one). */
export async function openEscalationHasRuling(db: DB, caseId: string, kind: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from rulings r join escalations e on e.id = r.escalation_id
     where e.case_id = ${caseId} and e.kind = ${kind} and e.status = 'open'`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/**
 * The PII of every complainant whose case the user holds or held a seat on (any answer, any
 * status): what must be cut from anything that user receives.
 */
export async function piiOfSeatedComplainants(db: DB, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('escalation_members')
    .innerJoin('cases', 'cases.id', 'escalation_members.case_id')
    .innerJoin('complainants', 'complainants.id', 'cases.complainant_id')
    .leftJoin('complainant_pii', 'complainant_pii.complainant_id', 'complainants.id')
    .select(['complainant_pii.name', 'complainant_pii.email', 'complainant_pii.phone', 'complainant_pii.id_document_number', 'complainants.exchange_uid'])
    .where('escalation_members.user_id', '=', userId)
    .distinct()
    .execute();
  return rows.flatMap((r) => [r.name, r.email, r.phone, r.id_document_number, r.exchange_uid]).filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
}
