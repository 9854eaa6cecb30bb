// SQL for cases, their complainants, amounts and timeline.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type SqlBool } from 'kysely';
import type { DB } from '../db/database';
import type { CaseEventsTable, CaseUpdate, Database, NewCase } from '../db/schema';

export function formatCaseNumber(year: number, n: number): string {
  return `ARB-${year}-${String(n).padStart(6, '0')}`;
}

/** Next case number of the year; the counter row lock keeps numbers unique and gapless under concurrency. */
export async function nextCaseNumber(trx: DB, year: number): Promise<string> {
  const row = await trx
    .insertInto('case_number_counters')
    .values({ year, last_number: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last_number: sql`case_number_counters.last_number + 1` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return formatCaseNumber(year, row.last_number);
}

export async function lockIntakeReference(trx: DB, intakeKeyId: string | null, externalRef: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`${intakeKeyId ?? '-'}:${externalRef}`}))`.execute(trx);
}

export function findCaseByExternalRef(db: DB, intakeKeyId: string | null, externalRef: string) {
  let q = db.selectFrom('cases').select(['id', 'case_number', 'team_id', 'assignee_id']).where('external_ref', '=', externalRef);
  q = intakeKeyId === null ? q.where('intake_key_id', 'is', null) : q.where('intake_key_id', '=', intakeKeyId);
  return q.executeTakeFirst();
}

/** What a case was received with, to tell a repeated post from a conflicting one: the intake event's fingerprint and the complainant's account. */
export async function intakeFingerprintOf(db: DB, caseId: string): Promise<{ fingerprint: Record<string, string> | null; exchangeUid: string | null }> {
  const event = await db.selectFrom('case_events').select('payload').where('case_id', '=', caseId).where('type', '=', 'case.received').orderBy('at').limit(1).executeTakeFirst();
  const account = await db
    .selectFrom('cases')
    .innerJoin('complainants', 'complainants.id', 'cases.complainant_id')
    .select('complainants.exchange_uid')
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  const payload = (event?.payload ?? {}) as { intakeFingerprint?: Record<string, string> };
  return { fingerprint: payload.intakeFingerprint ?? null, exchangeUid: account?.exchange_uid ?? null };
}

export async function upsertComplainant(trx: DB, c: { exchangeUid: string; vipLevel: number; region: string | null; language: string }): Promise<string> {
  const row = await trx
    .insertInto('complainants')
    .values({ exchange_uid: c.exchangeUid, vip_level: c.vipLevel, region: c.region, language: c.language })
    .onConflict((oc) =>
      oc.column('exchange_uid').doUpdateSet({
        vip_level: c.vipLevel,
        region: sql`coalesce(excluded.region, complainants.region)`,
        language: c.language,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function upsertComplainantPii(
  trx: DB,
  complainantId: string,
  pii: { name?: string | null; email?: string | null; phone?: string | null; idDocumentNumber?: string | null },
): Promise<void> {
  // Only the fields given are changed: a later complaint without a phone does not erase it.
  const values = {
    complainant_id: complainantId,
    name: pii.name ?? null,
    email: pii.email ?? null,
    phone: pii.phone ?? null,
    id_document_number: pii.idDocumentNumber ?? null,
  };
  await trx
    .insertInto('complainant_pii')
    .values(values)
    .onConflict((oc) =>
      oc.column('complainant_id').doUpdateSet({
        name: sql`coalesce(excluded.name, complainant_pii.name)`,
        email: sql`coalesce(excluded.email, complainant_pii.email)`,
        phone: sql`coalesce(excluded.phone, complainant_pii.phone)`,
        id_document_number: sql`coalesce(excluded.id_document_number, complainant_pii.id_document_number)`,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export function insertCase(trx: DB, values: NewCase) {
  return trx.insertInto('cases').values(values).returning(['id', 'case_number']).executeTakeFirstOrThrow();
}

export async function insertAmounts(trx: DB, caseId: string, amounts: { asset: string; amount: string; usdRate: string | null; usdValue: string | null }[]): Promise<void> {
  if (amounts.length === 0) return;
  await trx
    .insertInto('case_amounts')
    .values(amounts.map((a) => ({ case_id: caseId, asset: a.asset, amount: a.amount, usd_rate: a.usdRate, usd_value: a.usdValue })))
    .execute();
}

export function insertEvent(trx: DB, event: Omit<Insertable<CaseEventsTable>, 'payload'> & { payload?: Record<string, unknown> }) {
  return trx
    .insertInto('case_events')
    .values({ ...event, payload: JSON.stringify(event.payload ?? {}) })
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
}

export function findCase(db: DB, id: string) {
  return db.selectFrom('cases').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Locks the case row for the rest of the transaction: writers to one case go one at a time. */
export function findCaseForUpdate(trx: DB, id: string) {
  return trx.selectFrom('cases').selectAll().where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
}

export function updateCase(trx: DB, id: string, patch: CaseUpdate) {
  return trx
    .updateTable('cases')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function caseAmounts(db: DB, caseId: string) {
  return db.selectFrom('case_amounts').select(['asset', 'amount', 'usd_rate', 'usd_value']).where('case_id', '=', caseId).where('deleted_at', 'is', null).orderBy('asset').execute();
}

export function caseEvents(db: DB, caseId: string) {
  return db
    .selectFrom('case_events')
    .leftJoin('users', 'users.id', 'case_events.actor_id')
    .select(['case_events.id', 'case_events.type', 'case_events.at', 'case_events.payload', 'case_events.actor_id', 'users.display_name as actor_name'])
    .where('case_events.case_id', '=', caseId)
    .orderBy('case_events.at')
    .orderBy('case_events.version')
    .execute();
}

export function complainantOf(db: DB, complainantId: string) {
  return db.selectFrom('complainants').select(['id', 'exchange_uid', 'vip_level', 'region', 'language']).where('id', '=', complainantId).executeTakeFirstOrThrow();
}

export function findComplainantByExchangeUid(db: DB, exchangeUid: string) {
  return db.selectFrom('complainants').select('id').where('exchange_uid', '=', exchangeUid).executeTakeFirst();
}

export function complainantPii(db: DB, complainantId: string) {
  return db.selectFrom('complainant_pii').select(['name', 'email', 'phone', 'id_document_number']).where('complainant_id', '=', complainantId).executeTakeFirst();
}

export interface CaseListFilter {
  visibility: { all: true } | { all: false; teamIds: string[]; userId: string; unassignedQueue: boolean; acceptedSeat?: boolean } | { none: true };
  status?: string[];
  category?: string;
  tier?: string;
  assigneeId?: string;
  search?: string;
  limit: number;
  offset: number;
  /** Where counting stops (CASE_LIST_COUNT_CAP unless a caller needs less). */
  countCap?: number;
}

type CaseVisibility = CaseListFilter['visibility'];

/** The cases a user sees who does not see them all: by assignment, team, the unassigned queue or an accepted seat. */
function visibleTo(eb: ExpressionBuilder<Database, 'cases'>, v: Extract<CaseVisibility, { all: false }>): Expression<SqlBool> {
  return eb.or([
    eb('cases.assignee_id', '=', v.userId),
    ...(v.teamIds.length ? [eb('cases.team_id', 'in', v.teamIds)] : []),
    ...(v.unassignedQueue ? [eb('cases.team_id', 'is', null)] : []),
    // Arbitrators and mediators: cases where they hold a seat they accepted after disclosure.
    ...(v.acceptedSeat
      ? [
          eb.exists(
            eb
              .selectFrom('escalation_members')
              .select('escalation_members.id')
              .whereRef('escalation_members.case_id', '=', 'cases.id')
              .where('escalation_members.user_id', '=', v.userId)
              .where('escalation_members.accepted_at', 'is not', null)
              .where('escalation_members.declined_at', 'is', null),
          ),
        ]
      : []),
  ]);
}

/** How far the case list counts: a larger list reports this many and `totalCapped`. */
export const CASE_LIST_COUNT_CAP = 1000;

export async function listCases(db: DB, f: CaseListFilter) {
  if ('none' in f.visibility) return { total: 0, totalCapped: false, rows: [] };
  // The filter reads `cases` alone (the complainant's UID through a subquery), so the count needs no join.
  let filtered = db.selectFrom('cases').where('cases.deleted_at', 'is', null);
  const v = f.visibility;
  if (!v.all) filtered = filtered.where((eb) => visibleTo(eb, v));
  if (f.status?.length) filtered = filtered.where('cases.status', 'in', f.status);
  if (f.category) filtered = filtered.where('cases.category', '=', f.category);
  if (f.tier) filtered = filtered.where('cases.tier', '=', f.tier);
  if (f.assigneeId) filtered = filtered.where('cases.assignee_id', '=', f.assigneeId);
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    filtered = filtered.where((eb) =>
      eb.or([
        eb('cases.case_number', 'ilike', like),
        eb('cases.description', 'ilike', like),
        eb('cases.complainant_id', 'in', eb.selectFrom('complainants').select('complainants.id').where('complainants.exchange_uid', 'ilike', like)),
      ]),
    );
  }
  const cap = f.countCap ?? CASE_LIST_COUNT_CAP;
  // Counted up to the cap and no further: past it the queue says "1,000+". An exact count of a
  // million cases reads every one of them on every page; this stops after cap + 1 rows.
  const counted = await db
    .selectFrom(
      filtered
        .select(sql<number>`1`.as('one'))
        // In the queue's order, so the plan walks the queue index and stops (a bitmap of every visible case would not).
        .orderBy('cases.received_at', 'desc')
        .orderBy('cases.id')
        .limit(cap + 1)
        .as('visible'),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(counted.n);
  const q = filtered.innerJoin('complainants', 'complainants.id', 'cases.complainant_id');
  const rows = await q
    .select([
      'cases.id',
      'cases.case_number',
      'cases.status',
      'cases.category',
      'cases.subcategory',
      'cases.channel',
      'cases.tier',
      'cases.priority',
      'cases.usd_equivalent',
      'cases.team_id',
      'cases.assignee_id',
      'cases.received_at',
      'cases.first_response_due_at',
      'cases.resolution_due_at',
      'cases.sla_paused_at',
      'cases.first_responded_at',
      'cases.resolved_at',
      'complainants.exchange_uid',
      'complainants.vip_level',
    ])
    .orderBy('cases.received_at', 'desc')
    .orderBy('cases.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { total: Math.min(n, cap), totalCapped: n > cap, rows };
}

/**
 * Open cases among the visible ones whose first response or resolution falls due by `horizon`
 * (or already has), soonest resolution first, at most 500.
 */
export async function slaDueCases(db: DB, visibility: CaseVisibility, horizon: Date) {
  if ('none' in visibility) return [];
  let q = db
    .selectFrom('cases')
    .select(['id', 'case_number', 'status', 'tier', 'priority', 'first_response_due_at', 'resolution_due_at', 'first_responded_at', 'assignee_id', 'team_id'])
    .where('deleted_at', 'is', null)
    // A paused clock does not run, but a deadline that ran out before the pause stays breached
    // (shared/sla willBreachWithin, slaStatus): pausing must not hide a breach.
    .where((eb) =>
      eb.or([
        eb('sla_paused_at', 'is', null),
        eb.and([eb('first_responded_at', 'is', null), eb('first_response_due_at', '<', eb.ref('sla_paused_at'))]),
        eb('resolution_due_at', '<', eb.ref('sla_paused_at')),
      ]),
    )
    .where('resolved_at', 'is', null)
    .where((eb) => eb.or([eb.and([eb('first_responded_at', 'is', null), eb('first_response_due_at', '<=', horizon)]), eb('resolution_due_at', '<=', horizon)]));
  if (!visibility.all) q = q.where((eb) => visibleTo(eb, visibility));
  return q.orderBy('resolution_due_at').limit(500).execute();
}

/** The complainant's open cases assigned to this handler, locked: the ones a relation recorded between them takes the handler off. */
export function lockOpenCasesOfHandler(trx: DB, complainantId: string, userId: string) {
  return trx
    .selectFrom('cases')
    .select(['id'])
    .where('complainant_id', '=', complainantId)
    .where('assignee_id', '=', userId)
    .where('status', 'not in', ['closed', 'archived', 'rejected'])
    .forUpdate()
    .execute();
}

export function hasRelation(db: DB, userId: string, complainantId: string) {
  return db.selectFrom('handler_relations').select('id').where('user_id', '=', userId).where('complainant_id', '=', complainantId).executeTakeFirst();
}
