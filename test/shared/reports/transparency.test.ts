// The transparency report's figures (pure) and its PDF: percentiles at their edges, working time as
// shared/sla.ts counts it, SLA breaches, outcomes, rates and satisfaction as of the period's end, and
// the rendered document read back with pdf.js in both languages.
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  OUTCOMES,
  clockAt,
  computeTransparencyStats,
  durationStats,
  firstResponseMs,
  median,
  outcomeOf,
  percentile,
  reportAsOf,
  resolutionMs,
  type TransparencyCaseRow,
  type TransparencyStats,
} from '../../../shared/reports/transparency';
import { niceAxis, periodLabels, renderTransparencyReport, transparencyFileName } from '../../../shared/pdf/transparency/render';
import { loadPdfFonts } from '../../../shared/pdf/fonts';
import { CATEGORY_NAMES, CASE_ACTIONS, CHANNELS, type CaseState } from '../../../shared/domain';
import { decide, RESUMABLE_STATES, TRANSITIONS, type CaseFacts } from '../../../shared/lifecycle';
import { slaStatus, spentMs } from '../../../shared/sla';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 0, 1);
/** An instant `hours` after 2026-01-01T00:00Z. */
const at = (hours: number) => new Date(T0 + hours * H);
const FROM = at(0);
const TO = at(31 * 24); // 2026-02-01
const PERIOD = { from: FROM, to: TO, asOf: TO };

function row(over: Partial<TransparencyCaseRow> = {}): TransparencyCaseRow {
  return {
    receivedAt: at(1),
    firstRespondedAt: null,
    resolvedAt: null,
    closedAt: null,
    category: 'trade',
    channel: 'email',
    status: 'received',
    firstResponseDueAt: at(2),
    resolutionDueAt: at(25),
    slaPausedAt: null,
    slaPausedTotalMs: 0,
    satisfactionScore: null,
    satisfactionRecordedAt: null,
    rejected: false,
    firstObjectionAt: null,
    firstMediationAt: null,
    firstArbitrationAt: null,
    settledAt: null,
    ruledAt: null,
    acceptedRemedyKinds: [],
    ...over,
  };
}

/** A case received at `h`, answered after `fr` hours and resolved (closed) after `res` hours of wall time. */
const resolved = (h: number, fr: number, res: number, over: Partial<TransparencyCaseRow> = {}) =>
  row({ receivedAt: at(h), firstRespondedAt: at(h + fr), resolvedAt: at(h + res), closedAt: at(h + res), status: 'closed', firstResponseDueAt: at(h + 1), resolutionDueAt: at(h + 24), ...over });

// ---- percentiles ---------------------------------------------------------------------------------

describe('percentile and median', () => {
  it('give no figure for no values', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([], 0.9)).toBeNull();
    expect(median([])).toBeNull();
    expect(durationStats([])).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });

  it('give the value itself for one value', () => {
    expect(median([42])).toBe(42);
    expect(percentile([42], 0.9)).toBe(42);
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([42], 1)).toBe(42);
    expect(durationStats([7 * MIN])).toEqual({ count: 1, medianMs: 7 * MIN, p90Ms: 7 * MIN });
  });

  it('take the mean of the two middle values for an even count', () => {
    expect(median([1, 3])).toBe(2);
    expect(median([10, 40, 20, 30])).toBe(25);
    expect(median([1, 2, 3, 100])).toBe(2.5);
  });

  it('take the middle value for an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([9, 7, 8, 1, 2])).toBe(7);
  });

  it('interpolate P90 between the closest ranks', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 0.9)).toBeCloseTo(9.1, 10); // rank 8.1: 9 + 0.1 × (10 − 9)
    expect(percentile([0, 100], 0.9)).toBe(90);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10); // rank 9 exactly
    expect(percentile(ten, 0)).toBe(1);
    expect(percentile(ten, 1)).toBe(10);
  });

  it('handle ties', () => {
    expect(median([4, 4, 4, 4])).toBe(4);
    expect(percentile([4, 4, 4, 4], 0.9)).toBe(4);
    expect(median([1, 2, 2, 2, 10])).toBe(2);
    expect(percentile([1, 2, 2, 2, 10], 0.9)).toBeCloseTo(6.8, 10); // rank 3.6: 2 + 0.6 × 8
    expect(median([3, 3, 5, 5])).toBe(4);
  });

  it('leave the input as it was and refuse a p outside [0, 1]', () => {
    const values = [3, 1, 2];
    percentile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
    expect(() => percentile(values, 1.5)).toThrow(RangeError);
    expect(() => percentile(values, -0.1)).toThrow(RangeError);
    expect(() => percentile(values, Number.NaN)).toThrow(RangeError);
  });
});

