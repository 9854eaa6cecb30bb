// The queue: pages of the cases on this workstation, saved views (two built in), and the directory.
import { randomUUID } from 'node:crypto';
import { AppError, conflict } from '../../../shared/errors';
import { parseInput } from '../../../shared/validation';
import { CASE_STATES, type CaseState, type Language, type Role } from '../../../shared/domain';
import { formatAmount } from '../../../shared/money';
import { queueCountInput, queueFilterSchema, queueQueryInput, queueSortSchema, saveViewInput, type QueueFilter, type QueueSort } from '../../contract/schemas';
import type { Directory, QueuePage, QueueQuery, QueueRow, QueueRowsPage, SavedView, SlaClockView } from '../../contract/types';
import type { LocalDb } from '../store/local-db';
import * as repo from './queue.repository';

/** States in which a case still asks for work: every state but the ends of the lifecycle. */
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter((s) => s !== 'closed' && s !== 'archived' && s !== 'rejected');

const SUBJECT_MAX = 120;

/** The first line of the description, shortened. */
export function subjectOf(description: string | null): string {
  const first = (description ?? '').trim().split(/\r?\n/, 1)[0]!.trim();
  return first.length > SUBJECT_MAX ? first.slice(0, SUBJECT_MAX - 1).trimEnd() + '…' : first;
}

export const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
export const decimal = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : formatAmount(v));

export function slaView(c: {
  received_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  sla_paused_at: Date | null;
  sla_paused_total_ms: string | number | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
}): SlaClockView {
  return {
    startedAt: iso(c.received_at),
    firstResponseDueAt: iso(c.first_response_due_at),
    resolutionDueAt: iso(c.resolution_due_at),
    pausedAt: iso(c.sla_paused_at),
    pausedTotalMs: Number(c.sla_paused_total_ms ?? 0),
    firstRespondedAt: iso(c.first_responded_at),
    resolvedAt: iso(c.resolved_at),
  };
}

function queueRow(r: repo.QueueCaseRow): QueueRow {
  return {
    id: r.id,
    caseNumber: r.case_number ?? '',
    status: r.status as CaseState,
    category: r.category,
    subcategory: r.subcategory,
    tier: r.tier,
    priority: r.priority,
    urgent: r.urgent === true,
    channel: r.channel,
    language: r.language as Language | null,
    vipLevel: r.queue_vip_level,
    exchangeUid: r.queue_exchange_uid,
    subject: subjectOf(r.description_head),
    usdEquivalent: decimal(r.usd_equivalent),
    assigneeId: r.assignee_id,
    assigneeName: r.queue_assignee_name,
    teamId: r.team_id,
    teamName: r.team_name,
    receivedAt: iso(r.received_at),
    updatedAt: iso(r.updated_at),
    sla: slaView(r),
    unread: r.unread,
    pending: r.pending,
  };
}

export interface QueueScope {
  db: LocalDb;
  userId: string;
  now: Date;
}

/** One page of the queue, in order, with the total the filter matches. */
export async function listQueue(scope: QueueScope, input: QueueQuery): Promise<QueuePage> {
  const query = parseInput(queueQueryInput, input);
  await refreshStatisticsIfStale(scope.db);
  const conditions = repo.filterConditions(query.filter, { userId: scope.userId, now: scope.now });
  const total = await repo.countCases(scope.db, conditions);
  return { total, ...(await pageOf(scope, conditions, query)) };
}

/**
 * One page of the queue without its total: the ordered index read stops at the page's end, where
 * a count reads every matching case (tens to hundreds of ms at 100,000). The renderer shows the
 * rows first and asks `countQueue` after.
 */
export async function queuePage(scope: QueueScope, input: QueueQuery): Promise<QueueRowsPage> {
  const query = parseInput(queueQueryInput, input);
  await refreshStatisticsIfStale(scope.db);
  return pageOf(scope, repo.filterConditions(query.filter, { userId: scope.userId, now: scope.now }), query);
}

async function pageOf(scope: QueueScope, conditions: ReturnType<typeof repo.filterConditions>, query: QueueQuery): Promise<QueueRowsPage> {
  const ids = await repo.pageCaseIds(scope.db, conditions, query.sort, query.offset, query.limit);
  const rows = new Map((await repo.queueRows(scope.db, ids, scope.userId)).map((r) => [r.id, r]));
  return { offset: query.offset, rows: ids.flatMap((id) => (rows.has(id) ? [queueRow(rows.get(id)!)] : [])) };
}

/** How many cases a queue filter matches. */
export async function countQueue(scope: QueueScope, input: unknown): Promise<{ total: number }> {
  const { filter } = parseInput(queueCountInput, input);
  await refreshStatisticsIfStale(scope.db);
  return { total: await repo.countCases(scope.db, repo.filterConditions(filter, { userId: scope.userId, now: scope.now })) };
}

// ---- Planner statistics -------------------------------------------------------------------------
// PGlite has no autovacuum: nothing analyzes `cases` after a sync brings 100,000 rows, and without
// statistics the planner guesses 0.5 % of the rows per condition, so a page sorted by SLA and
// filtered by language was a bitmap scan of every match and a sort (≈ 300 ms at 100,000 cases)
// instead of the (sla_due, id) index read until the page is full (≈ 2 ms). The queue analyzes the
// table itself when it has never been analyzed or has doubled since (ANALYZE samples at most
// 30,000 rows: about a second at 100,000 cases, paid once per doubling), at most every 10 s.

