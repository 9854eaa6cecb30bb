// The rules of every case mutation, as the server applies them and the workstation previews them:
// lifecycle facts (known, or unknown where only the server knows a value), guards with their
// translated message keys, SLA clock effects and side effects. Driven from shared/lifecycle's table.
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  allowedOrThrow,
  applyClockEffects,
  known,
  knownValue,
  lifecycleFacts,
  lifecycleRefusal,
  pendingFacts,
  planAssessment,
  planCaseFieldEdits,
  planCaseWork,
  planClassification,
  planCommunication,
  planConsultationAnswer,
  planRemedy,
  planRemedyWithdrawal,
  planSatisfaction,
  planTransition,
  refusalError,
  unknown,
  SERVER_FACTS,
  type CaseSideEffect,
  type ClockEffect,
  type Knowable,
  type LifecycleFacts,
  type LifecycleSources,
  type RemedyFact,
} from '../../shared/case-mutations';
import { REFUSAL_REASONS, RESUMABLE_STATES, TRANSITIONS, decide, availableActions, type CaseFacts } from '../../shared/lifecycle';
import { CASE_ACTIONS, CASE_STATES, PAUSED_STATES, RESOLVED_STATES, ROLES, type CaseAction, type CaseState, type Role } from '../../shared/domain';
import { DEFAULT_SLA_POLICIES, startClock, type SlaPolicy } from '../../shared/sla';
import { AppError } from '../../shared/errors';
import { messages } from '../../shared/i18n';

const ACTOR = 'actor';
const OTHER = 'someone-else';

const remedy = (over: Partial<RemedyFact> = {}): RemedyFact => ({ kind: 'refund', status: 'draft', usdValue: known('100'), proposedBy: OTHER, ...over });

function sources(over: Partial<LifecycleSources> = {}): LifecycleSources {
  return {
    actorId: ACTOR,
    assigneeId: ACTOR,
    resumeStatus: null,
    classified: true,
    hasAssessment: true,
    remedies: [],
    approvalRequestedBy: null,
    approvalThresholdUsd: known('1000'),
    externalAssigned: true,
    ...over,
  };
}

/** Facts under which every fact check of `action` passes (as far as approval allows). */
function passingSources(action: CaseAction, from: CaseState): LifecycleSources {
  const needsApproval = action === 'request_approval' || action === 'approve';
  return sources({
    resumeStatus: from === 'awaiting_material' ? 'investigation' : null,
    remedies: [remedy({ usdValue: known(needsApproval ? '5000' : '10'), proposedBy: OTHER })],
    approvalRequestedBy: action === 'approve' ? OTHER : null,
  });
}

const asCaseFacts = (f: LifecycleFacts, reason: string | null): CaseFacts => ({ ...f.certain, reason, needsApproval: knownValue(f.needsApproval) });

// ---- Facts ------------------------------------------------------------------------------------

