// The service connects as a role without superuser powers (finding 5 of issue 12): the audit log
// cannot be updated, deleted or truncated by it even with the triggers off, it cannot switch the
// triggers off, and a deployment whose DATABASE_URL is a superuser is refused in one line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { openDatabase } from '../../server/src/db/open';
import { loadConfig } from '../../server/src/config';
import { SERVICE_GROUP, withCredentials } from '../../server/src/db/roles';

let t: TestDatabase;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-roles-'));
const createdRoles: string[] = [];
const createdDatabases: string[] = [];

async function asAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function urlFor(base: string, database: string, user?: string, password?: string): string {
  const u = new URL(user ? withCredentials(base, user, password!) : base);
  u.pathname = `/${database}`;
  return u.toString();
}

beforeAll(async () => {
  t = await createTestDatabase();
  await sql`insert into audit_log (seq, at, actor_label, action, details, prev_hash, hash) values (1, now(), 'test', 'test', '{}', ${'0'.repeat(64)}, 'h1')`.execute(t.db);
});
afterAll(async () => {
  await t.drop();
  await asAdmin(async (c) => {
    for (const d of createdDatabases) await c.query(`drop database if exists ${d} with (force)`);
    for (const r of createdRoles) await c.query(`drop role if exists ${r}`);
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the service role', () => {
  it('has no superuser powers and owns nothing it could rewrite the audit log with', async () => {
    const { rows } = await sql<{
      user: string;
      superuser: boolean;
      replication: boolean;
      bypassrls: boolean;
      createrole: boolean;
      owns: boolean;
      member: boolean;
    }>`select r.rolname as user, r.rolsuper as superuser, r.rolreplication as replication, r.rolbypassrls as bypassrls, r.rolcreaterole as createrole,
              pg_has_role(current_user, (select relowner from pg_class where oid = 'audit_log'::regclass), 'member') as owns,
              pg_has_role(current_user, ${SERVICE_GROUP}, 'member') as member
         from pg_roles r where r.rolname = current_user`.execute(t.db);
    expect(rows[0]).toMatchObject({ superuser: false, replication: false, bypassrls: false, createrole: false, owns: false, member: true });
    expect(rows[0]!.user).not.toBe(new URL(t.ownerUrl).username);
  });

  it('is refused `set session_replication_role`, so it cannot switch the append-only triggers off', async () => {
    await expect(sql`set session_replication_role = replica`.execute(t.db)).rejects.toThrow(/permission denied to set parameter "session_replication_role"/);
    await expect(sql`alter table audit_log disable trigger user`.execute(t.db)).rejects.toThrow(/must be owner/);
    await expect(sql`alter table audit_log owner to current_user`.execute(t.db)).rejects.toThrow(/must be owner/);
    await expect(sql`set role ${sql.raw(new URL(t.ownerUrl).username)}`.execute(t.db)).rejects.toThrow(/permission denied to set role/);
  });

  it('cannot UPDATE, DELETE or TRUNCATE the audit log even with its triggers switched off', async () => {
    // The owner switches the triggers off for everyone: what is left is the privilege system.
    await sql`alter table audit_log disable trigger user`.execute(t.ownerDb);
    try {
      await expect(sql`delete from audit_log where seq = 1`.execute(t.db)).rejects.toThrow(/permission denied for table audit_log/);
      await expect(sql`update audit_log set action = 'edited' where seq = 1`.execute(t.db)).rejects.toThrow(/permission denied for table audit_log/);
      await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/permission denied for table audit_log/);
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(t.ownerDb);
    }
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('action')
        .where(sql<boolean>`seq = 1`)
        .executeTakeFirstOrThrow(),
    ).toEqual({ action: 'test' });
  });

  it('still reads and appends to the audit log and writes the other tables', async () => {
    await sql`insert into audit_log (seq, at, actor_label, action, details, prev_hash, hash) values (2, now(), 'test', 'test', '{}', 'h1', 'h2')`.execute(t.db);
    const team = await t.db.insertInto('teams').values({ name: 'Roles' }).returning('id').executeTakeFirstOrThrow();
    await t.db.updateTable('teams').set({ name: 'Roles 2' }).where('id', '=', team.id).execute();
    expect(
      await t.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: '2' });
  });
});

describe('opening a DATABASE_URL deployment', () => {
  const config = (databaseUrl?: string) => ({ ...loadConfig({ ARBITRA_DATA_DIR: dataDir, ARBITRA_LOG_LEVEL: 'silent' }), databaseUrl });

  it('refuses a DATABASE_URL with superuser powers, in one line saying what to set', async () => {
    const error = await openDatabase(config(t.ownerUrl), { ownerUrl: '' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.name).toBe('DatabaseRoleError');
    expect(error?.message).toMatch(/^DATABASE_URL connects as "\w+", which has SUPERUSER.*Set ARBITRA_DATABASE_OWNER_URL to that URL/);
    expect(error?.message).not.toContain('\n');
  });

  it('opens the restricted role’s DATABASE_URL on a migrated database', async () => {
    const database = await openDatabase(config(t.url), { ownerUrl: '' });
    try {
      const { rows } = await sql<{ super: boolean }>`select rolsuper as super from pg_roles where rolname = current_user`.execute(database.db);
      expect(rows[0]!.super).toBe(false);
    } finally {
      await database.close();
    }
  });

  it('migrates as ARBITRA_DATABASE_OWNER_URL and grants an operator-made login role what the service needs', async () => {
    const role = `arbitra_op_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(18).toString('base64url');
    const name = `t_roles_${randomBytes(4).toString('hex')}`;
    await asAdmin(async (c) => {
      await c.query(`create role ${role} login password '${password}'`);
      await c.query(`create database ${name}`);
    });
    createdRoles.push(role);
    createdDatabases.push(name);
    const ownerUrl = urlFor(t.ownerUrl, name);
    const serviceUrl = urlFor(t.ownerUrl, name, role, password);
    // Without the owner the fresh database cannot be migrated: said so, nothing half done.
    await expect(openDatabase(config(serviceUrl), { ownerUrl: '' })).rejects.toThrow(/is not a member of arbitra_service|needs \d+ migration/);
    const database = await openDatabase(config(serviceUrl), { ownerUrl });
    try {
      expect((await sql<{ u: string }>`select current_user as u`.execute(database.db)).rows[0]!.u).toBe(role);
      await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/permission denied for table audit_log/);
      await expect(sql`set session_replication_role = replica`.execute(database.db)).rejects.toThrow(/permission denied/);
      expect(Number((await sql<{ n: string }>`select count(*) as n from tiering_rules`.execute(database.db)).rows[0]!.n)).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });

  it('derives a restricted login role from ARBITRA_DATABASE_OWNER_URL alone', async () => {
    const login = `arbitra_drv_${randomBytes(4).toString('hex')}`;
    createdRoles.push(login);
    const database = await openDatabase(config(undefined), { ownerUrl: t.ownerUrl, serviceLogin: login });
    try {
      expect(new URL(database.connectionString).username).toBe(login);
      const { rows } = await sql<{ u: string; super: boolean }>`select current_user as u, rolsuper as super from pg_roles where rolname = current_user`.execute(database.db);
      expect(rows[0]).toEqual({ u: login, super: false });
      expect(fs.statSync(path.join(dataDir, 'database-service.json')).mode & 0o777).toBe(0o600);
    } finally {
      await database.close();
    }
  });
});
