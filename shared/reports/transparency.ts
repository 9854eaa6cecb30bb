// The transparency report (透明度报告) as pure functions: what happened to the complaints received
// in a period [from, to), counted from case rows. No I/O and no clock: the caller passes the rows
// and the instant the figures are taken at (`asOf`: the end of the period, or the moment of the
// export when the period has not ended yet). The server and the workstation read the same columns.
//
// Definitions (also printed in the report, keys `report.def.*`):
// - Cohort: the cases received in [from, to); every figure is about them, as they stood at `asOf`.
//   Something that happened at or after `asOf` (a response, a resolution, an objection, an
//   escalation, a satisfaction score) is not counted yet.
// - First-response time: working time from receipt to the first response, as shared/sla.ts counts
//   it (spentMs). The lifecycle records the first response no later than the first pause (every
//   action that pauses the clock is itself a first response, or follows one; a test checks this),
//   so no paused time lies before a first response.
// - Resolution time: working time from receipt to resolution (shared/sla.ts spentMs: wall time minus
//   the time the clock was paused). Resolution is what the SLA calls it: the case reached execution,
//   follow-up, closing, archive, or was rejected.
// - Median and p90: linear interpolation between closest ranks (the "inclusive" percentile of
//   spreadsheets): for n sorted values the p-th percentile sits at rank (n − 1)·p; the median of an
//   even count is the mean of the two middle values. No values → no figure.
// - SLA breach rate: shared/sla.ts slaStatus at `asOf`: a deadline is met if done by its due time,
//   breached if done later or still open past it; deadlines still open and not yet due are pending
//   and left out of the rate (breached / (met + breached)).
// - Outcomes, as of `asOf`: open (not resolved); rejected (驳回 at initial review); ruled (an
//   arbitration ended in a ruling); settled (a mediation ended in a settlement); resolved in the
//   complainant's favour (the complainant accepted a resolution with redress: a refund,
//   compensation or an account unfreeze); resolved without redress (accepted a resolution with only
//   advice, support or measures against others).
// - Objection, mediation and arbitration rates: the share of the cohort with at least one objection
//   (异议) / mediation escalation / arbitration escalation (including after a mediation impasse).
// - Satisfaction: the scores (1–5) recorded at follow-up; the response rate is scores over the
//   cases surveyed or due a survey (resolved other than by rejection and at follow-up or later).
import { CATEGORY_NAMES, CHANNELS, type CaseState } from '../domain';
import { slaStatus, spentMs, type SlaClock } from '../sla';

/** One case as the report reads it; dates are instants, counts are plain numbers. */
export interface TransparencyCaseRow {
  receivedAt: Date;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  category: string;
  channel: string;
  status: string;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  slaPausedAt: Date | null;
  slaPausedTotalMs: number;
  satisfactionScore: number | null;
  /** When the current score was recorded (the latest `satisfaction.recorded` event); null if unknown. */
  satisfactionRecordedAt: Date | null;
  /** The case was rejected at initial review (驳回). */
  rejected: boolean;
  firstObjectionAt: Date | null;
  firstMediationAt: Date | null;
  firstArbitrationAt: Date | null;
  /** When a mediation ended in a settlement. */
  settledAt: Date | null;
  /** When an arbitration ended in a ruling. */
  ruledAt: Date | null;
  /** Kinds of the remedies the complainant accepted (accepted or executed). */
  acceptedRemedyKinds: readonly string[];
}