describe('lifecycle facts', () => {
  it('counts only monetary remedies in play (draft, approved) against the threshold', () => {
    const f = lifecycleFacts(
      sources({
        remedies: [
          remedy({ usdValue: known('600'), status: 'draft' }),
          remedy({ kind: 'compensation', usdValue: known('500.5'), status: 'approved' }),
          remedy({ usdValue: known('99999'), status: 'proposed' }),
          remedy({ usdValue: known('99999'), status: 'withdrawn' }),
          remedy({ kind: 'security_advice', usdValue: known('99999'), status: 'draft' }),
        ],
      }),
    );
    expect(f.usdTotal).toEqual(known('1100.5'));
    expect(f.thresholdUsd).toEqual(known('1000'));
    expect(f.needsApproval).toEqual(known(true));
    expect(f.certain).toMatchObject({ hasProposedRemedy: true, approvalGranted: false });
  });

  it('compares as decimals: exactly at the threshold needs no approval, one unit of 10^-18 above does', () => {
    expect(lifecycleFacts(sources({ remedies: [remedy({ usdValue: known('1000') })] })).needsApproval).toEqual(known(false));
    expect(lifecycleFacts(sources({ remedies: [remedy({ usdValue: known('1000.000000000000000001') })] })).needsApproval).toEqual(known(true));
  });

  it('no money in play needs no approval, even with the threshold unknown', () => {
    for (const remedies of [[], [remedy({ kind: 'warning', usdValue: unknown('usd_rate') })], [remedy({ status: 'superseded', usdValue: unknown('usd_rate', { asset: 'BTC' }) })]]) {
      const f = lifecycleFacts(sources({ remedies, approvalThresholdUsd: unknown('approval_threshold') }));
      expect(f.needsApproval).toEqual(known(false));
      expect(f.usdTotal).toEqual(known('0'));
      expect(f.thresholdUsd).toEqual(unknown('approval_threshold'));
    }
  });

  it('with money in play, an unknown threshold makes the need for approval unknown, not a guess', () => {
    const f = lifecycleFacts(sources({ remedies: [remedy({ usdValue: known('1') })], approvalThresholdUsd: unknown('approval_threshold') }));
    expect(f.usdTotal).toEqual(known('1'));
    expect(f.needsApproval).toEqual({ known: false, needs: [{ fact: 'approval_threshold', params: {} }] });
  });

  it('an unknown USD value makes the total and the need for approval unknown, naming each asset once', () => {
    const f = lifecycleFacts(
      sources({
        remedies: [
          remedy({ usdValue: unknown('usd_rate', { asset: 'BTC' }) }),
          remedy({ kind: 'compensation', usdValue: unknown('usd_rate', { asset: 'BTC' }) }),
          remedy({ usdValue: unknown('usd_rate', { asset: 'ETH' }) }),
          remedy({ usdValue: known('5') }),
        ],
      }),
    );
    const rates = [
      { fact: 'usd_rate', params: { asset: 'BTC' } },
      { fact: 'usd_rate', params: { asset: 'ETH' } },
    ];
    expect(f.usdTotal).toEqual({ known: false, needs: rates });
    expect(f.needsApproval).toEqual({ known: false, needs: rates });
    // Both unknown: the rates and the threshold.
    const both = lifecycleFacts(sources({ remedies: [remedy({ usdValue: unknown('usd_rate', { asset: 'BTC' }) })], approvalThresholdUsd: unknown('approval_threshold') }));
    expect(both.needsApproval).toEqual({ known: false, needs: [rates[0], { fact: 'approval_threshold', params: {} }] });
  });

  it('approval is granted when every monetary remedy in play is approved; four-eyes names every drafter', () => {
    const f = lifecycleFacts(
      sources({
        remedies: [remedy({ status: 'approved', proposedBy: 'a' }), remedy({ kind: 'warning', status: 'draft', proposedBy: 'b' }), remedy({ kind: 'compensation', status: 'approved', proposedBy: 'c' })],
        approvalRequestedBy: 'r',
        resumeStatus: 'assessment',
      }),
    );
    expect(f.certain).toMatchObject({ approvalGranted: true, remedyProposerId: 'r', resumeState: 'assessment', actorId: ACTOR, externalAssigned: true });
    expect(f.draftProposerIds).toEqual(['b']);
    expect(lifecycleFacts(sources({ remedies: [remedy({ status: 'approved' }), remedy({ status: 'draft' })] })).certain.approvalGranted).toBe(false);
    expect(lifecycleFacts(sources({ remedies: [remedy({ kind: 'warning', status: 'approved' })] })).certain.approvalGranted).toBe(false);
  });

  it('knownValue gives a known value and refuses to invent an unknown one', () => {
    expect(knownValue(known('1'))).toBe('1');
    expect(() => knownValue(unknown('approval_threshold'))).toThrow(/approval_threshold/);
  });
});

// ---- Transitions: every rule × state × role ---------------------------------------------------

/** The clock effects of each transition, from the state it is taken in: written out by hand. */
function expectedClock(action: CaseAction, from: CaseState): ClockEffect['type'][] {
  switch (action) {
    case 'start_review':
      return ['first_response'];
    case 'request_material':
      return ['pause', 'first_response'];
    case 'material_received':
    case 'third_party_responded':
    case 'object':
      return ['resume'];
    case 'reject':
      return ['first_response', 'resolution'];
    case 'request_third_party':
      return ['pause'];
    case 'approve':
    case 'propose_resolution':
      return ['pause', 'first_response'];
    case 'accept_resolution':
      return ['resume', 'resolution'];
    case 'escalate_mediation':
    case 'escalate_arbitration':
      return from === 'resolution_proposed' ? ['resume'] : [];
    case 'record_settlement':
    case 'record_ruling':
    case 'complete_execution':
    case 'close':
    case 'archive':
      return ['resolution'];
    default:
      return [];
  }
}

