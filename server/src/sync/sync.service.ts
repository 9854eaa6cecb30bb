// The server side of workstation sync.
// Push: each mutation applies in its own transaction together with the device's sequence number,
// so it happens exactly once; a mutation the server refuses is recorded as rejected (with why)
// and the sequence still advances, so the queue never blocks.
// Pull: a cursor over (transaction id, change version) below the oldest running transaction, so a
// row that commits after a row with a higher version is never skipped.
import { createHash } from 'node:crypto';
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import { transact, transactIndependently, transactOnSnapshot } from '../db/transaction';
import { isUniqueViolation, violatedConstraint } from '../db/pg-errors';
import { audit } from '../audit/audit.service';
import { createSession } from '../auth/session.service';
import { AppError, badInput, forbidden } from '../../../shared/errors';
import { parseInput } from '../../../shared/validation';
import { findUnstorableText } from '../../../shared/schemas';
import { scrubDeep } from '../../../shared/redaction';
import {
  MUTATIONS,
  SYNCED_TABLES,
  type MutationEnvelope,
  type MutationOutcome,
  type PullInput,
  type PullResult,
  type PushInput,
  type PushResult,
  type RowChange,
  type SyncedTable,
} from '../../../shared/sync/protocol';
import { canSeeCase, roleMayMutate } from '../auth/policy';
import * as cases from '../cases/cases.service';
import * as repo from './sync.repository';
import { recordDossierExport } from '../dossiers/offline-export.service';

type Ctx = ServiceContext & { actor: UserActor };

// ---- Devices ---------------------------------------------------------------------------------

/** First login on a workstation: the device gets its own credential, revocable on its own. */
export async function registerDevice(db: DB, ctx: Ctx, input: { name: string; platform: string }) {
  return transact(db, async (trx) => {
    const device = await repo.insertDevice(trx, { user_id: ctx.actor.userId, name: input.name, platform: input.platform });
    const session = await createSession(trx, {
      userId: ctx.actor.userId,
      kind: 'device',
      totpVerified: ctx.actor.totpSatisfied,
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      deviceId: device.id,
    });
    await audit(trx, ctx, { action: 'device.registered', entity: 'devices', entityId: device.id, details: { name: input.name, platform: input.platform } });
    return { deviceId: device.id, token: session.token, expiresAt: session.expiresAt, scope: scopeOf(ctx.actor) };
  });
}

export async function revokeDevice(db: DB, ctx: Ctx, input: { deviceId: string; reason: string }) {
  return transact(db, async (trx) => {
    const device = await repo.lockDevice(trx, input.deviceId);
    if (!device) throw new AppError('not_found', 'sync.device_not_found', { field: 'deviceId' });
    if (device.revoked_at) return { ok: true as const };
    await repo.revokeDevice(trx, device.id, ctx.actor.userId, input.reason, new Date());
    await audit(trx, ctx, { action: 'device.revoked', entity: 'devices', entityId: device.id, details: { reason: input.reason, userId: device.user_id } });
    return { ok: true as const };
  });
}

export async function listDevices(db: DB, userId?: string) {
  return (await repo.devicesOf(db, userId)).map((d) => ({
    id: d.id,
    userId: d.user_id,
    userName: d.user_name,
    name: d.name,
    platform: d.platform,
    lastAppliedSeq: Number(d.last_applied_seq),
    createdAt: d.created_at,
    lastSeenAt: d.last_seen_at,
    revokedAt: d.revoked_at,
    revokedReason: d.revoked_reason,
  }));
}

function deviceOf(ctx: Ctx, deviceId: string): string {
  if (!ctx.actor.deviceId || ctx.actor.deviceId !== deviceId) throw new AppError('forbidden', 'sync.not_this_device', { field: 'deviceId' });
  return deviceId;
}

/** What a user may see depends on role and teams; a change of either resets the device. */
export function scopeOf(actor: UserActor): string {
  return createHash('sha256').update(JSON.stringify([actor.userId, actor.role, [...actor.teamIds].sort()])).digest('hex').slice(0, 32);
}

// ---- Push ------------------------------------------------------------------------------------

async function applyMutation(trx: DB, ctx: Ctx, m: MutationEnvelope): Promise<void> {
  // The roles of the procedure the mutation stands for (auth/policy.ts MUTATION_ACCESS).
  if (!roleMayMutate(m.name, ctx.actor.role)) throw forbidden();
  // Text Postgres cannot hold (NUL, a lone surrogate): this mutation is rejected, not the push.
  const unstorable = findUnstorableText(m.args);
  if (unstorable) throw badInput(unstorable.messageKey, unstorable.field);
  const args = parseInput(MUTATIONS[m.name], m.args) as never;
  switch (m.name) {
    case 'addNote':
      return void (await cases.addNote(trx, ctx, args));
    case 'addConsultation':
      return void (await cases.addConsultation(trx, ctx, args));
    case 'answerConsultation':
      return void (await cases.answerConsultation(trx, ctx, args));
    case 'logCommunication':
      return void (await cases.logCommunication(trx, ctx, args));
    case 'setAssessment':
      return void (await cases.setAssessment(trx, ctx, args));
    case 'proposeRemedy':
      return void (await cases.proposeRemedy(trx, ctx, args));
    case 'withdrawRemedy':
      return void (await cases.withdrawRemedy(trx, ctx, args));
    case 'transition':
      return void (await cases.transitionCase(trx, ctx, args));
    case 'classify':
      return void (await cases.classifyCase(trx, ctx, args));
    case 'recordSatisfaction':
      return void (await cases.recordSatisfaction(trx, ctx, args));
    case 'updateCaseFields':
      return void (await cases.updateCaseFields(trx, ctx, args));
    case 'recordDossierExport':
      return recordDossierExport(trx, ctx, args);
  }
}