export const OUTCOMES = ['resolved_in_favour', 'resolved_without_redress', 'settled', 'ruled', 'rejected', 'open'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Remedies that give the complainant redress: money back or access restored. */
export const REDRESS_REMEDY_KINDS: readonly string[] = ['refund', 'compensation', 'account_unfreeze'];

/** Statuses a case reaches at or after follow-up, when the satisfaction survey is due. */
const SURVEYED_STATES: readonly CaseState[] = ['follow_up', 'closed', 'archived'];

export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;

export type ReportScope = 'all' | 'own_teams';

export interface CountShare {
  key: string;
  count: number;
  /** count / total, or null when the total is 0. */
  share: number | null;
}

export interface DurationStats {
  /** How many cases the figure is taken over. */
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface DeadlineStats {
  met: number;
  breached: number;
  /** Open and not yet due at `asOf`. */
  pending: number;
  /** breached / (met + breached), or null when no deadline is decided. */
  breachRate: number | null;
}

export interface RateStats {
  count: number;
  rate: number | null;
}

export interface SatisfactionStats {
  responses: number;
  /** Cases surveyed or due a survey. */
  eligible: number;
  responseRate: number | null;
  average: number | null;
  /** Number of scores 1, 2, 3, 4 and 5, in that order. */
  distribution: [number, number, number, number, number];
}

export interface TransparencyStats {
  /** Period start (inclusive), end (exclusive) and the instant the figures are taken at, as ISO text. */
  period: { from: string; to: string; asOf: string };
  scope: ReportScope;
  total: number;
  byCategory: CountShare[];
  byChannel: CountShare[];
  outcomes: CountShare[];
  firstResponse: DurationStats;
  resolution: DurationStats;
  sla: { firstResponse: DeadlineStats; resolution: DeadlineStats };
  objections: RateStats;
  mediation: RateStats;
  arbitration: RateStats;
  satisfaction: SatisfactionStats;
}

export interface TransparencyPeriod {
  from: Date;
  to: Date;
  asOf: Date;
  scope?: ReportScope;
}

// ---- percentiles ---------------------------------------------------------------------------------

/**
 * The p-th percentile (0 ≤ p ≤ 1) of `values` by linear interpolation between closest ranks; null
 * for no values. The input is not modified.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile: p must be within [0, 1], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo]!;
  const high = sorted[hi]!;
  return lo === hi ? low : low + (high - low) * (rank - lo);
}

export const median = (values: readonly number[]) => percentile(values, 0.5);

export function durationStats(values: readonly number[]): DurationStats {
  return { count: values.length, medianMs: median(values), p90Ms: percentile(values, 0.9) };
}

// ---- per case ------------------------------------------------------------------------------------

const before = (d: Date | null, asOf: Date): d is Date => d !== null && d.getTime() < asOf.getTime();

/**
 * The case's SLA clock as it stood at `asOf`: a response, resolution or pause from `asOf` on had
 * not happened yet. The due dates are the stored ones (a pause that began after `asOf` and has
 * already ended moved an open deadline later; the report cannot undo that without the timeline).
 */
export function clockAt(row: TransparencyCaseRow, asOf: Date): SlaClock {
  return {
    startedAt: row.receivedAt,
    firstResponseDueAt: row.firstResponseDueAt,
    resolutionDueAt: row.resolutionDueAt,
    pausedAt: before(row.slaPausedAt, asOf) ? row.slaPausedAt : null,
    pausedTotalMs: row.slaPausedTotalMs,
    firstRespondedAt: before(row.firstRespondedAt, asOf) ? row.firstRespondedAt : null,
    resolvedAt: before(row.resolvedAt, asOf) ? row.resolvedAt : null,
  };
}

/** Working time to the first response (null if none by `asOf`). */
export function firstResponseMs(row: TransparencyCaseRow, asOf: Date): number | null {
  if (!before(row.firstRespondedAt, asOf)) return null;
  // The clock as it stood at the first response: never paused before it (see the header).
  const clock: SlaClock = { ...clockAt(row, asOf), pausedAt: null, pausedTotalMs: 0, resolvedAt: null };
  return spentMs(clock, row.firstRespondedAt);
}

/** Working time to the resolution, paused time excluded (null if not resolved by `asOf`). */
export function resolutionMs(row: TransparencyCaseRow, asOf: Date): number | null {
  if (!before(row.resolvedAt, asOf)) return null;
  return spentMs(clockAt(row, asOf), row.resolvedAt);
}

export function outcomeOf(row: TransparencyCaseRow, asOf: Date): Outcome {
  if (!before(row.resolvedAt, asOf)) return 'open';
  if (row.rejected || row.status === 'rejected') return 'rejected';
  if (before(row.ruledAt, asOf)) return 'ruled';
  if (before(row.settledAt, asOf)) return 'settled';
  if (row.acceptedRemedyKinds.some((k) => REDRESS_REMEDY_KINDS.includes(k))) return 'resolved_in_favour';
  return 'resolved_without_redress';
}

// ---- the report ----------------------------------------------------------------------------------

const share = (count: number, total: number) => (total === 0 ? null : count / total);

/** Counts per key: every known key in its canonical order (zeros kept), then unknown keys sorted. */
function countBy(rows: readonly TransparencyCaseRow[], keyOf: (r: TransparencyCaseRow) => string, known: readonly string[]): CountShare[] {
  const counts = new Map<string, number>(known.map((k) => [k, 0]));
  for (const r of rows) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + 1);
  const extra = [...counts.keys()].filter((k) => !known.includes(k)).sort();
  return [...known, ...extra].map((key) => ({ key, count: counts.get(key)!, share: share(counts.get(key)!, rows.length) }));
}

function deadlineStats(statuses: readonly string[]): DeadlineStats {
  const met = statuses.filter((s) => s === 'met').length;
  const breached = statuses.filter((s) => s === 'breached').length;
  return { met, breached, pending: statuses.length - met - breached, breachRate: met + breached === 0 ? null : breached / (met + breached) };
}

function validDate(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`transparency: ${what} is not a valid Date`);
  return t;
}

