// What a case mutation does, decided once for the server and the workstation: the lifecycle facts
// it rests on, its guards (refusals with the message keys the apps translate), its effect on the
// SLA clock, and its side effects on remedies, approvals, objections and escalations, all as data.
// The server applies the outcome in Postgres; the workstation applies it to its local store as a
// preview. Pure: no I/O, no clock (time is passed in), nothing here throws but `allowedOrThrow`.
//
// The workstation may not know every value the server decides with: the approval threshold is a
// server setting, and an asset's USD rate may not have synced yet. Such a value is `Knowable`:
// known, or unknown with the server values it waits on. A decision that hinges on one is
// `unknown`, never a guess; the workstation shows it as pending and the server's answer settles it.
import { decide, refusalMessageKey, type CaseFacts, type Decision, type RefusalReason } from './lifecycle';
import { CASE_ACTIONS, MONETARY_REMEDY_KINDS, RESOLVED_STATES, type CaseAction, type CaseState, type EscalationKind, type Priority, type Role, type Tier } from './domain';
import { AppError, type ErrorKind } from './errors';
import { Money, USD_VALUE_LIMIT, sumAmounts, toUsd } from './money';
import { pauseClock, policyFor, recordFirstResponse, recordResolution, reprioritize, resumeClock, type SlaClock, type SlaPolicy } from './sla';

// ---- Values only the server may know ----------------------------------------------------------

export const SERVER_FACTS = ['approval_threshold', 'usd_rate'] as const;
export type ServerFact = (typeof SERVER_FACTS)[number];

/** A value only the server may know, with what names it (`asset` for a USD rate). */
export interface ServerValue {
  fact: ServerFact;
  params: Record<string, string>;
}

/** Known, or unknown with the server values it waits on: a tri-state, never a guess. */
export type Knowable<T> = { known: true; value: T } | { known: false; needs: readonly ServerValue[] };

export function known<T>(value: T): Knowable<T> {
  return { known: true, value };
}

export function unknown(fact: ServerFact, params: Record<string, string> = {}): Knowable<never> {
  return { known: false, needs: [{ fact, params }] };
}

/** For the server, which knows every value: the value, or an error (a bug, not a refusal). */
export function knownValue<T>(k: Knowable<T>): T {
  if (!k.known) throw new Error(`unknown value: ${k.needs.map((n) => n.fact).join(', ')}`);
  return k.value;
}

/** The server values the unknown ones among `values` wait on, each once, in order. */
function needsOf(...values: Knowable<unknown>[]): ServerValue[] {
  const out: ServerValue[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (v.known) continue;
    for (const need of v.needs) {
      const key = JSON.stringify([need.fact, Object.entries(need.params).sort()]);
      if (!seen.has(key)) out.push(need);
      seen.add(key);
    }
  }
  return out;
}

/** How a UI shows a value the preview waits on: a translated message (`case.pending.<fact>`) and its params. */
export interface PendingFact {
  fact: ServerFact;
  messageKey: string;
  params: Record<string, string>;
}

export function pendingFacts(needs: readonly ServerValue[]): PendingFact[] {
  return needs.map((n) => ({ fact: n.fact, messageKey: `case.pending.${n.fact}`, params: { ...n.params } }));
}

// ---- Verdicts ---------------------------------------------------------------------------------

/** Why a mutation is refused: what the server throws (kind, translated key, field) and the preview skips. */
export interface Refusal {
  kind: ErrorKind;
  messageKey: string;
  field: string;
  params?: Record<string, string | number>;
}

/** Allowed (with what to do), refused (with why), or unknown (it hinges on values only the server knows). */
export type Verdict<T> = ({ verdict: 'allowed' } & T) | { verdict: 'refused'; refusal: Refusal } | { verdict: 'unknown'; needs: readonly ServerValue[] };

