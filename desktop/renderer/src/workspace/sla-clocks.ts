// Both SLA deadlines of one case, each on its own (the shell's src/sla.ts shows only the one due
// first, for the queue): status from shared/sla, and the same display colours as the queue (amber
// when less than a quarter of the budget or an hour is left, red in the last tenth or 15 minutes).
import { slaStatus } from '../../../../shared/sla';
import { toClock, urgency } from '../sla';
import type { SlaClockView } from '../../../contract/types';

export type ClockState = 'running' | 'amber' | 'red' | 'breached' | 'paused' | 'met' | 'none';

export interface DeadlineDisplay {
  deadline: 'first_response' | 'resolution';
  state: ClockState;
  /** Time left (negative once past due); null once settled or without a clock. */
  remainingMs: number | null;
  dueAt: string | null;
  paused: boolean;
}

export function deadlines(view: SlaClockView | null | undefined, now: number): DeadlineDisplay[] {
  const clock = view ? toClock(view) : null;
  if (!clock) {
    return (['first_response', 'resolution'] as const).map((deadline) => ({ deadline, state: 'none', remainingMs: null, dueAt: null, paused: false }));
  }
  const report = slaStatus(clock, new Date(now), 60);
  const paused = clock.pausedAt !== null && clock.resolvedAt === null;
  const one = (deadline: 'first_response' | 'resolution', status: string, remaining: number | null, due: Date): DeadlineDisplay => {
    const base = { deadline, remainingMs: remaining, dueAt: due.toISOString(), paused };
    if (status === 'met') return { ...base, state: 'met', paused: false };
    if (status === 'breached') return { ...base, state: 'breached' };
    if (status === 'paused') return { ...base, state: 'paused' };
    return { ...base, state: urgency(clock, due, remaining ?? 0) };
  };
  return [
    one('first_response', report.firstResponse, report.firstResponseRemainingMs, clock.firstResponseDueAt),
    one('resolution', report.resolution, report.resolutionRemainingMs, clock.resolutionDueAt),
  ];
}
