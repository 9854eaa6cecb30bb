// Where the key that encrypts the workstation's secrets and cached evidence comes from. In the
// Electron app it is sealed with safeStorage (the OS keychain); in browser mode and tests it is a
// key file in the data directory (mode 0600).
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface KeyProvider {
  /** The 32-byte data key, created on first use. */
  dataKey(): Buffer;
  /** Forgets the key (a revoked or wiped device): what it encrypted can no longer be read. */
  destroy(): void;
}

export class FileKeyProvider implements KeyProvider {
  private readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'data.key');
  }
  dataKey(): Buffer {
    try {
      const key = Buffer.from(fs.readFileSync(this.file, 'utf8').trim(), 'base64');
      if (key.length === 32) return key;
    } catch {
      /* first use */
    }
    const key = randomBytes(32);
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.file, key.toString('base64'), { mode: 0o600 });
    return key;
  }
  destroy(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** The part of Electron's safeStorage the workstation uses (injected, so this file needs no Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export class SafeStorageKeyProvider implements KeyProvider {
  private readonly file: string;
  constructor(
    dataDir: string,
    private readonly safeStorage: SafeStorageLike,
  ) {
    this.file = path.join(dataDir, 'data.key.sealed');
  }
  dataKey(): Buffer {
    if (!this.safeStorage.isEncryptionAvailable()) throw new Error('safeStorage is not available on this system');
    try {
      const key = Buffer.from(this.safeStorage.decryptString(fs.readFileSync(this.file)), 'base64');
      if (key.length === 32) return key;
    } catch {
      /* first use */
    }
    const key = randomBytes(32);
    fs.writeFileSync(this.file, this.safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
    return key;
  }
  destroy(): void {
    fs.rmSync(this.file, { force: true });
  }
}