const STATISTICS_CHECK_MS = 10_000;
/** Below this many 8 kB pages (a few hundred cases) the planner's guesses do no harm. */
const STATISTICS_MIN_PAGES = 64;
const statisticsCheckedAt = new WeakMap<LocalDb, number>();

/** Analyzes `cases` when its statistics are missing or the table has doubled since; returns whether it did. */
export async function refreshStatisticsIfStale(db: LocalDb, nowMs = Date.now()): Promise<boolean> {
  const last = statisticsCheckedAt.get(db);
  if (last !== undefined && nowMs - last < STATISTICS_CHECK_MS) return false;
  statisticsCheckedAt.set(db, nowMs);
  const { analyzedPages, pages, analyzed } = await repo.casesTableSize(db);
  const stale = pages >= STATISTICS_MIN_PAGES && (!analyzed || pages > 2 * Math.max(analyzedPages, STATISTICS_MIN_PAGES / 2));
  if (stale) await repo.analyzeCases(db);
  return stale;
}

/** The rows of these cases (the supervisor's overview lists them as the queue does). */
export async function queueRowsOf(db: LocalDb, ids: readonly string[], userId: string): Promise<QueueRow[]> {
  const rows = new Map((await repo.queueRows(db, ids, userId)).map((r) => [r.id, r]));
  return ids.flatMap((id) => (rows.has(id) ? [queueRow(rows.get(id)!)] : []));
}

// ---- Saved views --------------------------------------------------------------------------------

export const BUILT_IN_VIEWS = {
  my_open_l3: '00000000-0000-4000-8000-00000000b001',
  breaching_today: '00000000-0000-4000-8000-00000000b002',
} as const;
const BUILT_IN_IDS: ReadonlySet<string> = new Set(Object.values(BUILT_IN_VIEWS));

const DEFAULT_SORT: QueueSort = { column: 'sla_due', direction: 'asc' };

/** Minutes left of the local day at `now` (at least 1). */
function minutesLeftToday(now: Date): number {
  const midnight = new Date(now);
  midnight.setHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((midnight.getTime() - now.getTime()) / 60_000));
}

function builtInViews(now: Date): SavedView[] {
  return [
    {
      id: BUILT_IN_VIEWS.my_open_l3,
      name: 'workstation.view.my_open_l3',
      builtIn: 'my_open_l3',
      filter: { assignee: 'me', tier: ['L3'], status: [...OPEN_STATES] },
      sort: DEFAULT_SORT,
    },
    {
      // Due within the rest of today includes what is already breached (shared/sla willBreachWithin).
      id: BUILT_IN_VIEWS.breaching_today,
      name: 'workstation.view.breaching_today',
      builtIn: 'breaching_today',
      filter: { sla: 'due_within', slaWithinMinutes: minutesLeftToday(now), status: [...OPEN_STATES] },
      sort: DEFAULT_SORT,
    },
  ];
}

export async function listViews(db: LocalDb, now: Date): Promise<SavedView[]> {
  const stored = await repo.listSavedViews(db);
  return [
    ...builtInViews(now),
    ...stored.flatMap((v) => {
      // A view saved by an older version whose filter no longer parses is shown without it.
      const filter = queueFilterSchema.safeParse(v.filter);
      const sort = queueSortSchema.safeParse(v.sort);
      return [{ id: v.id, name: v.name, builtIn: null, filter: filter.success ? filter.data : ({} as QueueFilter), sort: sort.success ? sort.data : DEFAULT_SORT }];
    }),
  ];
}

export async function saveView(db: LocalDb, input: unknown): Promise<SavedView> {
  const v = parseInput(saveViewInput, input);
  if (v.id && BUILT_IN_IDS.has(v.id)) throw conflict('workstation.view_builtin', 'id');
  const id = v.id ?? randomUUID();
  const taken = await repo.findViewByName(db, v.name);
  if (taken && taken.id !== id) throw conflict('workstation.view_name_taken', 'name');
  await repo.upsertSavedView(db, { id, name: v.name, filter: v.filter, sort: v.sort });
  return { id, name: v.name, builtIn: null, filter: v.filter, sort: v.sort };
}

export async function removeView(db: LocalDb, id: string): Promise<void> {
  if (BUILT_IN_IDS.has(id)) throw conflict('workstation.view_builtin', 'id');
  if ((await repo.deleteSavedView(db, id)) === 0) throw new AppError('not_found', 'workstation.view_not_found', { field: 'id' });
}

export async function directory(db: LocalDb): Promise<Directory> {
  const [users, teams] = await Promise.all([repo.directoryUsers(db), repo.directoryTeams(db)]);
  return {
    users: users.map((u) => ({ id: u.id, name: u.display_name ?? '', role: (u.role as Role | null) ?? null })),
    teams: teams.map((t) => ({ id: t.id, name: t.name ?? '' })),
  };
}
