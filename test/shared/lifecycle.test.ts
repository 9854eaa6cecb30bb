import { describe, it, expect } from 'vitest';
import { CASE_ACTIONS, CASE_STATES, PAUSED_STATES, ROLES } from '../../shared/domain';
import type { CaseAction, CaseState, Role } from '../../shared/domain';
import { REFUSAL_REASONS, TRANSITIONS, availableActions, decide, refusalMessageKey } from '../../shared/lifecycle';
import type { CaseFacts, Decision, RefusalReason } from '../../shared/lifecycle';
import { lifecycleMessages } from '../../shared/i18n/lifecycle.messages';

// ---------------------------------------------------------------------------------------------
// The expected lifecycle, written out by hand from the rules (not derived from shared/lifecycle.ts).
// ---------------------------------------------------------------------------------------------

interface Expected {
  action: CaseAction;
  from: readonly CaseState[];
  roles: readonly Role[];
  /** 'resume' = back to facts.resumeState */
  to: CaseState | 'resume';
}

const EXPECTED: readonly Expected[] = [
  { action: 'start_review', from: ['received'], roles: ['specialist', 'supervisor'], to: 'initial_review' },
  { action: 'accept', from: ['initial_review'], roles: ['specialist', 'supervisor'], to: 'investigation' },
  { action: 'request_material', from: ['initial_review', 'investigation', 'assessment'], roles: ['specialist', 'supervisor', 'legal'], to: 'awaiting_material' },
  { action: 'material_received', from: ['awaiting_material'], roles: ['specialist', 'supervisor', 'legal'], to: 'resume' },
  { action: 'reject', from: ['initial_review'], roles: ['specialist', 'supervisor'], to: 'rejected' },
  { action: 'request_third_party', from: ['investigation'], roles: ['specialist', 'supervisor', 'legal'], to: 'awaiting_third_party' },
  { action: 'third_party_responded', from: ['awaiting_third_party'], roles: ['specialist', 'supervisor', 'legal'], to: 'investigation' },
  { action: 'complete_investigation', from: ['investigation'], roles: ['specialist', 'supervisor', 'legal'], to: 'assessment' },
  { action: 'request_approval', from: ['assessment'], roles: ['specialist', 'supervisor', 'legal'], to: 'pending_approval' },
  { action: 'approve', from: ['pending_approval'], roles: ['supervisor'], to: 'resolution_proposed' },
  { action: 'decline_approval', from: ['pending_approval'], roles: ['supervisor'], to: 'assessment' },
  { action: 'propose_resolution', from: ['assessment'], roles: ['specialist', 'supervisor', 'legal'], to: 'resolution_proposed' },
  { action: 'accept_resolution', from: ['resolution_proposed'], roles: ['specialist', 'supervisor', 'legal'], to: 'execution' },
  { action: 'object', from: ['resolution_proposed'], roles: ['specialist', 'supervisor', 'legal'], to: 'assessment' },
  { action: 'escalate_mediation', from: ['assessment', 'resolution_proposed'], roles: ['legal', 'supervisor'], to: 'mediation' },
  { action: 'escalate_arbitration', from: ['resolution_proposed', 'mediation'], roles: ['legal', 'supervisor'], to: 'arbitration' },
  { action: 'record_settlement', from: ['mediation'], roles: ['mediator', 'legal'], to: 'execution' },
  { action: 'record_impasse', from: ['mediation'], roles: ['mediator', 'legal'], to: 'arbitration' },
  { action: 'record_ruling', from: ['arbitration'], roles: ['arbitrator'], to: 'execution' },
  { action: 'complete_execution', from: ['execution'], roles: ['specialist', 'supervisor'], to: 'follow_up' },
  { action: 'close', from: ['follow_up'], roles: ['specialist', 'supervisor'], to: 'closed' },
  { action: 'archive', from: ['closed', 'rejected'], roles: ['supervisor', 'legal'], to: 'archived' },
];

/** Actions that need a non-blank reason. */
const NEEDS_REASON: readonly CaseAction[] = [
  'request_material',
  'reject',
  'request_third_party',
  'decline_approval',
  'object',
  'escalate_mediation',
  'escalate_arbitration',
  'record_impasse',
];