const refused = (kind: ErrorKind, messageKey: string, field: string, params?: Record<string, string | number>): { verdict: 'refused'; refusal: Refusal } => ({
  verdict: 'refused',
  refusal: { kind, messageKey, field, ...(params ? { params } : {}) },
});

const allowed = <T extends object>(plan: T): { verdict: 'allowed' } & T => ({ verdict: 'allowed', ...plan });

export function refusalError(r: Refusal): AppError {
  return new AppError(r.kind, r.messageKey, { field: r.field, ...(r.params ? { params: r.params } : {}) });
}

/** For the server, which knows every value: the allowed plan, or the refusal thrown as an AppError. */
export function allowedOrThrow<T>(v: Verdict<T>): { verdict: 'allowed' } & T {
  if (v.verdict === 'refused') throw refusalError(v.refusal);
  if (v.verdict === 'unknown') throw new Error(`case mutation hinges on unknown values: ${v.needs.map((n) => n.fact).join(', ')}`);
  return v;
}

const LIFECYCLE_REFUSAL_KIND: Record<RefusalReason, ErrorKind> = {
  not_allowed_in_state: 'conflict',
  role_not_permitted: 'forbidden',
  not_assigned: 'forbidden',
  reason_required: 'bad_input',
  classification_required: 'conflict',
  assessment_required: 'conflict',
  remedy_required: 'conflict',
  approval_required: 'conflict',
  approval_not_needed: 'conflict',
  four_eyes: 'forbidden',
  resume_state_missing: 'conflict',
};

export function lifecycleRefusal(reason: RefusalReason): Refusal {
  return { kind: LIFECYCLE_REFUSAL_KIND[reason], messageKey: refusalMessageKey(reason), field: reason === 'reason_required' ? 'reason' : 'action' };
}

// ---- Lifecycle facts --------------------------------------------------------------------------

const MONETARY: readonly string[] = MONETARY_REMEDY_KINDS;
/** Remedies in play: being prepared or approved, not yet put to the complainant. */
const IN_PLAY: readonly string[] = ['draft', 'approved'];

/** A remedy as the facts need it. `usdValue` is unknown where the rate it was valued at is. */
export interface RemedyFact {
  kind: string;
  status: string;
  usdValue: Knowable<string>;
  proposedBy: string | null;
}

/** What the caller reads from its storage for the lifecycle facts. */
export interface LifecycleSources {
  actorId: string;
  assigneeId: string | null;
  resumeStatus: string | null;
  /** A person confirmed (or corrected) the classification: intake's rule alone does not count. */
  classified: boolean;
  /** A current assessment exists. */
  hasAssessment: boolean;
  remedies: readonly RemedyFact[];
  /** Who asked for the approval still awaiting a decision. */
  approvalRequestedBy: string | null;
  approvalThresholdUsd: Knowable<string>;
  /** The arbitrator or mediator holds an accepted seat on the case's open escalation of their kind. */
  externalAssigned: boolean;
}

/** The lifecycle's facts (shared/lifecycle CaseFacts), with what may be unknown said so. */
export interface LifecycleFacts {
  /** The facts every caller knows: all but the reason (the mutation's) and needsApproval (below). */
  certain: Omit<CaseFacts, 'reason' | 'needsApproval'>;
  /** The monetary remedies in play exceed the approval threshold. */
  needsApproval: Knowable<boolean>;
  /** USD total of the monetary remedies in play: what an approval request covers. */
  usdTotal: Knowable<string>;
  thresholdUsd: Knowable<string>;
  /** Who drafted the remedies still in draft: four-eyes bars each of them from approving. */
  draftProposerIds: readonly string[];
}

