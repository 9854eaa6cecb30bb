// Both SLA deadlines of one case, each on its own (the shell's src/sla.ts shows only the one due
// first, for the queue): status from shared/sla, and the same display colours as the queue (amber
// when less than a quarter of the budget or an hour is left, red in the last tenth or 15 minutes).
import { slaStatus, type SlaClock } from '../../../../shared/sla';
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

const HOUR = 3_600_000;
const RED_MS = 15 * 60_000;

function toClock(view: SlaClockView): SlaClock | null {
  if (!view.startedAt || !view.firstResponseDueAt || !view.resolutionDueAt) return null;
  const d = (s: string | null) => (s ? new Date(s) : null);
  return {
    startedAt: new Date(view.startedAt),
    firstResponseDueAt: new Date(view.firstResponseDueAt),
    resolutionDueAt: new Date(view.resolutionDueAt),
    pausedAt: d(view.pausedAt),
    pausedTotalMs: view.pausedTotalMs,
    firstRespondedAt: d(view.firstRespondedAt),
    resolvedAt: d(view.resolvedAt),
  };
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
    const left = remaining ?? 0;
    const budget = Math.max(1, due.getTime() - clock.startedAt.getTime() - clock.pausedTotalMs);
    if (left < RED_MS || left < budget * 0.1) return { ...base, state: 'red' };
    if (left < HOUR || left < budget * 0.25) return { ...base, state: 'amber' };
    return { ...base, state: 'running' };
  };
  return [
    one('first_response', report.firstResponse, report.firstResponseRemainingMs, clock.firstResponseDueAt),
    one('resolution', report.resolution, report.resolutionRemainingMs, clock.resolutionDueAt),
  ];
}
