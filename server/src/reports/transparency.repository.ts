// SQL for the transparency report: the cases received in a period that the requester may see, with
// the facts the report counts (objections, escalations and their ends, accepted remedies, the
// rejection, when the satisfaction score was recorded), one row per case.
import { sql } from 'kysely';
import type { DB } from '../db/database';
import type { caseVisibility } from '../auth/policy';
import type { TransparencyCaseRow } from '../../../shared/reports/transparency';

/** The visibility filter of policy.ts caseVisibility, the same one the case list applies. */
type Visibility = ReturnType<typeof caseVisibility>;

export async function loadTransparencyRows(db: DB, f: { from: Date; to: Date; visibility: Visibility }): Promise<TransparencyCaseRow[]> {
  if ('none' in f.visibility) return [];
  // Arbitrators and mediators (visibility by accepted seat) have no access to reports (policy.ts).
  if (!f.visibility.all && 'acceptedSeat' in f.visibility && f.visibility.acceptedSeat) return [];
  let q = db
    .selectFrom('cases as c')
    .where('c.deleted_at', 'is', null)
    .where('c.received_at', '>=', f.from)
    .where('c.received_at', '<', f.to);
  const v = f.visibility;
  if (!v.all) {
    q = q.where((eb) =>
      eb.or([
        eb('c.assignee_id', '=', v.userId),
        ...(v.teamIds.length ? [eb('c.team_id', 'in', v.teamIds)] : []),
        ...(v.unassignedQueue ? [eb('c.team_id', 'is', null)] : []),
      ]),
    );
  }
  const rows = await q
    .select((eb) => [
      'c.received_at',
      'c.first_responded_at',
      'c.resolved_at',
      'c.closed_at',
      'c.category',
      'c.channel',
      'c.status',
      'c.first_response_due_at',
      'c.resolution_due_at',
      'c.sla_paused_at',
      'c.sla_paused_total_ms',
      'c.satisfaction_score',
      eb
        .selectFrom('case_events as e')
        .select((e) => e.fn.max('e.at').as('at'))
        .whereRef('e.case_id', '=', 'c.id')
        .where('e.type', '=', 'satisfaction.recorded')
        .as('satisfaction_recorded_at'),
      eb
        .exists(
          eb
            .selectFrom('case_events as e')
            .select('e.id')
            .whereRef('e.case_id', '=', 'c.id')
            .where('e.type', '=', 'case.transition')
            .where(sql<string>`e.payload->>'action'`, '=', 'reject'),
        )
        .as('rejected'),
      eb
        .selectFrom('objections as o')
        .select((o) => o.fn.min('o.at').as('at'))
        .whereRef('o.case_id', '=', 'c.id')
        .where('o.deleted_at', 'is', null)
        .as('first_objection_at'),
      eb
        .selectFrom('escalations as m')
        .select((m) => m.fn.min('m.created_at').as('at'))
        .whereRef('m.case_id', '=', 'c.id')
        .where('m.kind', '=', 'mediation')
        .where('m.deleted_at', 'is', null)
        .as('first_mediation_at'),
      eb
        .selectFrom('escalations as a')
        .select((a) => a.fn.min('a.created_at').as('at'))
        .whereRef('a.case_id', '=', 'c.id')
        .where('a.kind', '=', 'arbitration')
        .where('a.deleted_at', 'is', null)
        .as('first_arbitration_at'),
      eb
        .selectFrom('escalations as s')
        .select((s) => s.fn.min('s.closed_at').as('at'))
        .whereRef('s.case_id', '=', 'c.id')
        .where('s.kind', '=', 'mediation')
        .where('s.outcome', '=', 'settled')
        .where('s.deleted_at', 'is', null)
        .as('settled_at'),
      eb
        .selectFrom('escalations as r')
        .select((r) => r.fn.min('r.closed_at').as('at'))
        .whereRef('r.case_id', '=', 'c.id')
        .where('r.kind', '=', 'arbitration')
        .where('r.outcome', '=', 'ruled')
        .where('r.deleted_at', 'is', null)
        .as('ruled_at'),
      sql<string[]>`coalesce((select array_agg(distinct rm.kind order by rm.kind) from remedies rm where rm.case_id = c.id and rm.deleted_at is null and rm.status in ('accepted', 'executed')), '{}')`.as(
        'accepted_remedy_kinds',
      ),
    ])
    .orderBy('c.received_at')
    .orderBy('c.id')
    .execute();

  const date = (d: Date | string | null | undefined): Date | null => (d === null || d === undefined ? null : d instanceof Date ? d : new Date(d));
  return rows.map((r) => ({
    receivedAt: r.received_at,
    firstRespondedAt: r.first_responded_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    category: r.category,
    channel: r.channel,
    status: r.status,
    firstResponseDueAt: r.first_response_due_at,
    resolutionDueAt: r.resolution_due_at,
    slaPausedAt: r.sla_paused_at,
    slaPausedTotalMs: Number(r.sla_paused_total_ms),
    satisfactionScore: r.satisfaction_score,
    satisfactionRecordedAt: date(r.satisfaction_recorded_at),
    rejected: Boolean(r.rejected),
    firstObjectionAt: date(r.first_objection_at),
    firstMediationAt: date(r.first_mediation_at),
    firstArbitrationAt: date(r.first_arbitration_at),
    settledAt: date(r.settled_at),
    ruledAt: date(r.ruled_at),
    acceptedRemedyKinds: r.accepted_remedy_kinds ?? [],
  }));
}
