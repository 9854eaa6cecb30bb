import { describe, it, expect } from 'vitest';
import { PRIORITIES, TIERS } from '../../shared/domain';
import {
  DEFAULT_SLA_POLICIES,
  SLA_STATUSES,
  pauseClock,
  policyFor,
  recordFirstResponse,
  recordResolution,
  reprioritize,
  resumeClock,
  slaPolicySchema,
  slaPolicySetSchema,
  slaStatus,
  spentMs,
  startClock,
  willBreachWithin,
  type SlaClock,
  type SlaPolicy,
} from '../../shared/sla';
import { mulberry32 } from '../support/random';
import { rulesMessages } from '../../shared/i18n/rules.messages';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = new Date('2025-03-01T08:00:00.000Z');
const t = (offsetMs: number) => new Date(T0.getTime() + offsetMs);
/** L2 normal: first response within 60 min, resolution within 24 h. */
const L2_NORMAL: SlaPolicy = { tier: 'L2', priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 24 * 60 };
const L3_URGENT: SlaPolicy = { tier: 'L3', priority: 'urgent', firstResponseMinutes: 5, resolutionMinutes: 4 * 60 };

const times = (c: SlaClock) => ({
  startedAt: c.startedAt.getTime(),
  firstResponseDueAt: c.firstResponseDueAt.getTime(),
  resolutionDueAt: c.resolutionDueAt.getTime(),
  pausedAt: c.pausedAt?.getTime() ?? null,
  pausedTotalMs: c.pausedTotalMs,
  firstRespondedAt: c.firstRespondedAt?.getTime() ?? null,
  resolvedAt: c.resolvedAt?.getTime() ?? null,
});

