// The audit chain's head anchored outside the database: signed checkpoints kept with the blobs, and
// `npm run verify` finding a chain whose newest entries were deleted (finding 5 of issue 12: the
// last four entries deleted with the triggers bypassed used to verify as OK).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import S3rver from 's3rver';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { audit, verifyAuditChain } from '../../server/src/audit/audit.service';
import { systemContext } from '../../server/src/context';
import { checkpointSignatureValid, loadOrCreateCheckpointKey, signCheckpoint } from '../../server/src/audit/checkpoint';
import { FsCheckpointStore, S3CheckpointStore, type CheckpointStore } from '../../server/src/audit/checkpoint-store';
import { AuditCheckpointer } from '../../server/src/audit/checkpointer';

const run = promisify(execFile);

interface Scenario {
  t: TestDatabase;
  dataDir: string;
  store: FsCheckpointStore;
}
const scenarios: Scenario[] = [];

async function scenario(): Promise<Scenario> {
  const t = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-checkpoints-'));
  // Where the server keeps them: beside the evidence blobs of the data directory.
  const s = { t, dataDir, store: new FsCheckpointStore(path.join(dataDir, 'evidence', 'audit-checkpoints')) };
  scenarios.push(s);
  return s;
}

afterEach(async () => {
  for (const s of scenarios.splice(0)) {
    await s.t.drop();
    fs.rmSync(s.dataDir, { recursive: true, force: true });
  }
});

async function append(t: TestDatabase, n: number, label = 'w') {
  for (let i = 0; i < n; i++) {
    await t.db.transaction().execute((trx) => audit(trx, systemContext('test', `req-${label}-${i}`), { action: 'test.write', entity: 'notes', entityId: `${label}${i}`, details: { i } }));
  }
}

/** What an attacker with the owner's (superuser) connection does: triggers off, then the statement. */
async function asAttacker(t: TestDatabase, statement: ReturnType<typeof sql>) {
  await t.ownerDb.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await statement.execute(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
    }
  });
}