export function lifecycleFacts(s: LifecycleSources): LifecycleFacts {
  const inPlay = s.remedies.filter((r) => IN_PLAY.includes(r.status));
  const monetary = inPlay.filter((r) => MONETARY.includes(r.kind));
  const values = monetary.map((r) => r.usdValue);
  const usdTotal: Knowable<string> = values.every((v) => v.known) ? known(sumAmounts(values.map((v) => knownValue(v)))) : { known: false, needs: needsOf(...values) };
  let needsApproval: Knowable<boolean>;
  // No money in play needs no approval, whatever the threshold.
  if (monetary.length === 0) needsApproval = known(false);
  else if (usdTotal.known && s.approvalThresholdUsd.known) needsApproval = known(new Money(usdTotal.value).greaterThan(new Money(s.approvalThresholdUsd.value)));
  else needsApproval = { known: false, needs: needsOf(usdTotal, s.approvalThresholdUsd) };
  return {
    certain: {
      actorId: s.actorId,
      assigneeId: s.assigneeId,
      classified: s.classified,
      hasAssessment: s.hasAssessment,
      hasProposedRemedy: inPlay.length > 0,
      approvalGranted: monetary.length > 0 && monetary.every((r) => r.status === 'approved'),
      remedyProposerId: s.approvalRequestedBy,
      resumeState: (s.resumeStatus as CaseState | null) ?? null,
      externalAssigned: s.externalAssigned,
    },
    needsApproval,
    usdTotal,
    thresholdUsd: s.approvalThresholdUsd,
    draftProposerIds: s.remedies.filter((r) => r.status === 'draft' && r.proposedBy !== null).map((r) => r.proposedBy!),
  };
}

/**
 * The lifecycle's decision on these facts. With needsApproval unknown it is decided both ways:
 * the same answer either way is the answer; different answers are `unknown`.
 */
function lifecycleDecision(status: CaseState, action: CaseAction, role: Role, facts: LifecycleFacts, reason: string | null): Verdict<{ decision: Extract<Decision, { ok: true }> }> {
  const base: Omit<CaseFacts, 'needsApproval'> = { ...facts.certain, reason };
  const ways = facts.needsApproval.known ? [facts.needsApproval.value] : [false, true];
  const decisions = ways.map((needsApproval) => decide(status, action, role, { ...base, needsApproval }));
  const first = decisions[0]!;
  const same = decisions.every((d) => (d.ok && first.ok ? d.next === first.next : !d.ok && !first.ok && d.reason === first.reason));
  if (!same) return { verdict: 'unknown', needs: facts.needsApproval.known ? [] : facts.needsApproval.needs };
  return first.ok ? allowed({ decision: first }) : { verdict: 'refused', refusal: lifecycleRefusal(first.reason) };
}

/** Actions the lifecycle allows this role now, decided without a reason (as a case's action list is). */
export function allowedActions(status: CaseState, role: Role, facts: LifecycleFacts): CaseAction[] {
  return CASE_ACTIONS.filter((action) => lifecycleDecision(status, action, role, facts, null).verdict === 'allowed');
}

// ---- The SLA clock ----------------------------------------------------------------------------

export type ClockEffect = { type: 'pause' } | { type: 'resume' } | { type: 'first_response' } | { type: 'resolution' } | { type: 'reprioritize'; policy: SlaPolicy };

/** The clock after the effects, applied in order at `now`. */
export function applyClockEffects(clock: SlaClock, effects: readonly ClockEffect[], now: Date): SlaClock {
  return effects.reduce((c, e) => {
    switch (e.type) {
      case 'pause':
        return pauseClock(c, now);
      case 'resume':
        return resumeClock(c, now);
      case 'first_response':
        return recordFirstResponse(c, now);
      case 'resolution':
        return recordResolution(c, now);
      case 'reprioritize':
        return reprioritize(c, e.policy);
    }
  }, clock);
}

// ---- Side effects -----------------------------------------------------------------------------

export type RemedyStatus = 'draft' | 'approved' | 'proposed' | 'accepted' | 'executed' | 'superseded' | 'withdrawn';
export type EscalationOutcome = 'superseded' | 'escalated_to_arbitration' | 'settled' | 'impasse' | 'ruled';

