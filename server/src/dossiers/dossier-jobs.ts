// The dossier render queue: pg-boss 10 on the server's own Postgres (schema `pgboss`, created by
// the 2026-11-21T1300 migration). A request inserts its job in the same transaction as its
// dossier row, so there is never a job without a dossier or a dossier nobody will render; any
// server instance may pick it up. The rendering itself (dossier.service.ts → a worker thread) is
// retried a bounded number of times when it fails for a reason a retry can cure.
import PgBoss from 'pg-boss';
import { CompiledQuery } from 'kysely';
import type { DB } from '../db/database';

export const PGBOSS_SCHEMA = 'pgboss';
export const DOSSIER_RENDER_QUEUE = 'dossier.render';

export interface DossierRenderJob {
  dossierId: string;
}

/** One attempt at a job, as the handler sees it. */
export interface DossierAttempt {
  dossierId: string;
  jobId: string;
  /** 0 for the first attempt. */
  retryCount: number;
  /** True when pg-boss will not try again after this attempt. */
  final: boolean;
  /** Aborted when the server stops and the attempt did not end in time. */
  signal: AbortSignal;
}

export interface DossierJobsOptions {
  connectionString: string;
  /** Renders one attempt; throwing asks pg-boss for a retry (while any are left). */
  handler: (attempt: DossierAttempt) => Promise<void>;
  /** Renderings at once on this instance (each in its own worker thread). */
  concurrency?: number;
  /** Attempts after the first. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** An attempt still running after this long is given up (and retried). */
  expireInSeconds?: number;
  pollingIntervalSeconds?: number;
  /** pg-boss maintenance (expiring abandoned attempts, archiving): on in a server, optional in tests. */
  supervise?: boolean;
  /** How long stop() lets a running rendering finish before it is cut off (and left to a retry). */
  stopTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

/** The slice of the queue the service needs: put a job in a transaction, wake the local workers after commit. */
export interface DossierQueue {
  enqueue(trx: DB, dossierId: string): Promise<void>;
  wake(): void;
}

export class DossierJobs implements DossierQueue {
  readonly boss: PgBoss;
  private readonly workerIds: string[] = [];
  private readonly abort = new AbortController();
  private started = false;
  readonly retryLimit: number;
  readonly expireInSeconds: number;

  constructor(private readonly options: DossierJobsOptions) {
    this.retryLimit = options.retryLimit ?? 2;
    this.expireInSeconds = options.expireInSeconds ?? 5 * 60;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: PGBOSS_SCHEMA,
      application_name: 'arbitra-dossier-jobs',
      max: Math.max(2, (options.concurrency ?? 1) + 1),
      supervise: options.supervise ?? true,
      // No cron jobs: the clock monitor and scheduler stay off.
      schedule: false,
    });
    // pg-boss reports background failures as events; an unhandled 'error' event would end the process.
    this.boss.on('error', (error) => options.onError?.(error));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    const queue = {
      name: DOSSIER_RENDER_QUEUE,
      policy: 'standard' as const,
      retryLimit: this.retryLimit,
      retryDelay: this.options.retryDelaySeconds ?? 5,
      retryBackoff: true,
      expireInSeconds: this.expireInSeconds,
      retentionMinutes: 7 * 24 * 60,
    };
    // The migration made the queue; its options are this code's.
    if (!(await this.boss.getQueue(DOSSIER_RENDER_QUEUE))) await this.boss.createQueue(DOSSIER_RENDER_QUEUE, queue);
    await this.boss.updateQueue(DOSSIER_RENDER_QUEUE, queue);
    for (let i = 0; i < (this.options.concurrency ?? 1); i++) {
      const id = await this.boss.work<DossierRenderJob>(
        DOSSIER_RENDER_QUEUE,
        { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
        async ([job]) => {
          if (!job) return;
          await this.options.handler({
            dossierId: job.data.dossierId,
            jobId: job.id,
            retryCount: job.retryCount,
            final: job.retryCount >= job.retryLimit,
            signal: this.abort.signal,
          });
        },
      );
      this.workerIds.push(id);
    }
    this.started = true;
  }

  /** Inserts the job with the caller's transaction: it exists exactly when the dossier row does. */
  async enqueue(trx: DB, dossierId: string): Promise<void> {
    const db = {
      executeSql: async (text: string, values: unknown[]) => {
        const result = await trx.executeQuery(CompiledQuery.raw(text, values));
        return { rows: result.rows as unknown[] };
      },
    };
    await this.boss.send(DOSSIER_RENDER_QUEUE, { dossierId } satisfies DossierRenderJob, { db });
  }

  /** After the request's commit: this instance's workers fetch at once instead of at their next poll. */
  wake(): void {
    for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /**
   * Stops fetching, lets a running rendering finish for a while, then cuts it off: pg-boss marks it
   * failed and it is retried later (by this server or another).
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const timeout = this.options.stopTimeoutMs ?? 20_000;
    const cutOff = setTimeout(() => this.abort.abort(), Math.max(0, timeout - 500));
    try {
      await this.boss.stop({ graceful: true, wait: true, timeout, close: true });
    } finally {
      clearTimeout(cutOff);
      this.abort.abort();
    }
  }
}
