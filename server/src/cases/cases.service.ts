// Case handling: reading, classifying, assigning, moving through the lifecycle, and the work
// recorded on the way. Every write is one transaction with its timeline event and audit entry.
import { transact } from '../db/transaction';
import type { DB } from '../db/database';
import type { CaseRow } from '../db/schema';
import type { ServiceContext, UserActor } from '../context';
import { audit, auditRead } from '../audit/audit.service';
import { AppError, badInput, conflict, forbidden } from '../../../shared/errors';
import {
  allowedActions,
  allowedOrThrow,
  applyClockEffects,
  known,
  knownValue,
  lifecycleFacts,
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
  type CaseFieldEdits,
  type CaseSideEffect,
  type LifecycleFacts,
  type TransitionPlan,
} from '../../../shared/case-mutations';
import {
  EXTERNAL_ROLES,
  type CaseAction,
  type CaseState,
  type Category,
  type Priority,
  type Subcategory,
  type Tier,
} from '../../../shared/domain';
import { slaStatus } from '../../../shared/sla';
import { Money } from '../../../shared/money';
import { canSeeCase, caseVisibility, type CaseScope } from '../auth/policy';
import { ESCALATION_KIND_OF, isMemberRole } from '../../../shared/rulings';
import { clockColumns, clockOf } from './case-clock';
import { approvalThresholdUsd } from '../rules/rules.service';
import { loadSlaPolicies, usdRateAt, getSetting, SETTINGS } from '../rules/rules.repository';
import {
  caseAmounts,
  caseEvents,
  complainantOf,
  complainantPii,
  findCase,
  findCaseForUpdate,
  findComplainantByExchangeUid,
  hasRelation,
  insertEvent,
  listCases,
  lockOpenCasesOfHandler,
  slaDueCases,
  updateCase,
} from './cases.repository';
import { findUserRole, teamExists } from '../admin/users.repository';
import { teamIdsOf } from '../auth/session.repository';
import * as work from './case-work.repository';
import { acceptedMemberIds, hasAcceptedSeatOnOpen, openEscalationHasRuling } from '../escalations/escalations.repository';

type Ctx = ServiceContext & { actor: UserActor };

/** What decides who sees the case; for an arbitrator or mediator, the accepted seats on its escalations. */
async function scopeOf(db: DB, ctx: Ctx, c: CaseRow): Promise<CaseScope> {
  if (!EXTERNAL_ROLES.includes(ctx.actor.role)) return c;
  return { team_id: c.team_id, assignee_id: c.assignee_id, accepted_external_ids: await acceptedMemberIds(db, c.id) };
}

/** A case the actor may see, or not_found (never a hint that an invisible case exists). */
export async function visibleCase(db: DB, ctx: Ctx, caseId: string): Promise<CaseRow> {
  const c = await findCase(db, caseId);
  if (!c || !canSeeCase(ctx.actor, await scopeOf(db, ctx, c))) throw new AppError('not_found', 'error.case_not_found', { field: 'caseId' });
  return c;
}

export async function lockedVisibleCase(trx: DB, ctx: Ctx, caseId: string): Promise<CaseRow> {
  const c = await findCaseForUpdate(trx, caseId);
  if (!c || !canSeeCase(ctx.actor, await scopeOf(trx, ctx, c))) throw new AppError('not_found', 'error.case_not_found', { field: 'caseId' });
  // 回避制度: a handler related to the complainant does not work on the case, assigned or not.
  if (await hasRelation(trx, ctx.actor.userId, c.complainant_id)) throw conflict('case.recusal_conflict', 'caseId');
  return c;
}

function assertOpen(c: CaseRow) {
  allowedOrThrow(planCaseWork(c.status as CaseState));
}