class Skip extends Error {
  constructor(readonly kind: 'duplicate' | 'gap', readonly expected: number) {
    super(kind);
  }
}

function reasonOf(error: unknown) {
  const app = error instanceof AppError ? error : duplicateRow(error);
  if (app) return { messageKey: app.messageKey, field: app.field ?? null, params: app.options.params ?? {} };
  return null;
}

/** A created row whose client-chosen id is taken never applies: a refusal, or its seq would block the queue for good. */
function duplicateRow(error: unknown): AppError | null {
  if (!isUniqueViolation(error)) return null;
  return new AppError('conflict', 'error.duplicate', { field: violatedConstraint(error)?.endsWith('_pkey') ? 'id' : undefined });
}

async function recordedOutcome(db: DB, deviceId: string, seq: number): Promise<MutationOutcome> {
  const row = await repo.recordedMutation(db, deviceId, seq);
  return {
    seq,
    status: (row?.status as 'applied' | 'rejected' | undefined) ?? 'applied',
    duplicate: true,
    reason: (row?.reason as MutationOutcome['reason']) ?? null,
  };
}

export async function push(db: DB, ctx: Ctx, input: PushInput): Promise<PushResult> {
  const deviceId = deviceOf(ctx, input.deviceId);
  const outcomes: MutationOutcome[] = [];
  let gap: PushResult['gap'] = null;
  // Where a pull cursor must get to for the rows of every applied mutation here to have travelled.
  let horizon = 0n;
  const reach = (xact: bigint) => void (horizon = xact > horizon ? xact : horizon);
  for (const m of [...input.mutations].sort((a, b) => a.seq - b.seq)) {
    try {
      // The mutation and the device's sequence number commit together, or neither does.
      const xact = await transactIndependently(db, async (trx) => {
        const device = await repo.lockDevice(trx, deviceId);
        const last = Number(device!.last_applied_seq);
        if (m.seq <= last) throw new Skip('duplicate', last + 1);
        if (m.seq > last + 1) throw new Skip('gap', last + 1);
        await applyMutation(trx, ctx, m);
        await repo.advanceDevice(trx, deviceId, m.seq);
        await repo.recordMutation(trx, { device_id: deviceId, seq: m.seq, name: m.name, args: m.args, status: 'applied', reason: null });
        return repo.currentXact(trx);
      });
      reach(BigInt(xact) + 1n);
      outcomes.push({ seq: m.seq, status: 'applied', duplicate: false, reason: null });
    } catch (error) {
      if (error instanceof Skip) {
        if (error.kind === 'gap') {
          gap = { expected: error.expected, got: m.seq };
          break;
        }
        const recorded = await recordedOutcome(db, deviceId, m.seq);
        // Applied by an earlier push, in a transaction that has ended: below the first id not yet given out.
        if (recorded.status === 'applied') reach(BigInt(await repo.snapshotXmax(db)));
        outcomes.push(recorded);
        continue;
      }
      const reason = reasonOf(error);
      if (!reason) throw error; // not a refusal: the server failed; the client retries the same seq later
      // Refused by validation, permission or state: recorded as rejected, and the queue moves on.
      const recorded = await transactIndependently(db, async (trx) => {
        const device = await repo.lockDevice(trx, deviceId);
        const last = Number(device!.last_applied_seq);
        if (last !== m.seq - 1) return false;
        await repo.advanceDevice(trx, deviceId, m.seq);
        // Kept as sent, except characters Postgres cannot hold (the reason of a rejection for them).
        const args = scrubDeep(m.args, (t) => t.replaceAll('\u0000', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD')) as typeof m.args;
        await repo.recordMutation(trx, { device_id: deviceId, seq: m.seq, name: m.name, args, status: 'rejected', reason });
        await audit(trx, ctx, { action: 'sync.mutation_rejected', entity: 'devices', entityId: deviceId, details: { seq: m.seq, name: m.name, reason: reason.messageKey } });
        return true;
      });
      if (recorded) outcomes.push({ seq: m.seq, status: 'rejected', duplicate: false, reason });
      else {
        // A concurrent push of the same seq settled it first.
        const other = await recordedOutcome(db, deviceId, m.seq);
        if (other.status === 'applied') reach(BigInt(await repo.snapshotXmax(db)));
        outcomes.push(other);
      }
    }
  }
  const device = await repo.findDevice(db, deviceId);
  return { lastAppliedSeq: Number(device!.last_applied_seq), outcomes, gap, ...(horizon > 0n ? { horizon: String(horizon) } : {}) };
}

// ---- Pull ------------------------------------------------------------------------------------

const CASE_TABLES = (Object.keys(SYNCED_TABLES) as SyncedTable[]).filter(
  (t) => !['teams', 'users', 'complainants', 'tiering_rules', 'sla_policies', 'asset_rates'].includes(t),
);

function parseCursor(cursor: string | null) {
  if (!cursor) return { xact: '0', version: '0' };
  const [xact, version] = cursor.split(':') as [string, string];
  return { xact, version };
}

export async function pull(db: DB, ctx: Ctx, input: PullInput): Promise<PullResult> {
  deviceOf(ctx, input.deviceId);
  const scope = scopeOf(ctx.actor);
  const reset = input.scope !== null && input.scope !== scope;
  const after = reset ? parseCursor(null) : parseCursor(input.cursor);
  await repo.touchDevice(db, input.deviceId);
  // One snapshot for the whole answer: the horizon and the rows read agree.
  return transactOnSnapshot(db, async (trx) => {
    const xmin = await repo.snapshotXmin(trx);
    const log = await repo.changesAfter(trx, after, xmin, input.limit + 1);
    const hasMore = log.length > input.limit;
    const batch = hasMore ? log.slice(0, input.limit) : log;

    const caseIds = [...new Set(batch.map((c) => c.case_id).filter((id): id is string => id !== null))];
    const scopes = new Map((await repo.caseScopes(trx, caseIds)).map((c) => [c.id, c]));
    const visible = (caseId: string | null) => caseId === null || (scopes.has(caseId) && canSeeCase(ctx.actor, scopes.get(caseId)!));

    const dropCaseIds = new Set<string>();
    const newlyVisible = new Set<string>();
    for (const c of batch) {
      if (c.table_name !== 'cases' || !c.case_id) continue;
      const before = { team_id: c.before_team_id, assignee_id: c.before_assignee_id };
      // A new case has no "before"; an updated one was visible or not under its earlier scope.
      const wasVisible = c.is_update ? canSeeCase(ctx.actor, before) : null;
      if (visible(c.case_id)) {
        if (wasVisible === false) newlyVisible.add(c.case_id);
      } else if (wasVisible === true) dropCaseIds.add(c.case_id);
    }

    // A complainant is seen through a case: only those with a case the user may see travel.
    const complainantKeys = [...new Set(batch.filter((c) => c.table_name === 'complainants').map((c) => c.row_key))];
    const seenComplainants = new Set(
      (await repo.complainantCaseScopes(trx, complainantKeys)).filter((s) => canSeeCase(ctx.actor, s)).map((s) => s.complainant_id),
    );
    const visibleChange = (c: (typeof batch)[number]) => (c.table_name === 'complainants' ? seenComplainants.has(c.row_key) : visible(c.case_id));

    // Latest state of each changed row the user may see; a deleted row travels as a tombstone.
    const wanted = new Map<SyncedTable, Set<string>>();
    for (const c of batch) {
      if (!visibleChange(c) || newlyVisible.has(c.case_id ?? '')) continue;
      const table = c.table_name as SyncedTable;
      if (!wanted.has(table)) wanted.set(table, new Set());
      wanted.get(table)!.add(c.row_key);
    }
    const changes: RowChange[] = [];
    for (const [table, keys] of wanted) {
      const rows = await repo.rowsByKey(trx, table, [...keys]);
      for (const key of keys) {
        const row = rows.get(key) ?? null;
        changes.push({ table, key, row: row && row.deleted_at ? null : row });
      }
    }
    // A case reassigned to the user arrives whole: its history was logged before their cursor.
    for (const caseId of newlyVisible)
      for (const table of CASE_TABLES)
        for (const { key, row } of await repo.caseRows(trx, table, caseId)) changes.push({ table, key, row: row.deleted_at ? null : row });

    // ... and with its complainant, logged while the case was out of sight. (A new case needs no
    // such help: intake writes its complainant row in the same transaction.)
    const sentComplainants = new Set(changes.filter((c) => c.table === 'complainants').map((c) => c.key));
    const missing = new Set<string>();
    for (const c of changes)
      if (c.table === 'cases' && c.row && newlyVisible.has(c.key) && !sentComplainants.has(String(c.row.complainant_id))) missing.add(String(c.row.complainant_id));
    for (const [key, row] of await repo.rowsByKey(trx, 'complainants', [...missing])) changes.push({ table: 'complainants', key, row: row.deleted_at ? null : row });

    const last = batch[batch.length - 1];
    const cursor = hasMore && last ? `${last.xact_id}:${last.version}` : maxCursor(`${after.xact}:${after.version}`, `${xmin}:0`);
    return { cursor, hasMore, changes, dropCaseIds: [...dropCaseIds], reset, scope };
  });
}

function maxCursor(a: string, b: string): string {
  const [ax, av] = a.split(':').map(BigInt) as [bigint, bigint];
  const [bx, bv] = b.split(':').map(BigInt) as [bigint, bigint];
  return ax > bx || (ax === bx && av >= bv) ? a : b;
}
