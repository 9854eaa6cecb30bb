// The workstation's sync engine: plain Node, no Electron. A write is acknowledged once it is in
// the fsync'd journal; it is applied to the local store at once (optimistically), pushed when the
// server can be reached, and replaced by the server's truth on the next pull. A mutation the
// server refuses is kept, with its reason, for the user to see and act on — in the local store and
// in the journal, so a rebuilt store still shows it until the user dismisses it.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { parseInput } from '../../shared/validation';
import {
  MUTATIONS,
  type MutationArgs,
  type MutationEnvelope,
  type MutationName,
  type PullResult,
  type PushInput,
  type PushResult,
  type PullInput,
} from '../../shared/sync/protocol';
import { openLocalStore, wipeLocalStore, LocalStoreDamagedError, type LocalStore } from './store/local-db';
import { applyPull } from './store/apply-changes';
import { applyLocalMutation, enqueueLocalMutation, revertOptimistic } from './store/optimistic';
import { getMeta, setMeta } from './store/meta';
import type { LocalDatabase } from './store/local-schema';
import { sql, type Kysely } from 'kysely';
import type { Role } from '../../shared/domain';
import { Journal, type JournalRejection } from './journal';
import { lockDataDir } from './lock';

/** How the engine reaches the server; tests wrap it to drop, duplicate and delay requests. */
export interface SyncTransport {
  push(input: PushInput): Promise<PushResult>;
  pull(input: PullInput): Promise<PullResult>;
}

/** An error from the server that the engine must act on rather than retry. */
export class TransportRefusal extends Error {
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

export interface EngineIdentity {
  deviceId: string;
  userId: string;
  /** The user's role, for the local preview of lifecycle steps. */
  role: Role;
}

export interface Rejection {
  seq: number;
  name: MutationName;
  args: Record<string, unknown>;
  messageKey: string;
  field: string | null;
  params: Record<string, string | number>;
  at: Date;
}

export type EngineStatus = 'ready' | 'revoked';

/** Meta key: seq → horizon of confirmed mutations whose rows no pull has brought yet. */
const AWAITING_ROWS = 'awaitingRows';

async function awaitRows(trx: Kysely<LocalDatabase>, seq: number, horizon: string): Promise<void> {
  const entry = JSON.stringify({ [seq]: horizon });
  await sql`
    insert into meta (key, value) values (${AWAITING_ROWS}, ${entry}::jsonb)
    on conflict (key) do update set value = coalesce(meta.value, '{}'::jsonb) || excluded.value`.execute(trx);
}

/** Shows refusals to the user; one already there stays as it is (dismissed or not). */
async function insertRejections(db: Kysely<LocalDatabase>, rejections: readonly JournalRejection[]): Promise<void> {
  if (rejections.length === 0) return;
  await db
    .insertInto('rejections')
    .values(
      rejections.map((r) => ({
        seq: r.seq,
        name: r.name,
        args: JSON.stringify(r.args),
        message_key: r.reason.messageKey,
        field: r.reason.field,
        params: JSON.stringify(r.reason.params),
        at: new Date(r.at),
      })),
    )
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
}

const PUSH_BATCH = 200;
const PULL_LIMIT = 5000;
const MAX_PULL_PAGES = 10_000;

export class SyncEngine {
  status: EngineStatus = 'ready';
  revokedReason: string | null = null;

  private constructor(
    readonly dataDir: string,
    readonly identity: EngineIdentity,
    private store: LocalStore,
    private readonly journal: Journal,
    private readonly transport: SyncTransport,
    private readonly releaseLock: () => void,
  ) {}