/** What a mutation does beyond its own row, in the order it is done. */
export type CaseSideEffect =
  | { type: 'open_approval'; usdTotal: string; thresholdUsd: string }
  /** Decides the approval awaiting a decision, if there is one. */
  | { type: 'decide_approval'; decision: 'approved' | 'declined'; reason: string | null }
  /** Every remedy of the case in one of `from` (and of one of `kinds`, when given) moves to `to`. */
  | { type: 'set_remedy_status'; from: readonly RemedyStatus[]; to: RemedyStatus; kinds?: readonly string[] }
  | { type: 'record_objection'; reason: string }
  | { type: 'close_open_escalations'; outcome: EscalationOutcome }
  | { type: 'open_escalation'; kind: EscalationKind; panelSize: 1 | 3; reason: string };

const remedies = (from: readonly RemedyStatus[], to: RemedyStatus): CaseSideEffect => ({ type: 'set_remedy_status', from, to });

// ---- Transitions ------------------------------------------------------------------------------

export interface TransitionRequest {
  action: CaseAction;
  /** The state the user saw: the transition fails if the case moved. */
  expectedStatus: CaseState;
  reason?: string | null;
  panelSize?: 1 | 3;
}

export interface TransitionSubject {
  status: CaseState;
  role: Role;
  facts: LifecycleFacts;
  /** A ruling is recorded on the open arbitration; read by record_ruling only, so gathered for it only. */
  rulingRecorded?: boolean;
}

export interface TransitionPlan {
  from: CaseState;
  next: CaseState;
  /** The reason given, trimmed; null when blank. */
  reason: string | null;
  clock: ClockEffect[];
  /** Where a paused case returns to: set when it starts waiting, cleared otherwise. */
  resumeStatus: CaseState | null;
  closes: boolean;
  archives: boolean;
  effects: CaseSideEffect[];
}

/** Set by the lifecycle for the actions that need one, so present wherever it is read. */
const given = (reason: string | null): string => reason ?? '';

/** The side effects of an allowed transition, or null when they need values still unknown. */
function transitionEffects(action: CaseAction, reason: string | null, panelSize: 1 | 3 | undefined, facts: LifecycleFacts): CaseSideEffect[] | null {
  switch (action) {
    case 'request_approval':
      // The request records the total it covers and the threshold it was measured against.
      return facts.usdTotal.known && facts.thresholdUsd.known ? [{ type: 'open_approval', usdTotal: facts.usdTotal.value, thresholdUsd: facts.thresholdUsd.value }] : null;
    case 'approve':
      return [{ type: 'decide_approval', decision: 'approved', reason }, remedies(['draft', 'approved'], 'proposed')];
    case 'decline_approval':
      return [{ type: 'decide_approval', decision: 'declined', reason }];
    case 'propose_resolution':
      return [remedies(['draft', 'approved'], 'proposed')];
    case 'accept_resolution':
      return [remedies(['proposed'], 'accepted')];
    case 'object':
      // 异议: the proposal falls, the case goes back to assessment for re-evaluation.
      return [{ type: 'record_objection', reason: given(reason) }, remedies(['proposed'], 'superseded')];
    case 'escalate_mediation':
      return [
        { type: 'close_open_escalations', outcome: 'superseded' },
        { type: 'open_escalation', kind: 'mediation', panelSize: 1, reason: given(reason) },
        remedies(['proposed'], 'superseded'),
      ];
    case 'escalate_arbitration':
      return [
        { type: 'close_open_escalations', outcome: 'escalated_to_arbitration' },
        { type: 'open_escalation', kind: 'arbitration', panelSize: panelSize ?? 1, reason: given(reason) },
        remedies(['proposed'], 'superseded'),
      ];
    case 'record_settlement':
      return [{ type: 'close_open_escalations', outcome: 'settled' }];
    case 'record_impasse':
      return [
        { type: 'close_open_escalations', outcome: 'impasse' },
        { type: 'open_escalation', kind: 'arbitration', panelSize: panelSize ?? 1, reason: given(reason) },
      ];
    case 'record_ruling':
      return [{ type: 'close_open_escalations', outcome: 'ruled' }];
    case 'complete_execution':
      return [remedies(['accepted'], 'executed')];
    default:
      return [];
  }
}

