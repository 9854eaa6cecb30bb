// The case lifecycle (处理流程): the one place that decides what may follow what, and who may do it.
// Pure and total: no I/O, no clock, never throws. The caller gathers the facts (assignment,
// classification, assessment, remedies, approval, escalation) and records the outcome.
import { CASE_ACTIONS, CASE_STATES, PAUSED_STATES, ROLES } from './domain';
import type { CaseAction, CaseState, Role } from './domain';

export interface CaseFacts {
  /** The user performing the action. */
  actorId: string;
  /** Current case handler. */
  assigneeId: string | null;
  /** Category, subcategory, tier and priority set (needed to accept). */
  classified: boolean;
  /** A current assessment exists (needed to leave assessment). */
  hasAssessment: boolean;
  /** At least one remedy drafted. */
  hasProposedRemedy: boolean;
  /** Some monetary remedy exceeds the USD threshold. */
  needsApproval: boolean;
  /** A supervisor approved it. */
  approvalGranted: boolean;
  /** Who drafted the remedies (four-eyes: the approver must differ). */
  remedyProposerId: string | null;
  /** Free-text reason given with the action; blank counts as none. */
  reason: string | null;
  /** The state a paused case returns to (set when it was paused). */
  resumeState: CaseState | null;
  /** The actor (arbitrator/mediator) is assigned to this case's escalation and accepted after disclosure. */
  externalAssigned: boolean;
}

export type Decision =
  | { ok: true; next: CaseState; pausesClock: boolean; resumesClock: boolean; firstResponse: boolean }
  | { ok: false; reason: RefusalReason };

export const REFUSAL_REASONS = [
  'not_allowed_in_state',
  'role_not_permitted',
  'reason_required',
  'classification_required',
  'assessment_required',
  'remedy_required',
  'approval_required',
  'approval_not_needed',
  'four_eyes',
  'not_assigned',
  'resume_state_missing',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** States a case paused by `request_material` may return to. */
export const RESUMABLE_STATES: readonly CaseState[] = ['initial_review', 'investigation', 'assessment'];

type Check = 'classified' | 'assessment' | 'remedy' | 'approval_granted_if_needed' | 'approval_needed' | 'four_eyes' | 'resume_state';

interface Rule {
  action: CaseAction;
  from: readonly CaseState[];
  to: CaseState | 'resume';
  roles: readonly Role[];
  /** Roles that may act only when assigned to the case's escalation (externalAssigned). */
  externalRoles: readonly Role[];
  reasonRequired: boolean;
  firstResponse: boolean;
  /** Fact checks, in the order they are made. */
  checks: readonly Check[];
}

const HANDLERS: readonly Role[] = ['specialist', 'supervisor'];
const HANDLERS_AND_LEGAL: readonly Role[] = ['specialist', 'supervisor', 'legal'];

function rule(r: Partial<Rule> & Pick<Rule, 'action' | 'from' | 'to' | 'roles'>): Rule {
  return { externalRoles: [], reasonRequired: false, firstResponse: false, checks: [], ...r };
}

const RULES: readonly Rule[] = [
  rule({ action: 'start_review', from: ['received'], to: 'initial_review', roles: HANDLERS, firstResponse: true }),
  rule({ action: 'accept', from: ['initial_review'], to: 'investigation', roles: HANDLERS, checks: ['classified'] }),
  rule({
    action: 'request_material',
    from: ['initial_review', 'investigation', 'assessment'],
    to: 'awaiting_material',
    roles: HANDLERS_AND_LEGAL,
    reasonRequired: true,
    firstResponse: true,
  }),
  rule({ action: 'material_received', from: ['awaiting_material'], to: 'resume', roles: HANDLERS_AND_LEGAL, checks: ['resume_state'] }),
  rule({ action: 'reject', from: ['initial_review'], to: 'rejected', roles: HANDLERS, reasonRequired: true, firstResponse: true }),
  rule({ action: 'request_third_party', from: ['investigation'], to: 'awaiting_third_party', roles: HANDLERS_AND_LEGAL, reasonRequired: true }),
  rule({ action: 'third_party_responded', from: ['awaiting_third_party'], to: 'investigation', roles: HANDLERS_AND_LEGAL }),
  rule({ action: 'complete_investigation', from: ['investigation'], to: 'assessment', roles: HANDLERS_AND_LEGAL }),
  rule({
    action: 'request_approval',
    from: ['assessment'],
    to: 'pending_approval',
    roles: HANDLERS_AND_LEGAL,
    checks: ['assessment', 'remedy', 'approval_needed'],
  }),
  rule({ action: 'approve', from: ['pending_approval'], to: 'resolution_proposed', roles: ['supervisor'], firstResponse: true, checks: ['four_eyes'] }),
  rule({ action: 'decline_approval', from: ['pending_approval'], to: 'assessment', roles: ['supervisor'], reasonRequired: true }),
  rule({
    action: 'propose_resolution',
    from: ['assessment'],
    to: 'resolution_proposed',
    roles: HANDLERS_AND_LEGAL,
    firstResponse: true,
    checks: ['assessment', 'remedy', 'approval_granted_if_needed'],
  }),
  rule({ action: 'accept_resolution', from: ['resolution_proposed'], to: 'execution', roles: HANDLERS_AND_LEGAL }),
  rule({ action: 'object', from: ['resolution_proposed'], to: 'assessment', roles: HANDLERS_AND_LEGAL, reasonRequired: true }),
  rule({ action: 'escalate_mediation', from: ['assessment', 'resolution_proposed'], to: 'mediation', roles: ['legal', 'supervisor'], reasonRequired: true }),
  rule({ action: 'escalate_arbitration', from: ['resolution_proposed', 'mediation'], to: 'arbitration', roles: ['legal', 'supervisor'], reasonRequired: true }),
  rule({ action: 'record_settlement', from: ['mediation'], to: 'execution', roles: ['mediator', 'legal'], externalRoles: ['mediator'] }),
  rule({ action: 'record_impasse', from: ['mediation'], to: 'arbitration', roles: ['mediator', 'legal'], externalRoles: ['mediator'], reasonRequired: true }),
  rule({ action: 'record_ruling', from: ['arbitration'], to: 'execution', roles: ['arbitrator'], externalRoles: ['arbitrator'] }),
  rule({ action: 'complete_execution', from: ['execution'], to: 'follow_up', roles: HANDLERS }),
  rule({ action: 'close', from: ['follow_up'], to: 'closed', roles: HANDLERS }),
  rule({ action: 'archive', from: ['closed', 'rejected'], to: 'archived', roles: ['supervisor', 'legal'] }),
];

const RULE_BY_ACTION: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.action, r]));

