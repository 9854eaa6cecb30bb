// The workstation's identity: registered online once (its own revocable device credential), then
// unlocked offline with the user's password against a local verifier, for a limited number of days.
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../shared/errors';
import type { KeyProvider } from './key-provider';
import { serverClient } from './http-transport';

export const DEFAULT_OFFLINE_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

interface DeviceFile {
  serverUrl: string;
  deviceId: string;
  userId: string;
  email: string;
  displayName: string;
  role: string;
  language: string;
  /** The device token, sealed with the data key (AES-256-GCM). */
  token: { nonce: string; body: string; tag: string };
  /** argon2id of the password, to unlock without the server. */
  verifier: string;
  lastOnlineAt: string;
  offlineDays: number;
}

export interface DeviceIdentity {
  serverUrl: string;
  deviceId: string;
  userId: string;
  email: string;
  displayName: string;
  role: string;
  language: string;
  token: string;
}

function seal(key: Buffer, plain: string) {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return { nonce: nonce.toString('base64'), body: body.toString('base64'), tag: c.getAuthTag().toString('base64') };
}

function unseal(key: Buffer, s: DeviceFile['token']): string {
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(s.nonce, 'base64'));
  d.setAuthTag(Buffer.from(s.tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(s.body, 'base64')), d.final()]).toString('utf8');
}

export class DeviceSession {
  private readonly file: string;
  constructor(
    readonly dataDir: string,
    private readonly keys: KeyProvider,
  ) {
    this.file = path.join(dataDir, 'device.json');
  }

  registered(): boolean {
    return fs.existsSync(this.file);
  }

  private read(): DeviceFile {
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as DeviceFile;
  }

  private write(d: DeviceFile): void {
    fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(d), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  /** First login, online: signs in, registers this workstation and keeps its own credential. */
  async registerOnline(input: { serverUrl: string; email: string; password: string; totpCode?: string; deviceName: string; platform?: string; offlineDays?: number }): Promise<DeviceIdentity> {
    const anonymous = serverClient(input.serverUrl, null);
    const login = await anonymous.auth.login.mutate({ email: input.email, password: input.password, totpCode: input.totpCode, kind: 'device' });
    const client = serverClient(input.serverUrl, login.token);
    const device = await client.sync.registerDevice.mutate({ name: input.deviceName, platform: input.platform ?? process.platform });
    // The login session was only the way in: the device credential is what this machine keeps.
    await client.auth.logout.mutate().catch(() => undefined);
    const file: DeviceFile = {
      serverUrl: input.serverUrl,
      deviceId: device.deviceId,
      userId: login.user.id,
      email: login.user.email,
      displayName: login.user.displayName,
      role: login.user.role,
      language: login.user.language,
      token: seal(this.keys.dataKey(), device.token),
      verifier: await hash(input.password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
      lastOnlineAt: new Date().toISOString(),
      offlineDays: input.offlineDays ?? DEFAULT_OFFLINE_DAYS,
    };
    this.write(file);
    return this.identityOf(file);
  }

  /** Unlocks without the server: the password must match, and the last contact be recent enough. */
  async unlockOffline(password: string, now = new Date()): Promise<DeviceIdentity> {
    if (!this.registered()) throw new AppError('unauthenticated', 'desktop.not_registered');
    const d = this.read();
    let ok = false;
    try {
      ok = await verify(d.verifier, password);
    } catch {
      ok = false;
    }
    if (!ok) throw new AppError('unauthenticated', 'auth.invalid_credentials', { field: 'password' });
    const since = now.getTime() - new Date(d.lastOnlineAt).getTime();
    if (since > d.offlineDays * DAY_MS) throw new AppError('unauthenticated', 'desktop.offline_period_expired', { params: { days: d.offlineDays } });
    return this.identityOf(d);
  }

  /** Who registered this workstation, without unlocking it (the unlock screen names them); null when not registered. */
  registration(): { serverUrl: string; deviceId: string; userId: string; email: string; displayName: string; role: string; language: string } | null {
    if (!this.registered()) return null;
    const d = this.read();
    return { serverUrl: d.serverUrl, deviceId: d.deviceId, userId: d.userId, email: d.email, displayName: d.displayName, role: d.role, language: d.language };
  }

  /** The server accepted this password (it may have changed there): offline unlock takes it from now on. */
  async rememberPassword(password: string): Promise<void> {
    const d = this.read();
    let same = false;
    try {
      same = await verify(d.verifier, password);
    } catch {
      same = false;
    }
    if (same) return;
    d.verifier = await hash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    this.write(d);
  }

  /** The server answered: the offline period starts again from now. */
  recordOnline(now = new Date()): void {
    const d = this.read();
    d.lastOnlineAt = now.toISOString();
    this.write(d);
  }

  private identityOf(d: DeviceFile): DeviceIdentity {
    return {
      serverUrl: d.serverUrl,
      deviceId: d.deviceId,
      userId: d.userId,
      email: d.email,
      displayName: d.displayName,
      role: d.role,
      language: d.language,
      token: unseal(this.keys.dataKey(), d.token),
    };
  }

  forget(): void {
    fs.rmSync(this.file, { force: true });
  }
}
