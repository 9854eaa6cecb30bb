// SQL of the workstation's queue: filtered, sorted pages of the local cases, unread marks, saved
// views and the directory. Every filter and sort is an expression on `cases` alone (the queue
// columns the local migration keeps there), each sort backed by an (expression, id) index, so a
// page of 100,000 cases is an index scan that stops at the page's end.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { LocalDatabase } from '../store/local-schema';
import { caseTextMatches } from '../store/search';
import { LOCAL_PENDING_EVENT } from '../store/optimistic';
import type { QueueFilter, QueueSort, QueueSortColumn } from '../../contract/schemas';

type Db = Kysely<LocalDatabase>;

/** The indexed expression each sortable column sorts by (the migration creates (expression, id) indexes). */
const SORT_EXPRESSION: Record<QueueSortColumn, string> = {
  case_number: 'case_number',
  status: 'status_rank',
  category: 'category',
  subcategory: 'subcategory',
  tier: 'tier',
  priority: 'priority_rank',
  sla_due: 'sla_due',
  received_at: 'received_at',
  usd_equivalent: 'usd_equivalent',
  vip_level: 'queue_vip_level',
  channel: 'channel',
  assignee: 'queue_assignee_name',
  language: 'language',
  updated_at: 'updated_at',
};

export interface QueueScope {
  /** The signed-in user: `assignee: 'me'`, and whose own timeline events do not make a case unread. */
  userId: string;
  now: Date;
}

const MINUTE_MS = 60_000;

const inList = (column: string, values: readonly string[] | undefined): RawBuilder<boolean> | null =>
  values && values.length > 0 ? sql<boolean>`${sql.ref(`c.${column}`)} in (${sql.join(values)})` : null;

/**
 * Open deadlines past due as shared/sla.slaStatus reads them: a running clock at `now`, a paused
 * one at the start of its pause (its time is frozen). Written as two branches so the running one
 * uses the sla_due index.
 */
function slaBefore(runningLimit: Date): RawBuilder<boolean> {
  return sql<boolean>`((c.sla_paused_at is null and c.sla_due < ${runningLimit}) or (c.sla_paused_at is not null and c.sla_due < c.sla_paused_at))`;
}

/** A case changed since its user last opened it: never opened, or a timeline event by someone else after the mark. */
export function unreadCondition(userId: string): RawBuilder<boolean> {
  // IN over subqueries (hashed once), not EXISTS per case: the filter runs over every case.
  return sql<boolean>`(c.id not in (select m.case_id from read_marks m)
    or c.id in (select m.case_id from read_marks m join case_events e on e.case_id = m.case_id
                 where e.at > m.seen_at and e.type <> ${LOCAL_PENDING_EVENT} and e.actor_id is distinct from ${userId}))`;
}

/** The WHERE conditions of a queue filter (alias c for cases). */
export function filterConditions(filter: QueueFilter, scope: QueueScope): RawBuilder<boolean>[] {
  const where: (RawBuilder<boolean> | null)[] = [
    inList('status', filter.status),
    inList('category', filter.category),
    inList('subcategory', filter.subcategory),
    inList('tier', filter.tier),
    inList('priority', filter.priority),
    inList('channel', filter.channel),
  ];
  if (filter.language) where.push(sql<boolean>`c.language = ${filter.language}`);
  const now = scope.now;
  switch (filter.sla) {
    case 'breached':
      where.push(slaBefore(now));
      break;
    case 'due_within':
      // shared/sla willBreachWithin: breached once the window has passed if nothing is done.
      where.push(slaBefore(new Date(now.getTime() + (filter.slaWithinMinutes ?? 0) * MINUTE_MS)));
      break;
    case 'paused':
      where.push(sql<boolean>`(c.sla_paused_at is not null and c.resolved_at is null)`);
      break;
  }
  // Decimal comparison in numeric, never float text.
  if (filter.usdMin !== undefined) where.push(sql<boolean>`c.usd_equivalent >= ${filter.usdMin}::numeric`);
  if (filter.usdMax !== undefined) where.push(sql<boolean>`c.usd_equivalent <= ${filter.usdMax}::numeric`);
  if (filter.vipMin !== undefined) where.push(sql<boolean>`c.queue_vip_level >= ${filter.vipMin}`);
  if (filter.vipMax !== undefined) where.push(sql<boolean>`c.queue_vip_level <= ${filter.vipMax}`);
  if (filter.assignee === 'me') where.push(sql<boolean>`c.assignee_id = ${scope.userId}`);
  else if (filter.assignee === 'unassigned') where.push(sql<boolean>`c.assignee_id is null`);
  else if (filter.assignee) where.push(sql<boolean>`c.assignee_id = ${filter.assignee}`);
  if (filter.teamId) where.push(sql<boolean>`c.team_id = ${filter.teamId}`);
  const search = filter.search?.trim();
  if (search) {
    // The same match as the global search (store/search.ts): the case's text and exchange UID, Chinese or English alike.
    where.push(caseTextMatches(search));
  }
  if (filter.unreadOnly) where.push(unreadCondition(scope.userId));
  return where.filter((w): w is RawBuilder<boolean> => w !== null);
}

const whereClause = (conditions: RawBuilder<boolean>[]) => (conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``);

function orderBy(sort: QueueSort): RawBuilder<unknown> {
  const dir = sort.direction === 'desc' ? sql.raw('desc') : sql.raw('asc');
  // Same direction on the tiebreak, so the (expression, id) index serves both directions.
  return sql`order by ${sql.ref(`c.${SORT_EXPRESSION[sort.column]}`)} ${dir}, c.id ${dir}`;
}