async function event(trx: DB, ctx: Ctx, c: { id: string }, type: string, payload: Record<string, unknown> = {}) {
  await insertEvent(trx, { case_id: c.id, type, actor_id: ctx.actor.userId, at: new Date(), payload });
  await audit(trx, ctx, { action: type, caseId: c.id, entity: 'cases', entityId: c.id, details: payload });
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function listVisibleCases(db: DB, ctx: Ctx, f: { status?: string[]; category?: string; tier?: string; assigneeId?: string; search?: string; limit: number; offset: number }) {
  const visibility = caseVisibility(ctx.actor);
  const [{ total, totalCapped, rows }, atRisk] = await Promise.all([listCases(db, { visibility, ...f }), getSetting(db, SETTINGS.atRiskMinutes, 60)]);
  const now = new Date();
  return {
    total,
    totalCapped,
    cases: rows.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      status: r.status,
      category: r.category,
      subcategory: r.subcategory,
      channel: r.channel,
      tier: r.tier,
      priority: r.priority,
      usdEquivalent: new Money(r.usd_equivalent).toFixed(),
      teamId: r.team_id,
      assigneeId: r.assignee_id,
      receivedAt: r.received_at,
      complainantUid: r.exchange_uid,
      vipLevel: r.vip_level,
      sla: slaStatus(
        {
          startedAt: r.received_at,
          firstResponseDueAt: r.first_response_due_at,
          resolutionDueAt: r.resolution_due_at,
          pausedAt: r.sla_paused_at,
          pausedTotalMs: 0,
          firstRespondedAt: r.first_responded_at,
          resolvedAt: r.resolved_at,
        },
        now,
        atRisk,
      ),
    })),
  };
}

export async function getCaseDetail(db: DB, ctx: Ctx, caseId: string) {
  const c = await visibleCase(db, ctx, caseId);
  const [amounts, complainant, assessment, remedies, approvals, objections, escalations, notes, consultations, communications, atRisk] = await Promise.all([
    caseAmounts(db, c.id),
    complainantOf(db, c.complainant_id),
    work.currentAssessment(db, c.id),
    work.remediesOf(db, c.id),
    work.approvalsOf(db, c.id),
    work.objectionsOf(db, c.id),
    work.escalationsOf(db, c.id),
    work.notesOf(db, c.id),
    work.consultationsOf(db, c.id),
    work.communicationsOf(db, c.id),
    getSetting(db, SETTINGS.atRiskMinutes, 60),
  ]);
  const facts = await gatherFacts(db, ctx, c);
  const dec = (v: string | null) => (v === null ? null : new Money(v).toFixed());
  return {
    id: c.id,
    caseNumber: c.case_number,
    externalRef: c.external_ref,
    channel: c.channel,
    category: c.category,
    subcategory: c.subcategory,
    description: c.description,
    language: c.language,
    status: c.status,
    resumeStatus: c.resume_status,
    tier: c.tier,
    priority: c.priority,
    urgent: c.urgent,
    usdEquivalent: dec(c.usd_equivalent),
    teamId: c.team_id,
    assigneeId: c.assignee_id,
    occurredAt: c.occurred_at,
    receivedAt: c.received_at,
    closedAt: c.closed_at,
    archivedAt: c.archived_at,
    satisfaction: c.satisfaction_score === null ? null : { score: c.satisfaction_score, comment: c.satisfaction_comment },
    complainant: { id: complainant.id, exchangeUid: complainant.exchange_uid, vipLevel: complainant.vip_level, region: complainant.region, language: complainant.language },
    amounts: amounts.map((a) => ({ asset: a.asset, amount: dec(a.amount)!, usdRate: dec(a.usd_rate), usdValue: dec(a.usd_value) })),
    sla: { ...slaStatus(clockOf(c), new Date(), atRisk), firstResponseDueAt: c.first_response_due_at, resolutionDueAt: c.resolution_due_at, pausedAt: c.sla_paused_at },
    assessment: assessment && {
      id: assessment.id,
      platformShare: dec(assessment.platform_share),
      userShare: dec(assessment.user_share),
      thirdPartyShare: dec(assessment.third_party_share),
      thirdPartyKind: assessment.third_party_kind,
      findings: assessment.findings,
      authorId: assessment.author_id,
      createdAt: assessment.created_at,
    },
    remedies: remedies.map((r) => ({ id: r.id, kind: r.kind, asset: r.asset, amount: dec(r.amount), usdValue: dec(r.usd_value), details: r.details, status: r.status, proposedBy: r.proposed_by, createdAt: r.created_at })),
    approvals: approvals.map((a) => ({ id: a.id, requestedBy: a.requested_by, requestedAt: a.requested_at, usdTotal: dec(a.usd_total), thresholdUsd: dec(a.threshold_usd), decision: a.decision, decidedBy: a.decided_by, decidedAt: a.decided_at, reason: a.reason })),
    objections: objections.map((o) => ({ id: o.id, reason: o.reason, recordedBy: o.recorded_by, at: o.at })),
    escalations: escalations.map((e) => ({ id: e.id, kind: e.kind, status: e.status, panelSize: e.panel_size, reason: e.reason, outcome: e.outcome, createdAt: e.created_at, closedAt: e.closed_at })),
    notes: notes.map((n) => ({ id: n.id, body: n.body, authorId: n.author_id, authorName: n.author_name, createdAt: n.created_at })),
    consultations: consultations.map((q) => ({ id: q.id, team: q.team, question: q.question, askedBy: q.asked_by, askedAt: q.asked_at, answer: q.answer, answeredBy: q.answered_by, answeredAt: q.answered_at })),
    communications: communications.map((m) => ({ id: m.id, direction: m.direction, channel: m.channel, body: m.body, recordedBy: m.recorded_by, at: m.at })),
    availableActions: allowedActions(c.status as CaseState, ctx.actor.role, facts),
  };
}