  /**
   * Opens the workstation's data directory (one process at a time). A local database that cannot
   * be opened is rebuilt: emptied, filled again from the server when it answers, and the journal's
   * unsynced mutations replayed on top — so nothing acknowledged is lost.
   */
  static async open(options: { dataDir: string; identity: EngineIdentity; transport: SyncTransport; online?: boolean }): Promise<SyncEngine> {
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const lock = lockDataDir(options.dataDir);
    try {
      const journal = Journal.open(path.join(options.dataDir, 'journal.jsonl'));
      let store: LocalStore;
      let rebuilt = false;
      try {
        store = await openLocalStore({ dataDir: options.dataDir });
      } catch (error) {
        if (!(error instanceof LocalStoreDamagedError)) throw error;
        await wipeLocalStore(options.dataDir);
        store = await openLocalStore({ dataDir: options.dataDir });
        rebuilt = true;
      }
      const engine = new SyncEngine(options.dataDir, options.identity, store, journal, options.transport, () => lock.release());
      await engine.reconcileWithJournal();
      if (rebuilt && options.online !== false) await engine.pull().catch(() => undefined);
      return engine;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get db() {
    return this.store.db;
  }

  /**
   * Records a mutation: validated, journaled with fsync (the acknowledgement), then applied
   * locally. Returns the sequence number once the write is durable.
   */
  async mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<{ seq: number }> {
    this.assertUsable();
    const parsed = parseInput(MUTATIONS[name], args) as Record<string, unknown>;
    const seq = this.journal.nextSeq();
    const entry: MutationEnvelope = { seq, name, args: parsed, createdAt: new Date().toISOString() };
    this.journal.append(entry);
    await this.applyPending(entry);
    return { seq };
  }

  /** Puts a journaled mutation into the outbox and the local tables, if it is not there yet. */
  private async applyPending(entry: MutationEnvelope): Promise<void> {
    const known = await this.store.db.selectFrom('outbox').select('seq').where('seq', '=', entry.seq).executeTakeFirst();
    if (known) return;
    try {
      await enqueueLocalMutation(this.store.db, entry, this.previewContext());
    } catch (error) {
      // A preview the local state cannot show (say, a step the case no longer allows) is still queued:
      // the server decides, and a refusal comes back to the user with its reason.
      if (!(error instanceof AppError)) throw error;
      await this.store.db
        .insertInto('outbox')
        .values({ seq: entry.seq, name: entry.name, args: JSON.stringify(entry.args), created_at: new Date(entry.createdAt), status: 'pending' })
        .onConflict((oc) => oc.column('seq').doNothing())
        .execute();
    }
  }

  /** After a crash the local database may lag the journal (it does not fsync): catch it up. */
  private async reconcileWithJournal(): Promise<void> {
    const pending = this.journal.pending();
    // One read of the outbox rather than one per journaled mutation: opening stays quick however
    // much work is unsynced; only what the crash lost from the local database is applied again.
    const outbox = pending.length ? await this.store.db.selectFrom('outbox').select(['seq', 'status']).where('seq', '>=', pending[0]!.seq).execute() : [];
    const known = new Map(outbox.map((r) => [Number(r.seq), r.status]));
    for (const entry of pending) if (!known.has(entry.seq)) await this.applyPending(entry);
    // A crash between recording the server's outcome locally and in the journal: the journal
    // catches up, or it would list the mutation as unsynced for good.
    const applied = pending.filter((e) => known.get(e.seq) === 'applied').map((e) => e.seq);
    if (applied.length) this.journal.markDone(applied, 'applied');
    await this.reconcileRejections(pending.filter((e) => known.get(e.seq) === 'rejected').map((e) => e.seq));
    // No rebase here: an outbox row and its preview commit together, so what survived is whole, and
    // previews of confirmed mutations must stay until a pull brings the server's rows.
  }

  /**
   * Refusals are kept in the local store, where the user sees them, and in the journal, which
   * outlives the store. The store gets back the refusals the user has not dismissed and the
   * dismissals it lacks (it was rebuilt, or lost its last writes); the journal gets the refusals it
   * lacks: those of `refusedUnjournaled`, mutations the journal still lists as unsynced that the
   * store has as rejected (a crash between recording the outcome in one and in the other), and those
   * the user has not dismissed yet from before the journal kept refusals.
   */
  private async reconcileRejections(refusedUnjournaled: readonly number[]): Promise<void> {
    const journaled = new Map(this.journal.rejections().map((r) => [r.seq, r]));
    const local = await this.store.db
      .selectFrom('rejections')
      .selectAll()
      .where((eb) => eb.or([eb('dismissed_at', 'is', null), ...(refusedUnjournaled.length ? [eb('seq', 'in', refusedUnjournaled)] : [])]))
      .execute();
    const inStore = new Set(local.map((r) => r.seq));
    await insertRejections(this.store.db, [...journaled.values()].filter((r) => r.dismissedAt === null && !inStore.has(r.seq)));
    for (const r of local) {
      const dismissedAt = journaled.get(r.seq)?.dismissedAt;
      if (r.dismissed_at === null && dismissedAt) await this.store.db.updateTable('rejections').set({ dismissed_at: new Date(dismissedAt) }).where('seq', '=', r.seq).execute();
    }
    const unjournaled = local.filter((r) => !journaled.has(r.seq));
    this.journal.markRejected(
      unjournaled.map((r) => ({
        seq: r.seq,
        name: r.name as MutationName,
        args: r.args as Record<string, unknown>,
        reason: { messageKey: r.message_key, field: r.field, params: (r.params ?? {}) as Record<string, string | number> },
        at: new Date(r.at).toISOString(),
      })),
    );
    for (const r of unjournaled) if (r.dismissed_at !== null) this.journal.markDismissed(r.seq, new Date(r.dismissed_at).toISOString());
    // The outbox says rejected but the store has no refusal to show (they are written together, so
    // this should not happen): settle it in the journal all the same.
    const unknown = refusedUnjournaled.filter((seq) => !inStore.has(seq));
    if (unknown.length) this.journal.markDone(unknown, 'rejected');
  }

  private previewContext() {
    return { userId: this.identity.userId, role: this.identity.role };
  }

  /** Mutations not yet confirmed by the server, oldest first. */
  async pendingMutations(): Promise<MutationEnvelope[]> {
    const rows = await this.store.db.selectFrom('outbox').selectAll().where('status', 'in', ['pending', 'sent']).orderBy('seq').execute();
    return rows.map((r) => ({ seq: r.seq, name: r.name as MutationName, args: r.args as Record<string, unknown>, createdAt: new Date(r.created_at).toISOString() }));
  }

  /** Sends pending mutations in order; returns how many the server confirmed or refused. */
  async push(): Promise<{ applied: number; rejected: number }> {
    this.assertUsable();
    let applied = 0;
    let rejected = 0;
    for (let round = 0; round < 10_000; round++) {
      const pending = await this.pendingMutations();
      if (pending.length === 0) break;
      const batch = pending.slice(0, PUSH_BATCH);
      const result = await this.call(() => this.transport.push({ deviceId: this.identity.deviceId, mutations: batch }));
      for (const outcome of result.outcomes) {
        const m = batch.find((b) => b.seq === outcome.seq);
        if (!m) continue;
        const rejection: JournalRejection | null =
          outcome.status === 'rejected'
            ? { seq: m.seq, name: m.name, args: m.args, reason: outcome.reason ?? { messageKey: 'error.internal', field: null, params: {} }, at: new Date().toISOString() }
            : null;
        await this.store.db.transaction().execute(async (trx) => {
          await trx.updateTable('outbox').set({ status: outcome.status }).where('seq', '=', outcome.seq).execute();
          // Its preview stays until a pull cursor passes the server's horizon (see pull()).
          if (outcome.status === 'applied' && result.horizon) await awaitRows(trx, outcome.seq, result.horizon);
          if (rejection) await insertRejections(trx, [rejection]);
        });
        // The journal keeps the refusal too: the store is a cache, and the user must still see it after a rebuild.
        if (rejection) this.journal.markRejected(rejection);
        else this.journal.markDone(outcome.seq, 'applied');
        if (outcome.status === 'applied') applied++;
        else rejected++;
      }
      // Everything the server has is settled; the server expects a later seq than our oldest
      // pending one only if those outcomes were lost, which the duplicates above recover.
      if (result.gap) throw new Error(`sync gap: the server expects seq ${result.gap.expected}, the oldest pending is ${batch[0]!.seq}`);
      if (result.outcomes.length === 0) break;
    }
    // Confirmed mutations keep their preview until the pull that brings the server's rows replaces
    // it (rebase after pull), so nothing the user did vanishes from the screen in between.
    if (applied + rejected > 0 && this.journal.size() > 1024 * 1024) this.journal.compact();
    return { applied, rejected };
  }

  /** Pulls every change since the stored cursor, then re-applies what is still pending on top. */
  async pull(): Promise<{ changes: number; dropped: number; reset: boolean }> {
    this.assertUsable();
    let changes = 0;
    let dropped = 0;
    let reset = false;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const meta = await this.readMeta();
      const result = await this.call(() => this.transport.pull({ deviceId: this.identity.deviceId, cursor: meta.cursor, limit: PULL_LIMIT, scope: meta.scope }));
      await applyPull(this.store.db, result);
      changes += result.changes.length;
      dropped += result.dropCaseIds.length;
      reset ||= result.reset;
      if (!result.hasMore) break;
    }
    // The server's rows replaced the optimistic ones: put what is still unconfirmed back on top.
    await this.rebase();
    return { changes, dropped, reset };
  }

  /**
   * Undoes every preview and replays, in seq order, the mutations still unconfirmed and the
   * confirmed ones whose rows the pulls have not brought yet: a pull does not pass a transaction
   * older than theirs that still runs on the server, and until the cursor reaches the horizon the
   * server gave with their confirmation, their preview is all the user would see of them.
   */
  private async rebase(): Promise<void> {
    // One transaction, reads included: a push recording outcomes meanwhile lands before or after it.
    await this.store.db.transaction().execute(async (trx) => {
      const cursor = await getMeta<string>(trx, 'cursor');
      const reached = cursor ? BigInt(cursor.split(':')[0]!) : 0n;
      const awaiting = Object.entries((await getMeta<Record<string, string>>(trx, AWAITING_ROWS)) ?? {}).filter(([, horizon]) => BigInt(horizon) > reached);
      await setMeta(trx, AWAITING_ROWS, Object.fromEntries(awaiting));
      await revertOptimistic(trx);
      const seqs = awaiting.map(([seq]) => Number(seq));
      const replay = await trx
        .selectFrom('outbox')
        .selectAll()
        .where((eb) => eb.or([eb('status', 'in', ['pending', 'sent']), ...(seqs.length ? [eb('seq', 'in', seqs)] : [])]))
        .orderBy('seq')
        .execute();
      for (const m of replay) {
        try {
          await applyLocalMutation(trx, m.name, m.args, { ...this.previewContext(), seq: m.seq, now: m.created_at });
        } catch (error) {
          // An invalid mutation shows nothing; the server rejects it and the user sees why.
          if (!(error instanceof AppError)) throw error;
        }
      }
    });
  }

  async sync(): Promise<{ pushed: { applied: number; rejected: number }; pulled: { changes: number; dropped: number; reset: boolean } }> {
    const pushed = await this.push();
    const pulled = await this.pull();
    return { pushed, pulled };
  }

  async rejections(options: { includeDismissed?: boolean } = {}): Promise<Rejection[]> {
    let q = this.store.db.selectFrom('rejections').selectAll().orderBy('seq');
    if (!options.includeDismissed) q = q.where('dismissed_at', 'is', null);
    return (await q.execute()).map((r) => ({
      seq: r.seq,
      name: r.name as MutationName,
      args: r.args as Record<string, unknown>,
      messageKey: r.message_key,
      field: r.field,
      params: (r.params ?? {}) as Record<string, string | number>,
      at: new Date(r.at),
    }));
  }

  /** The user has seen a rejection and acted on it (retried differently, or let it go). */
  async dismissRejection(seq: number): Promise<void> {
    const row = await this.store.db.selectFrom('rejections').select('dismissed_at').where('seq', '=', seq).executeTakeFirst();
    if (!row || row.dismissed_at !== null) return;
    const at = new Date();
    // In the journal first: once it is there, no rebuild of the local store brings the refusal back.
    this.journal.markDismissed(seq, at.toISOString());
    await this.store.db.updateTable('rejections').set({ dismissed_at: at }).where('seq', '=', seq).execute();
  }

  private async readMeta(): Promise<{ cursor: string | null; scope: string | null }> {
    const rows = await this.store.db.selectFrom('meta').select(['key', 'value']).where('key', 'in', ['cursor', 'scope']).execute();
    const get = (k: string) => (rows.find((r) => r.key === k)?.value as string | null | undefined) ?? null;
    return { cursor: get('cursor'), scope: get('scope') };
  }

  /** Calls the server; a revoked device erases its local data at once and says why. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const refusal = error instanceof TransportRefusal ? error : error instanceof AppError ? new TransportRefusal(error.messageKey, error.options.params) : null;
      if (refusal?.messageKey === 'sync.device_revoked') {
        await this.wipe(String(refusal.params.reason ?? ''));
        throw refusal;
      }
      throw error;
    }
  }

  /** Erases everything this workstation holds: local database, journal, cached evidence. */
  private async wipe(reason: string): Promise<void> {
    this.status = 'revoked';
    this.revokedReason = reason;
    await this.store.close().catch(() => undefined);
    this.journal.destroy();
    await wipeLocalStore(this.dataDir);
    fs.rmSync(path.join(this.dataDir, 'evidence'), { recursive: true, force: true });
    // The device's own credential and the offline password verifier go too, and the data key,
    // so nothing sealed with it can be read again.
    for (const f of ['device.json', 'data.key', 'data.key.sealed']) fs.rmSync(path.join(this.dataDir, f), { force: true });
    fs.writeFileSync(path.join(this.dataDir, 'revoked.json'), JSON.stringify({ at: new Date().toISOString(), reason }), { mode: 0o600 });
  }

  private assertUsable(): void {
    if (this.status === 'revoked') throw new TransportRefusal('sync.device_revoked', { reason: this.revokedReason ?? '' });
  }

  async close(): Promise<void> {
    if (this.status !== 'revoked') await this.store.close();
    this.journal.close();
    this.releaseLock();
  }
}