async function verifyCli(s: Scenario) {
  try {
    const { stdout } = await run('npx', ['tsx', 'server/src/cli/verify.ts'], {
      env: { ...process.env, DATABASE_URL: s.t.url, ARBITRA_DATA_DIR: s.dataDir, ARBITRA_BLOB_STORE: 'fs', ARBITRA_LOG_LEVEL: 'silent' },
      cwd: process.cwd(),
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

async function checkpointNow(s: Scenario) {
  const c = new AuditCheckpointer({ db: s.t.db, store: s.store, key: loadOrCreateCheckpointKey(s.dataDir) });
  const cp = await c.checkpointNow();
  expect(cp).not.toBeNull();
  return cp!;
}

describe('audit checkpoints', () => {
  it('sign the chain’s head with the data directory’s Ed25519 key, kept with the blobs', async () => {
    const s = await scenario();
    await append(s.t, 12);
    const cp = await checkpointNow(s);
    const head = await s.t.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(cp).toMatchObject({ seq: '12', hash: head.hash, keyId: loadOrCreateCheckpointKey(s.dataDir).keyId });
    expect(checkpointSignatureValid(cp)).toBe(true);
    expect(fs.statSync(path.join(s.dataDir, 'audit-checkpoint-key.pem')).mode & 0o777).toBe(0o600);
    const stored = await s.store.list();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ checkpoint: cp });
    const result = await verifyCli(s);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/audit chain OK: 12 entries/);
    expect(result.stdout).toMatch(/audit checkpoints OK: 1 in .*audit-checkpoints, the newest at entry 12/);
  });

  it('make `npm run verify` report the newest entries deleted with the triggers bypassed, and exit 1', async () => {
    const s = await scenario();
    await append(s.t, 12);
    await checkpointNow(s);
    await asAttacker(s.t, sql`delete from audit_log where seq > 8`);
    // The chain that is left is a valid chain: without the checkpoint nothing is wrong with it.
    expect(await verifyAuditChain(s.t.db)).toMatchObject({ ok: true, entries: 8 });
    const result = await verifyCli(s);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /audit chain TRUNCATED: the checkpoint of \S+ \(key [0-9a-f]{16}\) records entry 12 with hash [0-9a-f]{64}, but the database's chain ends at entry 8: at least 4 newest entries were deleted/,
    );
  });

  it('catch a truncated chain that grew again to the same length (rewritten), and say so at the next start', async () => {
    const s = await scenario();
    await append(s.t, 10);
    const cp = await checkpointNow(s);
    await asAttacker(s.t, sql`delete from audit_log where seq > 6`);
    const errors: string[] = [];
    const restarted = new AuditCheckpointer({ db: s.t.db, store: s.store, key: loadOrCreateCheckpointKey(s.dataDir), log: { info: () => {}, error: (m) => errors.push(m) } });
    await restarted.start();
    await restarted.stop();
    expect(errors.join('\n')).toMatch(/AUDIT CHAIN TRUNCATED: the checkpoint of .* records entry 10, the database's chain ends at entry 6/);
    await append(s.t, 4, 'again');
    const result = await verifyCli(s);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`audit chain REWRITTEN: entry 10 has hash [0-9a-f]{64}, but the checkpoint of \\S+ \\(key [0-9a-f]{16}\\) records ${cp.hash}`));
  });

  it('refuse a checkpoint whose contents were edited (the signature no longer holds)', async () => {
    const s = await scenario();
    await append(s.t, 5);
    await checkpointNow(s);
    const [entry] = await s.store.list();
    const file = path.join(s.store.root, entry!.name);
    const edited = JSON.parse(fs.readFileSync(file, 'utf8'));
    edited.seq = '3';
    fs.chmodSync(file, 0o600);
    fs.writeFileSync(file, JSON.stringify(edited));
    const result = await verifyCli(s);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/audit checkpoint \d{20}-[0-9a-f]{16}\.json has an invalid signature/);
  });

  it('are written at start, every N entries while the server runs, not when little changed, and at shutdown', async () => {
    const s = await scenario();
    const c = new AuditCheckpointer({ db: s.t.db, store: s.store, key: loadOrCreateCheckpointKey(s.dataDir), everyEntries: 5, everyMs: 60 * 60_000, pollMs: 20 });
    await append(s.t, 1);
    await c.start();
    expect((await s.store.list()).map((e) => ('checkpoint' in e ? e.checkpoint.seq : e.error))).toEqual(['1']);
    await append(s.t, 7);
    await expect.poll(async () => (await s.store.list()).length, { timeout: 5000 }).toBe(2);
    const second = (await s.store.latest())!;
    expect(BigInt(second.seq)).toBeGreaterThanOrEqual(6n);
    await append(s.t, 2);
    await new Promise((r) => setTimeout(r, 200));
    // Fewer than 5 entries since the last checkpoint and the hour not up: none yet.
    expect((await s.store.latest())!.seq).toBe(second.seq);
    const final = await c.stop();
    expect(final).toMatchObject({ seq: '10' });
    expect(await c.checkpointNow()).toBeNull();
    expect((await s.store.list()).map((e) => ('checkpoint' in e ? e.checkpoint.seq : e.error))).toEqual(['1', second.seq, '10']);
  });

  it('record the head seen last when the database is already gone at shutdown', async () => {
    const s = await scenario();
    await append(s.t, 3);
    const c = new AuditCheckpointer({ db: s.t.db, store: s.store, key: loadOrCreateCheckpointKey(s.dataDir), everyEntries: 1000, pollMs: 60_000 });
    await c.start();
    await append(s.t, 2);
    await c.observe();
    await s.t.db.destroy();
    expect(await c.stop()).toMatchObject({ seq: '5' });
  });
});

describe('audit checkpoints in an S3-compatible blob store', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-checkpoints-s3-'));
  let server: S3rver | null = null;
  afterAll(async () => {
    await server?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('are kept under <prefix>audit-checkpoints/, never overwritten, newest found by name', async () => {
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: work, configureBuckets: [{ name: 'evidence', configs: [] }] });
    const address = (await server.run()) as AddressInfo;
    const store: CheckpointStore = new S3CheckpointStore({
      kind: 's3',
      endpoint: `http://127.0.0.1:${address.port}`,
      region: 'us-east-1',
      bucket: 'evidence',
      prefix: 'arbitra/',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    const keyDir = fs.mkdtempSync(path.join(work, 'key-'));
    const key = loadOrCreateCheckpointKey(keyDir);
    const a = signCheckpoint(key, { seq: '9', hash: 'a'.repeat(64) });
    const b = signCheckpoint(key, { seq: '10', hash: 'b'.repeat(64) });
    await store.put(b);
    await store.put(a);
    await store.put(signCheckpoint(key, { seq: '10', hash: 'b'.repeat(64) }, new Date(0)));
    expect(await store.latest()).toEqual(b);
    const all = await store.list();
    expect(all.map((e) => e.name)).toEqual(['00000000000000000009-aaaaaaaaaaaaaaaa.json', '00000000000000000010-bbbbbbbbbbbbbbbb.json']);
    expect(all.every((e) => 'checkpoint' in e && checkpointSignatureValid(e.checkpoint))).toBe(true);
    store.destroy?.();
  });
});
