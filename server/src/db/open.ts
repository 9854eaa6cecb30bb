// Opens the server's database the one way every entry point does: DATABASE_URL, the running
// server's embedded Postgres, or a newly started embedded Postgres under the data directory.
//
// Two roles (server/src/db/roles.ts): migrations run as the schema's owner, the service connects
// as a restricted login role. Embedded: the owner is the cluster's bootstrap superuser and the
// service login `arbitra_app` is made at start. Elsewhere the operator provides
//   - ARBITRA_DATABASE_OWNER_URL: the owner (runs migrations, grants the service role its group),
//   - DATABASE_URL: the service's connection, a login role without SUPERUSER, REPLICATION,
//     BYPASSRLS or CREATEROLE that owns nothing;
// either one alone works too: DATABASE_URL alone when the schema is already migrated and its role
// already a member of `arbitra_service`; ARBITRA_DATABASE_OWNER_URL alone lets Arbitra derive the
// service login (`arbitra_app`, password kept in <dataDir>/database-service.json). A DATABASE_URL
// with superuser powers is refused with one line saying what to set.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ServerConfig } from '../config';
import { createDb, migrateToLatest, pendingMigrations, type DB } from './database';
import { startEmbeddedPostgres } from './postgres';
import { assertRestricted, DatabaseRoleError, ensureServiceLogin, grantServiceGroupTo, SERVICE_LOGIN, serviceRoleFacts, withCredentials } from './roles';
import { ensureDataDir, lockDataDir, readRuntimeInfo } from '../data-dir';
import { seedDefaultRules } from '../rules/rules.service';

export interface OpenDatabase {
  /** The service's connection (the restricted role). */
  db: DB;
  connectionString: string;
  embedded: boolean;
  /** The embedded cluster's files, when this process started it. */
  clusterDir?: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  attachToRunning?: boolean;
  log?: (m: string) => void;
  /** The owner's connection; by default ARBITRA_DATABASE_OWNER_URL. */
  ownerUrl?: string;
  /** The login role derived from the owner when DATABASE_URL is not given (default `arbitra_app`). */
  serviceLogin?: string;
}

async function migrateAsOwner(ownerUrl: string): Promise<void> {
  const owner = createDb(ownerUrl, { max: 1 });
  try {
    await migrateToLatest(owner);
  } finally {
    await owner.destroy();
  }
}

/** The derived service login's password, made once and kept in the data directory (0600). */
function derivedServicePassword(dataDir: string, login: string): string {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, 'database-service.json');
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { password?: string };
    if (saved.password) return saved.password;
  } catch {
    /* made below */
  }
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, JSON.stringify({ user: login, password }), { mode: 0o600 });
  return password;
}

async function openExternal(config: ServerConfig, ownerUrl: string | undefined, serviceLogin: string): Promise<OpenDatabase> {
  let serviceUrl = config.databaseUrl;
  if (ownerUrl) {
    await migrateAsOwner(ownerUrl);
    if (!serviceUrl) {
      const password = derivedServicePassword(config.dataDir, serviceLogin);
      await ensureServiceLogin(ownerUrl, serviceLogin, password);
      serviceUrl = withCredentials(ownerUrl, serviceLogin, password);
    } else {
      await grantServiceGroupTo(ownerUrl, serviceUrl);
    }
  }
  assertRestricted(await serviceRoleFacts(serviceUrl!));
  const db = createDb(serviceUrl!);
  try {
    if (!ownerUrl) {
      let pending: string[];
      try {
        pending = await pendingMigrations(db);
      } catch {
        pending = ['(unknown: the migration records cannot be read)'];
      }
      if (pending.length) throw new DatabaseRoleError(`The database needs ${pending.length} migration(s) (${pending.join(', ')}), which run as the schema owner: set ARBITRA_DATABASE_OWNER_URL.`);
    }
    await seedDefaultRules(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, connectionString: serviceUrl!, embedded: false, close: () => db.destroy() };
}

export async function openDatabase(config: ServerConfig, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const ownerUrl = options.ownerUrl ?? (process.env.ARBITRA_DATABASE_OWNER_URL || undefined);
  if (config.databaseUrl || ownerUrl) return openExternal(config, ownerUrl, options.serviceLogin ?? SERVICE_LOGIN);
  ensureDataDir(config.dataDir);
  if (options.attachToRunning) {
    const running = readRuntimeInfo(config.dataDir);
    if (running) {
      const db = createDb(running.databaseUrl, { max: 2 });
      return { db, connectionString: running.databaseUrl, embedded: true, close: () => db.destroy() };
    }
  }
  const lock = lockDataDir(config.dataDir);
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  try {
    pg = await startEmbeddedPostgres(config.dataDir, { onLog: options.log });
    await migrateAsOwner(pg.connectionString);
    const db = createDb(pg.serviceConnectionString);
    const started = pg;
    try {
      await seedDefaultRules(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return {
      db,
      connectionString: started.serviceConnectionString,
      embedded: true,
      clusterDir: started.clusterDir,
      async close() {
        await db.destroy();
        await started.stop();
        lock.release();
      },
    };
  } catch (error) {
    await pg?.stop().catch(() => {});
    lock.release();
    throw error;
  }
}
