// SQL of the supervisor's overview on the workstation: the cases a supervisor oversees (their
// teams' and the unassigned queue, as the server lets them see), approvals waiting, and workload.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { LocalDatabase } from '../store/local-schema';

type Db = Kysely<LocalDatabase>;

/** The supervisor's cases: their teams' and those no team holds yet (alias c). */
export function overseenCondition(teamIds: readonly string[]): RawBuilder<boolean> {
  return teamIds.length > 0 ? sql<boolean>`(c.team_id is null or c.team_id in (${sql.join([...teamIds])}))` : sql<boolean>`c.team_id is null`;
}

export const openCondition = (openStates: readonly string[]) => sql<boolean>`c.status in (${sql.join([...openStates])})`;

export async function approvalsWaiting(db: Db, scope: RawBuilder<boolean>) {
  const r = await sql<{ case_id: string; case_number: string | null; requested_by: string | null; requested_at: Date | null; usd_total: string | null; threshold_usd: string | null }>`
    select a.case_id, c.case_number, a.requested_by, a.requested_at, a.usd_total::text as usd_total, a.threshold_usd::text as threshold_usd
      from approvals a join cases c on c.id = a.case_id
     where a.decision is null and c.status = 'pending_approval' and ${scope}
     order by a.requested_at, a.id`.execute(db);
  return r.rows;
}

export async function countWhere(db: Db, conditions: RawBuilder<boolean>[]): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from cases c where ${sql.join(conditions, sql` and `)}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** Per assignee: open cases, those at risk (due within the window, not breached), breached, and waiting for approval. */
export async function workloadByAssignee(db: Db, userIds: readonly string[], open: RawBuilder<boolean>, breached: RawBuilder<boolean>, dueSoon: RawBuilder<boolean>) {
  if (userIds.length === 0) return [];
  const r = await sql<{ assignee_id: string; open: number; at_risk: number; breached: number; pending_approval: number }>`
    select c.assignee_id,
           count(*)::int as open,
           count(*) filter (where ${dueSoon} and not ${breached})::int as at_risk,
           count(*) filter (where ${breached})::int as breached,
           count(*) filter (where c.status = 'pending_approval')::int as pending_approval
      from cases c
     where c.assignee_id in (${sql.join([...userIds])}) and ${open}
     group by c.assignee_id`.execute(db);
  return r.rows;
}

/** Who handles cases of these teams locally: the fallback for team membership when the server's list is not at hand. */
export async function assigneesOfTeams(db: Db, teamIds: readonly string[]): Promise<{ assignee_id: string; team_id: string }[]> {
  if (teamIds.length === 0) return [];
  const r = await sql<{ assignee_id: string; team_id: string }>`
    select distinct c.assignee_id, c.team_id from cases c where c.assignee_id is not null and c.team_id in (${sql.join([...teamIds])})`.execute(db);
  return r.rows;
}

export const unassignedCondition = sql<boolean>`c.assignee_id is null`;

export async function openCasesByAssignee(db: Db, userIds: readonly string[], open: RawBuilder<boolean>): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const r = await sql<{ assignee_id: string; n: number }>`
    select c.assignee_id, count(*)::int as n from cases c where c.assignee_id in (${sql.join([...userIds])}) and ${open} group by c.assignee_id`.execute(db);
  return new Map(r.rows.map((x) => [x.assignee_id, x.n]));
}
