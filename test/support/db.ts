// A fresh database per test file, cloned from the migrated template: real Postgres, no mocks.
// `db` and `url` connect as the restricted service role, as the server does; `ownerDb` and
// `ownerUrl` as the owner (the cluster's superuser), for set-up the service may not do and for
// tests that play an attacker with database access.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type DB } from '../../server/src/db/database';

export interface TestDatabase {
  /** The service role's connection: what the application under test uses. */
  db: DB;
  url: string;
  /** The owner's connection (superuser): fault injection, tampering. */
  ownerDb: DB;
  ownerUrl: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Cloning needs the template to have no other sessions; retry briefly when a sibling clones too.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin.end();
  const url = withDatabase(inject('pgServiceUrl'), name);
  const ownerUrl = withDatabase(adminUrl, name);
  const db = createDb(url);
  const ownerDb = createDb(ownerUrl, { max: 2 });
  return {
    db,
    url,
    ownerDb,
    ownerUrl,
    name,
    async drop() {
      await db.destroy();
      await ownerDb.destroy();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
