// The optimistic local effect of each intent mutation: what the workstation shows at once, before
// the server has seen it. A best-effort preview that mirrors the server's services (the same
// state guards, the same lifecycle decision from shared/lifecycle.ts), marking every row it
// touches with the mutation's seq (`pending_seq`) and adding a 'local.pending' step to the case's
// timeline. The server's pull is the truth: applyPull replaces optimistic rows with the server's,
// and `rebaseOptimistic` undoes every optimistic effect and replays the mutations still unsynced.
//
// Undo works through `optimistic_base`: before a server row is first touched, its server version
// is kept there; a row created locally is recorded with a null base (undo deletes it).
import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { MUTATIONS, type MutationName } from '../../../shared/sync/protocol';
import { parseInput } from '../../../shared/validation';
import { decide, type CaseFacts, type Decision } from '../../../shared/lifecycle';
import { MONETARY_REMEDY_KINDS, RESOLVED_STATES, ROLES, type CaseAction, type CaseState, type Priority, type Role, type Tier } from '../../../shared/domain';
import { Money, sumAmounts, toUsd } from '../../../shared/money';
import { pauseClock, policyFor, recordFirstResponse, recordResolution, reprioritize, resumeClock, type SlaClock, type SlaPolicy } from '../../../shared/sla';
import type { LocalCase, LocalDatabase } from './local-schema';
import { localColumns } from './apply-changes';
import { META_KEYS, getMeta } from './meta';

type Db = Kysely<LocalDatabase>;
type Trx = Kysely<LocalDatabase>;

export interface LocalMutationContext {
  /** The mutation's local sequence number (from the journal). */
  seq: number;
  /** The signed-in user making it. */
  userId: string;
  /** When it was made: timestamps of the preview. */
  now: Date;
  /** The user's role for the lifecycle decision; read from meta 'user' when absent. */
  role?: Role;
  /** The approval threshold (a server setting) when known; read from meta 'approvalThresholdUsd' when absent. */
  approvalThresholdUsd?: string;
}

export interface LocalMutationEffect {
  /** The case the mutation concerns, when the workstation holds it. */
  caseId: string | null;
  /** False when the preview was skipped (unknown case, or the server would refuse it in this state). */
  previewed: boolean;
  /** The case status the preview set (transition), when it changed it. */
  status?: CaseState;
}

/** Tables optimistic effects write to: all keyed by `id`. */
const OPTIMISTIC_TABLES = ['cases', 'case_events', 'notes', 'consultations', 'communications', 'assessments', 'remedies', 'approvals', 'objections', 'escalations'] as const;
type OptimisticTable = (typeof OPTIMISTIC_TABLES)[number];

export const LOCAL_PENDING_EVENT = 'local.pending';

