// Opens the server's database the one way every entry point does: DATABASE_URL, the running
// server's embedded Postgres, or a newly started embedded Postgres under the data directory.
import type { ServerConfig } from '../config';
import { createDb, migrateToLatest, type DB } from './database';
import { startEmbeddedPostgres } from './postgres';
import { ensureDataDir, lockDataDir, readRuntimeInfo } from '../data-dir';
import { seedDefaultRules } from '../rules/rules.service';

export interface OpenDatabase {
  db: DB;
  connectionString: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: ServerConfig, options: { attachToRunning?: boolean; log?: (m: string) => void } = {}): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const db = createDb(config.databaseUrl);
    await migrateToLatest(db);
    await seedDefaultRules(db);
    return { db, connectionString: config.databaseUrl, embedded: false, close: () => db.destroy() };
  }
  ensureDataDir(config.dataDir);
  if (options.attachToRunning) {
    const running = readRuntimeInfo(config.dataDir);
    if (running) {
      const db = createDb(running.databaseUrl, { max: 2 });
      return { db, connectionString: running.databaseUrl, embedded: true, close: () => db.destroy() };
    }
  }
  const lock = lockDataDir(config.dataDir);
  try {
    const pg = await startEmbeddedPostgres(config.dataDir, { onLog: options.log });
    const db = createDb(pg.connectionString);
    await migrateToLatest(db);
    await seedDefaultRules(db);
    return {
      db,
      connectionString: pg.connectionString,
      embedded: true,
      async close() {
        await db.destroy();
        await pg.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