/** The side effects of each transition, written out by hand (reason 'why', panel of three asked). */
const EXPECTED_EFFECTS: Record<CaseAction, CaseSideEffect[]> = {
  start_review: [],
  accept: [],
  request_material: [],
  material_received: [],
  reject: [],
  request_third_party: [],
  third_party_responded: [],
  complete_investigation: [],
  request_approval: [{ type: 'open_approval', usdTotal: '5000', thresholdUsd: '1000' }],
  approve: [
    { type: 'decide_approval', decision: 'approved', reason: 'why' },
    { type: 'set_remedy_status', from: ['draft', 'approved'], to: 'proposed' },
  ],
  decline_approval: [{ type: 'decide_approval', decision: 'declined', reason: 'why' }],
  propose_resolution: [{ type: 'set_remedy_status', from: ['draft', 'approved'], to: 'proposed' }],
  accept_resolution: [{ type: 'set_remedy_status', from: ['proposed'], to: 'accepted' }],
  object: [
    { type: 'record_objection', reason: 'why' },
    { type: 'set_remedy_status', from: ['proposed'], to: 'superseded' },
  ],
  escalate_mediation: [
    { type: 'close_open_escalations', outcome: 'superseded' },
    { type: 'open_escalation', kind: 'mediation', panelSize: 1, reason: 'why' },
    { type: 'set_remedy_status', from: ['proposed'], to: 'superseded' },
  ],
  escalate_arbitration: [
    { type: 'close_open_escalations', outcome: 'escalated_to_arbitration' },
    { type: 'open_escalation', kind: 'arbitration', panelSize: 3, reason: 'why' },
    { type: 'set_remedy_status', from: ['proposed'], to: 'superseded' },
  ],
  record_settlement: [{ type: 'close_open_escalations', outcome: 'settled' }],
  record_impasse: [
    { type: 'close_open_escalations', outcome: 'impasse' },
    { type: 'open_escalation', kind: 'arbitration', panelSize: 3, reason: 'why' },
  ],
  record_ruling: [{ type: 'close_open_escalations', outcome: 'ruled' }],
  complete_execution: [{ type: 'set_remedy_status', from: ['accepted'], to: 'executed' }],
  close: [],
  archive: [],
};