/** Every figure of the report for the cases received in [from, to), as they stood at `asOf`. */
export function computeTransparencyStats(rows: readonly TransparencyCaseRow[], period: TransparencyPeriod): TransparencyStats {
  const from = validDate(period.from, 'from');
  const to = validDate(period.to, 'to');
  validDate(period.asOf, 'asOf');
  if (to <= from) throw new RangeError('transparency: the period must end after it starts');
  const asOf = period.asOf;
  const cohort = rows.filter((r) => {
    const t = validDate(r.receivedAt, 'receivedAt');
    return t >= from && t < to && t < asOf.getTime();
  });

  const firstResponses: number[] = [];
  const resolutions: number[] = [];
  const frStatuses: string[] = [];
  const resStatuses: string[] = [];
  const outcomes: Outcome[] = [];
  let objections = 0;
  let mediation = 0;
  let arbitration = 0;
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let eligible = 0;

  for (const r of cohort) {
    const fr = firstResponseMs(r, asOf);
    if (fr !== null) firstResponses.push(fr);
    const res = resolutionMs(r, asOf);
    if (res !== null) resolutions.push(res);
    const sla = slaStatus(clockAt(r, asOf), asOf, 0);
    frStatuses.push(sla.firstResponse);
    resStatuses.push(sla.resolution);
    const outcome = outcomeOf(r, asOf);
    outcomes.push(outcome);
    if (before(r.firstObjectionAt, asOf)) objections++;
    if (before(r.firstMediationAt, asOf)) mediation++;
    if (before(r.firstArbitrationAt, asOf)) arbitration++;

    const score = r.satisfactionScore;
    const scored =
      score !== null && Number.isInteger(score) && score >= 1 && score <= 5 && (r.satisfactionRecordedAt === null || before(r.satisfactionRecordedAt, asOf));
    if (scored) distribution[score - 1]!++;
    const surveyDue = outcome !== 'open' && outcome !== 'rejected' && (SURVEYED_STATES as readonly string[]).includes(r.status);
    if (scored || surveyDue) eligible++;
  }

  const responses = distribution.reduce((a, b) => a + b, 0);
  const scoreSum = distribution.reduce((sum, n, i) => sum + n * (i + 1), 0);
  const total = cohort.length;
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString(), asOf: asOf.toISOString() },
    scope: period.scope ?? 'all',
    total,
    byCategory: countBy(cohort, (r) => r.category, CATEGORY_NAMES),
    byChannel: countBy(cohort, (r) => r.channel, CHANNELS),
    outcomes: OUTCOMES.map((key) => {
      const count = outcomes.filter((o) => o === key).length;
      return { key, count, share: share(count, total) };
    }),
    firstResponse: durationStats(firstResponses),
    resolution: durationStats(resolutions),
    sla: { firstResponse: deadlineStats(frStatuses), resolution: deadlineStats(resStatuses) },
    objections: { count: objections, rate: share(objections, total) },
    mediation: { count: mediation, rate: share(mediation, total) },
    arbitration: { count: arbitration, rate: share(arbitration, total) },
    satisfaction: {
      responses,
      eligible,
      responseRate: share(responses, eligible),
      average: responses === 0 ? null : scoreSum / responses,
      distribution,
    },
  };
}

/** The instant the figures are taken at: the end of the period, or `now` if it has not ended. */
export function reportAsOf(to: Date, now: Date): Date {
  return new Date(Math.min(validDate(to, 'to'), validDate(now, 'now')));
}