/** (action, role) pairs that need facts.externalAssigned. */
const NEEDS_EXTERNAL: readonly (readonly [CaseAction, Role])[] = [
  ['record_settlement', 'mediator'],
  ['record_impasse', 'mediator'],
  ['record_ruling', 'arbitrator'],
];

/** Transitions (action + from) that stop the SLA clock. */
const PAUSES: readonly (readonly [CaseAction, CaseState])[] = [
  ['request_material', 'initial_review'],
  ['request_material', 'investigation'],
  ['request_material', 'assessment'],
  ['request_third_party', 'investigation'],
  ['approve', 'pending_approval'],
  ['propose_resolution', 'assessment'],
];
/** Transitions (action + from) that restart the SLA clock. */
const RESUMES: readonly (readonly [CaseAction, CaseState])[] = [
  ['material_received', 'awaiting_material'],
  ['third_party_responded', 'awaiting_third_party'],
  ['accept_resolution', 'resolution_proposed'],
  ['object', 'resolution_proposed'],
  ['escalate_mediation', 'resolution_proposed'],
  ['escalate_arbitration', 'resolution_proposed'],
];
/** Actions that count as the first response to the complainant. */
const FIRST_RESPONSE: readonly CaseAction[] = ['start_review', 'request_material', 'reject', 'approve', 'propose_resolution'];

const ALL_REASONS_RECORD: Record<RefusalReason, true> = {
  not_allowed_in_state: true,
  role_not_permitted: true,
  reason_required: true,
  classification_required: true,
  assessment_required: true,
  remedy_required: true,
  approval_required: true,
  approval_not_needed: true,
  four_eyes: true,
  not_assigned: true,
  resume_state_missing: true,
};
const ALL_REASONS = Object.keys(ALL_REASONS_RECORD) as RefusalReason[];

/** Facts under which every precondition of every action holds. */
const GOOD: CaseFacts = {
  actorId: 'user-actor',
  assigneeId: 'user-actor',
  classified: true,
  hasAssessment: true,
  hasProposedRemedy: true,
  needsApproval: true,
  approvalGranted: true,
  remedyProposerId: 'user-proposer',
  reason: 'documented reason',
  resumeState: 'investigation',
  externalAssigned: true,
};
const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ ...GOOD, ...over });

function expectedRule(state: CaseState, action: CaseAction): Expected | undefined {
  return EXPECTED.find((e) => e.action === action && e.from.includes(state));
}
function expectedTarget(e: Expected, f: CaseFacts): CaseState {
  return e.to === 'resume' ? (f.resumeState as CaseState) : e.to;
}
const has = (pairs: readonly (readonly [CaseAction, string])[], a: CaseAction, b: string) => pairs.some(([x, y]) => x === a && y === b);

function expectOk(d: Decision, next: CaseState): asserts d is Extract<Decision, { ok: true }> {
  expect(d).toMatchObject({ ok: true, next });
}
function expectRefused(d: Decision, reason: RefusalReason) {
  expect(d).toEqual({ ok: false, reason });
}

/** All (state, action, role) combinations allowed by EXPECTED. */
const ALLOWED: { state: CaseState; action: CaseAction; role: Role; e: Expected }[] = EXPECTED.flatMap((e) =>
  e.from.flatMap((state) => e.roles.map((role) => ({ state, action: e.action, role, e }))),
);

// ---------------------------------------------------------------------------------------------

describe('the expected table itself', () => {
  it('covers every action exactly once and only known states and roles', () => {
    expect(EXPECTED.map((e) => e.action).sort()).toEqual([...CASE_ACTIONS].sort());
    for (const e of EXPECTED) {
      for (const s of e.from) expect(CASE_STATES).toContain(s);
      for (const r of e.roles) expect(ROLES).toContain(r);
      expect(e.roles).not.toContain('admin');
    }
    expect(CASE_STATES).toHaveLength(15);
    expect(CASE_ACTIONS).toHaveLength(22);
    expect(ROLES).toHaveLength(6);
  });
});