describe('SLA policies', () => {
  it('default to exactly one valid policy per tier and priority', () => {
    expect(DEFAULT_SLA_POLICIES).toHaveLength(12);
    expect(slaPolicySetSchema.safeParse(DEFAULT_SLA_POLICIES).success).toBe(true);
    for (const tier of TIERS)
      for (const priority of PRIORITIES) {
        expect(DEFAULT_SLA_POLICIES.filter((p) => p.tier === tier && p.priority === priority), `${tier}/${priority}`).toHaveLength(1);
      }
  });

  it('default to deadlines in the spirit of the design', () => {
    const d = (tier: (typeof TIERS)[number], priority: (typeof PRIORITIES)[number]) => policyFor([], tier, priority);
    // simple (L1) questions are answered within minutes
    for (const priority of PRIORITIES) expect(d('L1', priority).firstResponseMinutes).toBeLessThanOrEqual(30);
    expect(d('L1', 'low')).toMatchObject({ firstResponseMinutes: 30, resolutionMinutes: 72 * 60 });
    expect(d('L1', 'normal')).toMatchObject({ firstResponseMinutes: 15, resolutionMinutes: 48 * 60 });
    // complex (L2) ones get an initial solution within 24 h
    expect(d('L2', 'normal')).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 24 * 60 });
    // emergencies
    expect(d('L3', 'urgent')).toMatchObject({ firstResponseMinutes: 5, resolutionMinutes: 4 * 60 });
  });

  it('never give a higher priority a looser deadline within a tier', () => {
    for (const tier of TIERS) {
      const row = PRIORITIES.map((p) => policyFor([], tier, p));
      for (let i = 1; i < row.length; i++) {
        expect(row[i]!.firstResponseMinutes, `${tier} ${row[i]!.priority}`).toBeLessThanOrEqual(row[i - 1]!.firstResponseMinutes);
        expect(row[i]!.resolutionMinutes, `${tier} ${row[i]!.priority}`).toBeLessThanOrEqual(row[i - 1]!.resolutionMinutes);
      }
    }
  });

  it('use the admin policy when there is one, and the default otherwise', () => {
    const custom: SlaPolicy = { tier: 'L2', priority: 'normal', firstResponseMinutes: 45, resolutionMinutes: 600 };
    expect(policyFor([custom], 'L2', 'normal')).toEqual(custom);
    expect(policyFor([custom], 'L2', 'high')).toEqual(DEFAULT_SLA_POLICIES.find((p) => p.tier === 'L2' && p.priority === 'high'));
    expect(policyFor([], 'L3', 'urgent')).toMatchObject({ tier: 'L3', priority: 'urgent' });
  });

  it('refuses a resolution deadline shorter than the first-response one', () => {
    const r = slaPolicySchema.safeParse({ tier: 'L1', priority: 'low', firstResponseMinutes: 120, resolutionMinutes: 119 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.message, i.path.join('.')])).toEqual([
      ['rules.sla.resolution_before_first_response', 'resolutionMinutes'],
    ]);
    expect(slaPolicySchema.safeParse({ tier: 'L1', priority: 'low', firstResponseMinutes: 120, resolutionMinutes: 120 }).success).toBe(true);
  });

  it('refuses out-of-range minutes, unknown tiers and priorities, unknown fields and duplicates', () => {
    const ok = { tier: 'L1', priority: 'low', firstResponseMinutes: 30, resolutionMinutes: 4320 };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...ok, tier: 'L4' }, 'rules.sla.tier_invalid', 'tier'],
      [{ ...ok, priority: 'asap' }, 'rules.sla.priority_invalid', 'priority'],
      [{ ...ok, firstResponseMinutes: 0 }, 'rules.sla.first_response_minutes_range', 'firstResponseMinutes'],
      [{ ...ok, firstResponseMinutes: 43_201 }, 'rules.sla.first_response_minutes_range', 'firstResponseMinutes'],
      [{ ...ok, firstResponseMinutes: 1.5 }, 'rules.sla.first_response_minutes_range', 'firstResponseMinutes'],
      [{ ...ok, resolutionMinutes: 525_601 }, 'rules.sla.resolution_minutes_range', 'resolutionMinutes'],
      [{ ...ok, resolutionMinutes: '4320' }, 'rules.sla.resolution_minutes_range', 'resolutionMinutes'],
      [{ ...ok, note: 'x' }, 'rules.unknown_field', ''],
    ];
    for (const [value, message, path] of cases) {
      const r = slaPolicySchema.safeParse(value);
      expect(r.success, JSON.stringify(value)).toBe(false);
      expect(r.error?.issues.map((i) => [i.message, i.path.join('.')])).toEqual([[message, path]]);
      expect(Object.keys(rulesMessages.en)).toContain(message);
    }
    expect(slaPolicySchema.safeParse({ ...ok, firstResponseMinutes: 43_200, resolutionMinutes: 525_600 }).success).toBe(true);
    const dup = slaPolicySetSchema.safeParse([ok, { ...ok, firstResponseMinutes: 10 }]);
    expect(dup.error?.issues.map((i) => [i.message, i.path.join('.')])).toEqual([['rules.sla.duplicate_policy', '1.priority']]);
  });

  it('cannot be changed in place by accident', () => {
    expect(() => {
      DEFAULT_SLA_POLICIES[0]!.firstResponseMinutes = 1;
    }).toThrow(TypeError);
    expect(() => DEFAULT_SLA_POLICIES.pop()).toThrow(TypeError);
  });
});