/** A UUID derived from the mutation's seq and a purpose: the same on every replay of the mutation. */
export function localId(seq: number, purpose: string): string {
  const h = createHash('sha256').update(`arbitra.local:${seq}:${purpose}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8 (custom)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// ---- Row helpers: every write keeps the server's version first --------------------------------

const caseIdOf = (table: OptimisticTable) => (table === 'cases' ? sql.ref('t.id') : sql.ref('t.case_id'));

/** Keeps the server version of the rows `where` selects (alias t) before they are first changed. */
async function keepBase(trx: Trx, table: OptimisticTable, where: RawBuilder<boolean>): Promise<void> {
  await sql`
    insert into optimistic_base (tbl, key, case_id, row)
    select ${table}, t.id::text, ${caseIdOf(table)}, to_jsonb(t) from ${sql.table(table)} t
     where (${where}) and t.pending_seq is null
    on conflict (tbl, key) do nothing`.execute(trx);
}

function jsonParam(value: unknown): string {
  return JSON.stringify(value ?? null);
}

async function updateRows(trx: Trx, table: OptimisticTable, where: RawBuilder<boolean>, set: Record<string, unknown>, seq: number): Promise<number> {
  await keepBase(trx, table, where);
  const assignments = Object.entries(set).map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
  const r = await sql`update ${sql.table(table)} t set ${sql.join([...assignments, sql`pending_seq = ${seq}`])} where ${where}`.execute(trx);
  return Number(r.numAffectedRows ?? 0n);
}

/** Inserts a row created locally (unless the server's row with that id is already here). */
async function insertRow(trx: Trx, table: OptimisticTable, row: Record<string, unknown> & { id: string }, caseId: string | null, seq: number): Promise<boolean> {
  const columns = Object.keys(row);
  const r = await sql`
    insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}, pending_seq)
    values (${sql.join(columns.map((c) => row[c]))}, ${seq})
    on conflict (id) do nothing`.execute(trx);
  const inserted = Number(r.numAffectedRows ?? 0n) > 0;
  if (inserted) {
    await sql`insert into optimistic_base (tbl, key, case_id, row) values (${table}, ${row.id}, ${caseId}, null) on conflict (tbl, key) do nothing`.execute(trx);
  }
  return inserted;
}

const byId = (id: string) => sql<boolean>`t.id = ${id}`;

async function loadCase(trx: Trx, caseId: string): Promise<LocalCase | undefined> {
  return trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

async function pendingEvent(trx: Trx, c: LocalCase, name: MutationName, args: Record<string, unknown>, ctx: LocalMutationContext): Promise<void> {
  await insertRow(
    trx,
    'case_events',
    {
      id: localId(ctx.seq, 'event'),
      case_id: c.id,
      type: LOCAL_PENDING_EVENT,
      actor_id: ctx.userId,
      at: ctx.now,
      payload: jsonParam({ seq: ctx.seq, name, args }),
    },
    c.id,
    ctx.seq,
  );
}

// ---- The SLA clock of a local case row ---------------------------------------------------------

function clockOf(c: LocalCase): SlaClock | null {
  if (!c.received_at || !c.first_response_due_at || !c.resolution_due_at) return null;
  return {
    startedAt: c.received_at,
    firstResponseDueAt: c.first_response_due_at,
    resolutionDueAt: c.resolution_due_at,
    pausedAt: c.sla_paused_at,
    pausedTotalMs: Number(c.sla_paused_total_ms ?? 0),
    firstRespondedAt: c.first_responded_at,
    resolvedAt: c.resolved_at,
  };
}

function clockColumns(clock: SlaClock): Record<string, unknown> {
  return {
    first_response_due_at: clock.firstResponseDueAt,
    resolution_due_at: clock.resolutionDueAt,
    sla_paused_at: clock.pausedAt,
    sla_paused_total_ms: String(clock.pausedTotalMs),
    first_responded_at: clock.firstRespondedAt,
    resolved_at: clock.resolvedAt,
  };
}

async function localSlaPolicies(trx: Trx): Promise<SlaPolicy[]> {
  const rows = await trx.selectFrom('sla_policies').select(['tier', 'priority', 'first_response_minutes', 'resolution_minutes']).execute();
  return rows
    .filter((r) => r.first_response_minutes !== null && r.resolution_minutes !== null)
    .map((r) => ({ tier: r.tier as Tier, priority: r.priority as Priority, firstResponseMinutes: r.first_response_minutes!, resolutionMinutes: r.resolution_minutes! }));
}

// ---- The lifecycle, from local facts -----------------------------------------------------------

const MONETARY: readonly string[] = MONETARY_REMEDY_KINDS;

async function roleOf(trx: Trx, ctx: LocalMutationContext): Promise<Role | null> {
  if (ctx.role) return ctx.role;
  const user = await getMeta<{ role?: string }>(trx, META_KEYS.user);
  const role = user?.role;
  return typeof role === 'string' && (ROLES as readonly string[]).includes(role) ? (role as Role) : null;
}

async function thresholdOf(trx: Trx, ctx: LocalMutationContext): Promise<string | null> {
  if (ctx.approvalThresholdUsd !== undefined) return ctx.approvalThresholdUsd;
  const stored = await getMeta<string | number>(trx, 'approvalThresholdUsd');
  return stored === null ? null : String(stored);
}

interface LocalFacts {
  facts: CaseFacts;
  /** Whether needsApproval is known (the threshold is a server setting the workstation may not have). */
  needsApprovalKnown: boolean;
  usdTotal: string | null;
  threshold: string | null;
}

async function gatherFacts(trx: Trx, c: LocalCase, reason: string | null, ctx: LocalMutationContext): Promise<LocalFacts> {
  const [assessment, remedies, classified, pending, threshold] = await Promise.all([
    trx.selectFrom('assessments').select('id').where('case_id', '=', c.id).where('superseded_at', 'is', null).executeTakeFirst(),
    trx.selectFrom('remedies').select(['kind', 'status', 'usd_value', 'proposed_by']).where('case_id', '=', c.id).execute(),
    sql<{ n: number }>`
      select count(*)::int as n from case_events
       where case_id = ${c.id}
         and (type = 'case.classified' or (type = ${LOCAL_PENDING_EVENT} and payload->>'name' = 'classify'))`.execute(trx),
    trx.selectFrom('approvals').select('requested_by').where('case_id', '=', c.id).where('decision', 'is', null).orderBy('requested_at', 'desc').executeTakeFirst(),
    thresholdOf(trx, ctx),
  ]);
  const inPlay = remedies.filter((r) => r.status === 'draft' || r.status === 'approved');
  const monetary = inPlay.filter((r) => MONETARY.includes(r.kind ?? ''));
  let needsApproval = false;
  let needsApprovalKnown = true;
  let usdTotal: string | null = null;
  if (monetary.length > 0) {
    if (threshold === null || monetary.some((r) => r.usd_value === null)) needsApprovalKnown = false;
    else {
      usdTotal = sumAmounts(monetary.map((r) => r.usd_value!));
      needsApproval = new Money(usdTotal).greaterThan(new Money(threshold));
    }
  }
  return {
    facts: {
      actorId: ctx.userId,
      assigneeId: c.assignee_id,
      classified: (classified.rows[0]?.n ?? 0) > 0,
      hasAssessment: !!assessment,
      hasProposedRemedy: inPlay.length > 0,
      needsApproval,
      approvalGranted: monetary.length > 0 && monetary.every((r) => r.status === 'approved'),
      remedyProposerId: pending?.requested_by ?? null,
      reason,
      resumeState: (c.resume_status as CaseState | null) ?? null,
      externalAssigned: false,
    },
    needsApprovalKnown,
    usdTotal,
    threshold,
  };
}

/** The lifecycle's decision when it does not hinge on what the workstation cannot know; null otherwise. */
function localDecision(state: CaseState, action: CaseAction, role: Role, f: LocalFacts): Extract<Decision, { ok: true }> | null {
  const candidates = f.needsApprovalKnown ? [f.facts] : [{ ...f.facts, needsApproval: false }, { ...f.facts, needsApproval: true }];
  const decisions = candidates.map((facts) => decide(state, action, role, facts));
  const first = decisions[0]!;
  if (!first.ok) return null;
  return decisions.every((d) => d.ok && d.next === first.next) ? first : null;
}

async function setRemedyStatus(trx: Trx, caseId: string, from: readonly string[], to: string, seq: number, kinds?: readonly string[]): Promise<void> {
  const kindFilter = kinds ? sql`and t.kind in (${sql.join(kinds)})` : sql``;
  await updateRows(trx, 'remedies', sql<boolean>`t.case_id = ${caseId} and t.status in (${sql.join(from)}) ${kindFilter}`, { status: to }, seq);
}

async function closeOpenEscalations(trx: Trx, caseId: string, outcome: string, at: Date, seq: number): Promise<void> {
  await updateRows(trx, 'escalations', sql<boolean>`t.case_id = ${caseId} and t.status = 'open'`, { status: 'closed', outcome, closed_at: at }, seq);
}

async function transitionSideEffects(trx: Trx, c: LocalCase, action: CaseAction, reason: string | null, panelSize: 1 | 3 | undefined, f: LocalFacts, ctx: LocalMutationContext): Promise<void> {
  const { seq, userId, now } = ctx;
  switch (action) {
    case 'request_approval':
      if (f.usdTotal !== null && f.threshold !== null) {
        await insertRow(trx, 'approvals', { id: localId(seq, 'approval'), case_id: c.id, requested_by: userId, requested_at: now, usd_total: f.usdTotal, threshold_usd: f.threshold }, c.id, seq);
      }
      return;
    case 'approve':
    case 'decline_approval':
      await updateRows(
        trx,
        'approvals',
        sql<boolean>`t.case_id = ${c.id} and t.decision is null`,
        { decision: action === 'approve' ? 'approved' : 'declined', decided_by: userId, decided_at: now, reason },
        seq,
      );
      if (action === 'approve') await setRemedyStatus(trx, c.id, ['draft', 'approved'], 'proposed', seq);
      return;
    case 'propose_resolution':
      await setRemedyStatus(trx, c.id, ['draft', 'approved'], 'proposed', seq);
      return;
    case 'accept_resolution':
      await setRemedyStatus(trx, c.id, ['proposed'], 'accepted', seq);
      return;
    case 'object':
      await insertRow(trx, 'objections', { id: localId(seq, 'objection'), case_id: c.id, reason, recorded_by: userId, at: now }, c.id, seq);
      await setRemedyStatus(trx, c.id, ['proposed'], 'superseded', seq);
      return;
    case 'escalate_mediation':
    case 'escalate_arbitration':
      await closeOpenEscalations(trx, c.id, action === 'escalate_arbitration' ? 'escalated_to_arbitration' : 'superseded', now, seq);
      await insertRow(
        trx,
        'escalations',
        {
          id: localId(seq, 'escalation'),
          case_id: c.id,
          kind: action === 'escalate_mediation' ? 'mediation' : 'arbitration',
          status: 'open',
          panel_size: action === 'escalate_arbitration' ? (panelSize ?? 1) : 1,
          reason,
          created_by: userId,
          created_at: now,
        },
        c.id,
        seq,
      );
      await setRemedyStatus(trx, c.id, ['proposed'], 'superseded', seq);
      return;
    case 'record_settlement':
      await closeOpenEscalations(trx, c.id, 'settled', now, seq);
      return;
    case 'record_impasse':
      await closeOpenEscalations(trx, c.id, 'impasse', now, seq);
      await insertRow(
        trx,
        'escalations',
        { id: localId(seq, 'escalation'), case_id: c.id, kind: 'arbitration', status: 'open', panel_size: panelSize ?? 1, reason, created_by: userId, created_at: now },
        c.id,
        seq,
      );
      return;
    case 'record_ruling':
      await closeOpenEscalations(trx, c.id, 'ruled', now, seq);
      return;
    case 'complete_execution':
      await setRemedyStatus(trx, c.id, ['accepted'], 'executed', seq);
      return;
    default:
      return;
  }
}

// ---- The mutations -----------------------------------------------------------------------------

type Effect = (trx: Trx, args: any, ctx: LocalMutationContext) => Promise<LocalMutationEffect>;

/** Case-scoped mutations: the pending step goes on the timeline whether or not the preview applies. */
function onCase(name: MutationName, caseIdOfArgs: (trx: Trx, args: any) => Promise<string | null>, effect: (trx: Trx, c: LocalCase, args: any, ctx: LocalMutationContext) => Promise<boolean | CaseState>): Effect {
  return async (trx, args, ctx) => {
    const caseId = await caseIdOfArgs(trx, args);
    const c = caseId ? await loadCase(trx, caseId) : undefined;
    if (!c) return { caseId: null, previewed: false };
    const outcome = await effect(trx, c, args, ctx);
    await pendingEvent(trx, c, name, args, ctx);
    return { caseId: c.id, previewed: outcome !== false, ...(typeof outcome === 'string' ? { status: outcome } : {}) };
  };
}

const argCase = async (_trx: Trx, args: { caseId: string }) => args.caseId;
const open = (c: LocalCase) => c.status !== 'archived';

const EFFECTS: Record<MutationName, Effect> = {
  addNote: onCase('addNote', argCase, async (trx, c, a: { id: string; body: string }, ctx) => {
    if (!open(c)) return false;
    await insertRow(trx, 'notes', { id: a.id, case_id: c.id, author_id: ctx.userId, body: a.body, created_at: ctx.now }, c.id, ctx.seq);
    return true;
  }),

  addConsultation: onCase('addConsultation', argCase, async (trx, c, a: { id: string; team: string; question: string }, ctx) => {
    if (!open(c)) return false;
    await insertRow(trx, 'consultations', { id: a.id, case_id: c.id, team: a.team, question: a.question, asked_by: ctx.userId, asked_at: ctx.now }, c.id, ctx.seq);
    return true;
  }),

  answerConsultation: onCase(
    'answerConsultation',
    async (trx, a: { consultationId: string }) =>
      (await trx.selectFrom('consultations').select('case_id').where('id', '=', a.consultationId).executeTakeFirst())?.case_id ?? null,
    async (trx, _c, a: { consultationId: string; answer: string }, ctx) =>
      (await updateRows(trx, 'consultations', sql<boolean>`t.id = ${a.consultationId} and t.answer is null`, { answer: a.answer, answered_by: ctx.userId, answered_at: ctx.now }, ctx.seq)) > 0,
  ),

  logCommunication: onCase('logCommunication', argCase, async (trx, c, a: { id: string; direction: string; channel: string; body: string }, ctx) => {
    if (!open(c)) return false;
    await insertRow(trx, 'communications', { id: a.id, case_id: c.id, direction: a.direction, channel: a.channel, body: a.body, recorded_by: ctx.userId, at: ctx.now }, c.id, ctx.seq);
    // The first word to the complainant is the first response the SLA measures.
    const clock = clockOf(c);
    if (a.direction === 'outbound' && !c.first_responded_at && clock) {
      await updateRows(trx, 'cases', byId(c.id), { ...clockColumns(recordFirstResponse(clock, ctx.now)), updated_at: ctx.now }, ctx.seq);
    }
    return true;
  }),

  setAssessment: onCase(
    'setAssessment',
    argCase,
    async (trx, c, a: { platformShare: string; userShare: string; thirdPartyShare: string; thirdPartyKind?: string; findings: string }, ctx) => {
      if (!['investigation', 'assessment'].includes(c.status ?? '')) return false;
      const id = localId(ctx.seq, 'assessment');
      // Replaying the same mutation leaves its own assessment current.
      await updateRows(trx, 'assessments', sql<boolean>`t.case_id = ${c.id} and t.superseded_at is null and t.id <> ${id}`, { superseded_at: ctx.now }, ctx.seq);
      await insertRow(
        trx,
        'assessments',
        {
          id,
          case_id: c.id,
          platform_share: a.platformShare,
          user_share: a.userShare,
          third_party_share: a.thirdPartyShare,
          third_party_kind: new Money(a.thirdPartyShare).isZero() ? null : (a.thirdPartyKind ?? 'other'),
          findings: a.findings,
          author_id: ctx.userId,
          created_at: ctx.now,
        },
        c.id,
        ctx.seq,
      );
      return true;
    },
  ),

  proposeRemedy: onCase('proposeRemedy', argCase, async (trx, c, a: { kind: string; asset?: string; amount?: string; details: string }, ctx) => {
    if (c.status !== 'assessment') return false;
    let usdValue: string | null = null;
    if (a.asset && a.amount) {
      const rate = await trx
        .selectFrom('asset_rates')
        .select('usd_rate')
        .where('asset', '=', a.asset)
        .where('effective_at', '<=', ctx.now)
        .orderBy('effective_at', 'desc')
        .executeTakeFirst();
      if (rate?.usd_rate) usdValue = toUsd(a.amount, rate.usd_rate);
    }
    // A new monetary remedy after an approval needs approving again: approvals cover what was seen.
    if (MONETARY.includes(a.kind)) await setRemedyStatus(trx, c.id, ['approved'], 'draft', ctx.seq, MONETARY);
    await insertRow(
      trx,
      'remedies',
      {
        id: localId(ctx.seq, 'remedy'),
        case_id: c.id,
        kind: a.kind,
        asset: a.asset ?? null,
        amount: a.amount ?? null,
        usd_value: usdValue,
        details: a.details,
        status: 'draft',
        proposed_by: ctx.userId,
        created_at: ctx.now,
      },
      c.id,
      ctx.seq,
    );
    return true;
  }),

  withdrawRemedy: onCase(
    'withdrawRemedy',
    async (trx, a: { remedyId: string }) => (await trx.selectFrom('remedies').select('case_id').where('id', '=', a.remedyId).executeTakeFirst())?.case_id ?? null,
    async (trx, c, a: { remedyId: string }, ctx) => {
      if (c.status !== 'assessment') return false;
      return (await updateRows(trx, 'remedies', sql<boolean>`t.id = ${a.remedyId} and t.status in ('draft', 'approved')`, { status: 'withdrawn' }, ctx.seq)) > 0;
    },
  ),

  transition: onCase(
    'transition',
    argCase,
    async (trx, c, a: { action: CaseAction; expectedStatus: CaseState; reason?: string; panelSize?: 1 | 3 }, ctx) => {
      // The state the user saw must still hold, or the server refuses (the case moved).
      if (c.status !== a.expectedStatus) return false;
      const role = await roleOf(trx, ctx);
      if (!role) return false;
      const reason = a.reason?.trim() || null;
      const facts = await gatherFacts(trx, c, reason, ctx);
      const decision = localDecision(c.status as CaseState, a.action, role, facts);
      if (!decision) return false;

      const patch: Record<string, unknown> = { status: decision.next, updated_at: ctx.now };
      let clock = clockOf(c);
      if (clock) {
        if (decision.pausesClock) clock = pauseClock(clock, ctx.now);
        if (decision.resumesClock) clock = resumeClock(clock, ctx.now);
        if (decision.firstResponse) clock = recordFirstResponse(clock, ctx.now);
        if ((RESOLVED_STATES as readonly string[]).includes(decision.next)) clock = recordResolution(clock, ctx.now);
        Object.assign(patch, clockColumns(clock));
      }
      patch.resume_status = decision.next === 'awaiting_material' || decision.next === 'awaiting_third_party' ? c.status : null;
      if (decision.next === 'closed') patch.closed_at = ctx.now;
      if (decision.next === 'archived') patch.archived_at = ctx.now;
      await transitionSideEffects(trx, c, a.action, reason, a.panelSize, facts, ctx);
      await updateRows(trx, 'cases', byId(c.id), patch, ctx.seq);
      return decision.next;
    },
  ),

  classify: onCase(
    'classify',
    argCase,
    async (trx, c, a: { category: string; subcategory: string; tier: Tier; priority: Priority; urgent?: boolean }, ctx) => {
      if (!['received', 'initial_review', 'investigation', 'awaiting_material'].includes(c.status ?? '')) return false;
      const patch: Record<string, unknown> = { category: a.category, subcategory: a.subcategory, tier: a.tier, priority: a.priority, updated_at: ctx.now };
      if (a.urgent !== undefined) patch.urgent = a.urgent;
      const clock = clockOf(c);
      if (clock) {
        const next = reprioritize(clock, policyFor(await localSlaPolicies(trx), a.tier, a.priority));
        patch.first_response_due_at = next.firstResponseDueAt;
        patch.resolution_due_at = next.resolutionDueAt;
      }
      await updateRows(trx, 'cases', byId(c.id), patch, ctx.seq);
      return true;
    },
  ),

  recordSatisfaction: onCase('recordSatisfaction', argCase, async (trx, c, a: { score: number; comment?: string }, ctx) => {
    if (!['follow_up', 'closed'].includes(c.status ?? '')) return false;
    await updateRows(trx, 'cases', byId(c.id), { satisfaction_score: a.score, satisfaction_comment: a.comment ?? null, updated_at: ctx.now }, ctx.seq);
    return true;
  }),

  updateCaseFields: onCase('updateCaseFields', argCase, async (trx, c, a: { fields: { handler_summary?: string; next_action?: string; urgent?: boolean } }, ctx) => {
    const patch: Record<string, unknown> = { updated_at: ctx.now };
    for (const field of ['handler_summary', 'next_action', 'urgent'] as const) {
      if (a.fields[field] !== undefined) patch[field] = a.fields[field];
    }
    await updateRows(trx, 'cases', byId(c.id), patch, ctx.seq);
    return true;
  }),

  // A dossier exported offline changes nothing the workstation shows but its 'not yet synced' step:
  // the custody entries are the server's to write, and come back with the next pull.
  recordDossierExport: onCase('recordDossierExport', argCase, async () => true),
};

function inTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<LocalDatabase>) => fn(trx));
}

/**
 * Shows a mutation's effect locally at once. `args` are validated with the mutation's schema (an
 * AppError 'bad_input' names the field otherwise) and the parsed values are what is previewed.
 * Runs in its own transaction, or in the caller's when given one.
 */
export async function applyLocalMutation(db: Db, name: MutationName, args: unknown, ctx: LocalMutationContext): Promise<LocalMutationEffect> {
  const schema = MUTATIONS[name];
  if (!schema) throw new Error(`Unknown mutation ${String(name)}`);
  const parsed = parseInput(schema, args) as Record<string, unknown>;
  return inTransaction(db, (trx) => EFFECTS[name](trx, parsed, ctx));
}

/**
 * Records a mutation in the outbox and shows its effect, in one transaction. The journal entry
 * (journal.ts) must already be written: that is what makes the mutation durable.
 */
export async function enqueueLocalMutation(
  db: Db,
  entry: { seq: number; name: MutationName; args: Record<string, unknown>; createdAt: string | Date },
  ctx: Omit<LocalMutationContext, 'seq' | 'now'>,
): Promise<LocalMutationEffect> {
  const now = new Date(entry.createdAt);
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto('outbox')
      .values({ seq: entry.seq, name: entry.name, args: jsonParam(entry.args), created_at: now, status: 'pending' })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
    return applyLocalMutation(trx, entry.name, entry.args, { ...ctx, seq: entry.seq, now });
  });
}

/** Undoes every optimistic effect: rows created locally go, rows changed locally get the server's version back. */
export async function revertOptimistic(db: Db): Promise<number> {
  const columns = await localColumns(db);
  return inTransaction(db, (trx) => revertWith(trx, columns));
}

async function revertWith(trx: Trx, columns: Awaited<ReturnType<typeof localColumns>>): Promise<number> {
  let reverted = 0;
  for (const table of OPTIMISTIC_TABLES) {
    const created = await sql`delete from ${sql.table(table)} t using optimistic_base b where b.tbl = ${table} and b.row is null and b.key = t.id::text`.execute(trx);
    // The server's version comes back column by column (generated ones excepted), numbers exact.
    const cols = [...(columns.get(table)?.keys() ?? [])].filter((c) => c !== 'id');
    const restored = await sql`
      update ${sql.table(table)} t
         set ${sql.join([...cols.map((c) => sql`${sql.ref(c)} = ${sql.ref(`r.${c}`)}`), sql`pending_seq = null`])}
        from optimistic_base b
       cross join lateral jsonb_populate_record(null::${sql.table(table)}, b.row) r
       where b.tbl = ${table} and b.row is not null and b.key = t.id::text`.execute(trx);
    reverted += Number(created.numAffectedRows ?? 0n) + Number(restored.numAffectedRows ?? 0n);
  }
  await sql`delete from optimistic_base`.execute(trx);
  return reverted;
}

/**
 * Puts the unsynced work back on top of what the server says: undoes every optimistic effect,
 * then replays the outbox mutations still 'pending' or 'sent', in seq order, each at the time it
 * was made. Call after applyPull and after push outcomes change the outbox.
 */
export async function rebaseOptimistic(db: Db, ctx: Omit<LocalMutationContext, 'seq' | 'now'>): Promise<{ reverted: number; replayed: number }> {
  const columns = await localColumns(db);
  return inTransaction(db, async (trx) => {
    const reverted = await revertWith(trx, columns);
    const unsynced = await trx.selectFrom('outbox').selectAll().where('status', 'in', ['pending', 'sent']).orderBy('seq').execute();
    let replayed = 0;
    for (const m of unsynced) {
      try {
        await applyLocalMutation(trx, m.name, m.args, { ...ctx, seq: m.seq, now: m.created_at });
        replayed++;
      } catch (error) {
        // An invalid mutation shows nothing; the server rejects it and the user sees why.
        if (!(error instanceof Error && error.name === 'AppError')) throw error;
      }
    }
    return { reverted, replayed };
  });
}
