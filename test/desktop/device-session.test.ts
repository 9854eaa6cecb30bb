// The workstation's identity against the real server: the first login (online) registers the
// device with its own revocable credential, kept sealed on disk; later the user unlocks offline
// with their password for a limited number of days; an admin revokes the device and, at its next
// contact, the workstation erases its local data and says why.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { complaint } from '../server/evidence/support';
import { DEFAULT_OFFLINE_DAYS, DeviceSession, type DeviceIdentity } from '../../desktop/main/device-session';
import { FileKeyProvider, SafeStorageKeyProvider, type SafeStorageLike } from '../../desktop/main/key-provider';
import { HttpTransport } from '../../desktop/main/http-transport';
import { SyncEngine, TransportRefusal } from '../../desktop/main/sync-engine';
import { journalPath } from '../../desktop/main/journal';
import { localStoreDir } from '../../desktop/main/store/local-db';
import { AppError } from '../../shared/errors';
import { translate } from '../../shared/i18n';
import type { Role } from '../../shared/domain';
import { tempDir, templateDir } from './support';

const DAY_MS = 24 * 60 * 60 * 1000;
const OFFLINE_DAYS = 7;

let server: TestServer;
let serverStopped = false;
const dirs: string[] = [];
const newDir = () => {
  const d = tempDir('arbitra-device-');
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  if (!serverStopped) await server?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The AppError a call fails with (fails the test when it succeeds, or fails otherwise). */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

const register = (dataDir: string, over: { offlineDays?: number; deviceName?: string } = {}) =>
  new DeviceSession(dataDir, new FileKeyProvider(dataDir)).registerOnline({
    serverUrl: server.url,
    email: server.users.specialist.email,
    password: TEST_PASSWORD,
    deviceName: over.deviceName ?? 'ThinkPad X1 (kept in the secure room)',
    platform: 'linux',
    offlineDays: over.offlineDays ?? OFFLINE_DAYS,
  });

describe('a workstation registered online, then unlocked offline', () => {
  let dataDir: string;
  let identity: DeviceIdentity;
  let registeredAt: Date;

  it('registers the device on the server with its own credential at the first login', async () => {
    dataDir = newDir();
    registeredAt = new Date();
    identity = await register(dataDir);

    expect(identity).toMatchObject({ serverUrl: server.url, userId: server.users.specialist.id, email: server.users.specialist.email, role: 'specialist' });
    // The server knows the device, under the user's name, not revoked.
    const admin = server.client(await server.login('admin'));
    const listed = (await admin.sync.listDevices.query({ userId: server.users.specialist.id })).find((d) => d.id === identity.deviceId);
    expect(listed).toMatchObject({ userId: server.users.specialist.id, name: 'ThinkPad X1 (kept in the secure room)', platform: 'linux', revokedAt: null });
    const row = await server.t.db.selectFrom('devices').selectAll().where('id', '=', identity.deviceId).executeTakeFirstOrThrow();
    expect(row.user_id).toBe(server.users.specialist.id);

    // The credential is the device's own session, tied to it; the login that got it is gone.
    const me = await server.client(identity.token).auth.me.query();
    expect(me.user.id).toBe(server.users.specialist.id);
    const sessions = await server.t.db.selectFrom('sessions').selectAll().where('user_id', '=', server.users.specialist.id).execute();
    const live = sessions.filter((s) => s.revoked_at === null);
    expect(live.map((s) => s.device_id)).toEqual([identity.deviceId]);
    expect(live[0]!.kind).toBe('device');
  });

  it('keeps device.json private (0600) and holds neither the token nor the password in clear', () => {
    const file = path.join(dataDir, 'device.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(identity.token);
    expect(text).not.toContain(Buffer.from(identity.token).toString('base64'));
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain(Buffer.from(TEST_PASSWORD).toString('base64'));
    // What unlocks offline is an argon2id verifier, and the token is sealed (AES-256-GCM).
    const stored = JSON.parse(text) as { verifier: string; token: Record<string, string>; offlineDays: number };
    expect(stored.verifier).toMatch(/^\$argon2id\$/);
    expect(Object.keys(stored.token).sort()).toEqual(['body', 'nonce', 'tag']);
    expect(stored.offlineDays).toBe(OFFLINE_DAYS);
    // The key that seals it is a file of its own, private too (browser mode and tests).
    expect(fs.statSync(path.join(dataDir, 'data.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('refuses to unlock a workstation that was never registered', async () => {
    const e = await appError(new DeviceSession(newDir(), new FileKeyProvider(newDir())).unlockOffline(TEST_PASSWORD));
    expect(e.messageKey).toBe('desktop.not_registered');
    expect(translate('zh-CN', e.messageKey)).not.toBe(e.messageKey);
  });

  it('unlocks with the right password while the server is down', async () => {
    // Stop the server: nothing below may reach it.
    await server.close();
    serverStopped = true;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    const session = new DeviceSession(dataDir, new FileKeyProvider(dataDir));
    const unlocked = await session.unlockOffline(TEST_PASSWORD);
    expect(unlocked).toEqual(identity);
  });

  it('refuses a wrong password offline', async () => {
    const session = new DeviceSession(dataDir, new FileKeyProvider(dataDir));
    for (const wrong of ['correct horse battery stapler', '', TEST_PASSWORD.toUpperCase()]) {
      const e = await appError(session.unlockOffline(wrong));
      expect(e.messageKey).toBe('auth.invalid_credentials');
      expect(e.field).toBe('password');
    }
  });

  it('refuses with the right password once more than the offline period has passed since the last contact', async () => {
    const session = new DeviceSession(dataDir, new FileKeyProvider(dataDir));
    const lastContact = registeredAt.getTime();
    // A minute inside the period (counted from just before registering: the file says a little later).
    await expect(session.unlockOffline(TEST_PASSWORD, new Date(lastContact + OFFLINE_DAYS * DAY_MS - 60_000))).resolves.toEqual(identity);
    const late = new Date(Date.now() + OFFLINE_DAYS * DAY_MS + 60_000);
    const e = await appError(session.unlockOffline(TEST_PASSWORD, late));
    expect(e.messageKey).toBe('desktop.offline_period_expired');
    expect(e.options.params).toEqual({ days: OFFLINE_DAYS });
    // The user is told how long, in both languages.
    expect(translate('en', e.messageKey, e.options.params)).toContain(String(OFFLINE_DAYS));
    expect(translate('zh-CN', e.messageKey, e.options.params)).toContain(String(OFFLINE_DAYS));
    expect(translate('zh-CN', e.messageKey, e.options.params)).not.toBe(translate('en', e.messageKey, e.options.params));
    // A wrong password is still just a wrong password, however late.
    expect((await appError(session.unlockOffline('wrong', late))).messageKey).toBe('auth.invalid_credentials');
  });

  it('starts the offline period again when the server is reached', async () => {
    const session = new DeviceSession(dataDir, new FileKeyProvider(dataDir));
    const contact = new Date(Date.now() + OFFLINE_DAYS * DAY_MS + 60_000);
    session.recordOnline(contact);
    await expect(session.unlockOffline(TEST_PASSWORD, contact)).resolves.toEqual(identity);
    await expect(session.unlockOffline(TEST_PASSWORD, new Date(contact.getTime() + OFFLINE_DAYS * DAY_MS - 60_000))).resolves.toEqual(identity);
    const e = await appError(session.unlockOffline(TEST_PASSWORD, new Date(contact.getTime() + OFFLINE_DAYS * DAY_MS + 60_000)));
    expect(e.messageKey).toBe('desktop.offline_period_expired');
    // Still private after being rewritten.
    expect(fs.statSync(path.join(dataDir, 'device.json')).mode & 0o777).toBe(0o600);
  });

  it('cannot read the sealed token with another key', async () => {
    const session = new DeviceSession(dataDir, new FileKeyProvider(newDir()));
    await expect(session.unlockOffline(TEST_PASSWORD)).rejects.toThrow();
  });
});

describe('the offline period by default', () => {
  it('is 14 days', () => {
    expect(DEFAULT_OFFLINE_DAYS).toBe(14);
  });
});

describe('key providers', () => {
  /** A stand-in for Electron's safeStorage: seals with a key of its own, as the OS keychain would. */
  function fakeSafeStorage(): SafeStorageLike & { sealed: Buffer[] } {
    const secret = Buffer.from('an OS keychain secret, 32 bytes!');
    const xor = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ secret[i % secret.length]!));
    const sealed: Buffer[] = [];
    return {
      sealed,
      isEncryptionAvailable: () => true,
      encryptString: (plain) => {
        const out = Buffer.concat([Buffer.from('SEALED:'), xor(Buffer.from(plain, 'utf8'))]);
        sealed.push(out);
        return out;
      },
      decryptString: (b) => {
        if (!b.subarray(0, 7).equals(Buffer.from('SEALED:'))) throw new Error('not sealed by this keychain');
        return xor(b.subarray(7)).toString('utf8');
      },
    };
  }

  it('safeStorage: the data key is kept only sealed, and is the same key on every start', () => {
    const dir = newDir();
    const safe = fakeSafeStorage();
    const key = new SafeStorageKeyProvider(dir, safe).dataKey();
    expect(key.length).toBe(32);
    const onDisk = fs.readFileSync(path.join(dir, 'data.key.sealed'));
    expect(onDisk.includes(key)).toBe(false);
    expect(onDisk.toString('utf8')).not.toContain(key.toString('base64'));
    expect(fs.statSync(path.join(dir, 'data.key.sealed')).mode & 0o777).toBe(0o600);
    expect(new SafeStorageKeyProvider(dir, safe).dataKey().equals(key)).toBe(true);
  });

  it('safeStorage: refuses to work when the system cannot encrypt', () => {
    const safe = { ...fakeSafeStorage(), isEncryptionAvailable: () => false };
    expect(() => new SafeStorageKeyProvider(newDir(), safe).dataKey()).toThrow(/safeStorage/);
  });

  it('never replaces a key it cannot read with a new one: what it sealed would be lost for good', () => {
    const dir = newDir();
    const key = new FileKeyProvider(dir).dataKey();
    const file = path.join(dir, 'data.key');
    fs.writeFileSync(file, 'damaged');
    expect(() => new FileKeyProvider(dir).dataKey()).toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('damaged');
    fs.writeFileSync(file, key.toString('base64'));
    expect(new FileKeyProvider(dir).dataKey().equals(key)).toBe(true);

    // An empty key file is a first use cut short before the key was written (never handed out): replaced.
    const emptyDir = newDir();
    fs.writeFileSync(path.join(emptyDir, 'data.key'), '');
    const fresh = new FileKeyProvider(emptyDir).dataKey();
    expect(fresh.length).toBe(32);
    expect(new FileKeyProvider(emptyDir).dataKey().equals(fresh)).toBe(true);

    const sealedDir = newDir();
    const safe = fakeSafeStorage();
    const sealedKey = new SafeStorageKeyProvider(sealedDir, safe).dataKey();
    const sealedFile = path.join(sealedDir, 'data.key.sealed');
    const before = fs.readFileSync(sealedFile);
    // Another keychain (another OS user, a reset keychain) cannot unseal it: refused, file kept.
    expect(() => new SafeStorageKeyProvider(sealedDir, { ...safe, decryptString: () => { throw new Error('cannot decrypt'); } }).dataKey()).toThrow();
    expect(fs.readFileSync(sealedFile).equals(before)).toBe(true);
    expect(new SafeStorageKeyProvider(sealedDir, safe).dataKey().equals(sealedKey)).toBe(true);
  });
});

describe('a revoked device', () => {
  let revokeServer: TestServer;

  beforeAll(async () => {
    revokeServer = await startTestServer();
  });
  afterAll(async () => {
    await revokeServer?.close();
  });

  it('erases its local data at its next contact and says why', async () => {
    const dataDir = newDir();
    const session = new DeviceSession(dataDir, new FileKeyProvider(dataDir));
    const identity = await session.registerOnline({
      serverUrl: revokeServer.url,
      email: revokeServer.users.specialist.email,
      password: TEST_PASSWORD,
      deviceName: 'Travel laptop',
      platform: 'linux',
    });
    // A case the specialist works on, synced to the workstation, and an unsynced note.
    const specialist = revokeServer.client(await revokeServer.login('specialist'));
    // A migrated empty local store to start from (a copy: much faster than PGlite's initdb).
    fs.cpSync(await templateDir(), localStoreDir(dataDir), { recursive: true });
    const c = await specialist.cases.create.mutate(complaint('uid-revoked-device') as never);
    const engine = await SyncEngine.open({
      dataDir,
      identity: { deviceId: identity.deviceId, userId: identity.userId, role: identity.role as Role },
      transport: new HttpTransport(identity.serverUrl, identity.token),
    });
    try {
      await engine.sync();
      expect(await engine.db.selectFrom('cases').select('id').where('id', '=', c.id).executeTakeFirst()).toBeTruthy();
      await engine.mutate('addNote', { caseId: c.id, id: randomUUID(), body: 'Written on the train, not yet synced.' });
      fs.mkdirSync(path.join(dataDir, 'evidence'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'evidence', `${'a'.repeat(64)}.enc`), 'sealed evidence');
      expect(fs.existsSync(localStoreDir(dataDir))).toBe(true);
      expect(fs.existsSync(journalPath(dataDir))).toBe(true);

      // The laptop is reported stolen: an admin revokes it.
      const admin = revokeServer.client(await revokeServer.login('admin'));
      const reason = 'Laptop reported stolen on 21 Nov';
      await admin.sync.revokeDevice.mutate({ deviceId: identity.deviceId, reason });
      const row = await revokeServer.t.db.selectFrom('devices').selectAll().where('id', '=', identity.deviceId).executeTakeFirstOrThrow();
      expect(row.revoked_at).not.toBeNull();
      expect(row.revoked_reason).toBe(reason);

      // Next contact: refused, and everything local is erased.
      const refused = await engine.sync().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(TransportRefusal);
      expect(refused).toMatchObject({ messageKey: 'sync.device_revoked', params: { reason } });
      expect(engine.status).toBe('revoked');
      expect(engine.revokedReason).toBe(reason);
      expect(fs.existsSync(localStoreDir(dataDir))).toBe(false);
      expect(fs.existsSync(journalPath(dataDir))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'evidence'))).toBe(false);
      expect(fs.readdirSync(dataDir).filter((n) => n.startsWith('pglite'))).toEqual([]);
      const revoked = JSON.parse(fs.readFileSync(path.join(dataDir, 'revoked.json'), 'utf8')) as { at: string; reason: string };
      expect(revoked.reason).toBe(reason);
      expect(Number.isNaN(Date.parse(revoked.at))).toBe(false);
      expect(fs.statSync(path.join(dataDir, 'revoked.json')).mode & 0o777).toBe(0o600);
      // The user is told why, in both languages.
      expect(translate('en', 'sync.device_revoked', { reason })).toContain(reason);
      expect(translate('zh-CN', 'sync.device_revoked', { reason })).toContain(reason);
      // Nothing more can be written.
      await expect(engine.mutate('addNote', { caseId: c.id, id: randomUUID(), body: 'too late' })).rejects.toMatchObject({ messageKey: 'sync.device_revoked' });
      // The server still has none of the unsynced note (it was never accepted from a revoked device).
      const notes = await revokeServer.t.db.selectFrom('notes').select('body').where('case_id', '=', c.id).execute();
      expect(notes.map((n) => n.body)).not.toContain('Written on the train, not yet synced.');
    } finally {
      await engine.close();
    }
    // The data directory is free again.
    expect(fs.existsSync(path.join(dataDir, 'arbitra.lock'))).toBe(false);
  });
});