describe('SLA clock: pause and resume', () => {
  it('starts with both deadlines from the policy', () => {
    const c = startClock(L2_NORMAL, T0);
    expect(times(c)).toEqual({
      startedAt: T0.getTime(),
      firstResponseDueAt: T0.getTime() + HOUR,
      resolutionDueAt: T0.getTime() + 24 * HOUR,
      pausedAt: null,
      pausedTotalMs: 0,
      firstRespondedAt: null,
      resolvedAt: null,
    });
  });

  it('keeps the time already spent across a pause and moves the deadlines by the pause', () => {
    let c = startClock(L2_NORMAL, T0);
    c = pauseClock(c, t(10 * MIN)); // 10 min spent, then waits on the complainant
    expect(spentMs(c, t(2 * HOUR))).toBe(10 * MIN);
    c = resumeClock(c, t(10 * MIN + 3 * HOUR)); // material arrives 3 h later
    expect(spentMs(c, t(10 * MIN + 3 * HOUR))).toBe(10 * MIN);
    expect(c.pausedTotalMs).toBe(3 * HOUR);
    expect(c.pausedAt).toBeNull();
    expect(c.firstResponseDueAt.getTime()).toBe(T0.getTime() + HOUR + 3 * HOUR);
    expect(c.resolutionDueAt.getTime()).toBe(T0.getTime() + 24 * HOUR + 3 * HOUR);
    const s = slaStatus(c, t(10 * MIN + 3 * HOUR), 15);
    expect(s.firstResponseRemainingMs).toBe(50 * MIN);
    expect(s.resolutionRemainingMs).toBe(24 * HOUR - 10 * MIN);
    expect(s.firstResponse).toBe('on_track');
  });

  it('adds up several pauses', () => {
    let c = startClock(L2_NORMAL, T0);
    c = pauseClock(c, t(5 * MIN));
    c = resumeClock(c, t(65 * MIN)); // 1 h paused
    c = pauseClock(c, t(70 * MIN));
    c = resumeClock(c, t(100 * MIN)); // 30 min paused
    c = pauseClock(c, t(120 * MIN));
    c = resumeClock(c, t(121 * MIN)); // 1 min paused
    expect(c.pausedTotalMs).toBe(91 * MIN);
    expect(spentMs(c, t(130 * MIN))).toBe(39 * MIN);
    expect(c.resolutionDueAt.getTime()).toBe(T0.getTime() + 24 * HOUR + 91 * MIN);
    expect(slaStatus(c, t(130 * MIN), 0).firstResponseRemainingMs).toBe(21 * MIN);
  });

  it('ignores a second pause while paused and a resume while running', () => {
    const running = startClock(L2_NORMAL, T0);
    const paused = pauseClock(running, t(10 * MIN));
    expect(pauseClock(paused, t(40 * MIN))).toBe(paused);
    expect(pauseClock(paused, t(40 * MIN)).pausedAt?.getTime()).toBe(t(10 * MIN).getTime());
    expect(resumeClock(running, t(20 * MIN))).toBe(running);
    const resumed = resumeClock(pauseClock(pauseClock(running, t(10 * MIN)), t(40 * MIN)), t(70 * MIN));
    expect(resumed.pausedTotalMs).toBe(60 * MIN); // measured from the first pause
    expect(resumeClock(resumed, t(200 * MIN))).toBe(resumed);
  });

  it('moves only the resolution deadline once the first response is given', () => {
    let c = startClock(L2_NORMAL, T0);
    c = recordFirstResponse(c, t(20 * MIN));
    c = pauseClock(c, t(30 * MIN));
    c = resumeClock(c, t(30 * MIN + 5 * HOUR));
    expect(c.firstResponseDueAt.getTime()).toBe(T0.getTime() + HOUR);
    expect(c.resolutionDueAt.getTime()).toBe(T0.getTime() + 29 * HOUR);
    expect(slaStatus(c, t(10 * HOUR), 30).firstResponse).toBe('met');
  });

  it('does not count the pause against a first response given while waiting on the complainant', () => {
    let c = startClock(L2_NORMAL, T0);
    c = pauseClock(c, t(50 * MIN)); // 10 min before the first-response deadline
    c = recordFirstResponse(c, t(3 * HOUR)); // answered during the pause
    expect(slaStatus(c, t(3 * HOUR), 15).firstResponse).toBe('met');
    c = resumeClock(c, t(5 * HOUR));
    expect(slaStatus(c, t(5 * HOUR), 15).firstResponse).toBe('met');
    expect(c.resolutionDueAt.getTime()).toBe(T0.getTime() + 24 * HOUR + (5 * HOUR - 50 * MIN));
  });

  it('never changes the clock or the dates it was given', () => {
    const start = new Date(T0);
    const c0 = startClock(L2_NORMAL, start);
    start.setTime(0); // the caller reuses its Date
    expect(c0.startedAt.getTime()).toBe(T0.getTime());
    const snapshot = times(c0);
    const pauseAt = t(10 * MIN);
    const c1 = pauseClock(c0, pauseAt);
    pauseAt.setTime(0);
    expect(c1.pausedAt?.getTime()).toBe(t(10 * MIN).getTime());
    const s1 = times(c1);
    const c2 = resumeClock(c1, t(HOUR));
    const c3 = recordFirstResponse(c2, t(2 * HOUR));
    const c4 = reprioritize(c3, L3_URGENT);
    recordResolution(c4, t(3 * HOUR));
    expect(times(c0)).toEqual(snapshot);
    expect(times(c1)).toEqual(s1);
    expect(c2.pausedAt).toBeNull();
    expect(c3.firstRespondedAt?.getTime()).toBe(t(2 * HOUR).getTime());
    expect(c4.resolvedAt).toBeNull();
  });

  it('refuses invalid dates', () => {
    expect(() => startClock(L2_NORMAL, new Date('nope'))).toThrow(RangeError);
    expect(() => pauseClock(startClock(L2_NORMAL, T0), new Date(NaN))).toThrow(RangeError);
    expect(() => slaStatus(startClock(L2_NORMAL, T0), new Date(NaN), 10)).toThrow(RangeError);
    expect(() => slaStatus(startClock(L2_NORMAL, T0), T0, -1)).toThrow(RangeError);
  });
});