export async function getTimeline(db: DB, ctx: Ctx, caseId: string) {
  const c = await visibleCase(db, ctx, caseId);
  const events = await caseEvents(db, c.id);
  return events.map((e) => ({ id: e.id, type: e.type, at: e.at, actorId: e.actor_id, actorName: e.actor_name, payload: e.payload }));
}

/** PII is read on purpose, one case at a time, and every read is on the audit chain. */
export async function readComplainantPii(db: DB, ctx: Ctx, caseId: string) {
  const c = await visibleCase(db, ctx, caseId);
  const pii = await complainantPii(db, c.complainant_id);
  await auditRead(db, ctx, { action: 'pii.read', caseId: c.id, entity: 'complainant_pii', entityId: c.complainant_id });
  return { name: pii?.name ?? null, email: pii?.email ?? null, phone: pii?.phone ?? null, idDocumentNumber: pii?.id_document_number ?? null };
}

// ---------------------------------------------------------------------------------------------
// Classification and assignment

export async function classifyCase(
  db: DB,
  ctx: Ctx,
  input: { caseId: string; category: Category; subcategory: Subcategory; tier: Tier; priority: Priority; urgent?: boolean; overrideReason?: string },
) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    const plan = allowedOrThrow(planClassification(c.status as CaseState, input, await loadSlaPolicies(trx)));
    const clock = applyClockEffects(clockOf(c), plan.clock, new Date());
    const before = { category: c.category, subcategory: c.subcategory, tier: c.tier, priority: c.priority, urgent: c.urgent };
    const after = { category: input.category, subcategory: input.subcategory, tier: input.tier, priority: input.priority, urgent: input.urgent ?? c.urgent };
    await updateCase(trx, c.id, { ...after, first_response_due_at: clock.firstResponseDueAt, resolution_due_at: clock.resolutionDueAt });
    await event(trx, ctx, c, 'case.classified', input.overrideReason ? { before, after, overrideReason: input.overrideReason } : { before, after });
    return { ok: true as const };
  });
}

export async function assignCase(db: DB, ctx: Ctx, input: { caseId: string; assigneeId: string; teamId?: string }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    assertOpen(c);
    const assignee = await findUserRole(trx, input.assigneeId);
    if (!assignee || assignee.disabled_at) throw badInput('error.user_not_found', 'assigneeId');
    if (!['specialist', 'legal', 'supervisor'].includes(assignee.role)) throw badInput('case.assignee_not_handler', 'assigneeId');
    // 回避制度: a handler related to the complainant is recused.
    if (await hasRelation(trx, assignee.id, c.complainant_id)) throw conflict('case.recusal_conflict', 'assigneeId');
    const memberOf = await teamIdsOf(trx, assignee.id);
    const teamId = input.teamId ?? c.team_id ?? memberOf[0] ?? null;
    if (input.teamId && !(await teamExists(trx, input.teamId))) throw badInput('error.team_not_found', 'teamId');
    if (teamId && assignee.role !== 'legal' && !memberOf.includes(teamId)) throw badInput('case.assignee_not_in_team', 'assigneeId');
    // A supervisor assigns within their own teams (or from the unassigned queue into one of them).
    if (teamId && !ctx.actor.teamIds.includes(teamId)) throw forbidden('case.assign_outside_team');
    await updateCase(trx, c.id, { assignee_id: assignee.id, team_id: teamId });
    await event(trx, ctx, c, 'case.assigned', { from: c.assignee_id, to: assignee.id, teamId });
    return { ok: true as const };
  });
}

