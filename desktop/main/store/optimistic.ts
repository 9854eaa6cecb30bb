// The optimistic local effect of each intent mutation: what the workstation shows at once, before
// the server has seen it. The rules are the server's own (shared/case-mutations.ts: facts, guards,
// clock and side effects); this file applies them to the local store, marking every row it
// touches with the mutation's seq (`pending_seq`) and adding a 'local.pending' step to the case's
// timeline. The server's pull is the truth: applyPull replaces optimistic rows with the server's,
// and `rebaseOptimistic` undoes every optimistic effect and replays the mutations still unsynced.
//
// Where a rule needs a value only the server knows (the approval threshold, an asset's USD rate)
// and the workstation lacks it, the preview does not guess: the pending step names what it waits on
// (`awaiting`, PendingFacts a UI translates), and so does the mutation's LocalMutationEffect.
//
// Undo works through `optimistic_base`: before a server row is first touched, its server version
// is kept there; a row created locally is recorded with a null base (undo deletes it).
import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { MUTATIONS, type MutationName } from '../../../shared/sync/protocol';
import { parseInput } from '../../../shared/validation';
import {
  applyClockEffects,
  known,
  lifecycleFacts,
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
  unknown,
  type CaseSideEffect,
  type Knowable,
  type LifecycleFacts,
  type PendingFact,
  type ServerValue,
  type Verdict,
} from '../../../shared/case-mutations';
import { ROLES, type CaseAction, type CaseState, type Priority, type Role, type Tier } from '../../../shared/domain';
import type { SlaClock, SlaPolicy } from '../../../shared/sla';
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
  /**
   * Values only the server knows that the preview waits on, when there are any: a transition left
   * to the server (it hinges on them), or a row shown with them missing (a remedy without a USD
   * value). The 'local.pending' step of the mutation carries the same list.
   */
  awaiting?: PendingFact[];
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