// ---- working time --------------------------------------------------------------------------------

describe('first-response and resolution times', () => {
  it('count working time to the first response, from receipt', () => {
    const r = resolved(10, 0.5, 8);
    expect(firstResponseMs(r, TO)).toBe(30 * MIN);
    expect(firstResponseMs(row(), TO)).toBeNull();
  });

  it('leave pauses out of the resolution time, as shared/sla.ts spentMs does', () => {
    // Resolved 30 h after receipt, 20 h of which waiting on the complainant: 10 h of work.
    const r = resolved(0, 1, 30, { slaPausedTotalMs: 20 * H });
    expect(resolutionMs(r, TO)).toBe(10 * H);
    expect(resolutionMs(r, TO)).toBe(spentMs(clockAt(r, TO), r.resolvedAt!));
    // Pauses come after the first response, so they never shorten it.
    expect(firstResponseMs(r, TO)).toBe(1 * H);
  });

  it('count nothing that happened at or after the instant the figures are taken at', () => {
    const r = resolved(0, 2, 30);
    expect(firstResponseMs(r, at(2))).toBeNull(); // responded exactly at asOf: not yet
    expect(firstResponseMs(r, at(2.01))).toBe(2 * H);
    expect(resolutionMs(r, at(30))).toBeNull();
    expect(resolutionMs(r, at(31))).toBe(30 * H);
  });

  it('read the clock as it stood at asOf', () => {
    const r = resolved(0, 2, 30, { slaPausedAt: at(20) });
    const before = clockAt(r, at(10));
    expect(before.firstRespondedAt).toEqual(at(2));
    expect(before.resolvedAt).toBeNull();
    expect(before.pausedAt).toBeNull();
    const after = clockAt(r, at(40));
    expect(after.resolvedAt).toEqual(at(30));
    expect(after.pausedAt).toEqual(at(20));
  });
});

