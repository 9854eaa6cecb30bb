// Escalations after they open: legal or a supervisor seats arbitrators or mediators; each member
// discloses conflicts, then accepts or declines (an arbitrator sees the case only once accepted);
// a member on an accepted seat records the ruling, which moves the case through the lifecycle's own
// transition (an award: arbitration → execution); every accepted member signs it once, with a hash
// anyone holding the case can recompute; panel members add dissents and addenda.
// Every write is one transaction with its timeline event and audit entry.
import { transact } from '../db/transaction';
import type { DB } from '../db/database';
import type { CaseRow } from '../db/schema';
import type { ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { AppError, badInput, conflict } from '../../../shared/errors';
import { PANEL_SEATS, type CaseState, type EscalationKind } from '../../../shared/domain';
import {
  MEMBER_ROLE_OF,
  rulingAction,
  rulingSignatureHash,
  verifyRulingSignature,
  type MemberSeat,
  type OpinionKind,
  type RulingKind,
} from '../../../shared/rulings';
import { findCaseForUpdate, hasRelation, insertEvent } from '../cases/cases.repository';
import { findUserRole } from '../admin/users.repository';
import * as repo from './escalations.repository';
import { lockedVisibleCase, transitionCase, visibleCase } from '../cases/cases.service';
import { amountBand, complainantPseudonym, seatRespondBy } from '../../../shared/seat-summary';

type Ctx = ServiceContext & { actor: UserActor };

const notFoundEscalation = () => new AppError('not_found', 'case.escalation_not_found', { field: 'escalationId' });
const notFoundMember = () => new AppError('not_found', 'case.member_not_found', { field: 'memberId' });
const notFoundRuling = () => new AppError('not_found', 'case.ruling_not_found', { field: 'rulingId' });

/** The timeline event and the audit entry of one write, in its transaction. */
async function record(trx: DB, ctx: Ctx, caseId: string, type: string, entity: { name: string; id: string }, payload: Record<string, unknown>) {
  await insertEvent(trx, { case_id: caseId, type, actor_id: ctx.actor.userId, at: new Date(), payload });
  await audit(trx, ctx, { action: type, caseId, entity: entity.name, entityId: entity.id, details: payload });
}

function assertOpen(e: { status: string }, field: string) {
  if (e.status !== 'open') throw conflict('case.escalation_closed', field);
}

// ---------------------------------------------------------------------------------------------
// Seats

export interface AssignMemberInput {
  escalationId: string;
  userId: string;
  seat?: MemberSeat | null;
}

/** Legal or a supervisor gives a seat on an open escalation to an arbitrator or mediator. */
export async function assignMember(db: DB, ctx: Ctx, input: AssignMemberInput) {
  return transact(db, async (trx) => {
    const found = await repo.findEscalation(trx, input.escalationId);
    if (!found) throw notFoundEscalation();
    // The case first, as every writer to a case does, then the escalation (seats one at a time).
    const c = await lockedVisibleCase(trx, ctx, found.case_id).catch((error: unknown) => {
      throw error instanceof AppError && error.kind === 'not_found' ? notFoundEscalation() : error;
    });
    if (c.status === 'archived') throw conflict('case.archived', 'escalationId');
    const esc = await repo.lockEscalation(trx, found.id);
    assertOpen(esc, 'escalationId');

    const user = await findUserRole(trx, input.userId);
    if (!user || user.disabled_at) throw badInput('error.user_not_found', 'userId');
    const role = MEMBER_ROLE_OF[esc.kind as EscalationKind];
    if (user.role !== role) throw badInput('case.member_role_mismatch', 'userId');
    // 回避制度 applies to the neutral as much as to the handler.
    if (await hasRelation(trx, user.id, c.complainant_id)) throw conflict('case.recusal_conflict', 'userId');

    const seat = input.seat ?? null;
    const panel = esc.panel_size === 3;
    if (role === 'mediator' && seat !== null) throw badInput('case.member_seat_not_allowed', 'seat');
    if (role === 'arbitrator' && panel && seat === null) throw badInput('case.member_seat_required', 'seat');
    if (role === 'arbitrator' && !panel && seat !== null && seat !== 'chair') throw badInput('case.member_seat_not_allowed', 'seat');
    if (panel && seat !== null && seat !== 'chair' && !(PANEL_SEATS as readonly string[]).includes(seat)) throw badInput('case.member_seat_not_allowed', 'seat');

    const active = await repo.activeMembers(trx, esc.id);
    if (active.some((m) => m.user_id === user.id)) throw conflict('case.member_already_seated', 'userId');
    if (active.length >= esc.panel_size) throw conflict('case.panel_full', 'escalationId', { size: esc.panel_size });
    if (seat !== null && active.some((m) => m.seat === seat)) throw conflict('case.member_seat_taken', 'seat');

    const m = await repo.insertMember(trx, { case_id: c.id, escalation_id: esc.id, user_id: user.id, role, seat, assigned_by: ctx.actor.userId, assigned_at: new Date() });
    await record(trx, ctx, c.id, 'escalation.member_assigned', { name: 'escalation_members', id: m.id }, { escalationId: esc.id, memberId: m.id, userId: user.id, role, seat });
    return { id: m.id };
  });
}

/**
 * The member's own seat, with its case locked. The member may not see the case yet (that comes
 * with accepting), so the seat itself is the authority here: anyone else's seat does not exist.
 */
async function ownSeatForUpdate(trx: DB, ctx: Ctx, memberId: string) {
  const m = await repo.findMember(trx, memberId);
  if (!m || m.user_id !== ctx.actor.userId) throw notFoundMember();
  const c = await findCaseForUpdate(trx, m.case_id);
  if (!c) throw notFoundMember();
  const locked = (await repo.findMemberForUpdate(trx, m.id))!;
  const esc = (await repo.findEscalation(trx, m.escalation_id))!;
  return { m: locked, c, esc };
}

/** The member's disclosure of conflicts (or that there are none), recorded once, before answering. */
export async function disclose(db: DB, ctx: Ctx, input: { memberId: string; disclosure: string }) {
  return transact(db, async (trx) => {
    const { m, c, esc } = await ownSeatForUpdate(trx, ctx, input.memberId);
    assertOpen(esc, 'memberId');
    if (m.accepted_at || m.declined_at) throw conflict('case.seat_already_answered', 'memberId');
    if (m.disclosed_at) throw conflict('case.disclosure_already_recorded', 'memberId');
    await repo.recordDisclosure(trx, m.id, input.disclosure, new Date());
    await record(trx, ctx, c.id, 'escalation.disclosure_recorded', { name: 'escalation_members', id: m.id }, { escalationId: esc.id, memberId: m.id, userId: m.user_id });
    return { ok: true as const };
  });
}

/** Accepts or declines a seat after disclosure. Accepting is what lets the member see the case. */
export async function answerSeat(db: DB, ctx: Ctx, input: { memberId: string; answer: 'accept' | 'decline'; reason?: string }) {
  return transact(db, async (trx) => {
    const { m, c, esc } = await ownSeatForUpdate(trx, ctx, input.memberId);
    assertOpen(esc, 'memberId');
    if (m.accepted_at || m.declined_at) throw conflict('case.seat_already_answered', 'memberId');
    if (!m.disclosed_at) throw conflict('case.disclosure_required', 'memberId');
    await repo.answerSeat(trx, m.id, input.answer, new Date());
    const type = input.answer === 'accept' ? 'escalation.member_accepted' : 'escalation.member_declined';
    await record(trx, ctx, c.id, type, { name: 'escalation_members', id: m.id }, { escalationId: esc.id, memberId: m.id, userId: m.user_id, seat: m.seat, ...(input.reason ? { reason: input.reason } : {}) });
    return { ok: true as const, caseId: input.answer === 'accept' ? c.id : null };
  });
}

/** The seats the signed-in arbitrator or mediator was given: enough to disclose conflicts, not the case file. */
export async function mySeats(db: DB, ctx: Ctx) {
  const rows = await repo.seatsOfUser(db, ctx.actor.userId);
  return rows.map((r) => ({
    memberId: r.id,
    // The case itself opens only once the seat is accepted.
    caseId: r.accepted_at ? r.case_id : null,
    caseNumber: r.case_number,
    category: r.category,
    subcategory: r.subcategory,
    // The summary a neutral may see before accepting: the amount as a band, the complainant as a pseudonym.
    amountBand: amountBand(r.usd_equivalent),
    complainantPseudonym: complainantPseudonym(r.case_id, r.complainant_id),
    respondBy: seatRespondBy(new Date(r.assigned_at)),
    escalationId: r.escalation_id,
    escalationKind: r.escalation_kind,
    escalationStatus: r.escalation_status,
    panelSize: r.panel_size,
    role: r.role,
    seat: r.seat,
    assignedAt: r.assigned_at,
    disclosure: r.disclosure,
    disclosedAt: r.disclosed_at,
    acceptedAt: r.accepted_at,
    declinedAt: r.declined_at,
  }));
}

// ---------------------------------------------------------------------------------------------
// Rulings

/** The actor's accepted seat on the ruling's or escalation's panel; otherwise it is not theirs to see. */
async function acceptedSeatOrRefuse(db: DB, ctx: Ctx, escalationId: string, missing: () => AppError) {
  const seat = await repo.acceptedSeat(db, escalationId, ctx.actor.userId);
  if (seat) return seat;
  const anySeat = (await repo.activeMembers(db, escalationId)).some((m) => m.user_id === ctx.actor.userId);
  if (anySeat) throw new AppError('forbidden', 'case.seat_not_accepted', { field: 'escalationId' });
  throw missing();
}

export interface RecordRulingInput {
  escalationId: string;
  kind: RulingKind;
  text: string;
  /** For an impasse in mediation: the size of the arbitration panel it opens. */
  panelSize?: 1 | 3;
}

/**
 * Records the ruling of an escalation, by a member on an accepted seat, once the panel is complete,
 * and moves the case through the lifecycle's transition for it (cases.service transitionCase, in the
 * same transaction): an award or a settlement in arbitration ends it in execution; a settlement in
 * mediation goes to execution, an impasse on to arbitration.
 */
export async function recordRuling(db: DB, ctx: Ctx, input: RecordRulingInput) {
  return transact(db, async (trx) => {
    const found = await repo.findEscalation(trx, input.escalationId);
    if (!found) throw notFoundEscalation();
    await acceptedSeatOrRefuse(trx, ctx, found.id, notFoundEscalation);
    const c: CaseRow = await lockedVisibleCase(trx, ctx, found.case_id);
    const esc = await repo.lockEscalation(trx, found.id);
    assertOpen(esc, 'escalationId');
    const action = rulingAction(esc.kind as EscalationKind, input.kind);
    if (!action) throw badInput('case.ruling_kind_not_allowed', 'kind');
    const accepted = (await repo.activeMembers(trx, esc.id)).filter((m) => m.accepted_at !== null).length;
    if (accepted < esc.panel_size) throw conflict('case.panel_incomplete', 'escalationId', { accepted, size: esc.panel_size });

    const now = new Date();
    const ruling = await repo.insertRuling(trx, { case_id: c.id, escalation_id: esc.id, kind: input.kind, text: input.text, decided_at: now, recorded_by: ctx.actor.userId });
    await record(trx, ctx, c.id, 'ruling.recorded', { name: 'rulings', id: ruling.id }, { rulingId: ruling.id, escalationId: esc.id, kind: input.kind });
    // The lifecycle decides, as for any transition (state, role, the accepted seat).
    const moved = await transitionCase(trx, ctx, {
      caseId: c.id,
      action,
      expectedStatus: c.status as CaseState,
      ...(action === 'record_impasse' ? { reason: input.text, panelSize: input.panelSize ?? 1 } : {}),
    });
    return { id: ruling.id, status: moved.status };
  });
}

/** Each member on an accepted seat signs a ruling once; the hash binds the ruling's text, the signer and the time. */
export async function signRuling(db: DB, ctx: Ctx, input: { rulingId: string }) {
  return transact(db, async (trx) => {
    const found = await repo.findRuling(trx, input.rulingId);
    if (!found) throw notFoundRuling();
    const seat = await acceptedSeatOrRefuse(trx, ctx, found.escalation_id, notFoundRuling);
    const c = await lockedVisibleCase(trx, ctx, found.case_id);
    if (c.status === 'archived') throw conflict('case.archived', 'rulingId');
    if (await repo.signatureOf(trx, found.id, ctx.actor.userId)) throw conflict('case.ruling_already_signed', 'rulingId');
    const signedAt = new Date();
    const signatureHash = rulingSignatureHash({ rulingId: found.id, rulingText: found.text, signerId: ctx.actor.userId, signedAt });
    const s = await repo.insertSignature(trx, { case_id: c.id, ruling_id: found.id, signer_id: ctx.actor.userId, seat: seat.seat, signed_at: signedAt, signature_hash: signatureHash });
    await record(trx, ctx, c.id, 'ruling.signed', { name: 'ruling_signatures', id: s.id }, { rulingId: found.id, signatureId: s.id, seat: seat.seat, signatureHash });
    return { id: s.id, signatureHash };
  });
}

/** A dissent (a panel member on an award) or an addendum (any member), attached to a ruling. */
export async function addOpinion(db: DB, ctx: Ctx, input: { rulingId: string; kind: OpinionKind; body: string }) {
  return transact(db, async (trx) => {
    const found = await repo.findRuling(trx, input.rulingId);
    if (!found) throw notFoundRuling();
    await acceptedSeatOrRefuse(trx, ctx, found.escalation_id, notFoundRuling);
    const c = await lockedVisibleCase(trx, ctx, found.case_id);
    if (c.status === 'archived') throw conflict('case.archived', 'rulingId');
    if (input.kind === 'dissent') {
      const esc = (await repo.findEscalation(trx, found.escalation_id))!;
      if (esc.panel_size !== 3 || found.kind !== 'award') throw conflict('case.dissent_needs_panel', 'kind');
    }
    const o = await repo.insertOpinion(trx, { case_id: c.id, ruling_id: found.id, kind: input.kind, author_id: ctx.actor.userId, body: input.body, created_at: new Date() });
    await record(trx, ctx, c.id, 'ruling.opinion_added', { name: 'ruling_opinions', id: o.id }, { rulingId: found.id, opinionId: o.id, kind: input.kind });
    return { id: o.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The escalations of a case the actor may see: seats with disclosures, rulings with signatures (checked) and opinions. */
export async function escalationsOfCase(db: DB, ctx: Ctx, caseId: string) {
  const c = await visibleCase(db, ctx, caseId);
  const [escalations, members, rulings, signatures, opinions] = await Promise.all([
    repo.escalationsOfCase(db, c.id),
    repo.membersOfCase(db, c.id),
    repo.rulingsOfCase(db, c.id),
    repo.signaturesOfCase(db, c.id),
    repo.opinionsOfCase(db, c.id),
  ]);
  return escalations.map((e) => ({
    id: e.id,
    kind: e.kind,
    status: e.status,
    panelSize: e.panel_size,
    reason: e.reason,
    outcome: e.outcome,
    createdAt: e.created_at,
    closedAt: e.closed_at,
    members: members
      .filter((m) => m.escalation_id === e.id)
      .map((m) => ({
        id: m.id,
        userId: m.user_id,
        name: m.user_name,
        role: m.role,
        seat: m.seat,
        assignedAt: m.assigned_at,
        disclosure: m.disclosure,
        disclosedAt: m.disclosed_at,
        acceptedAt: m.accepted_at,
        declinedAt: m.declined_at,
      })),
    rulings: rulings
      .filter((r) => r.escalation_id === e.id)
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        text: r.text,
        decidedAt: r.decided_at,
        recordedBy: r.recorded_by,
        signatures: signatures
          .filter((s) => s.ruling_id === r.id)
          .map((s) => ({
            id: s.id,
            signerId: s.signer_id,
            signerName: s.signer_name,
            seat: s.seat,
            signedAt: s.signed_at,
            signatureHash: s.signature_hash,
            // Recomputed on every read: an edited ruling text or signature row shows here.
            valid: verifyRulingSignature({ rulingId: r.id, rulingText: r.text, signerId: s.signer_id, signedAt: s.signed_at, signatureHash: s.signature_hash }),
          })),
        opinions: opinions
          .filter((o) => o.ruling_id === r.id)
          .map((o) => ({ id: o.id, kind: o.kind, authorId: o.author_id, authorName: o.author_name, body: o.body, createdAt: o.created_at })),
      })),
  }));
}
