// SQL of the case workspace on the workstation: one case with what surrounds it, its timeline, the
// work recorded on it, and the lookups the engine's rejections and receipts need.
import { sql, type Kysely } from 'kysely';
import type { LocalCase, LocalDatabase } from '../store/local-schema';
import { LOCAL_PENDING_EVENT } from '../store/optimistic';

type Db = Kysely<LocalDatabase>;

export async function findCase(db: Db, caseId: string): Promise<LocalCase | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

export async function findComplainant(db: Db, complainantId: string | null) {
  if (!complainantId) return undefined;
  return db.selectFrom('complainants').select(['id', 'exchange_uid', 'vip_level', 'region', 'language']).where('id', '=', complainantId).executeTakeFirst();
}

export async function caseAmounts(db: Db, caseId: string) {
  return db.selectFrom('case_amounts').select(['asset', 'amount', 'usd_rate', 'usd_value']).where('case_id', '=', caseId).orderBy('asset').orderBy('id').execute();
}

export async function findTeam(db: Db, teamId: string | null) {
  if (!teamId) return undefined;
  return db.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).executeTakeFirst();
}

/** Every user the workstation knows (a few hundred at most): actors and authors are named from it. */
export async function allUsers(db: Db) {
  return db.selectFrom('users').select(['id', 'display_name', 'role']).execute();
}

export async function tieringRules(db: Db) {
  return db.selectFrom('tiering_rules').select(['id', 'name', 'order', 'enabled', 'when', 'then']).execute();
}

/** Mutations of this case still waiting for the server's answer. */
export async function pendingChangeCount(db: Db, caseId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from case_events e join outbox o on o.seq = (e.payload->>'seq')::int
     where e.case_id = ${caseId} and e.type = ${LOCAL_PENDING_EVENT} and o.status in ('pending', 'sent')`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** Users the server recused from this case (回避): its timeline says so with 'case.recused'. */
export async function recusedUserIds(db: Db, caseId: string): Promise<Set<string>> {
  const r = await sql<{ user_id: string | null }>`
    select payload->>'userId' as user_id from case_events where case_id = ${caseId} and type = 'case.recused'`.execute(db);
  return new Set(r.rows.map((x) => x.user_id).filter((x): x is string => !!x));
}

/** The timeline, oldest first; `kinds` keeps the event types starting with one of them. */
export async function timeline(db: Db, caseId: string, kinds: readonly string[] | undefined) {
  let q = db.selectFrom('case_events').select(['id', 'type', 'actor_id', 'at', 'payload', 'pending_seq']).where('case_id', '=', caseId);
  if (kinds && kinds.length > 0) {
    // Kinds are [a-z_.] only (the contract's schema); `_` is a LIKE wildcard, so escape it.
    q = q.where((eb) => eb.or(kinds.map((k) => eb('type', 'like', k.replace(/_/g, '\\_') + '%'))));
  }
  return q.orderBy('at').orderBy('id').execute();
}

// ---- The work recorded on a case --------------------------------------------------------------

export const notesOf = (db: Db, caseId: string) =>
  db.selectFrom('notes').select(['id', 'body', 'author_id', 'created_at', 'pending_seq']).where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();

export const consultationsOf = (db: Db, caseId: string) =>
  db
    .selectFrom('consultations')
    .select(['id', 'team', 'question', 'asked_by', 'asked_at', 'answer', 'answered_by', 'answered_at', 'pending_seq'])
    .where('case_id', '=', caseId)
    .orderBy('asked_at')
    .orderBy('id')
    .execute();

export const communicationsOf = (db: Db, caseId: string) =>
  db
    .selectFrom('communications')
    .select(['id', 'direction', 'channel', 'body', 'recorded_by', 'at', 'pending_seq'])
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();

/** Current assessment first, then the superseded ones newest first. */
export const assessmentsOf = (db: Db, caseId: string) =>
  db
    .selectFrom('assessments')
    .select(['id', 'platform_share', 'user_share', 'third_party_share', 'third_party_kind', 'findings', 'author_id', 'created_at', 'superseded_at', 'pending_seq'])
    .where('case_id', '=', caseId)
    .orderBy(sql`superseded_at is not null`)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();

export const remediesOf = (db: Db, caseId: string) =>
  db
    .selectFrom('remedies')
    .select(['id', 'kind', 'asset', 'amount', 'usd_value', 'details', 'status', 'proposed_by', 'created_at', 'pending_seq'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const approvalsOf = (db: Db, caseId: string) =>
  db
    .selectFrom('approvals')
    .select(['id', 'requested_by', 'requested_at', 'usd_total', 'threshold_usd', 'decision', 'decided_by', 'decided_at', 'reason'])
    .where('case_id', '=', caseId)
    .orderBy('requested_at')
    .orderBy('id')
    .execute();

export const objectionsOf = (db: Db, caseId: string) =>
  db.selectFrom('objections').select(['id', 'reason', 'recorded_by', 'at']).where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();

export const escalationsOf = (db: Db, caseId: string) =>
  db
    .selectFrom('escalations')
    .select(['id', 'kind', 'status', 'panel_size', 'reason', 'outcome', 'created_at', 'closed_at'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const exhibitsOf = (db: Db, caseId: string) =>
  db
    .selectFrom('exhibits')
    .select(['id', 'seq', 'exhibit_number', 'type', 'file_name', 'description', 'blob_sha256', 'internal_only', 'taken_in_at'])
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .orderBy('id')
    .execute();

// ---- Lookups for mutations and rejections -----------------------------------------------------

export async function caseIdOfConsultation(db: Db, consultationId: string): Promise<string | null> {
  return (await db.selectFrom('consultations').select('case_id').where('id', '=', consultationId).executeTakeFirst())?.case_id ?? null;
}

export async function caseIdOfRemedy(db: Db, remedyId: string): Promise<string | null> {
  return (await db.selectFrom('remedies').select('case_id').where('id', '=', remedyId).executeTakeFirst())?.case_id ?? null;
}

export async function caseNumbers(db: Db, caseIds: readonly string[]): Promise<Map<string, string | null>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.selectFrom('cases').select(['id', 'case_number']).where('id', 'in', [...caseIds]).execute();
  return new Map(rows.map((r) => [r.id, r.case_number]));
}
