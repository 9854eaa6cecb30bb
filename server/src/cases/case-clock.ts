// The SLA clock of a case row, in and out of shared/sla's pure functions.
import type { CaseRow } from '../db/schema';
import type { SlaClock } from '../../../shared/sla';

export function clockOf(c: Pick<CaseRow, 'received_at' | 'first_response_due_at' | 'resolution_due_at' | 'sla_paused_at' | 'sla_paused_total_ms' | 'first_responded_at' | 'resolved_at'>): SlaClock {
  return {
    startedAt: c.received_at,
    firstResponseDueAt: c.first_response_due_at,
    resolutionDueAt: c.resolution_due_at,
    pausedAt: c.sla_paused_at,
    pausedTotalMs: Number(c.sla_paused_total_ms),
    firstRespondedAt: c.first_responded_at,
    resolvedAt: c.resolved_at,
  };
}

export function clockColumns(clock: SlaClock) {
  return {
    first_response_due_at: clock.firstResponseDueAt,
    resolution_due_at: clock.resolutionDueAt,
    sla_paused_at: clock.pausedAt,
    sla_paused_total_ms: clock.pausedTotalMs,
    first_responded_at: clock.firstRespondedAt,
    resolved_at: clock.resolvedAt,
  };
}