/** Records a relation between a handler and a complainant; open cases it touches lose that handler. */
export async function recordRelation(db: DB, ctx: Ctx, input: { userId: string; exchangeUid: string; relation: string }) {
  return transact(db, async (trx) => {
    const user = await findUserRole(trx, input.userId);
    if (!user) throw badInput('error.user_not_found', 'userId');
    const complainant = await findComplainantByExchangeUid(trx, input.exchangeUid);
    if (!complainant) throw badInput('case.complainant_not_found', 'exchangeUid');
    const rel = await work.insertRelation(trx, { user_id: user.id, complainant_id: complainant.id, relation: input.relation, recorded_by: ctx.actor.userId });
    await audit(trx, ctx, { action: 'recusal.recorded', entity: 'handler_relations', entityId: rel.id, details: { userId: user.id, complainantId: complainant.id } });
    const affected = await lockOpenCasesOfHandler(trx, complainant.id, user.id);
    for (const a of affected) {
      await updateCase(trx, a.id, { assignee_id: null });
      await event(trx, ctx, a, 'case.recused', { userId: user.id });
    }
    return { id: rel.id, unassignedCases: affected.length };
  });
}

// ---------------------------------------------------------------------------------------------
// The lifecycle

async function gatherFacts(db: DB, ctx: Ctx, c: CaseRow): Promise<LifecycleFacts> {
  const role = ctx.actor.role;
  const [assessment, remedies, classified, pending, threshold, externalAssigned] = await Promise.all([
    work.currentAssessment(db, c.id),
    work.remediesOf(db, c.id),
    work.hasEvent(db, c.id, 'case.classified'),
    work.pendingApproval(db, c.id),
    approvalThresholdUsd(db),
    // An arbitrator acts on an open arbitration, a mediator on an open mediation, from an accepted seat.
    isMemberRole(role) ? hasAcceptedSeatOnOpen(db, c.id, ctx.actor.userId, ESCALATION_KIND_OF[role]) : Promise.resolve(false),
  ]);
  // The server knows every value: a remedy without a USD value counts as none.
  return lifecycleFacts({
    actorId: ctx.actor.userId,
    assigneeId: c.assignee_id,
    resumeStatus: c.resume_status,
    // Intake classifies by rule; a person confirms (or corrects) it in initial review before accepting.
    classified,
    hasAssessment: !!assessment,
    remedies: remedies.map((r) => ({ kind: r.kind, status: r.status, usdValue: known(r.usd_value ?? '0'), proposedBy: r.proposed_by })),
    approvalRequestedBy: pending?.requested_by ?? null,
    approvalThresholdUsd: known(threshold),
    externalAssigned,
  });
}

export interface TransitionInput {
  caseId: string;
  action: CaseAction;
  expectedStatus: CaseState;
  reason?: string;
  panelSize?: 1 | 3;
}

export async function transitionCase(db: DB, ctx: Ctx, input: TransitionInput) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    const status = c.status as CaseState;
    const plan = allowedOrThrow(
      planTransition(
        {
          status,
          role: ctx.actor.role,
          facts: await gatherFacts(trx, ctx, c),
          rulingRecorded: input.action === 'record_ruling' && status === input.expectedStatus ? await openEscalationHasRuling(trx, c.id, 'arbitration') : undefined,
        },
        input,
      ),
    );
    const now = new Date();
    const patch: Parameters<typeof updateCase>[2] = { status: plan.next, ...clockColumns(applyClockEffects(clockOf(c), plan.clock, now)), resume_status: plan.resumeStatus };
    if (plan.closes) patch.closed_at = now;
    if (plan.archives) patch.archived_at = now;

    const payload: Record<string, unknown> = { action: input.action, from: c.status, to: plan.next, ...(plan.reason ? { reason: plan.reason } : {}) };
    await applySideEffects(trx, ctx, c, plan, now, payload);
    const updated = await updateCase(trx, c.id, patch);
    await event(trx, ctx, c, 'case.transition', payload);
    return { status: updated.status as CaseState };
  });
}

/** Applies the plan's side effects in order; the timeline payload names the records they create. */
async function applySideEffects(trx: DB, ctx: Ctx, c: CaseRow, plan: Pick<TransitionPlan, 'effects'>, now: Date, payload: Record<string, unknown>) {
  for (const effect of plan.effects) await applySideEffect(trx, ctx, c, effect, now, payload);
}