/**
 * A lifecycle transition: the case must be in the state the user saw, the lifecycle must allow it
 * (shared/lifecycle decide), four-eyes covers everyone who drafted the money, and a ruling is
 * recorded before record_ruling. Then: the next state, the clock, the case's own changes and the
 * side effects.
 */
export function planTransition(subject: TransitionSubject, request: TransitionRequest): Verdict<TransitionPlan> {
  const { status, role, facts } = subject;
  // An offline edit never lands on a case that moved.
  if (status !== request.expectedStatus) return refused('conflict', 'error.case_moved', 'expectedStatus', { status });
  const reason = request.reason?.trim() || null;
  const lifecycle = lifecycleDecision(status, request.action, role, facts, reason);
  if (lifecycle.verdict === 'refused') return lifecycle;
  if (request.action === 'approve' && facts.draftProposerIds.includes(facts.certain.actorId)) return { verdict: 'refused', refusal: lifecycleRefusal('four_eyes') };
  // A binding ruling is a record of its own (escalations recordRuling): never a bare status change.
  if (request.action === 'record_ruling' && subject.rulingRecorded !== true) return refused('conflict', 'case.ruling_required', 'action');
  if (lifecycle.verdict === 'unknown') return lifecycle;

  const { decision } = lifecycle;
  const effects = transitionEffects(request.action, reason, request.panelSize, facts);
  if (effects === null) return { verdict: 'unknown', needs: needsOf(facts.usdTotal, facts.thresholdUsd) };

  const clock: ClockEffect[] = [];
  if (decision.pausesClock) clock.push({ type: 'pause' });
  if (decision.resumesClock) clock.push({ type: 'resume' });
  if (decision.firstResponse) clock.push({ type: 'first_response' });
  if (RESOLVED_STATES.includes(decision.next)) clock.push({ type: 'resolution' });
  return allowed({
    from: status,
    next: decision.next,
    reason,
    clock,
    resumeStatus: decision.next === 'awaiting_material' || decision.next === 'awaiting_third_party' ? status : null,
    closes: decision.next === 'closed',
    archives: decision.next === 'archived',
    effects,
  });
}

// ---- The work recorded on a case --------------------------------------------------------------

/** Notes, consultations, communications and field edits are added to any case not archived. */
export function planCaseWork(status: CaseState): Verdict<object> {
  return status === 'archived' ? refused('conflict', 'case.archived', 'caseId') : allowed({});
}

/** A communication; the first outbound one is the first response the SLA measures. */
export function planCommunication(c: { status: CaseState; firstResponded: boolean }, direction: string): Verdict<{ clock: ClockEffect[] }> {
  const open = planCaseWork(c.status);
  if (open.verdict !== 'allowed') return open;
  return allowed({ clock: direction === 'outbound' && !c.firstResponded ? [{ type: 'first_response' } as const] : [] });
}

export function planConsultationAnswer(consultation: { answered: boolean }): Verdict<object> {
  return consultation.answered ? refused('conflict', 'case.consultation_already_answered', 'consultationId') : allowed({});
}

const ASSESSMENT_OPEN: readonly CaseState[] = ['investigation', 'assessment'];

/** A new assessment supersedes the current one; a third-party kind is kept only with a third-party share. */
export function planAssessment(status: CaseState, input: { thirdPartyShare: string; thirdPartyKind?: string }): Verdict<{ thirdPartyKind: string | null }> {
  if (!ASSESSMENT_OPEN.includes(status)) return refused('conflict', 'case.assessment_not_open', 'caseId', { status });
  return allowed({ thirdPartyKind: new Money(input.thirdPartyShare).isZero() ? null : (input.thirdPartyKind ?? 'other') });
}