describe('the lifecycle never pauses the clock before the first response', () => {
  // firstResponseMs relies on it: the row keeps only the total paused time, so no pause may lie
  // before the first response. Walk every reachable state and check each pausing step.
  it('holds on every path from received', () => {
    const facts = (resumeState: CaseState | null): CaseFacts => ({
      actorId: 'actor',
      assigneeId: 'actor',
      classified: true,
      hasAssessment: true,
      hasProposedRemedy: true,
      needsApproval: true,
      approvalGranted: true,
      remedyProposerId: 'someone else',
      reason: 'because',
      resumeState,
      externalAssigned: true,
    });
    const seen = new Set<string>();
    const queue: { state: CaseState; responded: boolean; resume: CaseState | null }[] = [{ state: 'received', responded: false, resume: null }];
    let pausingSteps = 0;
    while (queue.length) {
      const s = queue.shift()!;
      const key = `${s.state}|${s.responded}|${s.resume}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const action of CASE_ACTIONS) {
        const roles = TRANSITIONS.find((t) => t.action === action)!.roles;
        for (const role of roles) {
          const d = decide(s.state, action, role, facts(s.resume));
          if (!d.ok) continue;
          const responded = s.responded || d.firstResponse;
          if (d.pausesClock) {
            pausingSteps++;
            expect({ from: s.state, action, respondedByThen: responded }).toEqual({ from: s.state, action, respondedByThen: true });
          }
          const resume = d.next === 'awaiting_material' || d.next === 'awaiting_third_party' ? s.state : null;
          queue.push({ state: d.next, responded, resume });
        }
      }
    }
    expect(pausingSteps).toBeGreaterThan(3);
    expect(RESUMABLE_STATES.length).toBeGreaterThan(0);
  });
});

// ---- SLA -----------------------------------------------------------------------------------------

describe('SLA breaches', () => {
  it('are decided by shared/sla.ts slaStatus at asOf', () => {
    const cases = [
      resolved(0, 0.5, 10), // both met
      resolved(0, 3, 30), // both late
      row({ receivedAt: at(0), firstResponseDueAt: at(1), resolutionDueAt: at(24) }), // open and past both deadlines
      row({ receivedAt: at(31 * 24 - 2), firstResponseDueAt: at(31 * 24 + 1), resolutionDueAt: at(32 * 24) }), // open, not yet due
    ];
    const stats = computeTransparencyStats(cases, PERIOD);
    expect(stats.sla.firstResponse).toEqual({ met: 1, breached: 2, pending: 1, breachRate: 2 / 3 });
    expect(stats.sla.resolution).toEqual({ met: 1, breached: 2, pending: 1, breachRate: 2 / 3 });
    for (const c of cases) expect(['met', 'breached', 'on_track', 'at_risk', 'paused']).toContain(slaStatus(clockAt(c, TO), TO, 0).firstResponse);
  });

  it('count a deadline falling exactly at asOf as not yet breached', () => {
    const r = row({ receivedAt: at(0), firstResponseDueAt: TO, resolutionDueAt: TO });
    const stats = computeTransparencyStats([r], PERIOD);
    expect(stats.sla.firstResponse).toEqual({ met: 0, breached: 0, pending: 1, breachRate: null });
  });

  it('keep a breach that happened before a pause, and not count a paused deadline still in time', () => {
    const breachedThenPaused = row({ receivedAt: at(0), firstRespondedAt: at(0.5), firstResponseDueAt: at(1), resolutionDueAt: at(24), slaPausedAt: at(30), status: 'awaiting_material' });
    const pausedInTime = row({ receivedAt: at(0), firstRespondedAt: at(0.5), firstResponseDueAt: at(1), resolutionDueAt: at(24 * 40), slaPausedAt: at(5), status: 'awaiting_material' });
    const stats = computeTransparencyStats([breachedThenPaused, pausedInTime], PERIOD);
    expect(stats.sla.resolution).toEqual({ met: 0, breached: 1, pending: 1, breachRate: 1 });
    expect(stats.sla.firstResponse).toEqual({ met: 2, breached: 0, pending: 0, breachRate: 0 });
  });

  it('judge a case resolved after the period end as it stood at the end', () => {
    // Due during the period, resolved (late) only after it: breached at the end, open outcome.
    const r = resolved(31 * 24 - 30, 0.5, 40); // received 30 h before the end, resolved 10 h after it
    const stats = computeTransparencyStats([r], PERIOD);
    expect(stats.sla.resolution.breached).toBe(1);
    expect(stats.outcomes.find((o) => o.key === 'open')!.count).toBe(1);
    expect(stats.resolution).toEqual({ count: 0, medianMs: null, p90Ms: null });
    // The same case in a report taken later counts its resolution.
    const later = computeTransparencyStats([r], { from: FROM, to: at(40 * 24), asOf: at(40 * 24) });
    expect(later.resolution.count).toBe(1);
    expect(later.outcomes.find((o) => o.key === 'open')!.count).toBe(0);
  });
});

// ---- outcomes ------------------------------------------------------------------------------------

describe('outcomes', () => {
  it('follow the definitions', () => {
    expect(outcomeOf(row(), TO)).toBe('open');
    expect(outcomeOf(row({ status: 'mediation', firstMediationAt: at(5) }), TO)).toBe('open');
    expect(outcomeOf(resolved(0, 1, 2, { status: 'rejected', rejected: true }), TO)).toBe('rejected');
    expect(outcomeOf(resolved(0, 1, 2, { status: 'archived', rejected: true }), TO)).toBe('rejected');
    expect(outcomeOf(resolved(0, 1, 2, { status: 'rejected' }), TO)).toBe('rejected');
    expect(outcomeOf(resolved(0, 1, 50, { settledAt: at(49), acceptedRemedyKinds: ['refund'] }), TO)).toBe('settled');
    expect(outcomeOf(resolved(0, 1, 50, { firstMediationAt: at(5), firstArbitrationAt: at(20), ruledAt: at(49) }), TO)).toBe('ruled');
    for (const kind of ['refund', 'compensation', 'account_unfreeze']) expect(outcomeOf(resolved(0, 1, 5, { acceptedRemedyKinds: [kind] }), TO)).toBe('resolved_in_favour');
    expect(outcomeOf(resolved(0, 1, 5, { acceptedRemedyKinds: ['security_advice', 'compensation'] }), TO)).toBe('resolved_in_favour');
    for (const kind of ['security_advice', 'technical_support', 'warning', 'permanent_ban']) expect(outcomeOf(resolved(0, 1, 5, { acceptedRemedyKinds: [kind] }), TO)).toBe('resolved_without_redress');
    expect(outcomeOf(resolved(0, 1, 5), TO)).toBe('resolved_without_redress');
  });

  it('are open for a case resolved at or after asOf', () => {
    expect(outcomeOf(resolved(0, 1, 5, { acceptedRemedyKinds: ['refund'] }), at(5))).toBe('open');
    expect(outcomeOf(resolved(0, 1, 5, { acceptedRemedyKinds: ['refund'] }), at(6))).toBe('resolved_in_favour');
  });

  it('partition the cohort, every outcome listed in order', () => {
    const stats = computeTransparencyStats(
      [row(), resolved(0, 1, 2, { status: 'rejected', rejected: true }), resolved(0, 1, 5, { acceptedRemedyKinds: ['refund'] }), resolved(0, 1, 5, { acceptedRemedyKinds: ['refund'] })],
      PERIOD,
    );
    expect(stats.outcomes.map((o) => o.key)).toEqual([...OUTCOMES]);
    expect(Object.fromEntries(stats.outcomes.map((o) => [o.key, o.count]))).toEqual({
      resolved_in_favour: 2,
      resolved_without_redress: 0,
      settled: 0,
      ruled: 0,
      rejected: 1,
      open: 1,
    });
    expect(stats.outcomes.reduce((n, o) => n + o.count, 0)).toBe(stats.total);
    expect(stats.outcomes.find((o) => o.key === 'resolved_in_favour')!.share).toBe(0.5);
  });
});

// ---- the whole report ----------------------------------------------------------------------------

describe('computeTransparencyStats', () => {
  it('takes the cases received in [from, to) and before asOf', () => {
    const rows = [
      row({ receivedAt: new Date(FROM.getTime() - 1) }),
      row({ receivedAt: FROM }),
      row({ receivedAt: at(100) }),
      row({ receivedAt: new Date(TO.getTime() - 1) }),
      row({ receivedAt: TO }),
    ];
    expect(computeTransparencyStats(rows, PERIOD).total).toBe(3);
    expect(computeTransparencyStats(rows, { ...PERIOD, asOf: at(50) }).total).toBe(1);
  });

  it('counts by category and channel, every known one in order with zeros, unknown ones after', () => {
    const stats = computeTransparencyStats(
      [row({ category: 'p2p', channel: 'phone' }), row({ category: 'p2p', channel: 'email' }), row({ category: 'trade', channel: 'carrier_pigeon' })],
      PERIOD,
    );
    expect(stats.byCategory.map((c) => c.key)).toEqual(CATEGORY_NAMES);
    expect(stats.byCategory.find((c) => c.key === 'p2p')).toEqual({ key: 'p2p', count: 2, share: 2 / 3 });
    expect(stats.byCategory.find((c) => c.key === 'service')).toEqual({ key: 'service', count: 0, share: 0 });
    expect(stats.byChannel.map((c) => c.key)).toEqual([...CHANNELS, 'carrier_pigeon']);
    expect(stats.byChannel.reduce((n, c) => n + c.count, 0)).toBe(3);
  });

  it('gives medians and P90 of working time, paused time left out', () => {
    const stats = computeTransparencyStats(
      [
        resolved(0, 0.25, 4), // 15 min, 4 h
        resolved(1, 0.5, 10, { slaPausedTotalMs: 4 * H }), // 30 min, 6 h of work
        resolved(2, 1, 8), // 60 min, 8 h
        resolved(3, 2, 20), // 120 min, 20 h
        row({ receivedAt: at(4), firstRespondedAt: at(4.75) }), // 45 min, still open
      ],
      PERIOD,
    );
    expect(stats.firstResponse.count).toBe(5);
    expect(stats.firstResponse.medianMs).toBe(45 * MIN);
    expect(stats.firstResponse.p90Ms).toBeCloseTo(96 * MIN, 6); // rank 3.6 of [15, 30, 45, 60, 120] min: 60 + 0.6 × 60
    expect(stats.resolution.count).toBe(4);
    expect(stats.resolution.medianMs).toBe(7 * H); // mean of 6 h and 8 h
    expect(stats.resolution.p90Ms).toBeCloseTo(8 * H + 0.7 * 12 * H, 6); // rank 2.7 of [4, 6, 8, 20] h
  });

  it('counts objection, mediation and arbitration rates over the cohort, as of asOf', () => {
    const stats = computeTransparencyStats(
      [
        row({ firstObjectionAt: at(10) }),
        row({ firstObjectionAt: at(10), firstMediationAt: at(20), firstArbitrationAt: at(30) }),
        row({ firstArbitrationAt: at(40) }),
        row({ firstObjectionAt: at(31 * 24 + 1) }), // after the end of the period: not yet
      ],
      PERIOD,
    );
    expect(stats.objections).toEqual({ count: 2, rate: 0.5 });
    expect(stats.mediation).toEqual({ count: 1, rate: 0.25 });
    expect(stats.arbitration).toEqual({ count: 2, rate: 0.5 });
  });

  it('sums up satisfaction: average, distribution, response rate over the cases due a survey', () => {
    const stats = computeTransparencyStats(
      [
        resolved(0, 1, 5, { satisfactionScore: 5, acceptedRemedyKinds: ['refund'] }),
        resolved(0, 1, 5, { satisfactionScore: 4 }),
        resolved(0, 1, 5, { satisfactionScore: 4, status: 'follow_up', closedAt: null }),
        resolved(0, 1, 5, { satisfactionScore: 1, status: 'archived' }),
        resolved(0, 1, 5), // closed, no answer: due a survey
        resolved(0, 1, 5, { status: 'follow_up', closedAt: null }), // at follow-up, no answer yet
        resolved(0, 1, 5, { status: 'execution', closedAt: null }), // not yet at follow-up
        resolved(0, 1, 5, { status: 'rejected', rejected: true }), // rejected: no survey
        row(), // open
        resolved(0, 1, 5, { satisfactionScore: 2, satisfactionRecordedAt: at(31 * 24 + 5) }), // scored after the end: not counted, still due
      ],
      PERIOD,
    );
    expect(stats.satisfaction.distribution).toEqual([1, 0, 0, 2, 1]);
    expect(stats.satisfaction.responses).toBe(4);
    expect(stats.satisfaction.average).toBe(3.5);
    expect(stats.satisfaction.eligible).toBe(7);
    expect(stats.satisfaction.responseRate).toBeCloseTo(4 / 7, 12);
  });

  it('ignores a score outside 1–5', () => {
    const stats = computeTransparencyStats([resolved(0, 1, 5, { satisfactionScore: 0 }), resolved(0, 1, 5, { satisfactionScore: 6 }), resolved(0, 1, 5, { satisfactionScore: 2.5 })], PERIOD);
    expect(stats.satisfaction.responses).toBe(0);
    expect(stats.satisfaction.average).toBeNull();
  });

  it('gives empty figures, not errors, for an empty period', () => {
    const stats = computeTransparencyStats([], PERIOD);
    expect(stats.total).toBe(0);
    expect(stats.byCategory.every((c) => c.count === 0 && c.share === null)).toBe(true);
    expect(stats.firstResponse).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(stats.sla.firstResponse.breachRate).toBeNull();
    expect(stats.objections).toEqual({ count: 0, rate: null });
    expect(stats.satisfaction).toEqual({ responses: 0, eligible: 0, responseRate: null, average: null, distribution: [0, 0, 0, 0, 0] });
    expect(stats.period).toEqual({ from: FROM.toISOString(), to: TO.toISOString(), asOf: TO.toISOString() });
    expect(stats.scope).toBe('all');
  });

  it('refuses a period that does not end after it starts, and dates that are not dates', () => {
    expect(() => computeTransparencyStats([], { from: TO, to: FROM, asOf: TO })).toThrow(RangeError);
    expect(() => computeTransparencyStats([], { from: FROM, to: FROM, asOf: TO })).toThrow(RangeError);
    expect(() => computeTransparencyStats([], { from: new Date('nope'), to: TO, asOf: TO })).toThrow(RangeError);
    expect(() => computeTransparencyStats([row({ receivedAt: new Date(Number.NaN) })], PERIOD)).toThrow(RangeError);
  });

  it('takes the figures at the end of the period, or now if it has not ended', () => {
    expect(reportAsOf(TO, at(40 * 24))).toEqual(TO);
    expect(reportAsOf(TO, at(10))).toEqual(at(10));
  });
});

// ---- the PDF -------------------------------------------------------------------------------------

async function pdfPages(bytes: Uint8Array): Promise<string[][]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true }).promise;
  const pages: string[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).filter((s) => s.trim() !== ''));
  }
  await doc.destroy();
  return pages;
}
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('renderTransparencyReport', () => {
  const fonts = loadPdfFonts();
  const generatedAt = new Date('2026-02-03T04:05:00Z');
  const stats: TransparencyStats = computeTransparencyStats(
    [
      resolved(0, 0.25, 4, { category: 'p2p', channel: 'live_chat', acceptedRemedyKinds: ['refund'], satisfactionScore: 5 }),
      resolved(5, 2, 30, { category: 'p2p', channel: 'phone', status: 'rejected', rejected: true }),
      resolved(9, 0.5, 10, { category: 'account_security', channel: 'live_chat', firstObjectionAt: at(9.5), firstMediationAt: at(9.6), settledAt: at(18), satisfactionScore: 3 }),
      row({ receivedAt: at(20), category: 'trade', channel: 'web_form' }),
    ],
    PERIOD,
  );

  it('prints the labels and figures in English', async () => {
    const pdf = await renderTransparencyReport(stats, { language: 'en', fonts, generatedAt });
    const pages = await pdfPages(pdf);
    const all = pages.flat();
    expect(all.join('')).not.toContain('\u0000'); // no glyph left without a character (tofu)
    expect(all).toEqual(expect.arrayContaining(['Complaint handling transparency report', 'Complaints by category', 'P2P trading', 'Live chat', 'Satisfaction scores']));
    expect(all.join(' ')).toContain('2026-01-01 to 2026-01-31');
    expect(all).toContain('Page 1 of ' + pages.length);
    expect(all).toContain(`Page ${pages.length} of ${pages.length}`);
    expect(all).toEqual(expect.arrayContaining(['4', '50.0%', '25.0%'])); // 4 complaints; P2P 50%; objections 25%
    expect(all).toContain('4.00'); // average satisfaction (5 + 3) / 2
  });

  it('prints the labels and figures in Chinese, mixed text included', async () => {
    const pdf = await renderTransparencyReport(stats, { language: 'zh-CN', fonts, generatedAt });
    const pages = await pdfPages(pdf);
    const all = pages.flat();
    // pdf.js leaves out the spaces between runs: compare without spaces.
    const text = all.join('').replace(/\s+/g, '');
    expect(text).not.toContain('\u0000');
    expect(all).toEqual(expect.arrayContaining(['投诉处理透明度报告', '按投诉类型', '按受理渠道', '满意度评分分布', '在线客服', '驳回']));
    // "P2P 交易": a Latin run and a CJK run, side by side.
    expect(all.some((s, i) => s.trim() === 'P2P' && all[i + 1] === '交易')).toBe(true);
    expect(text).toContain(`第1页，共${pages.length}页`);
    expect(text).toContain('统计期间：2026-01-01至2026-01-31（UTC）');
    expect(all).toEqual(expect.arrayContaining(['50.0%', '4.00']));
    // Both faces are embedded as subsets.
    const raw = latin1(pdf);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans-Regular/);
  });

  it('gives the same bytes for the same stats, language and date', async () => {
    const a = await renderTransparencyReport(stats, { language: 'zh-CN', fonts, generatedAt });
    const b = await renderTransparencyReport(structuredClone(stats), { language: 'zh-CN', fonts, generatedAt });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await renderTransparencyReport(stats, { language: 'zh-CN', fonts, generatedAt: new Date(generatedAt.getTime() + 60_000) });
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('is PDF/A-3b, tagged, with the language set, fonts embedded and no standard font', async () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const raw = latin1(await renderTransparencyReport(stats, { language, fonts, generatedAt }));
      expect(raw.startsWith('%PDF-1.7')).toBe(true);
      expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
      expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
      expect(raw).toContain('/OutputIntents');
      expect(raw).toContain('/MarkInfo');
      expect(raw).toContain('/Marked true');
      expect(raw).toContain('/StructTreeRoot');
      expect(raw).toContain(`/Lang (${language})`);
      expect(raw).toContain('/S /Figure');
      expect(raw).toContain('/S /Table');
      expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
      expect(raw).toContain('/FontFile2');
    }
  });

  it('renders an empty period', async () => {
    const empty = computeTransparencyStats([], PERIOD);
    const pages = await pdfPages(await renderTransparencyReport(empty, { language: 'en', fonts, generatedAt }));
    expect(pages.flat()).toContain('No cases in this period');
  });

  it('refuses a generatedAt that is not a date', async () => {
    await expect(renderTransparencyReport(stats, { language: 'en', fonts, generatedAt: new Date('x') })).rejects.toThrow(RangeError);
  });
});

describe('report helpers', () => {
  it('show a period of whole days with its last day', () => {
    expect(periodLabels(FROM, TO)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(periodLabels(at(6), at(30))).toEqual({ from: '2026-01-01 06:00', to: '2026-01-02 06:00' });
    expect(transparencyFileName(computeTransparencyStats([], PERIOD), 'zh-CN')).toBe('transparency-report_2026-01-01_2026-01-31_zh-CN.pdf');
  });

  it('pick nice axes', () => {
    expect(niceAxis(0, 5, true)).toEqual({ max: 1, step: 1 });
    expect(niceAxis(31, 5, true)).toEqual({ max: 40, step: 10 });
    expect(niceAxis(3, 5, true)).toEqual({ max: 3, step: 1 });
    expect(niceAxis(47.7, 5)).toEqual({ max: 50, step: 10 });
    expect(niceAxis(2.5, 5)).toEqual({ max: 2.5, step: 0.5 });
    const { max, step } = niceAxis(9.3, 5);
    expect(max).toBeGreaterThanOrEqual(9.3);
    expect(max / step).toBeLessThanOrEqual(6);
  });
});

void DAY;