async function applySideEffect(trx: DB, ctx: Ctx, c: CaseRow, effect: CaseSideEffect, now: Date, payload: Record<string, unknown>) {
  const userId = ctx.actor.userId;
  switch (effect.type) {
    case 'open_approval': {
      const approval = await work.insertApproval(trx, { case_id: c.id, requested_by: userId, usd_total: effect.usdTotal, threshold_usd: effect.thresholdUsd });
      payload.approvalId = approval.id;
      payload.usdTotal = effect.usdTotal;
      return;
    }
    case 'decide_approval': {
      const pending = await work.pendingApproval(trx, c.id);
      if (pending) {
        await work.decideApproval(trx, pending.id, { decision: effect.decision, decided_by: userId, decided_at: now, reason: effect.reason });
        payload.approvalId = pending.id;
      }
      return;
    }
    case 'set_remedy_status':
      await work.setRemedyStatus(trx, c.id, effect.from, effect.to, effect.kinds);
      return;
    case 'record_objection': {
      const objection = await work.insertObjection(trx, { case_id: c.id, reason: effect.reason, recorded_by: userId });
      payload.objectionId = objection.id;
      return;
    }
    case 'close_open_escalations':
      await work.closeOpenEscalations(trx, c.id, effect.outcome, now);
      return;
    case 'open_escalation': {
      const esc = await work.insertEscalation(trx, { case_id: c.id, kind: effect.kind, panel_size: effect.panelSize, reason: effect.reason, created_by: userId });
      payload.escalationId = esc.id;
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Work recorded on a case

export async function addNote(db: DB, ctx: Ctx, input: { caseId: string; body: string; id?: string }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    assertOpen(c);
    const note = await work.insertNote(trx, { id: input.id, case_id: c.id, author_id: ctx.actor.userId, body: input.body });
    await event(trx, ctx, c, 'note.added', { noteId: note.id });
    return { id: note.id };
  });
}

export async function addConsultation(db: DB, ctx: Ctx, input: { caseId: string; team: string; question: string; id?: string }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    assertOpen(c);
    const q = await work.insertConsultation(trx, { id: input.id, case_id: c.id, team: input.team, question: input.question, asked_by: ctx.actor.userId });
    await event(trx, ctx, c, 'consultation.asked', { consultationId: q.id, team: input.team });
    return { id: q.id };
  });
}

export async function answerConsultation(db: DB, ctx: Ctx, input: { consultationId: string; answer: string }) {
  return transact(db, async (trx) => {
    const q = await work.findConsultationForUpdate(trx, input.consultationId);
    if (!q) throw new AppError('not_found', 'case.consultation_not_found', { field: 'consultationId' });
    const c = await lockedVisibleCase(trx, ctx, q.case_id);
    allowedOrThrow(planConsultationAnswer({ answered: q.answer !== null }));
    await work.answerConsultation(trx, q.id, { answer: input.answer, answered_by: ctx.actor.userId, answered_at: new Date() });
    await event(trx, ctx, c, 'consultation.answered', { consultationId: q.id, team: q.team });
    return { ok: true as const };
  });
}

export async function logCommunication(db: DB, ctx: Ctx, input: { caseId: string; direction: 'inbound' | 'outbound'; channel: string; body: string; id?: string }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    // The first word to the complainant is the first response the SLA measures.
    const plan = allowedOrThrow(planCommunication({ status: c.status as CaseState, firstResponded: c.first_responded_at !== null }, input.direction));
    const now = new Date();
    const m = await work.insertCommunication(trx, { id: input.id, case_id: c.id, direction: input.direction, channel: input.channel, body: input.body, recorded_by: ctx.actor.userId, at: now });
    if (plan.clock.length > 0) await updateCase(trx, c.id, clockColumns(applyClockEffects(clockOf(c), plan.clock, now)));
    await event(trx, ctx, c, 'communication.logged', { communicationId: m.id, direction: input.direction, channel: input.channel });
    return { id: m.id };
  });
}

export interface AssessmentInput {
  caseId: string;
  platformShare: string;
  userShare: string;
  thirdPartyShare: string;
  thirdPartyKind?: string;
  findings: string;
}

export async function setAssessment(db: DB, ctx: Ctx, input: AssessmentInput) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    const plan = allowedOrThrow(planAssessment(c.status as CaseState, input));
    const before = await work.currentAssessment(trx, c.id);
    const now = new Date();
    await work.supersedeAssessment(trx, c.id, now);
    const a = await work.insertAssessment(trx, {
      case_id: c.id,
      platform_share: input.platformShare,
      user_share: input.userShare,
      third_party_share: input.thirdPartyShare,
      third_party_kind: plan.thirdPartyKind,
      findings: input.findings,
      author_id: ctx.actor.userId,
    });
    // The timeline keeps what the new assessment replaced.
    await event(trx, ctx, c, 'assessment.set', {
      assessmentId: a.id,
      shares: { platform: input.platformShare, user: input.userShare, thirdParty: input.thirdPartyShare },
      ...(before ? { replaced: { assessmentId: before.id, shares: { platform: before.platform_share, user: before.user_share, thirdParty: before.third_party_share }, findings: before.findings } } : {}),
    });
    return { id: a.id };
  });
}

