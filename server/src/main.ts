// `npm start`: the Arbitra server on real Postgres (embedded unless DATABASE_URL is set), with demo
// data on a new database.
import path from 'node:path';
import { loadConfig } from './config';
import { openDatabase } from './db/open';
import { buildApp } from './http/app';
import { clearRuntimeInfo, DataDirLockedError, writeRuntimeInfo } from './data-dir';
import { seedDemo } from './demo/seed';
import { inviteDemoMember } from './demo/invitation';
import { ChangeNotifier } from './sync/change-notifier';
import { evidenceDeps } from './evidence/store-from-config';
import { createDossierJobs } from './dossiers/start-dossier-jobs';
import { EmbeddedPostgresError } from './db/postgres';
import { DatabaseRoleError } from './db/roles';
import { AuditCheckpointer, checkpointIntervals } from './audit/checkpointer';
import { checkpointStoreFromConfig } from './audit/checkpoint-store';
import { loadOrCreateCheckpointKey } from './audit/checkpoint';

async function main() {
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let ready = false;

  let database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    // Problems the operator fixes (the data directory in use, a private install path, a database
    // role with superuser powers) are one line saying what to do, not a stack.
    if (error instanceof DataDirLockedError || error instanceof EmbeddedPostgresError || error instanceof DatabaseRoleError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const where = database.clusterDir && !database.clusterDir.startsWith(config.dataDir + path.sep) ? ` (cluster in ${database.clusterDir}: the postgres user cannot reach ${config.dataDir})` : '';
  say(`Arbitra: database ready (${database.embedded ? `embedded PostgreSQL in ${config.dataDir}${where}` : 'DATABASE_URL'}; the service connects as a role without superuser powers)`);

  const evidence = evidenceDeps(database.db, config);
  if (config.demo) {
    // Demo exhibits go into the configured blob store (filesystem or S3), as real intake does.
    const seeded = await seedDemo(database.db, { dataDir: config.dataDir, log: say, evidence });
    if (seeded.cases > 0) say(`Arbitra: demo organisation created with ${seeded.cases} cases; credentials written to ${seeded.credentialsFile}`);
    const invitation = seeded.cases > 0 ? await inviteDemoMember(database.db, config) : null;
    if (invitation) say(`Arbitra: demo invitation for a new arbitrator (sets the account up in the portal, once): ${invitation.link} (mail in ${invitation.file})`);
  }

  // The audit chain's head, signed and kept with the evidence blobs outside the database: written
  // periodically and at shutdown, so `npm run verify` finds a truncated chain.
  const checkpoints = new AuditCheckpointer({
    db: database.db,
    store: checkpointStoreFromConfig(config),
    key: loadOrCreateCheckpointKey(config.dataDir),
    ...checkpointIntervals(),
    log: { info: say, error: (m) => process.stderr.write(`Arbitra: ${m}\n`) },
  });
  await checkpoints.start();

  const changes = new ChangeNotifier(database.connectionString);
  await changes.start();
  let stopping = false;
  // While stopping, the queue's connections are cut by Postgres shutting down: one line, not a stack.
  const quietWhileStopping = (obj: unknown, msg: string) => {
    const err = (obj as { err?: { message?: string } } | null)?.err;
    if (stopping) app.log.warn(`${msg} while stopping: ${err?.message ?? 'interrupted'}`);
    else app.log.error(obj, msg);
  };
  // Dossiers render on a pg-boss queue in the same database, in worker threads of this process.
  const dossierJobs = createDossierJobs({
    db: database.db,
    store: evidence.store,
    connectionString: database.connectionString,
    dataDir: config.dataDir,
    log: { info: (obj, msg) => app.log.info(obj, msg), error: quietWhileStopping },
  });
  const app = await buildApp({ db: database.db, config, isReady: () => ready, changes, evidence, dossierQueue: dossierJobs });
  await dossierJobs.start();
  const address = await app.listen({ host: config.host, port: config.port });
  ready = true;
  if (database.embedded) writeRuntimeInfo(config.dataDir, { databaseUrl: database.connectionString, url: address, pid: process.pid });
  say(`Arbitra: server listening on ${address} (health: ${address}/healthz, intake API: ${address}/api/v1/openapi.json)`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`Arbitra: ${signal} received, stopping`);
    ready = false;
    // The head as it is now, before anything else: Ctrl-C reaches the embedded Postgres too.
    await checkpoints.observe();
    try {
      await app.close();
      // A rendering under way gets a little time to finish; otherwise it is retried after a restart.
      await dossierJobs.stop();
      await changes.stop();
      try {
        const cp = await checkpoints.stop();
        if (cp) say(`Arbitra: audit checkpoint written at entry ${cp.seq}`);
      } catch (error) {
        process.stderr.write(`Arbitra: the audit checkpoint at shutdown was not written: ${(error as Error).message}\n`);
      }
      clearRuntimeInfo(config.dataDir);
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // While stopping, an embedded Postgres is stopped by its own exit hook at the same time, so the
  // queries of work still under way (a rendering, pg-boss recording its end) can fail: logged, not
  // fatal. pg-boss retries an unfinished rendering after the restart.
  process.on('unhandledRejection', (error) => {
    if (!stopping) throw error;
    app.log.warn({ err: error }, 'work interrupted by the shutdown');
  });
  // The same for a connection checked out at that moment (its client has no listener of its own):
  // 'Connection terminated' while stopping is the expected end, one line; anything else still fails.
  process.on('uncaughtException', (error) => {
    if (!stopping || !/Connection terminated|ECONNRESET|terminating connection/.test(error.message)) {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    }
    app.log.warn(`database connection closed while stopping: ${error.message}`);
  });
}

main().catch((error) => {
  process.stderr.write(`Arbitra failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
