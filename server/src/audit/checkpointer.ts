// Writes audit checkpoints (checkpoint.ts) while the server runs: when the chain has grown by
// `everyEntries` entries, when `everyMs` has passed since the last one and the chain has grown, and
// at shutdown. The head is polled every `pollMs` (2 s), so at most max(everyEntries entries, everyMs) plus
// one poll of the newest entries is ever without a checkpoint. At start it compares the database
// with the newest checkpoint and says so loudly when the chain is shorter (truncated).
import { z } from 'zod';
import type { DB } from '../db/database';
import { auditHead } from './audit.repository';
import { signCheckpoint, type AuditCheckpoint, type CheckpointKey } from './checkpoint';
import type { CheckpointStore } from './checkpoint-store';

const settings = z.object({
  ARBITRA_AUDIT_CHECKPOINT_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(5),
  ARBITRA_AUDIT_CHECKPOINT_ENTRIES: z.coerce.number().int().positive().default(1000),
});

/** The checkpoint intervals from the environment (ARBITRA_AUDIT_CHECKPOINT_MINUTES, ARBITRA_AUDIT_CHECKPOINT_ENTRIES). */
export function checkpointIntervals(env: NodeJS.ProcessEnv = process.env): { everyMs: number; everyEntries: number } {
  const parsed = settings.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { everyMs: parsed.data.ARBITRA_AUDIT_CHECKPOINT_MINUTES * 60_000, everyEntries: parsed.data.ARBITRA_AUDIT_CHECKPOINT_ENTRIES };
}

export interface CheckpointerOptions {
  db: DB;
  store: CheckpointStore;
  key: CheckpointKey;
  everyMs?: number;
  everyEntries?: number;
  pollMs?: number;
  log?: { info(msg: string): void; error(msg: string): void };
  now?: () => Date;
}

export class AuditCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private last: { seq: bigint; at: number } | null = null;
  /** The newest head seen by a poll: what the shutdown checkpoint records if the database is already going away. */
  private seen: { seq: string; hash: string } | null = null;
  private warned = false;
  readonly everyMs: number;
  readonly everyEntries: number;

  constructor(private readonly o: CheckpointerOptions) {
    this.everyMs = o.everyMs ?? 5 * 60_000;
    this.everyEntries = o.everyEntries ?? 1000;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Compares the chain with the newest checkpoint, writes one for the current head, and starts polling. */
  async start(): Promise<void> {
    // The store or the database failing here must not keep the server down: said, and retried by the polls.
    try {
      const latest = await this.o.store.latest();
      const head = await auditHead(this.o.db);
      if (latest) {
        this.last = { seq: BigInt(latest.seq), at: Date.parse(latest.at) };
        const headSeq = head ? BigInt(head.seq) : 0n;
        if (headSeq < BigInt(latest.seq)) {
          this.warned = true;
          this.o.log?.error(`AUDIT CHAIN TRUNCATED: the checkpoint of ${latest.at} records entry ${latest.seq}, the database's chain ends at entry ${headSeq}; run \`npm run verify\``);
        }
      }
      await this.checkpointNow();
    } catch (error) {
      this.o.log?.error(`audit checkpoint not written at start (${this.o.store.location}): ${(error as Error).message}`);
    }
    this.timer = setInterval(() => void this.tick(), this.o.pollMs ?? 2_000);
    this.timer.unref();
  }

  private tick(): Promise<unknown> {
    this.running = this.running.then(async () => {
      try {
        const head = await auditHead(this.o.db);
        if (!head) return;
        this.seen = head;
        const seq = BigInt(head.seq);
        if (this.last && seq === this.last.seq) return;
        if (this.last && seq < this.last.seq && !this.warned) {
          this.warned = true;
          this.o.log?.error(`AUDIT CHAIN TRUNCATED: entry ${this.last.seq} was checkpointed, the database's chain now ends at entry ${seq}; run \`npm run verify\``);
        }
        const grown = this.last ? seq - this.last.seq : seq;
        const age = this.last ? this.now().getTime() - this.last.at : Infinity;
        if (grown >= BigInt(this.everyEntries) || age >= this.everyMs) await this.write(head);
      } catch (error) {
        this.o.log?.error(`audit checkpoint not written: ${(error as Error).message}`);
      }
    });
    return this.running;
  }

  private async write(head: { seq: string; hash: string }): Promise<AuditCheckpoint> {
    const cp = signCheckpoint(this.o.key, head, this.now());
    await this.o.store.put(cp);
    this.last = { seq: BigInt(cp.seq), at: Date.parse(cp.at) };
    return cp;
  }

  /** Reads the head now (without writing), so a shutdown that loses the database still records it. */
  async observe(): Promise<void> {
    try {
      const head = await auditHead(this.o.db);
      if (head) this.seen = head;
    } catch {
      /* the poll's head stays */
    }
  }

  /**
   * Writes a checkpoint of the current head unless the last one already records it. With
   * `orLastSeen`, a database that cannot answer (stopping) gives the newest head seen instead.
   */
  async checkpointNow(orLastSeen = false): Promise<AuditCheckpoint | null> {
    const done = this.running.then(async () => {
      let head: { seq: string; hash: string } | undefined;
      try {
        head = await auditHead(this.o.db);
      } catch (error) {
        if (!orLastSeen || !this.seen) throw error;
        head = this.seen;
      }
      if (head && this.seen && BigInt(this.seen.seq) > BigInt(head.seq) && orLastSeen) head = this.seen;
      if (!head || (this.last && BigInt(head.seq) === this.last.seq)) return null;
      return this.write(head);
    });
    this.running = done.catch(() => {});
    return done;
  }

  /** Stops polling and writes the final checkpoint (shutdown). */
  async stop(): Promise<AuditCheckpoint | null> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.checkpointNow(true);
  }
}