export async function proposeRemedy(db: DB, ctx: Ctx, input: { caseId: string; kind: string; asset?: string; amount?: string; details: string }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    const rate = c.status === 'assessment' && input.asset && input.amount ? await usdRateAt(trx, input.asset, new Date()) : null;
    const plan = allowedOrThrow(planRemedy(c.status as CaseState, input, known(rate)));
    const usdValue = knownValue(plan.usdValue);
    const r = await work.insertRemedy(trx, {
      case_id: c.id,
      kind: input.kind,
      asset: input.asset ?? null,
      amount: input.amount ?? null,
      usd_value: usdValue,
      details: input.details,
      proposed_by: ctx.actor.userId,
    });
    await applySideEffects(trx, ctx, c, plan, new Date(), {});
    await event(trx, ctx, c, 'remedy.drafted', { remedyId: r.id, kind: input.kind, asset: input.asset ?? null, amount: input.amount ?? null, usdValue });
    return { id: r.id, usdValue };
  });
}

export async function withdrawRemedy(db: DB, ctx: Ctx, input: { remedyId: string }) {
  return transact(db, async (trx) => {
    const r = await work.findRemedyForUpdate(trx, input.remedyId);
    if (!r) throw new AppError('not_found', 'case.remedy_not_found', { field: 'remedyId' });
    const c = await lockedVisibleCase(trx, ctx, r.case_id);
    allowedOrThrow(planRemedyWithdrawal(c.status as CaseState, r.status));
    await work.updateRemedyStatus(trx, r.id, 'withdrawn');
    await event(trx, ctx, c, 'remedy.withdrawn', { remedyId: r.id, kind: r.kind });
    return { ok: true as const };
  });
}

export async function recordSatisfaction(db: DB, ctx: Ctx, input: { caseId: string; score: number; comment?: string }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    allowedOrThrow(planSatisfaction(c.status as CaseState));
    await updateCase(trx, c.id, { satisfaction_score: input.score, satisfaction_comment: input.comment ?? null });
    await event(trx, ctx, c, 'satisfaction.recorded', { score: input.score, ...(c.satisfaction_score !== null ? { replacedScore: c.satisfaction_score } : {}) });
    return { ok: true as const };
  });
}

/** Cases whose deadlines fall within `withinMinutes`, and those already breached, among the visible ones. */
export async function slaDueSoon(db: DB, ctx: Ctx, input: { withinMinutes: number }) {
  const now = new Date();
  const horizon = new Date(now.getTime() + input.withinMinutes * 60_000);
  const rows = await slaDueCases(db, caseVisibility(ctx.actor), horizon);
  const dueSoon = [];
  const breached = [];
  for (const r of rows) {
    const deadline = r.first_responded_at === null && r.first_response_due_at < r.resolution_due_at ? ('first_response' as const) : ('resolution' as const);
    const dueAt = deadline === 'first_response' ? r.first_response_due_at : r.resolution_due_at;
    const frBreached = r.first_responded_at === null && r.first_response_due_at <= now;
    const item = { id: r.id, caseNumber: r.case_number, status: r.status, tier: r.tier, priority: r.priority, deadline, dueAt, assigneeId: r.assignee_id };
    if (frBreached || r.resolution_due_at <= now) breached.push({ ...item, deadline: frBreached ? ('first_response' as const) : ('resolution' as const) });
    else dueSoon.push(item);
  }
  return { dueSoon, breached };
}

export type { CaseFieldEdits };

/** Field edits: the last writer wins per field, and the timeline keeps the value each edit replaced. */
export async function updateCaseFields(db: DB, ctx: Ctx, input: { caseId: string; fields: CaseFieldEdits }) {
  return transact(db, async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    const { changes } = allowedOrThrow(planCaseFieldEdits({ ...c, status: c.status as CaseState }, input.fields));
    if (changes.length === 0) return { changed: 0 };
    await updateCase(trx, c.id, Object.fromEntries(changes.map((ch) => [ch.field, ch.to])));
    await event(trx, ctx, c, 'case.fields_updated', { changes });
    return { changed: changes.length };
  });
}