describe('SLA status', () => {
  const c = startClock(L2_NORMAL, T0); // first response due T0+60 min
  const due = 60 * MIN;

  it('moves from on track to at risk to breached at the exact boundaries', () => {
    expect(slaStatus(c, T0, 15)).toEqual({
      firstResponse: 'on_track',
      resolution: 'on_track',
      firstResponseRemainingMs: HOUR,
      resolutionRemainingMs: 24 * HOUR,
    });
    expect(slaStatus(c, t(due - 15 * MIN), 15).firstResponse).toBe('on_track'); // 15 min left: breach is not within 15 min
    expect(slaStatus(c, t(due - 15 * MIN + 1), 15).firstResponse).toBe('at_risk');
    expect(slaStatus(c, t(due), 15)).toMatchObject({ firstResponse: 'at_risk', firstResponseRemainingMs: 0 });
    expect(slaStatus(c, t(due + 1), 15)).toMatchObject({ firstResponse: 'breached', firstResponseRemainingMs: -1 });
    expect(slaStatus(c, t(due + 1), 15).resolution).toBe('on_track');
    expect(slaStatus(c, t(24 * HOUR + 1), 15)).toMatchObject({ resolution: 'breached', resolutionRemainingMs: -1 });
    expect(slaStatus(c, t(due - 1), 0).firstResponse).toBe('on_track'); // no at-risk window
  });

  it('says met for a deadline kept, even at the due instant, and breached for one missed, for good', () => {
    const onTime = recordFirstResponse(c, t(due));
    expect(slaStatus(onTime, t(due + 5 * HOUR), 15)).toMatchObject({ firstResponse: 'met', firstResponseRemainingMs: null });
    const late = recordFirstResponse(c, t(due + 1));
    expect(slaStatus(late, t(due + 1), 15)).toMatchObject({ firstResponse: 'breached', firstResponseRemainingMs: null });
    expect(slaStatus(late, t(30 * 24 * HOUR), 15).firstResponse).toBe('breached');
    expect(slaStatus(recordResolution(c, t(24 * HOUR)), t(48 * HOUR), 15)).toMatchObject({ resolution: 'met', resolutionRemainingMs: null });
    expect(slaStatus(recordResolution(c, t(24 * HOUR + 1)), t(48 * HOUR), 15).resolution).toBe('breached');
  });

  it('shows a paused clock as paused, with its remaining time frozen', () => {
    const p = pauseClock(c, t(50 * MIN));
    for (const now of [t(50 * MIN), t(2 * HOUR), t(30 * 24 * HOUR)]) {
      expect(slaStatus(p, now, 15)).toEqual({
        firstResponse: 'paused',
        resolution: 'paused',
        firstResponseRemainingMs: 10 * MIN,
        resolutionRemainingMs: 24 * HOUR - 50 * MIN,
      });
    }
    const resumed = resumeClock(p, t(30 * 24 * HOUR));
    expect(slaStatus(resumed, t(30 * 24 * HOUR), 15)).toMatchObject({ firstResponse: 'at_risk', firstResponseRemainingMs: 10 * MIN });
  });

  it('keeps showing a breach when the clock is paused after it', () => {
    const p = pauseClock(c, t(due + 5 * MIN));
    expect(slaStatus(p, t(10 * HOUR), 15)).toMatchObject({
      firstResponse: 'breached',
      firstResponseRemainingMs: -5 * MIN,
      resolution: 'paused',
    });
  });

  it('has a translated name for every status', () => {
    for (const status of SLA_STATUSES) {
      expect(rulesMessages.en[`sla.status.${status}`]).toBeTruthy();
      expect(rulesMessages['zh-CN'][`sla.status.${status}`]).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('willBreachWithin', () => {
  const c = startClock(L2_NORMAL, T0);

  it('warns when a running deadline will pass within the window', () => {
    const now = t(40 * MIN); // 20 min before the first-response deadline
    expect(willBreachWithin(c, now, 19)).toBe(false);
    expect(willBreachWithin(c, now, 20)).toBe(false); // at +20 min it is due, not yet late
    expect(willBreachWithin(c, new Date(now.getTime() + 1), 20)).toBe(true);
    expect(willBreachWithin(c, now, 21)).toBe(true);
    expect(willBreachWithin(c, now, 0)).toBe(false);
  });

  it('counts a deadline already missed and still open', () => {
    expect(willBreachWithin(c, t(HOUR + 1), 0)).toBe(true);
  });

  it('looks at the resolution deadline once the first response is given', () => {
    const answered = recordFirstResponse(c, t(10 * MIN));
    expect(willBreachWithin(answered, t(2 * HOUR), 60)).toBe(false);
    expect(willBreachWithin(answered, t(23 * HOUR), 61)).toBe(true);
    expect(willBreachWithin(recordFirstResponse(c, t(2 * HOUR)), t(3 * HOUR), 0)).toBe(false); // a late response is settled
  });

  it('does not warn for a paused clock, which cannot run out, unless it already has', () => {
    const p = pauseClock(c, t(59 * MIN));
    expect(willBreachWithin(p, t(59 * MIN), 60)).toBe(false);
    expect(willBreachWithin(p, t(50 * HOUR), 60)).toBe(false);
    expect(willBreachWithin(pauseClock(c, t(61 * MIN)), t(50 * HOUR), 0)).toBe(true);
  });

  it('is quiet once the case is resolved', () => {
    expect(willBreachWithin(recordResolution(c, t(30 * MIN)), t(100 * HOUR), 60)).toBe(false);
  });

  it('agrees with the at-risk status', () => {
    for (let m = 0; m <= 90; m++) {
      const now = t(m * MIN + 17);
      const s = slaStatus(c, now, 15);
      const risky = s.firstResponse === 'at_risk' || s.resolution === 'at_risk';
      const breached = s.firstResponse === 'breached' || s.resolution === 'breached';
      expect(willBreachWithin(c, now, 15), `minute ${m}`).toBe(risky || breached);
    }
  });
});

describe('reprioritize', () => {
  it('recomputes open deadlines from the start, keeping ended pauses', () => {
    let c = startClock(L2_NORMAL, T0);
    c = pauseClock(c, t(2 * MIN));
    c = resumeClock(c, t(32 * MIN)); // 30 min paused
    c = reprioritize(c, L3_URGENT);
    expect(c.firstResponseDueAt.getTime()).toBe(T0.getTime() + 5 * MIN + 30 * MIN);
    expect(c.resolutionDueAt.getTime()).toBe(T0.getTime() + 4 * HOUR + 30 * MIN);
    expect(c.pausedTotalMs).toBe(30 * MIN);
    expect(c.startedAt.getTime()).toBe(T0.getTime());
  });

  it('can make a breach visible at once when the case becomes urgent late', () => {
    const c = reprioritize(startClock(L2_NORMAL, T0), L3_URGENT);
    expect(slaStatus(c, t(20 * MIN), 5)).toMatchObject({ firstResponse: 'breached', firstResponseRemainingMs: -15 * MIN });
  });

  it('leaves a deadline already kept as it was', () => {
    let c = startClock(L2_NORMAL, T0);
    c = recordFirstResponse(c, t(30 * MIN)); // met under L2 normal
    c = reprioritize(c, L3_URGENT); // would have been 5 min
    expect(c.firstResponseDueAt.getTime()).toBe(T0.getTime() + HOUR);
    expect(slaStatus(c, t(40 * MIN), 5).firstResponse).toBe('met');
    expect(c.resolutionDueAt.getTime()).toBe(T0.getTime() + 4 * HOUR);
  });

  it('while paused, adds the running pause when the clock resumes', () => {
    let c = startClock(L2_NORMAL, T0);
    c = pauseClock(c, t(3 * MIN));
    c = reprioritize(c, L3_URGENT);
    expect(slaStatus(c, t(10 * HOUR), 5)).toMatchObject({ firstResponse: 'paused', firstResponseRemainingMs: 2 * MIN });
    c = resumeClock(c, t(10 * HOUR));
    expect(c.firstResponseDueAt.getTime()).toBe(t(10 * HOUR + 2 * MIN).getTime());
    expect(spentMs(c, t(10 * HOUR))).toBe(3 * MIN);
  });
});

describe('first response and resolution', () => {
  it('keeps the first response only', () => {
    const c = startClock(L2_NORMAL, T0);
    const first = recordFirstResponse(c, t(10 * MIN));
    const again = recordFirstResponse(first, t(50 * MIN));
    expect(again).toBe(first);
    expect(again.firstRespondedAt?.getTime()).toBe(t(10 * MIN).getTime());
    const late = recordFirstResponse(recordFirstResponse(c, t(2 * HOUR)), t(1 * MIN));
    expect(slaStatus(late, t(3 * HOUR), 15).firstResponse).toBe('breached');
  });

  it('stops the clock at resolution: spent time no longer grows, pauses do nothing', () => {
    let c = startClock(L2_NORMAL, T0);
    c = recordFirstResponse(c, t(5 * MIN));
    c = recordResolution(c, t(3 * HOUR));
    expect(spentMs(c, t(100 * HOUR))).toBe(3 * HOUR);
    expect(pauseClock(c, t(4 * HOUR))).toBe(c);
    expect(recordResolution(c, t(5 * HOUR))).toBe(c);
    expect(slaStatus(c, t(100 * HOUR), 60)).toEqual({
      firstResponse: 'met',
      resolution: 'met',
      firstResponseRemainingMs: null,
      resolutionRemainingMs: null,
    });
  });

  it('does not count a waiting period against a case resolved from it', () => {
    let c = startClock(L2_NORMAL, T0);
    c = recordFirstResponse(c, t(5 * MIN));
    c = pauseClock(c, t(20 * HOUR)); // resolution proposed, waiting on the complainant
    c = recordResolution(c, t(5 * 24 * HOUR)); // accepted five days later
    expect(c.pausedAt).toBeNull();
    expect(c.pausedTotalMs).toBe(5 * 24 * HOUR - 20 * HOUR);
    expect(spentMs(c, t(6 * 24 * HOUR))).toBe(20 * HOUR);
    expect(slaStatus(c, t(6 * 24 * HOUR), 60).resolution).toBe('met');
  });

  it('counts a resolution as the first response when none was recorded', () => {
    const c = recordResolution(startClock(L2_NORMAL, T0), t(30 * MIN));
    expect(c.firstRespondedAt?.getTime()).toBe(t(30 * MIN).getTime());
    expect(slaStatus(c, t(HOUR * 2), 15).firstResponse).toBe('met');
    const late = recordResolution(startClock(L2_NORMAL, T0), t(2 * HOUR));
    expect(slaStatus(late, t(HOUR * 3), 15).firstResponse).toBe('breached');
  });
});

describe('SLA clock properties over random pause/resume sequences', () => {
  it('spent time is always wall time minus paused time, and deadlines follow it', () => {
    const rand = mulberry32(20250301);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let run = 0; run < 400; run++) {
      let policy = pick(DEFAULT_SLA_POLICIES);
      const start = T0.getTime() + Math.floor(rand() * 365 * 24 * HOUR);
      let clock = startClock(policy, new Date(start));
      let now = start;
      // independent model
      let pausedSince: number | null = null;
      let pausedEnded = 0;
      let responded: { spent: number; budgetMs: number } | null = null;
      const modelSpent = () => now - start - pausedEnded - (pausedSince === null ? 0 : now - pausedSince);

      for (let step = 0; step < 40; step++) {
        now += Math.floor(rand() * 3 * HOUR * (rand() < 0.3 ? 0 : 1)); // sometimes no time passes
        const before = times(clock);
        const prev = clock;
        const op = rand();
        if (op < 0.35) {
          clock = pauseClock(clock, new Date(now));
          if (pausedSince === null) pausedSince = now;
        } else if (op < 0.7) {
          clock = resumeClock(clock, new Date(now));
          if (pausedSince !== null) {
            pausedEnded += now - pausedSince;
            pausedSince = null;
          }
        } else if (op < 0.85) {
          policy = pick(DEFAULT_SLA_POLICIES);
          clock = reprioritize(clock, policy);
        } else if (op < 0.9 && responded === null) {
          clock = recordFirstResponse(clock, new Date(now));
          responded = { spent: modelSpent(), budgetMs: policy.firstResponseMinutes * MIN };
        }
        expect(times(prev), `run ${run} step ${step}: previous clock mutated`).toEqual(before);

        const spent = modelSpent();
        expect(spentMs(clock, new Date(now)), `run ${run} step ${step}`).toBe(spent);
        expect(clock.pausedTotalMs).toBe(pausedEnded);
        expect(clock.pausedAt?.getTime() ?? null).toBe(pausedSince);

        const s = slaStatus(clock, new Date(now), 30);
        expect(s.resolutionRemainingMs, `run ${run} step ${step}`).toBe(policy.resolutionMinutes * MIN - spent);
        if (responded === null) {
          expect(s.firstResponseRemainingMs).toBe(policy.firstResponseMinutes * MIN - spent);
        } else {
          expect(s.firstResponse).toBe(responded.spent <= responded.budgetMs ? 'met' : 'breached');
        }
        const remaining = s.resolutionRemainingMs!;
        const expected = remaining < 0 ? 'breached' : pausedSince !== null ? 'paused' : remaining < 30 * MIN ? 'at_risk' : 'on_track';
        expect(s.resolution).toBe(expected);
      }
      // resolving stops the clock where the model says
      const resolved = recordResolution(clock, new Date(now));
      if (pausedSince !== null) pausedEnded += now - pausedSince;
      pausedSince = null;
      const finalSpent = modelSpent();
      expect(spentMs(resolved, new Date(now + 1000 * HOUR))).toBe(finalSpent);
      expect(slaStatus(resolved, new Date(now + 1000 * HOUR), 30).resolution).toBe(
        finalSpent <= policy.resolutionMinutes * MIN ? 'met' : 'breached',
      );
    }
  });
});
