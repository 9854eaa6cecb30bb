// SLA clocks (响应时效) as pure functions. Every case has a first-response and a resolution
// deadline from a policy chosen by tier and priority. The clock pauses while the case waits on the
// complainant or a third party and resumes with the time already spent kept: a pause moves the
// open deadlines later by its length. Time is always passed in; nothing here reads the system
// clock, and no Date passed in or held by a clock is ever mutated.
import { z } from 'zod';
import { PRIORITIES, TIERS, type Priority, type Tier } from './domain';

export const FIRST_RESPONSE_MINUTES_MAX = 43_200; // 30 days
export const RESOLUTION_MINUTES_MAX = 525_600; // 365 days

const objectError = (invalidKey: string) => (issue: { code?: string }) =>
  issue.code === 'unrecognized_keys' ? 'rules.unknown_field' : invalidKey;

const inRange = (minutes: unknown, max: number) => Number.isSafeInteger(minutes) && (minutes as number) >= 1 && (minutes as number) <= max;

export const slaPolicySchema = z
  .strictObject(
    {
      tier: z.enum(TIERS, { error: 'rules.sla.tier_invalid' }),
      priority: z.enum(PRIORITIES, { error: 'rules.sla.priority_invalid' }),
      firstResponseMinutes: z
        .int({ error: 'rules.sla.first_response_minutes_range' })
        .min(1, { error: 'rules.sla.first_response_minutes_range' })
        .max(FIRST_RESPONSE_MINUTES_MAX, { error: 'rules.sla.first_response_minutes_range' }),
      resolutionMinutes: z
        .int({ error: 'rules.sla.resolution_minutes_range' })
        .min(1, { error: 'rules.sla.resolution_minutes_range' })
        .max(RESOLUTION_MINUTES_MAX, { error: 'rules.sla.resolution_minutes_range' }),
    },
    { error: objectError('rules.sla.policy_invalid') },
  )
  // Compared only when both are valid on their own, so a single bad field gives a single message.
  .refine((p) => !inRange(p.firstResponseMinutes, FIRST_RESPONSE_MINUTES_MAX) || !inRange(p.resolutionMinutes, RESOLUTION_MINUTES_MAX) || p.resolutionMinutes >= p.firstResponseMinutes, {
    error: 'rules.sla.resolution_before_first_response',
    path: ['resolutionMinutes'],
  });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** A whole policy table as an admin saves it: at most one policy per tier × priority. */
