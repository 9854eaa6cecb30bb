// The case workspace from the local store: the case with what this user may do now (decided by
// shared/lifecycle through shared/case-mutations, on the same local facts the preview uses), its
// timeline, the work recorded on it, and the tiering rules' suggestion.
import { COMPLAINANT_PII_ROLES } from '../../../shared/sync/access';
import { AppError } from '../../../shared/errors';
import { parseInput } from '../../../shared/validation';
import { CASE_ACTIONS, type CaseAction, type CaseState, type Category, type Channel, type Language, type Role, type Subcategory } from '../../../shared/domain';
import { TRANSITIONS, refusalMessageKey } from '../../../shared/lifecycle';
import { planTransition, pendingFacts, type PendingFact as SharedPendingFact } from '../../../shared/case-mutations';
import { classify, tieringRuleSchema, type TieringRule } from '../../../shared/tiering';
import { timelineInput } from '../../contract/schemas';
import type { ActionOption, CaseView, CaseWork, DirectoryEntry, PendingFact, RefusedAction, TimelineEntry } from '../../contract/types';
import type { LocalDb } from '../store/local-db';
import type { LocalCase } from '../store/local-schema';
import { LOCAL_PENDING_EVENT, awaitedServerFacts, gatherFacts, rulingRecorded } from '../store/optimistic';
import * as repo from './case.repository';
import { decimal, iso, slaView } from './queue';


export interface CaseScope {
  db: LocalDb;
  userId: string;
  role: Role;
}

export const caseNotLocal = () => new AppError('not_found', 'error.case_not_found', { field: 'caseId' });

type Users = Map<string, DirectoryEntry>;

async function usersById(db: LocalDb): Promise<Users> {
  return new Map((await repo.allUsers(db)).map((u) => [u.id, { id: u.id, name: u.display_name ?? '', role: (u.role as Role | null) ?? null }]));
}
const who = (users: Users, id: string | null | undefined): DirectoryEntry | null => (id ? (users.get(id) ?? { id, name: '', role: null }) : null);

