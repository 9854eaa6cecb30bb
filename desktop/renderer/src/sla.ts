// How an SLA clock reads on screen at a moment: which deadline matters, how long is left, and its
// state. The arithmetic (pauses, met/breached) is shared/sla's; this adds only the display colours:
// amber when less than a quarter of the budget or less than an hour is left, red in the last tenth
// or the last 15 minutes, breached past the due time.
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { slaStatus, type SlaClock } from '../../../shared/sla';
import type { SlaClockView } from '../../contract/types';
import { useNow } from './composables/use-now';

export type SlaDisplayState = 'running' | 'amber' | 'red' | 'breached' | 'paused' | 'met' | 'none';
export type SlaDeadline = 'first_response' | 'resolution';

export interface SlaDisplay {
  state: SlaDisplayState;
  /** The deadline shown: the open one due first. Null when no deadline is open (met) or there is no clock. */
  deadline: SlaDeadline | null;
  /** Time left (negative once breached); null when nothing is open. */
  remainingMs: number | null;
  dueAt: string | null;
  /** The clock is paused (also true for a breached clock that is paused). */
  paused: boolean;
}

const HOUR = 3_600_000;
const AMBER_SHARE = 0.25;
const RED_SHARE = 0.1;
const RED_MS = 15 * 60_000;

/** The stored clock as shared/sla reads it; null when the case has no clock. */
export function toClock(view: SlaClockView): SlaClock | null {
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

/** The SLA as shown at `now` (ms). */
export function slaDisplay(view: SlaClockView | null | undefined, now: number): SlaDisplay {
  const none: SlaDisplay = { state: 'none', deadline: null, remainingMs: null, dueAt: null, paused: false };
  if (!view) return none;
  const clock = toClock(view);
  if (!clock) return none;
  const report = slaStatus(clock, new Date(now), 60);
  const open: { deadline: SlaDeadline; remaining: number; due: Date }[] = [];
  if (report.firstResponseRemainingMs !== null) open.push({ deadline: 'first_response', remaining: report.firstResponseRemainingMs, due: clock.firstResponseDueAt });
  if (report.resolutionRemainingMs !== null) open.push({ deadline: 'resolution', remaining: report.resolutionRemainingMs, due: clock.resolutionDueAt });
  const paused = clock.pausedAt !== null && clock.resolvedAt === null;
  if (open.length === 0) return { state: 'met', deadline: null, remainingMs: null, dueAt: null, paused: false };
  const first = open.reduce((a, b) => (b.remaining < a.remaining ? b : a));
  const base = { deadline: first.deadline, remainingMs: first.remaining, dueAt: first.due.toISOString(), paused };
  if (first.remaining < 0) return { ...base, state: 'breached' };
  if (paused) return { ...base, state: 'paused' };
  return { ...base, state: urgency(clock, first.due, first.remaining) };
}

/** A running deadline's colour: red in the last tenth of its budget or 15 minutes, amber under a quarter or an hour. */
export function urgency(clock: SlaClock, due: Date, remainingMs: number): 'red' | 'amber' | 'running' {
  // The budget: from the start to the due time, less the pauses already spent.
  const budget = Math.max(1, due.getTime() - clock.startedAt.getTime() - clock.pausedTotalMs);
  if (remainingMs < RED_MS || remainingMs < budget * RED_SHARE) return 'red';
  if (remainingMs < HOUR || remainingMs < budget * AMBER_SHARE) return 'amber';
  return 'running';
}

/** The SLA of a row or case, ticking with the shared clock. */
export function useSla(view: MaybeRefOrGetter<SlaClockView | null | undefined>) {
  const now = useNow();
  return computed(() => slaDisplay(toValue(view), now.value));
}