describe('decide: every state × action × role with all preconditions met', () => {
  for (const state of CASE_STATES) {
    describe(`from ${state}`, () => {
      for (const action of CASE_ACTIONS) {
        for (const role of ROLES) {
          const e = expectedRule(state, action);
          const allowed = e !== undefined && e.roles.includes(role);
          const label = allowed ? `→ ${expectedTarget(e!, GOOD)}` : e ? 'role_not_permitted' : 'not_allowed_in_state';
          it(`${action} by ${role}: ${label}`, () => {
            const d = decide(state, action, role, GOOD);
            if (!e) expectRefused(d, 'not_allowed_in_state');
            else if (!e.roles.includes(role)) expectRefused(d, 'role_not_permitted');
            else {
              expectOk(d, expectedTarget(e, GOOD));
              expect(d).toEqual({
                ok: true,
                next: expectedTarget(e, GOOD),
                pausesClock: has(PAUSES, action, state),
                resumesClock: has(RESUMES, action, state),
                firstResponse: FIRST_RESPONSE.includes(action),
              });
            }
          });
        }
      }
    });
  }

  it('admin may perform no lifecycle action in any state, whatever the facts', () => {
    for (const state of CASE_STATES)
      for (const action of CASE_ACTIONS) {
        const d = decide(state, action, 'admin', GOOD);
        expect(d.ok).toBe(false);
      }
    for (const state of CASE_STATES) expect(availableActions(state, 'admin', GOOD)).toEqual([]);
  });

  it('arbitrators and mediators may do only what is listed for them', () => {
    const arbitrator = CASE_STATES.flatMap((s) => availableActions(s, 'arbitrator', GOOD).map((a) => `${s}:${a}`));
    expect(arbitrator).toEqual(['arbitration:record_ruling']);
    const mediator = CASE_STATES.flatMap((s) => availableActions(s, 'mediator', GOOD).map((a) => `${s}:${a}`));
    expect(mediator.sort()).toEqual(['mediation:record_impasse', 'mediation:record_settlement']);
  });

  it('terminal state archived allows nothing for anyone', () => {
    for (const role of ROLES) expect(availableActions('archived', role, GOOD)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Each precondition failing, for every allowed transition.
// ---------------------------------------------------------------------------------------------

interface Breaker {
  name: string;
  over: Partial<CaseFacts>;
  /** The refusal this breaker must cause for (action, role), or null when it must not matter. */
  expect: (action: CaseAction, role: Role) => RefusalReason | null;
}

const reasonBreaker = (name: string, reason: string | null): Breaker => ({
  name,
  over: { reason },
  expect: (a) => (NEEDS_REASON.includes(a) ? 'reason_required' : null),
});

const BREAKERS: readonly Breaker[] = [
  reasonBreaker('missing reason (null)', null),
  reasonBreaker('empty reason ""', ''),
  reasonBreaker('blank reason "   "', '   '),
  reasonBreaker('whitespace reason "\\t\\n "', '\t\n '),
  {
    name: 'actor not assigned to the escalation',
    over: { externalAssigned: false },
    expect: (a, r) => (has(NEEDS_EXTERNAL, a, r) ? 'not_assigned' : null),
  },
  { name: 'not classified', over: { classified: false }, expect: (a) => (a === 'accept' ? 'classification_required' : null) },
  {
    name: 'no assessment',
    over: { hasAssessment: false },
    expect: (a) => (a === 'request_approval' || a === 'propose_resolution' ? 'assessment_required' : null),
  },
  {
    name: 'no remedy drafted',
    over: { hasProposedRemedy: false },
    expect: (a) => (a === 'request_approval' || a === 'propose_resolution' ? 'remedy_required' : null),
  },
  {
    name: 'approval needed but not granted',
    over: { needsApproval: true, approvalGranted: false },
    expect: (a) => (a === 'propose_resolution' ? 'approval_required' : null),
  },
  {
    name: 'no approval needed',
    over: { needsApproval: false, approvalGranted: false },
    expect: (a) => (a === 'request_approval' ? 'approval_not_needed' : null),
  },
  {
    name: 'actor drafted the remedies (four-eyes)',
    over: { actorId: 'same-person', remedyProposerId: 'same-person' },
    expect: (a) => (a === 'approve' ? 'four_eyes' : null),
  },
  { name: 'resume state missing', over: { resumeState: null }, expect: (a) => (a === 'material_received' ? 'resume_state_missing' : null) },
  ...(['received', 'awaiting_material', 'rejected', 'pending_approval', 'resolution_proposed', 'closed', 'archived', 'mediation'] as const).map(
    (bad): Breaker => ({
      name: `resume state ${bad} is not resumable`,
      over: { resumeState: bad },
      expect: (a) => (a === 'material_received' ? 'resume_state_missing' : null),
    }),
  ),
  { name: 'case unassigned', over: { assigneeId: null }, expect: () => null },
  { name: 'case assigned to someone else', over: { assigneeId: 'someone-else' }, expect: () => null },
  { name: 'no remedy proposer recorded', over: { remedyProposerId: null }, expect: () => null },
];

describe('decide: each precondition failing, for every allowed transition', () => {
  for (const { state, action, role, e } of ALLOWED) {
    describe(`${state} --${action}--> by ${role}`, () => {
      for (const b of BREAKERS) {
        const want = b.expect(action, role);
        it(`${b.name}: ${want ?? 'still allowed'}`, () => {
          const f = facts(b.over);
          const d = decide(state, action, role, f);
          if (want) expectRefused(d, want);
          else expectOk(d, expectedTarget(e, f));
        });
      }
    });
  }

  it('a reason with surrounding whitespace is accepted', () => {
    expectOk(decide('initial_review', 'reject', 'specialist', facts({ reason: '  duplicate of case 17  ' })), 'rejected');
  });

  it('legal may record settlement and impasse without being an assigned mediator', () => {
    expectOk(decide('mediation', 'record_settlement', 'legal', facts({ externalAssigned: false })), 'execution');
    expectOk(decide('mediation', 'record_impasse', 'legal', facts({ externalAssigned: false })), 'arbitration');
  });

  it('the approver may not be the one who drafted the remedies, but any other supervisor may', () => {
    expectRefused(decide('pending_approval', 'approve', 'supervisor', facts({ actorId: 'sup-1', remedyProposerId: 'sup-1' })), 'four_eyes');
    expectOk(decide('pending_approval', 'approve', 'supervisor', facts({ actorId: 'sup-2', remedyProposerId: 'sup-1' })), 'resolution_proposed');
  });

  it('propose_resolution without needed approval, and with approval that is not needed', () => {
    expectOk(decide('assessment', 'propose_resolution', 'specialist', facts({ needsApproval: false, approvalGranted: false })), 'resolution_proposed');
    expectRefused(decide('assessment', 'propose_resolution', 'specialist', facts({ needsApproval: true, approvalGranted: false })), 'approval_required');
    expectOk(decide('assessment', 'propose_resolution', 'specialist', facts({ needsApproval: true, approvalGranted: true })), 'resolution_proposed');
  });

  it('material_received returns to every resumable state', () => {
    for (const back of ['initial_review', 'investigation', 'assessment'] as const) {
      const d = decide('awaiting_material', 'material_received', 'legal', facts({ resumeState: back }));
      expect(d).toEqual({ ok: true, next: back, pausesClock: false, resumesClock: true, firstResponse: false });
    }
  });
});

describe('decide: check order', () => {
  it('state before role', () => {
    expectRefused(decide('received', 'approve', 'admin', GOOD), 'not_allowed_in_state');
    expectRefused(decide('closed', 'record_ruling', 'specialist', GOOD), 'not_allowed_in_state');
  });
  it('role before external assignment and reason', () => {
    expectRefused(decide('mediation', 'record_impasse', 'arbitrator', facts({ externalAssigned: false, reason: null })), 'role_not_permitted');
    expectRefused(decide('initial_review', 'reject', 'legal', facts({ reason: null })), 'role_not_permitted');
  });
  it('external assignment before reason', () => {
    expectRefused(decide('mediation', 'record_impasse', 'mediator', facts({ externalAssigned: false, reason: '  ' })), 'not_assigned');
  });
  it('role before fact checks', () => {
    expectRefused(decide('initial_review', 'accept', 'legal', facts({ classified: false })), 'role_not_permitted');
    expectRefused(decide('pending_approval', 'approve', 'legal', facts({ actorId: 'x', remedyProposerId: 'x' })), 'role_not_permitted');
    expectRefused(decide('awaiting_material', 'material_received', 'admin', facts({ resumeState: null })), 'role_not_permitted');
  });
  it('assessment, then remedy, then approval', () => {
    const none = facts({ hasAssessment: false, hasProposedRemedy: false, needsApproval: true, approvalGranted: false });
    expectRefused(decide('assessment', 'propose_resolution', 'specialist', none), 'assessment_required');
    expectRefused(decide('assessment', 'propose_resolution', 'specialist', { ...none, hasAssessment: true }), 'remedy_required');
    expectRefused(decide('assessment', 'propose_resolution', 'specialist', { ...none, hasAssessment: true, hasProposedRemedy: true }), 'approval_required');
    const noNeed = facts({ hasAssessment: false, hasProposedRemedy: false, needsApproval: false });
    expectRefused(decide('assessment', 'request_approval', 'legal', noNeed), 'assessment_required');
    expectRefused(decide('assessment', 'request_approval', 'legal', { ...noNeed, hasAssessment: true }), 'remedy_required');
    expectRefused(decide('assessment', 'request_approval', 'legal', { ...noNeed, hasAssessment: true, hasProposedRemedy: true }), 'approval_not_needed');
  });
});

describe('decide is total', () => {
  const junkFacts: unknown[] = [
    null,
    undefined,
    {},
    42,
    'facts',
    { ...GOOD, reason: 17, resumeState: 'nowhere', actorId: undefined, remedyProposerId: undefined },
    { ...GOOD, reason: { trim: 'not a function' } },
  ];
  it('never throws, for unknown states, actions, roles and malformed facts', () => {
    const states = [...CASE_STATES, 'nowhere', '', null, undefined, 7, 'constructor', '__proto__'] as unknown as CaseState[];
    const actions = [...CASE_ACTIONS, 'teleport', '', null, undefined, 'toString', '__proto__'] as unknown as CaseAction[];
    const roles = [...ROLES, 'god', '', null, undefined, 'toString'] as unknown as Role[];
    const problems: string[] = [];
    for (const s of states)
      for (const a of actions)
        for (const r of roles)
          for (const f of [GOOD, ...junkFacts] as CaseFacts[]) {
            const where = `${String(s)} ${String(a)} ${String(r)} ${JSON.stringify(f)}`;
            try {
              const d = decide(s, a, r, f);
              if (d.ok ? !CASE_STATES.includes(d.next) : !ALL_REASONS.includes(d.reason)) problems.push(`bad decision: ${where}`);
              availableActions(s, r, f);
            } catch (err) {
              problems.push(`threw ${String(err)}: ${where}`);
            }
          }
    expect(problems).toEqual([]);
  });
  it('refuses unknown inputs with the right reason', () => {
    expectRefused(decide('nowhere' as CaseState, 'accept', 'specialist', GOOD), 'not_allowed_in_state');
    expectRefused(decide('initial_review', 'teleport' as CaseAction, 'specialist', GOOD), 'not_allowed_in_state');
    expectRefused(decide('initial_review', 'accept', 'god' as Role, GOOD), 'role_not_permitted');
  });
  it('refuses missing facts instead of guessing', () => {
    const none = null as unknown as CaseFacts;
    expectRefused(decide('initial_review', 'reject', 'specialist', none), 'reason_required');
    expectRefused(decide('initial_review', 'accept', 'specialist', none), 'classification_required');
    expectRefused(decide('awaiting_material', 'material_received', 'specialist', none), 'resume_state_missing');
    expectRefused(decide('arbitration', 'record_ruling', 'arbitrator', none), 'not_assigned');
    expectRefused(decide('initial_review', 'reject', 'specialist', { ...GOOD, reason: 17 as unknown as string }), 'reason_required');
    expectRefused(decide('awaiting_material', 'material_received', 'specialist', { ...GOOD, resumeState: 'nowhere' as CaseState }), 'resume_state_missing');
  });
});

describe('availableActions agrees with decide', () => {
  const variants: Record<string, CaseFacts> = {
    good: GOOD,
    'nothing done': {
      actorId: 'a',
      assigneeId: null,
      classified: false,
      hasAssessment: false,
      hasProposedRemedy: false,
      needsApproval: false,
      approvalGranted: false,
      remedyProposerId: null,
      reason: null,
      resumeState: null,
      externalAssigned: false,
    },
    'approval pending, self-proposed': facts({ approvalGranted: false, actorId: 'p', remedyProposerId: 'p' }),
    'blank reason': facts({ reason: '   ' }),
    'no approval needed': facts({ needsApproval: false, approvalGranted: false }),
  };
  for (const [name, f] of Object.entries(variants))
    for (const state of CASE_STATES)
      for (const role of ROLES)
        it(`${name}: ${state} as ${role}`, () => {
          const available = availableActions(state, role, f);
          expect(available).toEqual(CASE_ACTIONS.filter((a) => decide(state, a, role, f).ok));
          if (f === GOOD) {
            const byTable = ALLOWED.filter((x) => x.state === state && x.role === role).map((x) => x.action);
            expect([...available].sort()).toEqual(byTable.sort());
          }
        });
});

describe('TRANSITIONS', () => {
  it('lists exactly the hand-written transitions', () => {
    const norm = (t: readonly { action: string; from: readonly string[]; to: string; roles: readonly string[] }[]) =>
      t.map((x) => ({ action: x.action, from: [...x.from].sort(), to: x.to, roles: [...x.roles].sort() })).sort((a, b) => a.action.localeCompare(b.action));
    expect(norm(TRANSITIONS)).toEqual(norm(EXPECTED));
  });
  it('agrees with decide', () => {
    for (const t of TRANSITIONS)
      for (const s of t.from)
        for (const r of t.roles) {
          const d = decide(s, t.action, r, GOOD);
          expectOk(d, t.to === 'resume' ? GOOD.resumeState! : t.to);
        }
  });
});

describe('clock flags', () => {
  const paused = (s: CaseState) => (['awaiting_material', 'awaiting_third_party', 'resolution_proposed'] as CaseState[]).includes(s);
  it('the hand-written paused states are the domain ones', () => {
    expect([...PAUSED_STATES].sort()).toEqual(CASE_STATES.filter(paused).sort());
  });
  it('pause exactly when entering a paused state from a running one, resume exactly when leaving one', () => {
    for (const { state, action, role } of ALLOWED)
      for (const resumeState of ['initial_review', 'investigation', 'assessment'] as const) {
        const d = decide(state, action, role, facts({ resumeState }));
        expect(d.ok).toBe(true);
        if (!d.ok) continue;
        expect(d.pausesClock).toBe(!paused(state) && paused(d.next));
        expect(d.resumesClock).toBe(paused(state) && !paused(d.next));
        expect(d.pausesClock && d.resumesClock).toBe(false);
      }
  });
  it('escalations resume the clock only when they leave a paused state', () => {
    expect(decide('assessment', 'escalate_mediation', 'legal', GOOD)).toMatchObject({ ok: true, pausesClock: false, resumesClock: false });
    expect(decide('resolution_proposed', 'escalate_mediation', 'legal', GOOD)).toMatchObject({ ok: true, pausesClock: false, resumesClock: true });
    expect(decide('resolution_proposed', 'escalate_arbitration', 'supervisor', GOOD)).toMatchObject({ ok: true, resumesClock: true });
    expect(decide('mediation', 'escalate_arbitration', 'supervisor', GOOD)).toMatchObject({ ok: true, resumesClock: false });
  });
  it('approval and proposal pause the clock: the case now waits on the complainant', () => {
    expect(decide('pending_approval', 'approve', 'supervisor', GOOD)).toMatchObject({ ok: true, pausesClock: true, firstResponse: true });
    expect(decide('assessment', 'propose_resolution', 'specialist', GOOD)).toMatchObject({ ok: true, pausesClock: true, firstResponse: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Whole paths, as a caller would run them: storing resumeState on pause, tracking the clock.
// ---------------------------------------------------------------------------------------------

type Step = [CaseAction, Role, Partial<CaseFacts>?];

function run(start: CaseState, steps: readonly Step[], base: Partial<CaseFacts> = {}): CaseState[] {
  let state = start;
  let resumeState: CaseState | null = null;
  let clockRunning = !PAUSED_STATES.includes(start);
  let firstResponded = false;
  const visited: CaseState[] = [state];
  for (const [action, role, over] of steps) {
    const d = decide(state, action, role, facts({ resumeState, ...base, ...over }));
    if (!d.ok) throw new Error(`${action} by ${role} from ${state} refused: ${d.reason}`);
    if (d.pausesClock) {
      expect(clockRunning).toBe(true);
      clockRunning = false;
    }
    if (d.resumesClock) {
      expect(clockRunning).toBe(false);
      clockRunning = true;
    }
    expect(clockRunning).toBe(!PAUSED_STATES.includes(d.next));
    if (d.firstResponse) firstResponded = true;
    if (action === 'request_material') resumeState = state;
    state = d.next;
    visited.push(state);
  }
  // A case handled from intake always answers the complainant at some point.
  if (start === 'received' && visited.length > 2) expect(firstResponded).toBe(true);
  return visited;
}

describe('paths', () => {
  it('happy path: received → archived, with material, a third party and supervisor approval', () => {
    const path = run('received', [
      ['start_review', 'specialist'],
      ['request_material', 'specialist'],
      ['material_received', 'specialist'],
      ['accept', 'specialist'],
      ['request_third_party', 'legal'],
      ['third_party_responded', 'specialist'],
      ['request_material', 'specialist'],
      ['material_received', 'specialist'],
      ['complete_investigation', 'specialist'],
      ['request_approval', 'specialist', { actorId: 'spec-1', remedyProposerId: 'spec-1', approvalGranted: false }],
      ['approve', 'supervisor', { actorId: 'sup-1', remedyProposerId: 'spec-1' }],
      ['accept_resolution', 'specialist'],
      ['complete_execution', 'specialist'],
      ['close', 'specialist'],
      ['archive', 'supervisor'],
    ]);
    expect(path).toEqual([
      'received',
      'initial_review',
      'awaiting_material',
      'initial_review',
      'investigation',
      'awaiting_third_party',
      'investigation',
      'awaiting_material',
      'investigation',
      'assessment',
      'pending_approval',
      'resolution_proposed',
      'execution',
      'follow_up',
      'closed',
      'archived',
    ]);
  });

  it('small claim: proposed directly without approval', () => {
    expect(
      run(
        'received',
        [
          ['start_review', 'specialist'],
          ['accept', 'specialist'],
          ['complete_investigation', 'specialist'],
          ['propose_resolution', 'specialist'],
          ['accept_resolution', 'specialist'],
          ['complete_execution', 'specialist'],
          ['close', 'supervisor'],
          ['archive', 'legal'],
        ],
        { needsApproval: false, approvalGranted: false },
      ).at(-1),
    ).toBe('archived');
  });

  it('rejected as unfounded, then archived', () => {
    expect(
      run('received', [
        ['start_review', 'supervisor'],
        ['reject', 'supervisor', { reason: '重复投诉，已于案件 17 处理' }],
        ['archive', 'legal'],
      ]),
    ).toEqual(['received', 'initial_review', 'rejected', 'archived']);
  });

  it('objection loop: proposed → objected → re-assessed (declined approval, more material) → proposed → accepted', () => {
    const path = run('assessment', [
      ['propose_resolution', 'specialist', { needsApproval: false }],
      ['object', 'specialist', { reason: 'complainant disputes the fault share' }],
      ['request_material', 'specialist'],
      ['material_received', 'specialist'],
      ['request_approval', 'specialist', { approvalGranted: false }],
      ['decline_approval', 'supervisor', { reason: 'amount not supported by the trade records' }],
      ['request_approval', 'specialist', { approvalGranted: false }],
      ['approve', 'supervisor'],
      ['object', 'legal', { reason: 'still disputed' }],
      ['propose_resolution', 'legal'],
      ['accept_resolution', 'legal'],
    ]);
    expect(path).toEqual([
      'assessment',
      'resolution_proposed',
      'assessment',
      'awaiting_material',
      'assessment',
      'pending_approval',
      'assessment',
      'pending_approval',
      'resolution_proposed',
      'assessment',
      'resolution_proposed',
      'execution',
    ]);
  });

  it('mediation → impasse → arbitration → ruling → closed', () => {
    const path = run('resolution_proposed', [
      ['object', 'specialist'],
      ['escalate_mediation', 'legal'],
      ['record_impasse', 'mediator', { reason: 'parties could not agree on the amount' }],
      ['record_ruling', 'arbitrator'],
      ['complete_execution', 'specialist'],
      ['close', 'specialist'],
      ['archive', 'legal'],
    ]);
    expect(path).toEqual(['resolution_proposed', 'assessment', 'mediation', 'arbitration', 'execution', 'follow_up', 'closed', 'archived']);
  });

  it('an unassigned mediator or arbitrator cannot record outcomes', () => {
    expectRefused(decide('mediation', 'record_impasse', 'mediator', facts({ externalAssigned: false })), 'not_assigned');
    expectRefused(decide('mediation', 'record_settlement', 'mediator', facts({ externalAssigned: false })), 'not_assigned');
    expectRefused(decide('arbitration', 'record_ruling', 'arbitrator', facts({ externalAssigned: false })), 'not_assigned');
  });

  it('mediation → settlement, and direct escalation to arbitration from a proposal', () => {
    expect(run('assessment', [['escalate_mediation', 'supervisor'], ['record_settlement', 'mediator']]).at(-1)).toBe('execution');
    expect(run('resolution_proposed', [['escalate_arbitration', 'legal'], ['record_ruling', 'arbitrator']])).toEqual([
      'resolution_proposed',
      'arbitration',
      'execution',
    ]);
    expect(run('mediation', [['escalate_arbitration', 'supervisor']]).at(-1)).toBe('arbitration');
  });

  it('a path refuses to skip steps', () => {
    expect(() => run('received', [['accept', 'specialist']])).toThrow(/not_allowed_in_state/);
    expect(() => run('investigation', [['propose_resolution', 'specialist']])).toThrow(/not_allowed_in_state/);
    expect(() => run('closed', [['close', 'specialist']])).toThrow(/not_allowed_in_state/);
  });
});

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

describe('messages', () => {
  const en: Record<string, string> = lifecycleMessages.en;
  const zh: Record<string, string> = lifecycleMessages['zh-CN'];
  const cjk = /[\u4e00-\u9fff]/;

  it('REFUSAL_REASONS lists every refusal reason', () => {
    expect([...REFUSAL_REASONS].sort()).toEqual([...ALL_REASONS].sort());
  });

  it('every refusal reason can actually be produced by decide', () => {
    const seen = new Set<RefusalReason>();
    for (const state of CASE_STATES)
      for (const action of CASE_ACTIONS)
        for (const role of ROLES)
          for (const b of BREAKERS) {
            const d = decide(state, action, role, facts(b.over));
            if (!d.ok) seen.add(d.reason);
          }
    expect([...seen].sort()).toEqual([...ALL_REASONS].sort());
  });

  it('refusalMessageKey builds the lifecycle.refused key', () => {
    for (const r of ALL_REASONS) expect(refusalMessageKey(r)).toBe(`lifecycle.refused.${r}`);
  });

  it('both languages have identical key sets', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every refusal reason, state and action has a non-empty text in both languages', () => {
    const keys = [
      ...ALL_REASONS.map(refusalMessageKey),
      ...CASE_STATES.map((s) => `case.state.${s}`),
      ...CASE_ACTIONS.map((a) => `case.action.${a}`),
    ];
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      expect(en[k], `en ${k}`).toMatch(/\S/);
      expect(zh[k], `zh-CN ${k}`).toMatch(/\S/);
      expect(en[k], `en ${k} is English`).not.toMatch(cjk);
      expect(zh[k], `zh-CN ${k} is Chinese`).toMatch(cjk);
    }
  });

  it('labels are distinct within each language', () => {
    for (const table of [en, zh]) {
      const states = CASE_STATES.map((s) => table[`case.state.${s}`]);
      expect(new Set(states).size).toBe(states.length);
      const actions = CASE_ACTIONS.map((a) => table[`case.action.${a}`]);
      expect(new Set(actions).size).toBe(actions.length);
    }
  });

  it('uses the established Chinese terms', () => {
    expect(zh['case.action.reject']).toContain('驳回');
    expect(zh['case.state.rejected']).toContain('驳回');
    expect(zh['case.action.request_material']).toContain('补充材料');
    expect(zh['case.state.awaiting_material']).toContain('补充材料');
    expect(zh['case.state.investigation']).toContain('调查取证');
    expect(zh['case.state.assessment']).toContain('责任认定');
    expect(zh['case.state.mediation']).toContain('协商调解');
    expect(zh['case.state.arbitration']).toContain('第三方仲裁');
    expect(zh['case.state.follow_up']).toContain('回访');
    expect(zh['case.action.archive']).toContain('存档');
    expect(zh['case.action.object']).toContain('异议');
  });
});