/** Pending facts each once, in order. */
function uniqueFacts(facts: readonly SharedPendingFact[]): PendingFact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = JSON.stringify([f.fact, f.params]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const REASON_PLACEHOLDER = 'reason';

/**
 * The lifecycle actions of this role in this state, split into what the shared rules allow now
 * and what they refuse (with why). An action whose answer hinges on a value only the server knows
 * is offered, and the value shows as pending: the server decides it.
 */
export async function caseActions(db: LocalDb, c: LocalCase, scope: CaseScope, recused: boolean) {
  const status = c.status as CaseState;
  const facts = await gatherFacts(db, c, { userId: scope.userId });
  const ruling = await rulingRecorded(db, c.id);
  const actions: ActionOption[] = [];
  const refused: RefusedAction[] = [];
  const pending: SharedPendingFact[] = [];
  for (const action of CASE_ACTIONS) {
    const t = TRANSITIONS.find((x) => x.action === action)!;
    if (!t.from.includes(status) || !t.roles.includes(scope.role)) continue;
    // 回避制度: the server refuses every write of a recused handler on the case.
    if (recused) {
      refused.push({ action, messageKey: 'case.recusal_conflict', params: {} });
      continue;
    }
    const subject = { status, role: scope.role, facts, rulingRecorded: ruling };
    const withReason = planTransition(subject, { action, expectedStatus: status, reason: REASON_PLACEHOLDER });
    if (withReason.verdict === 'refused') {
      refused.push({ action, messageKey: withReason.refusal.messageKey, params: withReason.refusal.params ?? {} });
      continue;
    }
    const withoutReason = planTransition(subject, { action, expectedStatus: status, reason: null });
    const reasonRequired = withoutReason.verdict === 'refused' && withoutReason.refusal.messageKey === refusalMessageKey('reason_required');
    if (withReason.verdict === 'unknown') pending.push(...pendingFacts(withReason.needs));
    const next = withReason.verdict === 'allowed' ? withReason.next : t.to === 'resume' ? ((c.resume_status as CaseState | null) ?? status) : t.to;
    actions.push({ action: action as CaseAction, next, reasonRequired, asksPanelSize: next === 'arbitration' });
  }
  return { actions, refused, pending };
}

function parsedTieringRules(rows: Awaited<ReturnType<typeof repo.tieringRules>>): TieringRule[] {
  return rows.flatMap((r) => {
    const parsed = tieringRuleSchema.safeParse({ id: r.id, name: r.name, order: r.order, enabled: r.enabled, when: r.when ?? {}, then: r.then });
    return parsed.success ? [parsed.data] : [];
  });
}

export async function caseView(scope: CaseScope, caseId: string): Promise<CaseView> {
  const { db } = scope;
  const c = await repo.findCase(db, caseId);
  if (!c) throw caseNotLocal();
  const [complainant, amounts, team, users, rules, pendingChanges, recusedIds, awaited] = await Promise.all([
    repo.findComplainant(db, c.complainant_id),
    repo.caseAmounts(db, c.id),
    repo.findTeam(db, c.team_id),
    usersById(db),
    repo.tieringRules(db),
    repo.pendingChangeCount(db, c.id),
    repo.recusedUserIds(db, c.id),
    awaitedServerFacts(db, c.id),
  ]);
  const { actions, refused, pending } = await caseActions(db, c, scope, recusedIds.has(scope.userId));

  let tieringSuggestion: CaseView['tieringSuggestion'] = null;
  if (c.category && c.subcategory && c.channel) {
    const s = classify(parsedTieringRules(rules), {
      category: c.category as Category,
      subcategory: c.subcategory as Subcategory,
      usdEquivalent: decimal(c.usd_equivalent) ?? '0',
      vipLevel: complainant?.vip_level ?? 0,
      urgent: c.urgent === true,
      channel: c.channel as Channel,
    });
    tieringSuggestion = { tier: s.tier, priority: s.priority, ruleId: s.ruleId };
  }

  return {
    id: c.id,
    caseNumber: c.case_number ?? '',
    status: c.status as CaseState,
    resumeStatus: (c.resume_status as CaseState | null) ?? null,
    category: c.category,
    subcategory: c.subcategory,
    tier: c.tier,
    priority: c.priority,
    urgent: c.urgent === true,
    channel: c.channel,
    language: c.language as Language | null,
    description: c.description ?? '',
    handlerSummary: c.handler_summary,
    nextAction: c.next_action,
    usdEquivalent: decimal(c.usd_equivalent),
    occurredAt: iso(c.occurred_at),
    receivedAt: iso(c.received_at),
    closedAt: iso(c.closed_at),
    archivedAt: iso(c.archived_at),
    satisfaction: c.satisfaction_score === null ? null : { score: c.satisfaction_score, comment: c.satisfaction_comment },
    assignee: who(users, c.assignee_id),
    team: team ? { id: team.id, name: team.name ?? '' } : c.team_id ? { id: c.team_id, name: '' } : null,
    sla: slaView(c),
    complainant: complainant
      ? { id: complainant.id, exchangeUid: complainant.exchange_uid, vipLevel: complainant.vip_level, region: complainant.region, language: complainant.language as Language | null }
      : null,
    amounts: amounts.map((a) => ({ asset: a.asset ?? '', amount: decimal(a.amount) ?? '0', usdRate: decimal(a.usd_rate), usdValue: decimal(a.usd_value) })),
    actions,
    refused,
    tieringSuggestion,
    pending: uniqueFacts([...awaited.flatMap((a) => a.awaiting), ...pending]),
    pendingChanges,
    mayRevealPii: (COMPLAINANT_PII_ROLES as readonly Role[]).includes(scope.role),
  };
}

export async function caseTimeline(db: LocalDb, input: unknown): Promise<TimelineEntry[]> {
  const { caseId, kinds } = parseInput(timelineInput, input);
  if (!(await repo.findCase(db, caseId))) throw caseNotLocal();
  const [events, users] = await Promise.all([repo.timeline(db, caseId, kinds), usersById(db)]);
  return events.map((e) => ({
    id: e.id,
    type: e.type ?? '',
    actor: who(users, e.actor_id),
    at: iso(e.at) ?? '',
    payload: e.payload ?? {},
    pending: e.pending_seq !== null || e.type === LOCAL_PENDING_EVENT,
  }));
}

export async function caseWork(db: LocalDb, caseId: string): Promise<CaseWork> {
  if (!(await repo.findCase(db, caseId))) throw caseNotLocal();
  const [users, notes, consultations, communications, assessments, remedies, approvals, objections, escalations, exhibits] = await Promise.all([
    usersById(db),
    repo.notesOf(db, caseId),
    repo.consultationsOf(db, caseId),
    repo.communicationsOf(db, caseId),
    repo.assessmentsOf(db, caseId),
    repo.remediesOf(db, caseId),
    repo.approvalsOf(db, caseId),
    repo.objectionsOf(db, caseId),
    repo.escalationsOf(db, caseId),
    repo.exhibitsOf(db, caseId),
  ]);
  const current = assessments.find((a) => a.superseded_at === null) ?? null;
  const share = (v: string | null) => decimal(v) ?? '0';
  return {
    notes: notes.map((n) => ({ id: n.id, body: n.body ?? '', author: who(users, n.author_id), createdAt: iso(n.created_at), pending: n.pending_seq !== null })),
    consultations: consultations.map((q) => ({
      id: q.id,
      team: q.team ?? '',
      question: q.question ?? '',
      askedBy: who(users, q.asked_by),
      askedAt: iso(q.asked_at),
      answer: q.answer,
      answeredBy: who(users, q.answered_by),
      answeredAt: iso(q.answered_at),
      pending: q.pending_seq !== null,
    })),
    communications: communications.map((m) => ({
      id: m.id,
      direction: m.direction ?? '',
      channel: m.channel ?? '',
      body: m.body ?? '',
      recordedBy: who(users, m.recorded_by),
      at: iso(m.at),
      pending: m.pending_seq !== null,
    })),
    assessment: current && {
      id: current.id,
      platformShare: share(current.platform_share),
      userShare: share(current.user_share),
      thirdPartyShare: share(current.third_party_share),
      thirdPartyKind: current.third_party_kind,
      findings: current.findings ?? '',
      author: who(users, current.author_id),
      createdAt: iso(current.created_at),
      pending: current.pending_seq !== null,
    },
    assessmentHistory: assessments
      .filter((a) => a.superseded_at !== null)
      .map((a) => ({
        id: a.id,
        platformShare: share(a.platform_share),
        userShare: share(a.user_share),
        thirdPartyShare: share(a.third_party_share),
        findings: a.findings ?? '',
        createdAt: iso(a.created_at),
        supersededAt: iso(a.superseded_at),
      })),
    remedies: remedies.map((r) => ({
      id: r.id,
      kind: r.kind ?? '',
      asset: r.asset,
      amount: decimal(r.amount),
      usdValue: decimal(r.usd_value),
      details: r.details ?? '',
      status: r.status ?? '',
      proposedBy: who(users, r.proposed_by),
      createdAt: iso(r.created_at),
      pending: r.pending_seq !== null,
    })),
    // Four-eyes shows in who requested and who decided: the lifecycle refuses the same person.
    approvals: approvals.map((a) => ({
      id: a.id,
      requestedBy: who(users, a.requested_by),
      requestedAt: iso(a.requested_at),
      usdTotal: decimal(a.usd_total),
      thresholdUsd: decimal(a.threshold_usd),
      decision: a.decision,
      decidedBy: who(users, a.decided_by),
      decidedAt: iso(a.decided_at),
      reason: a.reason,
    })),
    objections: objections.map((o) => ({ id: o.id, reason: o.reason ?? '', recordedBy: who(users, o.recorded_by), at: iso(o.at) })),
    escalations: escalations.map((e) => ({
      id: e.id,
      kind: e.kind ?? '',
      status: e.status ?? '',
      panelSize: e.panel_size,
      reason: e.reason,
      outcome: e.outcome,
      createdAt: iso(e.created_at),
      closedAt: iso(e.closed_at),
    })),
    exhibits: exhibits.map((x) => ({
      id: x.id,
      // The exhibit's number within the case (its label, e.g. a prefix and digits, is the server's).
      exhibitNumber: x.seq ?? (x.exhibit_number !== null && /^[0-9]+$/.test(x.exhibit_number) ? Number(x.exhibit_number) : null),
      type: x.type,
      fileName: x.file_name,
      description: x.description,
      sha256: x.blob_sha256,
      internalOnly: x.internal_only === true,
      receivedAt: iso(x.taken_in_at),
    })),
  };
}
