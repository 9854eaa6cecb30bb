import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { audit, verifyAuditChain } from '../../server/src/audit/audit.service';
import { systemContext } from '../../server/src/context';

const run = promisify(execFile);
let t: TestDatabase;

async function appendMany(n: number, from = 0) {
  for (let i = from; i < from + n; i++) {
    await t.db.transaction().execute((trx) =>
      audit(trx, systemContext('test', `req-${i}`), { action: 'test.write', entity: 'notes', entityId: String(i), details: { i, text: `条目 ${i}`, nested: { b: 1, a: [1, 2] } } }),
    );
  }
}

/** Changes a row the way an attacker with the owner's (superuser) access would: triggers off for the session. */
async function tamper(statement: ReturnType<typeof sql>) {
  await t.ownerDb.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await statement.execute(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
    }
  });
}

// verify reads the checkpoints kept with this data directory's blobs (none here).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-audit-test-'));

async function verifyCli() {
  try {
    const { stdout } = await run('npx', ['tsx', 'server/src/cli/verify.ts'], {
      env: { ...process.env, DATABASE_URL: t.url, ARBITRA_DATA_DIR: dataDir, ARBITRA_LOG_LEVEL: 'silent' },
      cwd: process.cwd(),
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('hash-chained audit log', () => {
  it('chains each entry to the one before and verifies', async () => {
    await appendMany(20);
    const rows = await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows).toHaveLength(20);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(rows[3]!.request_id).toBe('req-3');
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true, entries: 20 });
  });

  it('keeps one order when many writers append at once', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => appendMany(1, 100 + i)));
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: true, entries: 50 });
  });

  it('`npm run verify` says the chain is intact and exits 0', async () => {
    const result = await verifyCli();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/audit chain OK: 50 entries/);
  });

  it('is refused UPDATE and DELETE by the database itself: the service by privilege, the owner by trigger', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 5`.execute(t.db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from audit_log where seq = 5`.execute(t.db)).rejects.toThrow(/permission denied/);
    await expect(sql`update audit_log set action = 'x' where seq = 5`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 5`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
  });

  it('finds an entry edited behind the application’s back, and the CLI exits non-zero', async () => {
    await tamper(sql`update audit_log set details = '{"i": 7, "text": "edited"}' where seq = 8`);
    const report = await verifyAuditChain(t.db);
    expect(report).toMatchObject({ ok: false, brokenAt: '8', problem: 'hash_mismatch' });
    const result = await verifyCli();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/BROKEN at entry 8 \(hash_mismatch\)/);
  });

  it('finds a deleted entry', async () => {
    // Restore seq 8 by rewriting the whole chain is impossible; work on a fresh database instead.
    const other = await createTestDatabase();
    const saved = t;
    t = other;
    try {
      await appendMany(10);
      await tamper(sql`delete from audit_log where seq = 4`);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: '5', problem: 'sequence_gap' });
    } finally {
      t = saved;
      await other.drop();
    }
  });

  it('finds an entry whose hash was recomputed to hide an edit (the next link breaks)', async () => {
    const other = await createTestDatabase();
    const saved = t;
    t = other;
    try {
      await appendMany(6);
      await tamper(sql`update audit_log set actor_label = 'someone-else', hash = repeat('a', 64) where seq = 3`);
      const report = await verifyAuditChain(t.db);
      expect(report.ok).toBe(false);
      expect(report).toMatchObject({ brokenAt: '3' });
    } finally {
      t = saved;
      await other.drop();
    }
  });
});
