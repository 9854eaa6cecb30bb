// The supervisor's view from the local store: what is at risk in their teams and the unassigned
// queue, approvals waiting for them (four-eyes: not their own requests), workload per handler, and
// who may take a case. Team membership is the server's: the engine keeps the list the server gave
// (admin.listUsers) in meta and falls back to who handles the teams' cases locally.
import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/domain';
import type { AssigneeOption, DirectoryEntry, SupervisorOverview } from '../../contract/types';
import type { LocalDb } from '../store/local-db';
import { getMeta } from '../store/meta';
import * as repo from './supervisor.repository';
import { filterConditions, pageCaseIds } from './queue.repository';
import { findCase, recusedUserIds, allUsers } from './case.repository';
import { OPEN_STATES, decimal, iso, queueRowsOf } from './queue';
import { caseNotLocal } from './cases';

/** Meta key: user id → team ids, as the server last listed them. */
export const MEMBERS_META = 'workstation.members';
/** Minutes before a deadline a case counts as at risk: the server's default setting (sla_at_risk_minutes). */
export const AT_RISK_MINUTES = 60;
const AT_RISK_LIMIT = 200;

/** Roles that handle cases (the server assigns only these). */
const HANDLER_ROLES: readonly Role[] = ['specialist', 'legal', 'supervisor'];

export interface SupervisorScope {
  db: LocalDb;
  userId: string;
  role: Role;
  teamIds: readonly string[];
  now: Date;
}

function requireSupervisor(scope: SupervisorScope): void {
  if (scope.role !== 'supervisor') throw new AppError('forbidden', 'workstation.supervisors_only');
}

/** Team ids per user: the server's list when the engine has it, otherwise who handles each team's cases here. */
async function memberships(db: LocalDb, teamIds: readonly string[]): Promise<Map<string, string[]>> {
  const listed = await getMeta<Record<string, string[]>>(db, MEMBERS_META);
  if (listed) return new Map(Object.entries(listed));
  const map = new Map<string, string[]>();
  for (const r of await repo.assigneesOfTeams(db, teamIds)) map.set(r.assignee_id, [...(map.get(r.assignee_id) ?? []), r.team_id]);
  return map;
}

async function entries(db: LocalDb): Promise<Map<string, DirectoryEntry>> {
  return new Map((await allUsers(db)).map((u) => [u.id, { id: u.id, name: u.display_name ?? '', role: (u.role as Role | null) ?? null }]));
}

export async function overview(scope: SupervisorScope): Promise<SupervisorOverview> {
  requireSupervisor(scope);
  const { db, now } = scope;
  const overseen = repo.overseenCondition(scope.teamIds);
  const open = repo.openCondition(OPEN_STATES);
  const scopeFilter = { userId: scope.userId, now };
  const [breached] = filterConditions({ sla: 'breached' }, scopeFilter);
  const [dueSoon] = filterConditions({ sla: 'due_within', slaWithinMinutes: AT_RISK_MINUTES }, scopeFilter);
  const atRiskIds = await pageCaseIds(db, [overseen, open, dueSoon!], { column: 'sla_due', direction: 'asc' }, 0, AT_RISK_LIMIT);
  const users = await entries(db);
  const members = await memberships(db, scope.teamIds);
  const handlers = [...users.values()].filter(
    (u) => u.role !== null && HANDLER_ROLES.includes(u.role) && u.id !== scope.userId && (members.get(u.id) ?? []).some((t) => scope.teamIds.includes(t)),
  );
  const load = new Map((await repo.workloadByAssignee(db, handlers.map((h) => h.id), open, breached!, dueSoon!)).map((r) => [r.assignee_id, r]));
  const approvals = await repo.approvalsWaiting(db, overseen);
  return {
    atRisk: await queueRowsOf(db, atRiskIds, scope.userId),
    // Four-eyes: the supervisor cannot approve what they asked for themselves.
    approvalsWaiting: approvals
      .filter((a) => a.requested_by !== scope.userId)
      .map((a) => ({
        caseId: a.case_id,
        caseNumber: a.case_number ?? '',
        requestedBy: a.requested_by ? (users.get(a.requested_by) ?? { id: a.requested_by, name: '', role: null }) : null,
        requestedAt: iso(a.requested_at),
        usdTotal: decimal(a.usd_total),
        thresholdUsd: decimal(a.threshold_usd),
      })),
    workload: handlers
      .map((user) => {
        const l = load.get(user.id);
        return { user, open: l?.open ?? 0, atRisk: l?.at_risk ?? 0, breached: l?.breached ?? 0, pendingApproval: l?.pending_approval ?? 0 };
      })
      .sort((a, b) => b.open - a.open || a.user.name.localeCompare(b.user.name)),
    unassigned: await repo.countWhere(db, [overseen, open, repo.unassignedCondition]),
  };
}

/** Who may take the case: handlers of its team (of the supervisor's teams when it has none), with their open cases and any recusal. */
export async function assignees(scope: SupervisorScope, caseId: string): Promise<AssigneeOption[]> {
  requireSupervisor(scope);
  const { db } = scope;
  const c = await findCase(db, caseId);
  if (!c) throw caseNotLocal();
  const teams = c.team_id ? [c.team_id] : [...scope.teamIds];
  const [users, members, recused] = await Promise.all([entries(db), memberships(db, teams), recusedUserIds(db, caseId)]);
  const candidates = [...users.values()].filter((u) => u.role !== null && HANDLER_ROLES.includes(u.role) && (members.get(u.id) ?? []).some((t) => teams.includes(t)));
  const load = await repo.openCasesByAssignee(db, candidates.map((u) => u.id), repo.openCondition(OPEN_STATES));
  return candidates
    .map((user) => ({
      user,
      teamIds: members.get(user.id) ?? [],
      open: load.get(user.id) ?? 0,
      // 回避制度: the server recorded this person's conflict with the complainant (the case's timeline says so).
      recusal: recused.has(user.id) ? { messageKey: 'workstation.assignee_recused', params: {} } : null,
    }))
    .sort((a, b) => Number(a.recusal !== null) - Number(b.recusal !== null) || a.open - b.open || a.user.name.localeCompare(b.user.name));
}