/** Every transition: from which states an action may be taken, by whom, and where it leads. */
export const TRANSITIONS: readonly { action: CaseAction; from: readonly CaseState[]; to: CaseState | 'resume'; roles: readonly Role[] }[] =
  RULES.map(({ action, from, to, roles }) => Object.freeze({ action, from, to, roles }));

const STATE_SET: ReadonlySet<string> = new Set(CASE_STATES);
const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

function hasReason(reason: unknown): boolean {
  return typeof reason === 'string' && reason.trim().length > 0;
}

function isPaused(state: CaseState): boolean {
  return PAUSED_STATES.includes(state);
}

function refuse(reason: RefusalReason): Decision {
  return { ok: false, reason };
}

function failedCheck(check: Check, f: Partial<CaseFacts>): RefusalReason | null {
  switch (check) {
    case 'classified':
      return f.classified === true ? null : 'classification_required';
    case 'assessment':
      return f.hasAssessment === true ? null : 'assessment_required';
    case 'remedy':
      return f.hasProposedRemedy === true ? null : 'remedy_required';
    case 'approval_granted_if_needed':
      return f.needsApproval === true && f.approvalGranted !== true ? 'approval_required' : null;
    case 'approval_needed':
      return f.needsApproval === true ? null : 'approval_not_needed';
    case 'four_eyes':
      // Unknown actor or proposer cannot prove two different people: refuse on an actor equal to the proposer.
      return f.actorId === f.remedyProposerId ? 'four_eyes' : null;
    case 'resume_state':
      return typeof f.resumeState === 'string' && RESUMABLE_STATES.includes(f.resumeState) ? null : 'resume_state_missing';
  }
}

/**
 * Whether `role` may take `action` on a case in `state`, given `facts`, and if so where it leads.
 * Checks, in order: state, role, external assignment, reason, then the facts the action needs.
 */
export function decide(state: CaseState, action: CaseAction, role: Role, facts: CaseFacts): Decision {
  const rule = RULE_BY_ACTION.get(action as string);
  if (!rule || !STATE_SET.has(state as string) || !rule.from.includes(state)) return refuse('not_allowed_in_state');
  if (!ROLE_SET.has(role as string) || !rule.roles.includes(role)) return refuse('role_not_permitted');
  const f: Partial<CaseFacts> = facts !== null && typeof facts === 'object' ? facts : {};
  if (rule.externalRoles.includes(role) && f.externalAssigned !== true) return refuse('not_assigned');
  if (rule.reasonRequired && !hasReason(f.reason)) return refuse('reason_required');
  for (const check of rule.checks) {
    const failed = failedCheck(check, f);
    if (failed) return refuse(failed);
  }
  const next: CaseState = rule.to === 'resume' ? (f.resumeState as CaseState) : rule.to;
  return {
    ok: true,
    next,
    pausesClock: !isPaused(state) && isPaused(next),
    resumesClock: isPaused(state) && !isPaused(next),
    firstResponse: rule.firstResponse,
  };
}

/** The actions `decide` would accept for this role on a case in this state, in CASE_ACTIONS order. */
export function availableActions(state: CaseState, role: Role, facts: CaseFacts): CaseAction[] {
  return CASE_ACTIONS.filter((action) => decide(state, action, role, facts).ok);
}

/** Translation key of a refusal, e.g. `lifecycle.refused.four_eyes`. */
export function refusalMessageKey(reason: RefusalReason): string {
  return 'lifecycle.refused.' + reason;
}

/** Translation key of a state label, e.g. `case.state.received`. */
export function stateLabelKey(state: CaseState): string {
  return 'case.state.' + state;
}

/** Translation key of an action label, e.g. `case.action.start_review`. */
export function actionLabelKey(action: CaseAction): string {
  return 'case.action.' + action;
}