async function pendingEvent(trx: Trx, c: LocalCase, name: MutationName, args: Record<string, unknown>, awaiting: PendingFact[], ctx: LocalMutationContext): Promise<void> {
  await insertRow(
    trx,
    'case_events',
    {
      id: localId(ctx.seq, 'event'),
      case_id: c.id,
      type: LOCAL_PENDING_EVENT,
      actor_id: ctx.userId,
      at: ctx.now,
      payload: jsonParam({ seq: ctx.seq, name, args, ...(awaiting.length > 0 ? { awaiting } : {}) }),
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

async function roleOf(trx: Trx, ctx: LocalMutationContext): Promise<Role | null> {
  if (ctx.role) return ctx.role;
  const user = await getMeta<{ role?: string }>(trx, META_KEYS.user);
  const role = user?.role;
  return typeof role === 'string' && (ROLES as readonly string[]).includes(role) ? (role as Role) : null;
}

/** The approval threshold is a server setting: known when given or kept in meta, unknown otherwise. */
async function thresholdOf(trx: Trx, ctx: Pick<LocalMutationContext, 'approvalThresholdUsd'>): Promise<Knowable<string>> {
  if (ctx.approvalThresholdUsd !== undefined) return known(ctx.approvalThresholdUsd);
  const stored = await getMeta<string | number>(trx, 'approvalThresholdUsd');
  return stored === null ? unknown('approval_threshold') : known(String(stored));
}

/** The lifecycle facts of a local case, as the preview decides with them (also read by the workstation's case view). */
export async function gatherFacts(trx: Trx, c: LocalCase, ctx: Pick<LocalMutationContext, 'userId' | 'approvalThresholdUsd'>): Promise<LifecycleFacts> {
  const [assessment, remedies, classified, pending, threshold] = await Promise.all([
    trx.selectFrom('assessments').select('id').where('case_id', '=', c.id).where('superseded_at', 'is', null).executeTakeFirst(),
    trx.selectFrom('remedies').select(['kind', 'status', 'asset', 'usd_value', 'proposed_by']).where('case_id', '=', c.id).execute(),
    sql<{ n: number }>`
      select count(*)::int as n from case_events
       where case_id = ${c.id}
         and (type = 'case.classified' or (type = ${LOCAL_PENDING_EVENT} and payload->>'name' = 'classify'))`.execute(trx),
    trx.selectFrom('approvals').select('requested_by').where('case_id', '=', c.id).where('decision', 'is', null).orderBy('requested_at', 'desc').executeTakeFirst(),
    thresholdOf(trx, ctx),
  ]);
  return lifecycleFacts({
    actorId: ctx.userId,
    assigneeId: c.assignee_id,
    resumeStatus: c.resume_status,
    classified: (classified.rows[0]?.n ?? 0) > 0,
    hasAssessment: !!assessment,
    // A remedy drafted here without a local rate has no USD value yet: the server values it.
    remedies: remedies.map((r) => ({
      kind: r.kind ?? '',
      status: r.status ?? '',
      usdValue: r.usd_value === null ? unknown('usd_rate', r.asset ? { asset: r.asset } : {}) : known(r.usd_value),
      proposedBy: r.proposed_by,
    })),
    approvalRequestedBy: pending?.requested_by ?? null,
    approvalThresholdUsd: threshold,
    // Arbitrators and mediators work in the portal, not on a workstation.
    externalAssigned: false,
  });
}

/** A ruling is recorded on the case's open arbitration (record_ruling needs one). */
export async function rulingRecorded(trx: Trx, caseId: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from rulings r join escalations e on e.id = r.escalation_id
     where e.case_id = ${caseId} and e.kind = 'arbitration' and e.status = 'open'`.execute(trx);
  return (r.rows[0]?.n ?? 0) > 0;
}

async function setRemedyStatus(trx: Trx, caseId: string, from: readonly string[], to: string, seq: number, kinds?: readonly string[]): Promise<void> {
  const kindFilter = kinds ? sql`and t.kind in (${sql.join(kinds)})` : sql``;
  await updateRows(trx, 'remedies', sql<boolean>`t.case_id = ${caseId} and t.status in (${sql.join(from)}) ${kindFilter}`, { status: to }, seq);
}

/** Applies side effects decided by shared/case-mutations to the local rows, in order. */
async function applySideEffects(trx: Trx, c: LocalCase, effects: readonly CaseSideEffect[], ctx: LocalMutationContext): Promise<void> {
  const { seq, userId, now } = ctx;
  for (const effect of effects) {
    switch (effect.type) {
      case 'open_approval':
        await insertRow(
          trx,
          'approvals',
          { id: localId(seq, 'approval'), case_id: c.id, requested_by: userId, requested_at: now, usd_total: effect.usdTotal, threshold_usd: effect.thresholdUsd },
          c.id,
          seq,
        );
        break;
      case 'decide_approval':
        await updateRows(
          trx,
          'approvals',
          sql<boolean>`t.case_id = ${c.id} and t.decision is null`,
          { decision: effect.decision, decided_by: userId, decided_at: now, reason: effect.reason },
          seq,
        );
        break;
      case 'set_remedy_status':
        await setRemedyStatus(trx, c.id, effect.from, effect.to, seq, effect.kinds);
        break;
      case 'record_objection':
        await insertRow(trx, 'objections', { id: localId(seq, 'objection'), case_id: c.id, reason: effect.reason, recorded_by: userId, at: now }, c.id, seq);
        break;
      case 'close_open_escalations':
        await updateRows(trx, 'escalations', sql<boolean>`t.case_id = ${c.id} and t.status = 'open'`, { status: 'closed', outcome: effect.outcome, closed_at: now }, seq);
        break;
      case 'open_escalation':
        await insertRow(
          trx,
          'escalations',
          { id: localId(seq, 'escalation'), case_id: c.id, kind: effect.kind, status: 'open', panel_size: effect.panelSize, reason: effect.reason, created_by: userId, created_at: now },
          c.id,
          seq,
        );
        break;
    }
  }
}

// ---- The mutations -----------------------------------------------------------------------------

/** What a mutation's preview showed: whether it applied, the status it set, the server values it waits on. */
interface Preview {
  shown: boolean;
  status?: CaseState;
  awaiting?: readonly ServerValue[];
}

const SHOWN: Preview = { shown: true };
/** Not shown: refused here (the server will say why), or hinging on values only the server knows. */
const notShown = (v: Exclude<Verdict<object>, { verdict: 'allowed' }>): Preview => ({ shown: false, ...(v.verdict === 'unknown' ? { awaiting: v.needs } : {}) });

type Effect = (trx: Trx, args: any, ctx: LocalMutationContext) => Promise<LocalMutationEffect>;

/** Case-scoped mutations: the pending step goes on the timeline whether or not the preview applies. */
function onCase(name: MutationName, caseIdOfArgs: (trx: Trx, args: any) => Promise<string | null>, effect: (trx: Trx, c: LocalCase, args: any, ctx: LocalMutationContext) => Promise<Preview>): Effect {
  return async (trx, args, ctx) => {
    const caseId = await caseIdOfArgs(trx, args);
    const c = caseId ? await loadCase(trx, caseId) : undefined;
    if (!c) return { caseId: null, previewed: false };
    const preview = await effect(trx, c, args, ctx);
    const awaiting = pendingFacts(preview.awaiting ?? []);
    await pendingEvent(trx, c, name, args, awaiting, ctx);
    return { caseId: c.id, previewed: preview.shown, ...(preview.status ? { status: preview.status } : {}), ...(awaiting.length > 0 ? { awaiting } : {}) };
  };
}

const argCase = async (_trx: Trx, args: { caseId: string }) => args.caseId;
const statusOf = (c: LocalCase) => c.status as CaseState;

const EFFECTS: Record<MutationName, Effect> = {
  addNote: onCase('addNote', argCase, async (trx, c, a: { id: string; body: string }, ctx) => {
    const plan = planCaseWork(statusOf(c));
    if (plan.verdict !== 'allowed') return notShown(plan);
    await insertRow(trx, 'notes', { id: a.id, case_id: c.id, author_id: ctx.userId, body: a.body, created_at: ctx.now }, c.id, ctx.seq);
    return SHOWN;
  }),

  addConsultation: onCase('addConsultation', argCase, async (trx, c, a: { id: string; team: string; question: string }, ctx) => {
    const plan = planCaseWork(statusOf(c));
    if (plan.verdict !== 'allowed') return notShown(plan);
    await insertRow(trx, 'consultations', { id: a.id, case_id: c.id, team: a.team, question: a.question, asked_by: ctx.userId, asked_at: ctx.now }, c.id, ctx.seq);
    return SHOWN;
  }),

  answerConsultation: onCase(
    'answerConsultation',
    async (trx, a: { consultationId: string }) =>
      (await trx.selectFrom('consultations').select('case_id').where('id', '=', a.consultationId).executeTakeFirst())?.case_id ?? null,
    async (trx, _c, a: { consultationId: string; answer: string }, ctx) => {
      const q = await trx.selectFrom('consultations').select('answer').where('id', '=', a.consultationId).executeTakeFirstOrThrow();
      const plan = planConsultationAnswer({ answered: q.answer !== null });
      if (plan.verdict !== 'allowed') return notShown(plan);
      await updateRows(trx, 'consultations', byId(a.consultationId), { answer: a.answer, answered_by: ctx.userId, answered_at: ctx.now }, ctx.seq);
      return SHOWN;
    },
  ),

  logCommunication: onCase('logCommunication', argCase, async (trx, c, a: { id: string; direction: string; channel: string; body: string }, ctx) => {
    const plan = planCommunication({ status: statusOf(c), firstResponded: c.first_responded_at !== null }, a.direction);
    if (plan.verdict !== 'allowed') return notShown(plan);
    await insertRow(trx, 'communications', { id: a.id, case_id: c.id, direction: a.direction, channel: a.channel, body: a.body, recorded_by: ctx.userId, at: ctx.now }, c.id, ctx.seq);
    const clock = clockOf(c);
    if (plan.clock.length > 0 && clock) {
      await updateRows(trx, 'cases', byId(c.id), { ...clockColumns(applyClockEffects(clock, plan.clock, ctx.now)), updated_at: ctx.now }, ctx.seq);
    }
    return SHOWN;
  }),

  setAssessment: onCase(
    'setAssessment',
    argCase,
    async (trx, c, a: { platformShare: string; userShare: string; thirdPartyShare: string; thirdPartyKind?: string; findings: string }, ctx) => {
      const plan = planAssessment(statusOf(c), a);
      if (plan.verdict !== 'allowed') return notShown(plan);
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
          third_party_kind: plan.thirdPartyKind,
          findings: a.findings,
          author_id: ctx.userId,
          created_at: ctx.now,
        },
        c.id,
        ctx.seq,
      );
      return SHOWN;
    },
  ),

  proposeRemedy: onCase('proposeRemedy', argCase, async (trx, c, a: { kind: string; asset?: string; amount?: string; details: string }, ctx) => {
    let usdRate: Knowable<string | null> = known(null);
    if (a.asset && a.amount) {
      const rate = await trx
        .selectFrom('asset_rates')
        .select('usd_rate')
        .where('asset', '=', a.asset)
        .where('effective_at', '<=', ctx.now)
        .orderBy('effective_at', 'desc')
        .executeTakeFirst();
      // No local rate is not "no rate": the server may have one the workstation has not pulled.
      usdRate = rate?.usd_rate ? known(rate.usd_rate) : unknown('usd_rate', { asset: a.asset });
    }
    const plan = planRemedy(statusOf(c), a, usdRate);
    if (plan.verdict !== 'allowed') return notShown(plan);
    await applySideEffects(trx, c, plan.effects, ctx);
    await insertRow(
      trx,
      'remedies',
      {
        id: localId(ctx.seq, 'remedy'),
        case_id: c.id,
        kind: a.kind,
        asset: a.asset ?? null,
        amount: a.amount ?? null,
        // Left empty while unknown; the pending step says it waits on the server's rate.
        usd_value: plan.usdValue.known ? plan.usdValue.value : null,
        details: a.details,
        status: 'draft',
        proposed_by: ctx.userId,
        created_at: ctx.now,
      },
      c.id,
      ctx.seq,
    );
    return plan.usdValue.known ? SHOWN : { shown: true, awaiting: plan.usdValue.needs };
  }),

  withdrawRemedy: onCase(
    'withdrawRemedy',
    async (trx, a: { remedyId: string }) => (await trx.selectFrom('remedies').select('case_id').where('id', '=', a.remedyId).executeTakeFirst())?.case_id ?? null,
    async (trx, c, a: { remedyId: string }, ctx) => {
      const remedy = await trx.selectFrom('remedies').select('status').where('id', '=', a.remedyId).executeTakeFirstOrThrow();
      const plan = planRemedyWithdrawal(statusOf(c), remedy.status ?? '');
      if (plan.verdict !== 'allowed') return notShown(plan);
      await updateRows(trx, 'remedies', byId(a.remedyId), { status: 'withdrawn' }, ctx.seq);
      return SHOWN;
    },
  ),

  transition: onCase(
    'transition',
    argCase,
    async (trx, c, a: { action: CaseAction; expectedStatus: CaseState; reason?: string; panelSize?: 1 | 3 }, ctx) => {
      const role = await roleOf(trx, ctx);
      if (!role) return { shown: false };
      const plan = planTransition(
        { status: statusOf(c), role, facts: await gatherFacts(trx, c, ctx), rulingRecorded: a.action === 'record_ruling' ? await rulingRecorded(trx, c.id) : undefined },
        a,
      );
      if (plan.verdict !== 'allowed') return notShown(plan);

      const patch: Record<string, unknown> = { status: plan.next, updated_at: ctx.now, resume_status: plan.resumeStatus };
      const clock = clockOf(c);
      if (clock) Object.assign(patch, clockColumns(applyClockEffects(clock, plan.clock, ctx.now)));
      if (plan.closes) patch.closed_at = ctx.now;
      if (plan.archives) patch.archived_at = ctx.now;
      await applySideEffects(trx, c, plan.effects, ctx);
      await updateRows(trx, 'cases', byId(c.id), patch, ctx.seq);
      return { shown: true, status: plan.next };
    },
  ),

  classify: onCase(
    'classify',
    argCase,
    async (trx, c, a: { category: string; subcategory: string; tier: Tier; priority: Priority; urgent?: boolean }, ctx) => {
      const plan = planClassification(statusOf(c), a, await localSlaPolicies(trx));
      if (plan.verdict !== 'allowed') return notShown(plan);
      const patch: Record<string, unknown> = { category: a.category, subcategory: a.subcategory, tier: a.tier, priority: a.priority, updated_at: ctx.now };
      if (a.urgent !== undefined) patch.urgent = a.urgent;
      const clock = clockOf(c);
      if (clock) {
        const next = applyClockEffects(clock, plan.clock, ctx.now);
        patch.first_response_due_at = next.firstResponseDueAt;
        patch.resolution_due_at = next.resolutionDueAt;
      }
      await updateRows(trx, 'cases', byId(c.id), patch, ctx.seq);
      return SHOWN;
    },
  ),

  recordSatisfaction: onCase('recordSatisfaction', argCase, async (trx, c, a: { score: number; comment?: string }, ctx) => {
    const plan = planSatisfaction(statusOf(c));
    if (plan.verdict !== 'allowed') return notShown(plan);
    await updateRows(trx, 'cases', byId(c.id), { satisfaction_score: a.score, satisfaction_comment: a.comment ?? null, updated_at: ctx.now }, ctx.seq);
    return SHOWN;
  }),

  updateCaseFields: onCase('updateCaseFields', argCase, async (trx, c, a: { fields: { handler_summary?: string; next_action?: string; urgent?: boolean } }, ctx) => {
    const plan = planCaseFieldEdits({ ...c, status: statusOf(c) }, a.fields);
    if (plan.verdict !== 'allowed') return notShown(plan);
    if (plan.changes.length > 0) {
      await updateRows(trx, 'cases', byId(c.id), { ...Object.fromEntries(plan.changes.map((ch) => [ch.field, ch.to])), updated_at: ctx.now }, ctx.seq);
    }
    return SHOWN;
  }),

  // A dossier exported offline changes nothing the workstation shows but its 'not yet synced' step:
  // the custody entries are the server's to write, and come back with the next pull.
  recordDossierExport: onCase('recordDossierExport', argCase, async () => SHOWN),
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

/**
 * What the previews of a case's unsynced mutations wait on from the server, per mutation: what a
 * UI shows as "pending: depends on …" for the case, and for each row whose `pending_seq` is `seq`.
 */
export async function awaitedServerFacts(db: Db, caseId: string): Promise<{ seq: number; name: MutationName; awaiting: PendingFact[] }[]> {
  const steps = await db
    .selectFrom('case_events')
    .select('payload')
    .where('case_id', '=', caseId)
    .where('type', '=', LOCAL_PENDING_EVENT)
    .where(sql<boolean>`jsonb_typeof(payload->'awaiting') = 'array'`)
    .execute();
  return steps
    .map((s) => s.payload as { seq: number; name: MutationName; awaiting: PendingFact[] })
    .map(({ seq, name, awaiting }) => ({ seq, name, awaiting }))
    .sort((x, y) => x.seq - y.seq);
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