/**
 * A remedy drafted in assessment, valued in USD at `usdRate` (the asset's rate now: known, known
 * to be missing, or unknown to the workstation). An unknown rate still drafts it, its value unknown.
 */
export function planRemedy(
  status: CaseState,
  input: { kind: string; asset?: string; amount?: string },
  usdRate: Knowable<string | null>,
): Verdict<{ usdValue: Knowable<string | null>; effects: CaseSideEffect[] }> {
  if (status !== 'assessment') return refused('conflict', 'case.remedy_not_open', 'caseId', { status });
  let usdValue: Knowable<string | null> = known(null);
  if (input.asset && input.amount) {
    if (!usdRate.known) usdValue = usdRate;
    else if (usdRate.value === null) return refused('bad_input', 'case.asset_rate_unknown', 'asset', { asset: input.asset });
    else {
      const value = toUsd(input.amount, usdRate.value);
      if (new Money(value).gte(USD_VALUE_LIMIT)) return refused('bad_input', 'intake.amount_value_too_large', 'amount');
      usdValue = known(value);
    }
  }
  // A new monetary remedy after an approval needs approving again: approvals cover what was seen.
  const effects: CaseSideEffect[] = MONETARY.includes(input.kind) ? [{ type: 'set_remedy_status', from: ['approved'], to: 'draft', kinds: MONETARY }] : [];
  return allowed({ usdValue, effects });
}

export function planRemedyWithdrawal(status: CaseState, remedyStatus: string): Verdict<object> {
  return status === 'assessment' && IN_PLAY.includes(remedyStatus) ? allowed({}) : refused('conflict', 'case.remedy_not_withdrawable', 'remedyId');
}

const CLASSIFICATION_OPEN: readonly CaseState[] = ['received', 'initial_review', 'investigation', 'awaiting_material'];

/** A classification, until investigation ends; the open deadlines follow the new tier and priority's policy. */
export function planClassification(status: CaseState, input: { tier: Tier; priority: Priority }, policies: readonly SlaPolicy[]): Verdict<{ clock: ClockEffect[] }> {
  if (!CLASSIFICATION_OPEN.includes(status)) return refused('conflict', 'case.classification_closed', 'caseId', { status });
  return allowed({ clock: [{ type: 'reprioritize', policy: policyFor(policies, input.tier, input.priority) } as const] });
}

const SATISFACTION_OPEN: readonly CaseState[] = ['follow_up', 'closed'];

export function planSatisfaction(status: CaseState): Verdict<object> {
  return SATISFACTION_OPEN.includes(status) ? allowed({}) : refused('conflict', 'case.satisfaction_not_open', 'caseId', { status });
}

export const CASE_FIELDS = ['handler_summary', 'next_action', 'urgent'] as const;
export type CaseFieldEdits = { handler_summary?: string; next_action?: string; urgent?: boolean };
export interface FieldChange {
  field: (typeof CASE_FIELDS)[number];
  from: unknown;
  to: string | boolean;
}

/** Field edits: last writer wins per field; only real changes count, each with the value it replaces. */
export function planCaseFieldEdits(c: { status: CaseState } & Partial<Record<(typeof CASE_FIELDS)[number], unknown>>, edits: CaseFieldEdits): Verdict<{ changes: FieldChange[] }> {
  const open = planCaseWork(c.status);
  if (open.verdict !== 'allowed') return open;
  const changes: FieldChange[] = [];
  // In the order the edit gives them: the timeline lists them so.
  for (const [field, to] of Object.entries(edits) as [FieldChange['field'], string | boolean | undefined][]) {
    if (!CASE_FIELDS.includes(field) || to === undefined) continue;
    if (c[field] !== to) changes.push({ field, from: c[field], to });
  }
  return allowed({ changes });
}
