// Wires the render queue to the service: what `npm start` and the test server run.
import path from 'node:path';
import type { DB } from '../db/database';
import type { BlobStore } from '../evidence/blob-store';
import { DossierJobs, type DossierJobsOptions } from './dossier-jobs';
import { renderQueuedDossier, type DossierDeps } from './dossier.service';

export interface DossierJobsSetup extends Partial<Omit<DossierJobsOptions, 'connectionString' | 'handler'>> {
  db: DB;
  store: BlobStore;
  connectionString: string;
  /** The server's data directory: finished PDFs pass through <dataDir>/dossiers/tmp on their way into the store. */
  dataDir: string;
  log?: DossierDeps['log'];
  render?: DossierDeps['render'];
  renderTimeoutMs?: number;
}

/** Creates the queue with its handler; call start() once the server is ready, stop() before the database closes. */
export function createDossierJobs(setup: DossierJobsSetup): DossierJobs {
  const { db, store, connectionString, dataDir, log, render, renderTimeoutMs, ...queue } = setup;
  const expireInSeconds = queue.expireInSeconds ?? 5 * 60;
  const deps: DossierDeps = {
    db,
    store,
    queue: null,
    workDir: path.join(dataDir, 'dossiers', 'tmp'),
    render,
    // Stopped a little before pg-boss gives the attempt up, so the worker never outlives its job.
    renderTimeoutMs: renderTimeoutMs ?? Math.max(10_000, (expireInSeconds - 30) * 1000),
    log,
  };
  return new DossierJobs({
    ...queue,
    expireInSeconds,
    connectionString,
    handler: async (attempt) => {
      await renderQueuedDossier(deps, attempt);
    },
    onError: queue.onError ?? ((error) => log?.error({ err: error }, 'dossier queue error')),
  });
}