export async function countCases(db: Db, conditions: RawBuilder<boolean>[]): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from cases c ${whereClause(conditions)}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** The pages of `cases` now, and when last analyzed (reltuples is -1 until the first ANALYZE). */
export async function casesTableSize(db: Db): Promise<{ pages: number; analyzedPages: number; analyzed: boolean }> {
  const r = await sql<{ pages: string; relpages: number; reltuples: number }>`
    select pg_relation_size(c.oid) / current_setting('block_size')::int as pages, c.relpages, c.reltuples
      from pg_class c where c.oid = 'cases'::regclass`.execute(db);
  const row = r.rows[0];
  return { pages: Number(row?.pages ?? 0), analyzedPages: row?.relpages ?? 0, analyzed: (row?.reltuples ?? -1) >= 0 };
}

export async function analyzeCases(db: Db): Promise<void> {
  await sql`analyze cases`.execute(db);
}

/** The ids of one page, in order. */
export async function pageCaseIds(db: Db, conditions: RawBuilder<boolean>[], sort: QueueSort, offset: number, limit: number): Promise<string[]> {
  const r = await sql<{ id: string }>`select c.id from cases c ${whereClause(conditions)} ${orderBy(sort)} limit ${limit} offset ${offset}`.execute(db);
  return r.rows.map((row) => row.id);
}

export interface QueueCaseRow {
  id: string;
  case_number: string | null;
  status: string | null;
  category: string | null;
  subcategory: string | null;
  tier: string | null;
  priority: string | null;
  urgent: boolean | null;
  channel: string | null;
  language: string | null;
  queue_vip_level: number | null;
  queue_exchange_uid: string | null;
  description_head: string | null;
  usd_equivalent: string | null;
  assignee_id: string | null;
  queue_assignee_name: string | null;
  team_id: string | null;
  team_name: string | null;
  received_at: Date | null;
  updated_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  sla_paused_at: Date | null;
  sla_paused_total_ms: string | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  unread: boolean;
  pending: boolean;
}

/** A case has local changes the server has not accepted yet: a 'not yet synced' step of a mutation still in the outbox. */
export const pendingCondition = sql<boolean>`exists (
  select 1 from case_events e join outbox o on o.seq = (e.payload->>'seq')::int
   where e.case_id = c.id and e.type = ${LOCAL_PENDING_EVENT} and o.status in ('pending', 'sent'))`;

/** The queue columns of these cases (any order). */
export async function queueRows(db: Db, caseIds: readonly string[], userId: string): Promise<QueueCaseRow[]> {
  if (caseIds.length === 0) return [];
  const r = await sql<QueueCaseRow>`
    select c.id, c.case_number, c.status, c.category, c.subcategory, c.tier, c.priority, c.urgent, c.channel, c.language,
           c.queue_vip_level, c.queue_exchange_uid, left(c.description, 400) as description_head, c.usd_equivalent::text as usd_equivalent,
           c.assignee_id, c.queue_assignee_name, c.team_id, t.name as team_name, c.received_at, c.updated_at,
           c.first_response_due_at, c.resolution_due_at, c.sla_paused_at, c.sla_paused_total_ms::text as sla_paused_total_ms,
           c.first_responded_at, c.resolved_at,
           ${unreadCondition(userId)} as unread,
           ${pendingCondition} as pending
      from cases c left join teams t on t.id = c.team_id
     where c.id in (${sql.join(caseIds)})`.execute(db);
  return r.rows;
}

// ---- Read marks -------------------------------------------------------------------------------

/**
 * Marks the case read as of its newest timeline event from the server (server time, so the local
 * clock's skew cannot hide events to come); a case without events is read until its first one.
 */
export async function markRead(db: Db, caseId: string, now: Date): Promise<void> {
  await sql`
    insert into read_marks (case_id, seen_at, marked_at)
    select ${caseId}::uuid, coalesce(max(e.at), '-infinity'::timestamptz), ${now}
      from case_events e where e.case_id = ${caseId}::uuid and e.type <> ${LOCAL_PENDING_EVENT}
    on conflict (case_id) do update set seen_at = greatest(read_marks.seen_at, excluded.seen_at), marked_at = excluded.marked_at`.execute(db);
}

// ---- Saved views ------------------------------------------------------------------------------

export interface SavedViewRow {
  id: string;
  name: string;
  filter: Record<string, unknown>;
  sort: Record<string, unknown>;
}

export async function listSavedViews(db: Db): Promise<SavedViewRow[]> {
  return db.selectFrom('saved_views').select(['id', 'name', 'filter', 'sort']).orderBy('created_at').orderBy('id').execute();
}

export async function findViewByName(db: Db, name: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('saved_views')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
}

export async function upsertSavedView(db: Db, view: SavedViewRow): Promise<void> {
  const filter = JSON.stringify(view.filter);
  const sort = JSON.stringify(view.sort);
  await db
    .insertInto('saved_views')
    .values({ id: view.id, name: view.name, filter, sort })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: view.name, filter, sort }))
    .execute();
}

export async function deleteSavedView(db: Db, id: string): Promise<number> {
  const r = await db.deleteFrom('saved_views').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- Directory --------------------------------------------------------------------------------

export async function directoryUsers(db: Db): Promise<{ id: string; display_name: string | null; role: string | null }[]> {
  return db.selectFrom('users').select(['id', 'display_name', 'role']).orderBy('display_name').orderBy('id').execute();
}

export async function directoryTeams(db: Db): Promise<{ id: string; name: string | null }[]> {
  return db.selectFrom('teams').select(['id', 'name']).orderBy('name').orderBy('id').execute();
}
