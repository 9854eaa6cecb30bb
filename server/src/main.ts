// `npm start`: the Arbitra server on real Postgres (embedded unless DATABASE_URL is set), with demo
// data on a new database.
import { loadConfig } from './config';
import { openDatabase } from './db/open';
import { buildApp } from './http/app';
import { clearRuntimeInfo, DataDirLockedError, writeRuntimeInfo } from './data-dir';
import { seedDemo } from './demo/seed';
import { ChangeNotifier } from './sync/change-notifier';

async function main() {
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let ready = false;

  let database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  say(`Arbitra: database ready (${database.embedded ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL'})`);

  if (config.demo) {
    const seeded = await seedDemo(database.db, { dataDir: config.dataDir, log: say });
    if (seeded.cases > 0) say(`Arbitra: demo organisation created with ${seeded.cases} cases; credentials written to ${seeded.credentialsFile}`);
  }

  const changes = new ChangeNotifier(database.connectionString);
  await changes.start();
  const app = await buildApp({ db: database.db, config, isReady: () => ready, changes });
  const address = await app.listen({ host: config.host, port: config.port });
  ready = true;
  if (database.embedded) writeRuntimeInfo(config.dataDir, { databaseUrl: database.connectionString, url: address, pid: process.pid });
  say(`Arbitra: server listening on ${address} (health: ${address}/healthz, intake API: ${address}/api/v1/openapi.json)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`Arbitra: ${signal} received, stopping`);
    ready = false;
    try {
      await app.close();
      await changes.stop();
      clearRuntimeInfo(config.dataDir);
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`Arbitra failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