describe('transitions, from the lifecycle table', () => {
  it('covers every action', () => {
    expect(TRANSITIONS.map((t) => t.action).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  for (const t of TRANSITIONS) {
    describe(t.action, () => {
      it('agrees with the lifecycle on every state × role, with its refusal kinds and message keys', () => {
        let allowedCount = 0;
        for (const from of CASE_STATES) {
          for (const role of ROLES) {
            const src = passingSources(t.action, from);
            const facts = lifecycleFacts(src);
            const plan = planTransition({ status: from, role, facts, rulingRecorded: true }, { action: t.action, expectedStatus: from, reason: '  why  ', panelSize: 3 });
            const expected = decide(from, t.action, role, asCaseFacts(facts, 'why'));
            const where = `${t.action} from ${from} by ${role}`;
            if (!expected.ok) {
              expect(plan, where).toEqual({ verdict: 'refused', refusal: lifecycleRefusal(expected.reason) });
              continue;
            }
            expect(t.from.includes(from) && t.roles.includes(role), where).toBe(true);
            expect(plan.verdict, where).toBe('allowed');
            if (plan.verdict !== 'allowed') continue;
            allowedCount++;
            expect(plan.next, where).toBe(t.to === 'resume' ? 'investigation' : t.to);
            expect(plan.from).toBe(from);
            expect(plan.reason).toBe('why');
            expect(plan.clock.map((c) => c.type), where).toEqual(expectedClock(t.action, from));
            expect(plan.resumeStatus, where).toBe(plan.next === 'awaiting_material' || plan.next === 'awaiting_third_party' ? from : null);
            expect(plan.closes).toBe(plan.next === 'closed');
            expect(plan.archives).toBe(plan.next === 'archived');
            expect(plan.effects, where).toEqual(EXPECTED_EFFECTS[t.action]);
          }
        }
        // With every fact in place, each state and role of the rule is allowed.
        expect(allowedCount).toBe(t.from.length * t.roles.length);
      });

      it('clock effects follow the states: pause on entering a waiting state, resume on leaving one, resolution on reaching a resolved one', () => {
        for (const from of t.from) {
          const role = t.roles[0]!;
          const plan = allowedOrThrow(planTransition({ status: from, role, facts: lifecycleFacts(passingSources(t.action, from)), rulingRecorded: true }, { action: t.action, expectedStatus: from, reason: 'why' }));
          const types = plan.clock.map((c) => c.type);
          expect(types.includes('pause')).toBe(!PAUSED_STATES.includes(from) && PAUSED_STATES.includes(plan.next));
          expect(types.includes('resume')).toBe(PAUSED_STATES.includes(from) && !PAUSED_STATES.includes(plan.next));
          expect(types.includes('resolution')).toBe(RESOLVED_STATES.includes(plan.next));
        }
      });
    });
  }

  it('refuses a case that moved, before anything else, with the state it is in', () => {
    const plan = planTransition({ status: 'investigation', role: 'admin', facts: lifecycleFacts(sources()) }, { action: 'start_review', expectedStatus: 'received' });
    expect(plan).toEqual({ verdict: 'refused', refusal: { kind: 'conflict', messageKey: 'error.case_moved', field: 'expectedStatus', params: { status: 'investigation' } } });
  });

  it('a blank reason is no reason', () => {
    const plan = planTransition({ status: 'initial_review', role: 'specialist', facts: lifecycleFacts(sources()) }, { action: 'reject', expectedStatus: 'initial_review', reason: '   ' });
    expect(plan).toEqual({ verdict: 'refused', refusal: { kind: 'bad_input', messageKey: 'lifecycle.refused.reason_required', field: 'reason' } });
  });

  it('material_received returns to the state the case left, and refuses without one', () => {
    for (const resume of RESUMABLE_STATES) {
      const plan = allowedOrThrow(planTransition({ status: 'awaiting_material', role: 'legal', facts: lifecycleFacts(sources({ resumeStatus: resume })) }, { action: 'material_received', expectedStatus: 'awaiting_material' }));
      expect(plan.next).toBe(resume);
      expect(plan.resumeStatus).toBeNull();
    }
    expect(planTransition({ status: 'awaiting_material', role: 'legal', facts: lifecycleFacts(sources()) }, { action: 'material_received', expectedStatus: 'awaiting_material' })).toMatchObject({
      verdict: 'refused',
      refusal: { messageKey: 'lifecycle.refused.resume_state_missing', kind: 'conflict' },
    });
  });

  it('four-eyes: whoever asked for approval, or drafted a remedy still in draft, may not approve', () => {
    const approve = (src: Partial<LifecycleSources>) =>
      planTransition({ status: 'pending_approval', role: 'supervisor', facts: lifecycleFacts(sources({ remedies: [remedy({ usdValue: known('5000') })], ...src })) }, { action: 'approve', expectedStatus: 'pending_approval' });
    const fourEyes = { verdict: 'refused', refusal: { kind: 'forbidden', messageKey: 'lifecycle.refused.four_eyes', field: 'action' } };
    expect(approve({ approvalRequestedBy: ACTOR })).toEqual(fourEyes);
    expect(approve({ approvalRequestedBy: OTHER, remedies: [remedy({ usdValue: known('5000'), proposedBy: ACTOR })] })).toEqual(fourEyes);
    // Even when the preview could not tell whether approval is needed: four-eyes does not depend on it.
    expect(approve({ approvalRequestedBy: OTHER, remedies: [remedy({ usdValue: unknown('usd_rate'), proposedBy: ACTOR })] })).toEqual(fourEyes);
    expect(approve({ approvalRequestedBy: OTHER, remedies: [remedy({ usdValue: known('5000'), status: 'approved', proposedBy: ACTOR })] }).verdict).toBe('allowed');
  });

  it('record_ruling needs a ruling recorded on the open arbitration', () => {
    const rule = (rulingRecorded?: boolean) => planTransition({ status: 'arbitration', role: 'arbitrator', facts: lifecycleFacts(sources()), rulingRecorded }, { action: 'record_ruling', expectedStatus: 'arbitration' });
    const required = { verdict: 'refused', refusal: { kind: 'conflict', messageKey: 'case.ruling_required', field: 'action' } };
    expect(rule(false)).toEqual(required);
    expect(rule(undefined)).toEqual(required);
    expect(rule(true)).toMatchObject({ verdict: 'allowed', next: 'execution' });
    // The lifecycle decides first: an arbitrator without an accepted seat is not assigned.
    expect(planTransition({ status: 'arbitration', role: 'arbitrator', facts: lifecycleFacts(sources({ externalAssigned: false })) }, { action: 'record_ruling', expectedStatus: 'arbitration' })).toMatchObject({
      refusal: { messageKey: 'lifecycle.refused.not_assigned', kind: 'forbidden' },
    });
  });

  it('escalations open a panel of one unless arbitration asks for three; mediation always has one', () => {
    const facts = lifecycleFacts(sources());
    const arbitration = allowedOrThrow(planTransition({ status: 'mediation', role: 'legal', facts }, { action: 'escalate_arbitration', expectedStatus: 'mediation', reason: 'x' }));
    expect(arbitration.effects[1]).toEqual({ type: 'open_escalation', kind: 'arbitration', panelSize: 1, reason: 'x' });
    const mediation = allowedOrThrow(planTransition({ status: 'assessment', role: 'legal', facts }, { action: 'escalate_mediation', expectedStatus: 'assessment', reason: 'x', panelSize: 3 }));
    expect(mediation.effects[1]).toEqual({ type: 'open_escalation', kind: 'mediation', panelSize: 1, reason: 'x' });
  });
});

// ---- Transitions with values only the server knows --------------------------------------------

describe('transitions that hinge on unknown values', () => {
  const inAssessment = (remedies: RemedyFact[], threshold: Knowable<string>) => lifecycleFacts(sources({ remedies, approvalThresholdUsd: threshold }));
  const plan = (action: CaseAction, facts: LifecycleFacts, status: CaseState = 'assessment', role: Role = 'specialist') =>
    planTransition({ status, role, facts }, { action, expectedStatus: status, reason: 'why' });
  const threshold = { fact: 'approval_threshold', params: {} };

  it('propose_resolution and request_approval are unknown while the need for approval is', () => {
    const facts = inAssessment([remedy({ usdValue: known('5000') })], unknown('approval_threshold'));
    expect(plan('propose_resolution', facts)).toEqual({ verdict: 'unknown', needs: [threshold] });
    expect(plan('request_approval', facts)).toEqual({ verdict: 'unknown', needs: [threshold] });
    const byRate = inAssessment([remedy({ usdValue: unknown('usd_rate', { asset: 'BTC' }) })], known('1000'));
    expect(plan('request_approval', byRate)).toEqual({ verdict: 'unknown', needs: [{ fact: 'usd_rate', params: { asset: 'BTC' } }] });
  });

  it('the same threshold known decides them both ways', () => {
    const over = inAssessment([remedy({ usdValue: known('5000') })], known('1000'));
    expect(plan('propose_resolution', over)).toMatchObject({ verdict: 'refused', refusal: { messageKey: 'lifecycle.refused.approval_required', kind: 'conflict' } });
    expect(plan('request_approval', over)).toMatchObject({ verdict: 'allowed', next: 'pending_approval', effects: [{ type: 'open_approval', usdTotal: '5000', thresholdUsd: '1000' }] });
    const under = inAssessment([remedy({ usdValue: known('5') })], known('1000'));
    expect(plan('propose_resolution', under)).toMatchObject({ verdict: 'allowed', next: 'resolution_proposed' });
    expect(plan('request_approval', under)).toMatchObject({ verdict: 'refused', refusal: { messageKey: 'lifecycle.refused.approval_not_needed' } });
  });

  it('what does not hinge on the unknown value is decided anyway', () => {
    // Approved money proposes either way.
    const approved = inAssessment([remedy({ status: 'approved', usdValue: unknown('usd_rate', { asset: 'BTC' }) })], unknown('approval_threshold'));
    expect(plan('propose_resolution', approved)).toMatchObject({ verdict: 'allowed', next: 'resolution_proposed' });
    const facts = inAssessment([remedy({ usdValue: known('5000') })], unknown('approval_threshold'));
    // Other steps do not look at approval at all.
    expect(plan('complete_investigation', facts, 'investigation')).toMatchObject({ verdict: 'allowed', next: 'assessment' });
    expect(plan('escalate_mediation', facts, 'assessment', 'legal')).toMatchObject({ verdict: 'allowed', next: 'mediation' });
    // Refused either way: refused.
    expect(plan('propose_resolution', facts, 'assessment', 'admin')).toMatchObject({ verdict: 'refused', refusal: { messageKey: 'lifecycle.refused.role_not_permitted' } });
    expect(plan('propose_resolution', lifecycleFacts(sources({ hasAssessment: false, remedies: [remedy()], approvalThresholdUsd: unknown('approval_threshold') })))).toMatchObject({
      verdict: 'refused',
      refusal: { messageKey: 'lifecycle.refused.assessment_required' },
    });
  });

  it('allowedActions lists only what is allowed whatever the unknown value; with known facts it is the lifecycle’s list', () => {
    const unknownFacts = inAssessment([remedy({ usdValue: known('5000') })], unknown('approval_threshold'));
    expect(allowedActions('assessment', 'legal', unknownFacts)).toEqual([]);
    for (const state of CASE_STATES) {
      for (const role of ROLES) {
        const facts = lifecycleFacts(sources({ remedies: [remedy({ usdValue: known('5000') })], resumeStatus: 'investigation' }));
        expect(allowedActions(state, role, facts), `${state} ${role}`).toEqual(availableActions(state, role, asCaseFacts(facts, null)));
      }
    }
  });

  it('the server turns each verdict into what it throws', () => {
    const refusal = planTransition({ status: 'received', role: 'specialist', facts: lifecycleFacts(sources()) }, { action: 'start_review', expectedStatus: 'initial_review' });
    expect(() => allowedOrThrow(refusal)).toThrow(AppError);
    try {
      allowedOrThrow(refusal);
    } catch (e) {
      expect(e).toMatchObject({ kind: 'conflict', messageKey: 'error.case_moved', field: 'expectedStatus', options: { params: { status: 'received' } } });
    }
    expect(() => allowedOrThrow(plan('request_approval', inAssessment([remedy()], unknown('approval_threshold'))))).toThrow(/approval_threshold/);
  });
});

describe('refusals', () => {
  it('every lifecycle refusal has its kind, its field and a translated message', () => {
    const kinds: Record<string, string> = {};
    for (const reason of REFUSAL_REASONS) {
      const r = lifecycleRefusal(reason);
      kinds[reason] = r.kind;
      expect(r.messageKey).toBe(`lifecycle.refused.${reason}`);
      expect(r.field).toBe(reason === 'reason_required' ? 'reason' : 'action');
      expect(messages.en[r.messageKey], reason).toBeTruthy();
      expect(messages['zh-CN'][r.messageKey], reason).toBeTruthy();
    }
    expect(kinds).toEqual({
      not_allowed_in_state: 'conflict',
      role_not_permitted: 'forbidden',
      reason_required: 'bad_input',
      classification_required: 'conflict',
      assessment_required: 'conflict',
      remedy_required: 'conflict',
      approval_required: 'conflict',
      approval_not_needed: 'conflict',
      four_eyes: 'forbidden',
      not_assigned: 'forbidden',
      resume_state_missing: 'conflict',
    });
  });

  it('refusalError carries params only when there are some', () => {
    expect(refusalError({ kind: 'conflict', messageKey: 'case.archived', field: 'caseId' }).options).toEqual({ field: 'caseId' });
    expect(refusalError({ kind: 'bad_input', messageKey: 'case.asset_rate_unknown', field: 'asset', params: { asset: 'BTC' } }).options).toEqual({ field: 'asset', params: { asset: 'BTC' } });
  });

  it('pending facts are translated messages in both languages', () => {
    for (const fact of SERVER_FACTS) {
      const [p] = pendingFacts([{ fact, params: { asset: 'BTC' } }]);
      expect(p).toEqual({ fact, messageKey: `case.pending.${fact}`, params: { asset: 'BTC' } });
      expect(messages.en[p!.messageKey]).toBeTruthy();
      expect(messages['zh-CN'][p!.messageKey]).toBeTruthy();
    }
  });
});

// ---- The clock --------------------------------------------------------------------------------

describe('clock effects', () => {
  const policy = DEFAULT_SLA_POLICIES.find((p) => p.tier === 'L2' && p.priority === 'normal')!;
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('applies pause, resume, first response and resolution in order, keeping the time already spent', () => {
    let clock = startClock(policy, t0);
    clock = applyClockEffects(clock, [{ type: 'pause' }, { type: 'first_response' }], at(10));
    expect(clock).toMatchObject({ pausedAt: at(10), firstRespondedAt: at(10) });
    clock = applyClockEffects(clock, [{ type: 'resume' }], at(70));
    expect(clock).toMatchObject({ pausedAt: null, pausedTotalMs: 60 * 60_000, resolutionDueAt: at(24 * 60 + 60) });
    clock = applyClockEffects(clock, [{ type: 'resolution' }], at(100));
    expect(clock.resolvedAt).toEqual(at(100));
    expect(applyClockEffects(clock, [], at(200))).toBe(clock);
  });

  it('reprioritize moves the open deadlines to the new policy', () => {
    const urgent: SlaPolicy = { tier: 'L3', priority: 'urgent', firstResponseMinutes: 5, resolutionMinutes: 240 };
    const clock = applyClockEffects(startClock(policy, t0), [{ type: 'reprioritize', policy: urgent }], at(1));
    expect(clock).toMatchObject({ firstResponseDueAt: at(5), resolutionDueAt: at(240) });
  });
});

// ---- The work recorded on a case ----------------------------------------------------------------

const conflictIn = (messageKey: string, field: string, status?: CaseState) => ({ verdict: 'refused', refusal: { kind: 'conflict', messageKey, field, ...(status ? { params: { status } } : {}) } });

describe('work on a case', () => {
  it('notes, consultations, communications and field edits: any case not archived', () => {
    for (const status of CASE_STATES) {
      const expected = status === 'archived' ? conflictIn('case.archived', 'caseId') : { verdict: 'allowed' };
      expect(planCaseWork(status), status).toEqual(expected);
      expect(planCommunication({ status, firstResponded: false }, 'inbound'), status).toEqual(status === 'archived' ? expected : { verdict: 'allowed', clock: [] });
      expect(planCaseFieldEdits({ status }, { next_action: 'x' }).verdict, status).toBe(status === 'archived' ? 'refused' : 'allowed');
    }
  });

  it('the first outbound communication is the first response', () => {
    expect(planCommunication({ status: 'investigation', firstResponded: false }, 'outbound')).toEqual({ verdict: 'allowed', clock: [{ type: 'first_response' }] });
    expect(planCommunication({ status: 'investigation', firstResponded: true }, 'outbound')).toEqual({ verdict: 'allowed', clock: [] });
    expect(planCommunication({ status: 'investigation', firstResponded: false }, 'inbound')).toEqual({ verdict: 'allowed', clock: [] });
  });

  it('a consultation is answered once', () => {
    expect(planConsultationAnswer({ answered: false })).toEqual({ verdict: 'allowed' });
    expect(planConsultationAnswer({ answered: true })).toEqual(conflictIn('case.consultation_already_answered', 'consultationId'));
  });

  it('an assessment is recorded in investigation or assessment; a third-party kind only with a third-party share', () => {
    for (const status of CASE_STATES) {
      const plan = planAssessment(status, { thirdPartyShare: '0' });
      expect(plan, status).toEqual(['investigation', 'assessment'].includes(status) ? { verdict: 'allowed', thirdPartyKind: null } : conflictIn('case.assessment_not_open', 'caseId', status));
    }
    expect(planAssessment('assessment', { thirdPartyShare: '0.00', thirdPartyKind: 'hacker' })).toEqual({ verdict: 'allowed', thirdPartyKind: null });
    expect(planAssessment('assessment', { thirdPartyShare: '20' })).toEqual({ verdict: 'allowed', thirdPartyKind: 'other' });
    expect(planAssessment('assessment', { thirdPartyShare: '20', thirdPartyKind: 'hacker' })).toEqual({ verdict: 'allowed', thirdPartyKind: 'hacker' });
  });

  it('a remedy is drafted in assessment only', () => {
    for (const status of CASE_STATES) {
      const plan = planRemedy(status, { kind: 'warning' }, known(null));
      expect(plan, status).toEqual(status === 'assessment' ? { verdict: 'allowed', usdValue: known(null), effects: [] } : conflictIn('case.remedy_not_open', 'caseId', status));
    }
  });

  it('a monetary remedy is valued at the rate; a new one sends approved money back to draft', () => {
    const reapprove = [{ type: 'set_remedy_status', from: ['approved'], to: 'draft', kinds: ['refund', 'compensation'] }];
    expect(planRemedy('assessment', { kind: 'refund', asset: 'BTC', amount: '0.000000000000000002' }, known('65000.5'))).toEqual({ verdict: 'allowed', usdValue: known('0.000000000000130001'), effects: reapprove });
    expect(planRemedy('assessment', { kind: 'compensation', asset: 'USDT', amount: '10' }, known('1'))).toEqual({ verdict: 'allowed', usdValue: known('10'), effects: reapprove });
  });

  it('a rate known to be missing refuses; an unknown rate drafts the remedy with its value unknown', () => {
    expect(planRemedy('assessment', { kind: 'refund', asset: 'DOGE', amount: '1' }, known(null))).toEqual({
      verdict: 'refused',
      refusal: { kind: 'bad_input', messageKey: 'case.asset_rate_unknown', field: 'asset', params: { asset: 'DOGE' } },
    });
    expect(planRemedy('assessment', { kind: 'refund', asset: 'DOGE', amount: '1' }, unknown('usd_rate', { asset: 'DOGE' }))).toMatchObject({
      verdict: 'allowed',
      usdValue: { known: false, needs: [{ fact: 'usd_rate', params: { asset: 'DOGE' } }] },
    });
  });

  it('a USD value past the numeric column is refused', () => {
    expect(planRemedy('assessment', { kind: 'refund', asset: 'BTC', amount: '100000000000000000000000000000' }, known('10'))).toEqual({
      verdict: 'refused',
      refusal: { kind: 'bad_input', messageKey: 'intake.amount_value_too_large', field: 'amount' },
    });
  });

  it('a remedy is withdrawn in assessment while draft or approved', () => {
    for (const status of CASE_STATES) {
      for (const remedyStatus of ['draft', 'approved', 'proposed', 'accepted', 'executed', 'superseded', 'withdrawn']) {
        const ok = status === 'assessment' && (remedyStatus === 'draft' || remedyStatus === 'approved');
        expect(planRemedyWithdrawal(status, remedyStatus), `${status} ${remedyStatus}`).toEqual(ok ? { verdict: 'allowed' } : conflictIn('case.remedy_not_withdrawable', 'remedyId'));
      }
    }
  });

  it('classification is open until investigation ends, and moves the deadlines to the policy (the admin’s, else the default)', () => {
    const open = ['received', 'initial_review', 'investigation', 'awaiting_material'];
    for (const status of CASE_STATES) {
      const plan = planClassification(status, { tier: 'L3', priority: 'urgent' }, []);
      expect(plan, status).toEqual(
        open.includes(status)
          ? { verdict: 'allowed', clock: [{ type: 'reprioritize', policy: DEFAULT_SLA_POLICIES.find((p) => p.tier === 'L3' && p.priority === 'urgent') }] }
          : conflictIn('case.classification_closed', 'caseId', status),
      );
    }
    const admins: SlaPolicy = { tier: 'L3', priority: 'urgent', firstResponseMinutes: 7, resolutionMinutes: 70 };
    expect(planClassification('received', { tier: 'L3', priority: 'urgent' }, [admins])).toEqual({ verdict: 'allowed', clock: [{ type: 'reprioritize', policy: admins }] });
  });

  it('satisfaction is recorded in follow-up or once closed', () => {
    for (const status of CASE_STATES) {
      expect(planSatisfaction(status), status).toEqual(['follow_up', 'closed'].includes(status) ? { verdict: 'allowed' } : conflictIn('case.satisfaction_not_open', 'caseId', status));
    }
  });

  it('field edits keep only real changes, in the order given, each with the value it replaces', () => {
    const c = { status: 'investigation' as const, handler_summary: 'old', next_action: 'call', urgent: false };
    expect(planCaseFieldEdits(c, { urgent: true, handler_summary: 'old', next_action: 'email' })).toEqual({
      verdict: 'allowed',
      changes: [
        { field: 'urgent', from: false, to: true },
        { field: 'next_action', from: 'call', to: 'email' },
      ],
    });
    expect(planCaseFieldEdits(c, { handler_summary: 'old' })).toEqual({ verdict: 'allowed', changes: [] });
    expect(planCaseFieldEdits(c, {})).toEqual({ verdict: 'allowed', changes: [] });
  });
});