export const slaPolicySetSchema = z.array(slaPolicySchema, { error: 'rules.sla.policy_set_invalid' }).superRefine((policies, ctx) => {
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const key = `${p.tier}/${p.priority}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', message: 'rules.sla.duplicate_policy', path: [i, 'priority'] });
    seen.add(key);
  });
});

const H = 60;
const policy = (tier: Tier, priority: Priority, firstResponseMinutes: number, resolutionMinutes: number): SlaPolicy =>
  Object.freeze({ tier, priority, firstResponseMinutes, resolutionMinutes });

/**
 * One policy per tier × priority. L1 (customer service, simple questions) answers within minutes;
 * L2 (specialists, complex cases) gives an initial solution within 24 h at normal priority; L3
 * (emergency response) answers urgent cases within 5 minutes and resolves them within 4 h.
 * Within a tier, a higher priority never has a looser deadline. Frozen: copy before editing.
 */
export const DEFAULT_SLA_POLICIES: SlaPolicy[] = Object.freeze([
  policy('L1', 'low', 30, 72 * H),
  policy('L1', 'normal', 15, 48 * H),
  policy('L1', 'high', 10, 24 * H),
  policy('L1', 'urgent', 5, 12 * H),
  policy('L2', 'low', 120, 72 * H),
  policy('L2', 'normal', 60, 24 * H),
  policy('L2', 'high', 30, 12 * H),
  policy('L2', 'urgent', 15, 8 * H),
  policy('L3', 'low', 30, 24 * H),
  policy('L3', 'normal', 15, 12 * H),
  policy('L3', 'high', 10, 8 * H),
  policy('L3', 'urgent', 5, 4 * H),
]) as SlaPolicy[];

/** The admin's policy for this tier and priority, or the default one when the admin has none. */
export function policyFor(policies: readonly SlaPolicy[], tier: Tier, priority: Priority): SlaPolicy {
  const found =
    policies.find((p) => p.tier === tier && p.priority === priority) ??
    DEFAULT_SLA_POLICIES.find((p) => p.tier === tier && p.priority === priority);
  if (!found) throw new RangeError(`policyFor: unknown tier/priority ${String(tier)}/${String(priority)}`);
  return found;
}

export interface SlaClock {
  startedAt: Date;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  /** When the running pause began, or null while the clock runs. */
  pausedAt: Date | null;
  /** Total length of the pauses already ended. */
  pausedTotalMs: number;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
}

const MINUTE_MS = 60_000;

function ms(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`SLA: ${what} is not a valid Date`);
  return t;
}
const at = (t: number) => new Date(t);

export function startClock(policy: SlaPolicy, startedAt: Date): SlaClock {
  const start = ms(startedAt, 'startedAt');
  return {
    startedAt: at(start),
    firstResponseDueAt: at(start + policy.firstResponseMinutes * MINUTE_MS),
    resolutionDueAt: at(start + policy.resolutionMinutes * MINUTE_MS),
    pausedAt: null,
    pausedTotalMs: 0,
    firstRespondedAt: null,
    resolvedAt: null,
  };
}

/** Stops the clock at `when`. A paused or resolved clock is returned unchanged. */
export function pauseClock(clock: SlaClock, when: Date): SlaClock {
  const t = ms(when, 'pause time');
  if (clock.pausedAt !== null || clock.resolvedAt !== null) return clock;
  return { ...clock, pausedAt: at(t) };
}

/**
 * Restarts a paused clock at `when`: the open deadlines move later by the pause's length (the
 * first-response one only while no response has been recorded) and the pause joins
 * `pausedTotalMs`. A running clock is returned unchanged. A resume before the pause counts as 0.
 */
export function resumeClock(clock: SlaClock, when: Date): SlaClock {
  const t = ms(when, 'resume time');
  if (clock.pausedAt === null) return clock;
  const span = Math.max(0, t - ms(clock.pausedAt, 'pausedAt'));
  return {
    ...clock,
    firstResponseDueAt:
      clock.firstRespondedAt === null ? at(ms(clock.firstResponseDueAt, 'firstResponseDueAt') + span) : clock.firstResponseDueAt,
    resolutionDueAt: clock.resolvedAt === null ? at(ms(clock.resolutionDueAt, 'resolutionDueAt') + span) : clock.resolutionDueAt,
    pausedAt: null,
    pausedTotalMs: clock.pausedTotalMs + span,
  };
}

/**
 * Records the first response; later ones change nothing. A response sent while the clock is
 * paused counts as given when the pause began: the first-response deadline moves by the part of
 * the pause that has passed, since that time was not the team's.
 */
export function recordFirstResponse(clock: SlaClock, when: Date): SlaClock {
  const t = ms(when, 'first response time');
  if (clock.firstRespondedAt !== null) return clock;
  const runningPause = clock.pausedAt === null ? 0 : Math.max(0, t - ms(clock.pausedAt, 'pausedAt'));
  return {
    ...clock,
    firstResponseDueAt: at(ms(clock.firstResponseDueAt, 'firstResponseDueAt') + runningPause),
    firstRespondedAt: at(t),
  };
}

/**
 * Records the resolution and stops the clock for good; a second resolution changes nothing.
 * A running pause ends at `when` first (a case is usually resolved from a paused state, e.g. the
 * complainant accepting a proposed resolution). Resolving a case answers the complainant, so a
 * missing first response is recorded at the same moment.
 */
export function recordResolution(clock: SlaClock, when: Date): SlaClock {
  const t = ms(when, 'resolution time');
  if (clock.resolvedAt !== null) return clock;
  const resumed = recordFirstResponse(resumeClock(clock, when), when);
  return { ...resumed, resolvedAt: at(t) };
}

/**
 * Applies a new policy after the tier or priority changed: open deadlines become startedAt +
 * the new budget + the pauses already ended (a running pause is added when it ends, as always).
 * A deadline already settled (responded, resolved) keeps its due date, so its outcome stands.
 */
export function reprioritize(clock: SlaClock, policy: SlaPolicy): SlaClock {
  const start = ms(clock.startedAt, 'startedAt');
  return {
    ...clock,
    firstResponseDueAt:
      clock.firstRespondedAt === null ? at(start + policy.firstResponseMinutes * MINUTE_MS + clock.pausedTotalMs) : clock.firstResponseDueAt,
    resolutionDueAt:
      clock.resolvedAt === null ? at(start + policy.resolutionMinutes * MINUTE_MS + clock.pausedTotalMs) : clock.resolutionDueAt,
  };
}

export type SlaStatus = 'met' | 'on_track' | 'at_risk' | 'breached' | 'paused';
export const SLA_STATUSES: readonly SlaStatus[] = ['met', 'on_track', 'at_risk', 'breached', 'paused'];

export interface SlaStatusReport {
  firstResponse: SlaStatus;
  resolution: SlaStatus;
  /** Time left before the deadline (negative once past it), or null once the deadline is settled. */
  firstResponseRemainingMs: number | null;
  resolutionRemainingMs: number | null;
}

/** The moment the clock's time is read at: `now`, or the start of a running pause (time is frozen while paused). */
function effectiveNow(clock: SlaClock, now: number): number {
  return clock.pausedAt === null ? now : Math.min(now, ms(clock.pausedAt, 'pausedAt'));
}

function deadlineStatus(
  due: Date,
  doneAt: Date | null,
  clock: SlaClock,
  now: number,
  atRiskMs: number,
): { status: SlaStatus; remainingMs: number | null } {
  const dueMs = ms(due, 'due date');
  if (doneAt !== null) return { status: ms(doneAt, 'completion time') <= dueMs ? 'met' : 'breached', remainingMs: null };
  const remainingMs = dueMs - effectiveNow(clock, now);
  // A breach stays visible while paused; otherwise a paused clock says so.
  if (remainingMs < 0) return { status: 'breached', remainingMs };
  if (clock.pausedAt !== null) return { status: 'paused', remainingMs };
  return { status: remainingMs < atRiskMs ? 'at_risk' : 'on_track', remainingMs };
}

function minutesToMs(minutes: number, what: string): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`SLA: ${what} must be a non-negative number of minutes`);
  return minutes * MINUTE_MS;
}

/**
 * Where each deadline stands at `now`. A deadline is met when done at or before its due date and
 * breached when done after it, or when still open and past due (at the due instant itself it is
 * not yet breached). An open deadline that would be breached within `atRiskWithinMinutes` of
 * running time is at risk. A paused clock reports `paused` (or `breached` if it already was) with
 * the remaining time frozen at the start of the pause.
 */
export function slaStatus(clock: SlaClock, now: Date, atRiskWithinMinutes: number): SlaStatusReport {
  const t = ms(now, 'now');
  const atRiskMs = minutesToMs(atRiskWithinMinutes, 'atRiskWithinMinutes');
  const fr = deadlineStatus(clock.firstResponseDueAt, clock.firstRespondedAt, clock, t, atRiskMs);
  const res = deadlineStatus(clock.resolutionDueAt, clock.resolvedAt, clock, t, atRiskMs);
  return { firstResponse: fr.status, resolution: res.status, firstResponseRemainingMs: fr.remainingMs, resolutionRemainingMs: res.remainingMs };
}

/**
 * Whether an open deadline will be past due `minutes` from `now` if nothing is done: true for an
 * open deadline already breached, false for settled ones. A paused clock does not run, so only an
 * already-breached open deadline counts.
 */
export function willBreachWithin(clock: SlaClock, now: Date, minutes: number): boolean {
  const t = ms(now, 'now');
  const windowMs = minutesToMs(minutes, 'minutes');
  const running = clock.pausedAt === null;
  const open: Date[] = [];
  if (clock.firstRespondedAt === null) open.push(clock.firstResponseDueAt);
  if (clock.resolvedAt === null) open.push(clock.resolutionDueAt);
  return open.some((due) => {
    const remaining = ms(due, 'due date') - effectiveNow(clock, t);
    return running ? remaining < windowMs : remaining < 0;
  });
}

/**
 * Running time spent on the case as of `now`: wall time since the start minus every pause
 * (the running one included), stopping at the resolution.
 */
export function spentMs(clock: SlaClock, now: Date): number {
  const start = ms(clock.startedAt, 'startedAt');
  let end = effectiveNow(clock, ms(now, 'now'));
  if (clock.resolvedAt !== null) end = Math.min(end, ms(clock.resolvedAt, 'resolvedAt'));
  return Math.max(0, end - start - clock.pausedTotalMs);
}
